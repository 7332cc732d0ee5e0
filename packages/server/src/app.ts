import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { loadAssets } from '@amtsbote/web/assets';
import type { AppDeps } from './deps.ts';
import { errorRegistry } from './errors.ts';
import { registerAccessControl } from './http/access.ts';
import { cookieOptions, registerRequestContext } from './http/context.ts';
import { registerSharedSchemas } from './http/schemas.ts';
import {
  accessRules,
  authRoutes,
  pageViewerOf,
  registerAuthentication,
  ssoAdminRoutes,
} from './modules/auth/index.ts';
import { registerTenantResolution } from './modules/tenants/index.ts';
import {
  accountRoutes,
  accountTokenRoutes,
  authenticateAccountToken,
  isAccountTokenShaped,
  oidcEmailRoutes,
} from './modules/accounts/index.ts';
import { registerErrorHandling } from './http/error-handler.ts';
import { clientErrorHandler, frameworkErrors } from './http/framework-errors.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { adminRoutes } from './modules/admin/index.ts';
import { healthRoutes } from './modules/health/index.ts';
import { pageRoutes } from './modules/pages/index.ts';
import { transferRoutes } from './modules/transfers/routes.ts';
import { organisationRoutes } from './modules/organisations/index.ts';
import { organisationPostboxRoutes } from './modules/postbox/index.ts';
import { dropoffRoutes } from './modules/dropoff/index.ts';
import { postboxRoutes } from './modules/postbox/index.ts';
import { uploadLinkRoutes } from './modules/uploadlinks/index.ts';
import { privacyRoutes, registerAccessLog } from './modules/privacy/index.ts';
import { retentionErasureSteps, retentionRoutes } from './modules/retention/index.ts';
import { keyRoutes } from './modules/keys/index.ts';
import { settleScans } from './modules/postbox/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app registered: method and URL pattern. */
    registeredRoutes(): readonly { method: string; url: string }[];
  }
}

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
    // Answers refused before routing (bad path encoding, header limit) in the registry's shape.
    frameworkErrors,
    clientErrorHandler,
  });

  // Every route as registered (method and pattern), so tests can hold the shared path table
  // (@amtsbote/contracts) against what the server really answers.
  const registered: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) registered.push({ method, url: route.url });
  });
  app.decorate('registeredRoutes', () => registered);

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: deps.config.bodyLimit });
  await app.register(csrf, {
    cookieKey: 'amtsbote_csrf',
    cookieOpts: { ...cookieOptions },
    getToken: (request) => {
      // The body is not validated yet (CSRF runs first): read the field without trusting its shape.
      const body: unknown = request.body;
      const field = typeof body === 'object' && body !== null && '_csrf' in body ? body._csrf : undefined;
      const fromBody = typeof field === 'string' ? field : undefined;
      const header = request.headers['x-csrf-token'];
      return fromBody ?? (typeof header === 'string' ? header : undefined) ?? '';
    },
  });
  registerSharedSchemas(app);
  await app.register(swagger, {
    // Shared fragments (addSchema) appear under their own $id in components.schemas.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
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
  // Who and where every request is, in this order: IP prefix and page rendering, the tenant by
  // host name, then the signed-in person (session cookie or bearer token) and the language.
  registerRequestContext(app, pageViewerOf);
  registerTenantResolution(app, deps);
  registerAuthentication(app, deps, {
    accepts: isAccountTokenShaped,
    authenticate: (token, ipPrefix) => authenticateAccountToken(deps.db, deps.clock, token, ipPrefix),
  });
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
  // Every route declares who may call it; one hook enforces it (after the CSRF check above).
  registerAccessControl(app, accessRules);

  const assets = await loadAssets();
  app.get('/assets/*', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
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

  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );

  await app.register(healthRoutes(deps));
  await app.register(pageRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(adminRoutes(deps));
  await app.register(transferRoutes(deps));
  await app.register(accountRoutes(deps));
  await app.register(oidcEmailRoutes(deps));
  await app.register(accountTokenRoutes(deps));
  await app.register(organisationRoutes(deps));
  await app.register(organisationPostboxRoutes(deps));
  await app.register(ssoAdminRoutes(deps));
  await app.register(dropoffRoutes(deps));
  await app.register(uploadLinkRoutes(deps));
  await app.register(postboxRoutes(deps));
  // Deleting an account also deletes what later modules keep about it (see LaterErasure).
  await app.register(privacyRoutes(deps, { alsoErase: retentionErasureSteps }));
  await app.register(retentionRoutes(deps));
  await app.register(keyRoutes(deps));
  app.addHook('onClose', async () => settleScans());

  return app;
}
