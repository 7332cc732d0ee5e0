import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../errors.ts';
import { wantsJson } from './error-handler.ts';

/**
 * Who may call a route. Every route declares one (or a list: any of them will do) in
 * `config.access`; `buildApp` refuses to start with a route that declares nothing.
 * - `public`: anyone; record-level checks (a link token, a drop-off session) stay in the
 *   module's policy.
 * - `staff`: a signed-in staff member (session or staff API token).
 * - `tenantAdmin`: a staff member with the tenant-admin right.
 * - `account`: a citizen signed in with a service account (session).
 * - `accountToken`: a service account's personal API token.
 */
export type Access = 'public' | 'staff' | 'tenantAdmin' | 'account' | 'accountToken';

export type AccessDeclaration = Access | readonly Access[];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; see {@link Access}. */
    access?: AccessDeclaration;
  }
}

/**
 * How one kind of caller is recognised. The auth module supplies these (http/ knows no
 * sessions or tokens); this file only enforces them.
 */
export interface AccessRule {
  /** Whether the request's caller holds this kind of access. */
  allows(request: FastifyRequest): boolean;
  /**
   * Whether the caller is signed in as the kind of person this access is for, whatever their
   * rights: then a refusal looks like a missing record (404), not like a sign-in request.
   */
  signedInAsKind(request: FastifyRequest): boolean;
  /** Where a browser that is not signed in is sent for a page (GET); absent: 401. */
  loginPath?: string;
}

export type AccessRules = Record<Exclude<Access, 'public'>, AccessRule>;

// Routes that Fastify or a plugin adds itself (the automatic HEAD of every GET), which take the
// access of the route they belong to.
function isFrameworkRoute(route: RouteOptions): boolean {
  return route.method === 'HEAD' && route.config?.access === undefined;
}

function isGuarded(access: Access): access is Exclude<Access, 'public'> {
  return access !== 'public';
}

function kinds(declaration: AccessDeclaration): readonly Access[] {
  return typeof declaration === 'string' ? [declaration] : declaration;
}

/**
 * Deny by default: every route declares who may call it, and one hook decides before the
 * handler runs. A denied request looks like a missing record (404) to someone signed in as the
 * right kind of person; anyone else is sent to sign in (a page) or told to (401, the API and
 * form posts).
 */
export function registerAccessControl(app: FastifyInstance, rules: AccessRules): void {
  app.addHook('onRoute', (route) => {
    if (isFrameworkRoute(route)) return;
    const declared = route.config?.access;
    if (declared === undefined || kinds(declared).length === 0) {
      const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
      throw new Error(`route ${methods} ${route.url} declares no access (config.access)`);
    }
  });

  app.addHook('preValidation', async (request, reply) => {
    const declared = request.routeOptions.config.access;
    // The not-found handler and framework routes have no declaration of their own.
    if (declared === undefined) return;
    const accepted = kinds(declared);
    if (accepted.includes('public')) return;
    const candidates = accepted.filter(isGuarded).map((k) => rules[k]);
    if (candidates.some((rule) => rule.allows(request))) return;
    if (candidates.some((rule) => rule.signedInAsKind(request))) throw new AppError('ERR_NOT_FOUND');
    const login = candidates.find((rule) => rule.loginPath !== undefined)?.loginPath;
    if (login !== undefined && request.method === 'GET' && !wantsJson(request)) {
      return reply.redirect(`${login}?next=${encodeURIComponent(request.url)}`, 303);
    }
    throw new AppError('ERR_UNAUTHENTICATED');
  });
}
