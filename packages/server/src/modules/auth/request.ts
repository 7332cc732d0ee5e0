import type { FastifyInstance, FastifyRequest } from 'fastify';
import { negotiateLocale } from '@amtsbote/contracts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { AccessRules } from '../../http/access.ts';
import type { PageViewer } from '../../http/context.ts';
import { cookieOptions, isTenantFreePath, queryString } from '../../http/context.ts';
import type { Staff } from '../staff/index.ts';
import { authenticateApiToken } from './api-tokens.ts';
import type { SessionInfo } from './sessions.ts';
import { createSession, findSession, SESSION_MAX_MS } from './sessions.ts';
import { setSessionLocale } from './store/sessions.ts';

export const SESSION_COOKIE = 'amtsbote_session';

export interface AuthContext {
  staff: Staff;
  via: 'session' | 'token';
}

/** Who a service account's personal API token speaks for (checked by the accounts module). */
export interface AccountTokenPrincipal {
  tokenId: string;
  tenantId: string;
  account: { id: string; email: string; displayName: string | null };
}

/** The signed-in citizen (service account) of a session. */
export type SignedInAccount = NonNullable<SessionInfo['account']>;

/**
 * Checks bearer values of one shape (e.g. `amta_…`): the module that issues them decides. The
 * auth module knows only staff tokens; app.ts plugs in the accounts module's personal tokens.
 */
export interface BearerAuthenticator {
  accepts(token: string): boolean;
  /** @throws {AppError} ERR_RATE_LIMITED after too many failures from one network */
  authenticate(token: string, ipPrefix: string | undefined): Promise<AccountTokenPrincipal | undefined>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** A signed-in staff member, by session cookie or staff API token. */
    auth: AuthContext | undefined;
    session: SessionInfo | undefined;
    /**
     * A service account's personal API token (never together with a session or staff auth).
     * Only the recipient routes read it: to every other route the caller is anonymous.
     */
    accountToken: AccountTokenPrincipal | undefined;
  }
}

function bearerOf(request: FastifyRequest): string | undefined {
  const authz = request.headers.authorization;
  return authz !== undefined && /^bearer /i.test(authz) ? authz.slice(7).trim() : undefined;
}

/**
 * Authenticates every request (after the tenant is known): a bearer token (staff, or a personal
 * account token), else the session cookie; then negotiates the language. Runs before routing
 * decisions, so the access hook and every handler find these set.
 */
export function registerAuthentication(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets'>,
  accountTokens: BearerAuthenticator,
): void {
  app.decorateRequest('auth', undefined);
  app.decorateRequest('session', undefined);
  app.decorateRequest('accountToken', undefined);

  app.addHook('onRequest', async (request, reply) => {
    if (isTenantFreePath(request.url)) return;
    const tenant = request.tenant;
    const bearer = bearerOf(request);
    if (bearer !== undefined && accountTokens.accepts(bearer)) {
      const principal = await accountTokens.authenticate(bearer, request.ipPrefix);
      if (principal === undefined) throw new AppError('ERR_UNAUTHENTICATED');
      // The token decides the tenant: the CLI talks to one URL for every authority it serves.
      request.tenant = (await app.tenants()).find((t) => t.id === principal.tenantId) ?? tenant;
      request.accountToken = principal;
    } else if (bearer !== undefined) {
      const staff = await authenticateApiToken(deps.db, deps.clock, bearer);
      if (staff === undefined) throw new AppError('ERR_UNAUTHENTICATED');
      request.tenant = (await app.tenants()).find((t) => t.id === staff.tenantId) ?? tenant;
      request.auth = { staff, via: 'token' };
    } else {
      const sid = request.cookies[SESSION_COOKIE];
      if (sid !== undefined) {
        request.session = await findSession(deps.db, deps.clock, tenant.id, sid);
        if (request.session?.staff !== undefined)
          request.auth = { staff: request.session.staff, via: 'session' };
      }
    }

    const queryLang = queryString(request, 'lang');
    request.locale = negotiateLocale(
      queryLang,
      request.session?.locale ?? request.tenant.settings.defaultLocale,
      request.headers['accept-language'],
    );
    // The language switch is a plain link (?lang=en); the choice is kept in the session, so it
    // needs no cookie of its own. A visitor without a session gets one that holds only this.
    if (
      request.method === 'GET' &&
      (queryLang === 'de' || queryLang === 'en') &&
      queryLang !== request.session?.locale
    ) {
      if (request.session !== undefined) {
        await setSessionLocale(deps.db, request.session.idHash, queryLang);
      } else if (request.auth === undefined && request.accountToken === undefined) {
        const sid = await createSession(deps.db, deps, { tenantId: request.tenant.id, locale: queryLang });
        void reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
      }
    }
  });
}

const isStaff = (request: FastifyRequest): boolean => request.auth !== undefined;
const isAccount = (request: FastifyRequest): boolean => request.session?.account !== undefined;

/** How each kind of caller of `config.access` is recognised; enforced by http/access.ts. */
export const accessRules: AccessRules = {
  staff: { allows: isStaff, signedInAsKind: isStaff, loginPath: '/login' },
  tenantAdmin: {
    allows: (request) => request.auth?.staff.isTenantAdmin === true,
    signedInAsKind: isStaff,
    loginPath: '/login',
  },
  account: { allows: isAccount, signedInAsKind: isAccount, loginPath: '/account/login' },
  accountToken: {
    allows: (request) => request.accountToken !== undefined,
    signedInAsKind: (request) => request.accountToken !== undefined,
  },
};

/**
 * The signed-in staff member of a route declared `staff` or `tenantAdmin`.
 * @throws {AppError} ERR_UNAUTHENTICATED when there is none (a route that declared other access)
 */
export function staffOf(request: FastifyRequest): Staff {
  const staff = request.auth?.staff;
  if (staff === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  return staff;
}

/**
 * The signed-in citizen of a route declared `account`.
 * @throws {AppError} ERR_UNAUTHENTICATED when there is none
 */
export function accountOf(request: FastifyRequest): SignedInAccount {
  const account = request.session?.account;
  if (account === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  return account;
}

/**
 * The session of a route whose caller must hold one (an account or staff session).
 * @throws {AppError} ERR_UNAUTHENTICATED when there is none
 */
export function sessionOf(request: FastifyRequest): SessionInfo {
  const session = request.session;
  if (session === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  return session;
}

/** The signed-in staff member, if any: for the public routes that answer staff differently. */
export function staffIfSignedIn(request: FastifyRequest): Staff | undefined {
  return request.auth?.staff;
}

/** The browser's session, if it has one: for the public routes that end or replace it. */
export function sessionIfAny(request: FastifyRequest): SessionInfo | undefined {
  return request.session;
}

/**
 * The signed-in citizen, if any: for the public routes that answer a signed-in account
 * differently (already signed in: on to the account page).
 */
export function signedInAccount(request: FastifyRequest): SignedInAccount | undefined {
  return request.session?.account;
}

/** What the page layout shows of the tenant and the signed-in person. */
export function pageViewerOf(request: FastifyRequest): PageViewer | undefined {
  // Fastify decorates `tenant` with null until the tenant hook ran (or refused the request).
  const tenant = (request as { tenant: FastifyRequest['tenant'] | null }).tenant;
  if (tenant === null) return undefined;
  const staff = request.auth?.staff;
  const account = request.session?.account;
  return {
    tenant: { name: tenant.name, slug: tenant.slug },
    user:
      staff === undefined
        ? undefined
        : {
            displayName: staff.displayName ?? staff.email,
            email: staff.email,
            isTenantAdmin: staff.isTenantAdmin,
          },
    account:
      account === undefined
        ? undefined
        : { displayName: account.displayName ?? account.email, email: account.email },
  };
}
