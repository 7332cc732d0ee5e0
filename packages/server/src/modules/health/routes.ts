import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { readiness } from './checks.ts';

const checkSchema = {
  type: 'object',
  required: ['ok', 'detail'],
  properties: { ok: { type: 'boolean' }, detail: { type: 'string' } },
} as const;

const bodySchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded', 'unavailable'] },
    checks: { type: 'object', additionalProperties: checkSchema },
  },
} as const;

/**
 * /healthz: the process answers. /readyz: each dependency (database, blob store with its free
 * space, scanner); 503 when a required one is down, so the load balancer takes the node out.
 */
export function healthRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const response = { 200: bodySchema, 503: bodySchema };
    app.get(
      '/healthz',
      {
        config: { access: 'public' },
        schema: { tags: ['operations'], response, summary: 'Liveness: the process answers' },
      },
      async () => ({ status: 'ok', checks: {} }),
    );
    app.get(
      '/readyz',
      {
        config: { access: 'public' },
        schema: {
          tags: ['operations'],
          response,
          summary: 'Readiness: database, blob store (and its free space) and scanner',
          description:
            'Each check is `{ ok, detail }`. 503 when the database or the blob store is down or the blob store has less free space than READY_MIN_FREE_BYTES. A scanner that does not answer makes the status `degraded` but the node stays ready: incoming files wait for the scan.',
        },
      },
      async (_request, reply) => {
        const { status, checks, ready } = await readiness(deps);
        // A probe's answer must be fresh each time.
        void reply.header('cache-control', 'no-store');
        return reply.status(ready ? 200 : 503).send({ status, checks });
      },
    );
  };
}
