import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref(),
    ),
  ]);
}

/** /healthz: the process answers. /readyz: the database and the blob store answer too. */
export function healthRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const schema = {
      tags: ['operations'],
      response: {
        200: {
          type: 'object',
          properties: {
            status: { type: 'string' },
            checks: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
        503: {
          type: 'object',
          properties: {
            status: { type: 'string' },
            checks: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    };
    app.get(
      '/healthz',
      { config: { access: 'public' }, schema: { ...schema, summary: 'Liveness: the process answers' } },
      async () => ({
        status: 'ok',
        checks: {},
      }),
    );
    app.get(
      '/readyz',
      {
        config: { access: 'public' },
        schema: { ...schema, summary: 'Readiness: database and blob store answer' },
      },
      async (_request, reply) => {
        const checks: Record<string, string> = {};
        await Promise.all(
          Object.entries({ database: () => deps.db.ping(), blobStore: () => deps.blobs.ping() }).map(
            async ([name, check]) => {
              try {
                await withTimeout(check());
                checks[name] = 'ok';
              } catch {
                checks[name] = 'unavailable';
              }
            },
          ),
        );
        const ok = Object.values(checks).every((c) => c === 'ok');
        return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
      },
    );
  };
}
