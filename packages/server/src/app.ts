import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { loadAssets } from '@amtsbote/web/assets';
import type { AppDeps } from './deps.ts';
import { errorRegistry } from './errors.ts';
import { cookieOptions, registerRequestContext } from './http/context.ts';
import { registerErrorHandling } from './http/error-handler.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { adminRoutes } from './modules/admin/routes.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { pageRoutes } from './modules/pages/routes.ts';
import { transferRoutes } from './modules/transfers/routes.ts';
import { accountRoutes } from './modules/accounts/routes.ts';
import { oidcEmailRoutes } from './modules/accounts/oidc-email-routes.ts';
import { accountTokenRoutes } from './modules/accounts/tokens-routes.ts';
import { organisationRoutes } from './modules/organisations/routes.ts';
import { ssoAdminRoutes } from './modules/auth/sso-routes.ts';
import { dropoffRoutes } from './modules/dropoff/routes.ts';
import { postboxRoutes } from './modules/postbox/routes.ts';
import { uploadLinkRoutes } from './modules/uploadlinks/routes.ts';
import { registerAccessLog } from './modules/privacy/access-log.ts';
import { privacyRoutes } from './modules/privacy/routes.ts';
import { retentionRoutes } from './modules/retention/routes.ts';
import { keyRoutes } from './modules/keys/routes.ts';
import { settleScans } from './jobs/scan.ts';

/**
 * Builds the portal: every plugin and route, nothing listening yet. Tests call this with
 * throwaway adapters and use app.inject(); serve.ts calls it and then listen().
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Typed as Fastify's base logger so the instance keeps the default generics every plugin expects.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: deps.config.bodyLimit,
    // Believe X-Forwarded-For only from the configured number of proxies in front.
    trustProxy:
      deps.config.trustProxyHops === 0
        ? false
        : (_address: string, hop: number) => hop < deps.config.trustProxyHops,
    // Fastify then answers 503 to new requests while close() waits for in-flight ones.
    return503OnClosing: true,
    requestIdHeader: false,
    genReqId: () => deps.secrets.id(),
    ajv: { customOptions: { allErrors: true, removeAdditional: true, coerceTypes: false } },
    routerOptions: { ignoreTrailingSlash: true },
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: deps.config.bodyLimit });
  await app.register(csrf, {
    cookieKey: 'amtsbote_csrf',
    cookieOpts: { ...cookieOptions },
    getToken: (request) => {
      const body = request.body as Record<string, unknown> | undefined;
      const fromBody = typeof body?._csrf === 'string' ? body._csrf : undefined;
      const header = request.headers['x-csrf-token'];
      return fromBody ?? (typeof header === 'string' ? header : undefined) ?? '';
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Amtsbote API',
        version: '1',
        description: `Authenticate with \`Authorization: Bearer <token>\` (\`amtsbote token create\`). Every error answers \`{"error": {"code", "message"}}\` with one of these codes: ${Object.keys(errorRegistry).join(', ')}.`,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Only the JSON API belongs in the API description; pages and forms are for browsers.
    transform: ({ schema, url }) => ({
      schema: {
        ...(schema as object),
        hide: !url.startsWith('/api/') && !['/healthz', '/readyz'].includes(url),
      },
      url,
    }),
  });

  registerSecurityHeaders(app, { tls: deps.config.publicUrl.startsWith('https://') });
  registerErrorHandling(app);
  registerRequestContext(app, deps);
  registerAccessLog(app, deps);

  // Forms and API calls that change something need the CSRF token, unless they come with a
  // bearer token (no cookie involved, so nothing for another site to forge).
  app.addHook('preValidation', (request, reply, done) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || request.auth?.via === 'token') {
      done();
      return;
    }
    app.csrfProtection(request, reply, done);
  });

  const assets = await loadAssets();
  app.get('/assets/*', { schema: { hide: true } }, async (request, reply) => {
    const asset = assets.get(request.url.split('?')[0] ?? '');
    if (asset === undefined) {
      reply.callNotFound();
      return reply;
    }
    if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
    return reply
      .header('cache-control', 'public, max-age=3600')
      .header('etag', asset.etag)
      .type(asset.contentType)
      .send(asset.body);
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes(deps));
  await app.register(pageRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(adminRoutes(deps));
  await app.register(transferRoutes(deps));
  await app.register(accountRoutes(deps));
  await app.register(oidcEmailRoutes(deps));
  await app.register(accountTokenRoutes(deps));
  await app.register(organisationRoutes(deps));
  await app.register(ssoAdminRoutes(deps));
  await app.register(dropoffRoutes(deps));
  await app.register(uploadLinkRoutes(deps));
  await app.register(postboxRoutes(deps));
  await app.register(privacyRoutes(deps));
  await app.register(retentionRoutes(deps));
  await app.register(keyRoutes(deps));
  app.addHook('onClose', async () => settleScans());

  return app;
}
