import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from '@amtsbote/web';
import type { Locale } from '@amtsbote/contracts';
import { renderPage } from '@amtsbote/web';
import { ipPrefix } from './ip.ts';
import { flashFor } from './notices.ts';

/** Paths that answer without a tenant: operations, the API description, static assets. */
export const tenantFreePaths = ['/healthz', '/readyz', '/api/openapi.json', '/assets/'];

export function isTenantFreePath(url: string): boolean {
  return tenantFreePaths.some((p) => url === p || (p.endsWith('/') && url.startsWith(p)));
}

/** Who is looking at a page: what the layout shows of the tenant and the signed-in person. */
export type PageViewer = Pick<PageContext, 'tenant' | 'user' | 'account'>;

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    /** The client's address cut to /24 or /48: the only form that is stored or logged. */
    ipPrefix: string | undefined;
    /**
     * The tenant and person for the page layout, or undefined while no tenant is known (a
     * request refused before its tenant was resolved). Supplied by the tenant and auth modules.
     */
    pageViewer(): PageViewer | undefined;
  }
  interface FastifyReply {
    /** Renders a full page in the request's tenant layout and locale. */
    page(page: { title: string; body: { readonly __html: string }; status?: number }): FastifyReply;
  }
}

/** Sets cookies the way the brief demands: HttpOnly, Secure, SameSite=Lax, whole site. */
export const cookieOptions = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' } as const;

/**
 * What every request carries before any module looks at it: the IP prefix, the language
 * (German until a module negotiates it), and page rendering. `viewerOf` tells the layout who
 * is looking; the composition root (app.ts) supplies it from the tenant and auth modules.
 */
export function registerRequestContext(
  app: FastifyInstance,
  viewerOf: (request: FastifyRequest) => PageViewer | undefined,
): void {
  app.decorateRequest('locale', 'de');
  app.decorateRequest('ipPrefix', undefined);
  app.decorateRequest('pageViewer', function pageViewer(this: FastifyRequest) {
    return viewerOf(this);
  });
  app.addHook('onRequest', async (request) => {
    request.ipPrefix = ipPrefix(request.ip);
  });
  app.decorateReply('page', function page(this: FastifyReply, p) {
    const ctx = pageContext(this.request, this);
    return this.status(p.status ?? 200)
      .type('text/html; charset=utf-8')
      .send(renderPage(ctx, p));
  });
}

// One CSRF token per response: generating a second one would set a second secret cookie and
// invalidate the first token already written into the page.
const csrfTokens = new WeakMap<FastifyReply, string>();

function csrfTokenFor(reply: FastifyReply): string {
  let token = csrfTokens.get(reply);
  if (token === undefined) {
    token = reply.generateCsrf();
    csrfTokens.set(reply, token);
  }
  return token;
}

/** A query parameter that is a string, whatever the route's schema says of the query. */
export function queryString(request: FastifyRequest, name: string): string | undefined {
  const query: unknown = request.query;
  if (typeof query !== 'object' || query === null) return undefined;
  const value: unknown = (query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  const viewer = request.pageViewer();
  const notice = queryString(request, 'notice');
  return {
    locale: request.locale,
    tenant: viewer?.tenant ?? { name: '', slug: '' },
    user: viewer?.user,
    account: viewer?.account,
    csrfToken: csrfTokenFor(reply),
    path: request.url.split('?')[0] ?? '/',
    flash: notice === undefined ? undefined : flashFor(notice, request.locale),
  };
}
