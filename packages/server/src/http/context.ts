import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Locale, PageContext } from '@amtsbote/web';
import { negotiateLocale, renderPage } from '@amtsbote/web';
import type { AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { authenticateApiToken } from '../modules/auth/api-tokens.ts';
import type { AccountTokenPrincipal } from '../modules/accounts/tokens.ts';
import { authenticateAccountToken, isAccountTokenShaped } from '../modules/accounts/tokens.ts';
import { createSession, findSession, SESSION_MAX_MS, setSessionLocale } from '../modules/auth/sessions.ts';
import type { SessionInfo } from '../modules/auth/sessions.ts';
import type { Staff } from '../modules/staff/service.ts';
import type { Tenant } from '../modules/tenants/service.ts';
import { listTenants } from '../modules/tenants/service.ts';
import { ipPrefix } from './ip.ts';
import { accountNotices } from '../modules/accounts/notices.ts';
import { accountTokenNotices } from '../modules/accounts/token-notices.ts';
import { oidcEmailNotices } from '../modules/accounts/oidc-email-notices.ts';
import { privacyNotices } from '../modules/privacy/notices.ts';

export const SESSION_COOKIE = 'amtsbote_session';

/** Paths that answer without a tenant: operations, the API description, static assets. */
export const tenantFreePaths = ['/healthz', '/readyz', '/api/openapi.json', '/assets/'];

export interface AuthContext {
  staff: Staff;
  via: 'session' | 'token';
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant: Tenant;
    auth: AuthContext | undefined;
    session: SessionInfo | undefined;
    /**
     * A service account's personal API token (never together with a session or staff auth). Only
     * the recipient routes read it: to every other route the caller is anonymous.
     */
    accountToken: AccountTokenPrincipal | undefined;
    locale: Locale;
    /** The client's address cut to /24 or /48: the only form that is stored or logged. */
    ipPrefix: string | undefined;
  }
  interface FastifyReply {
    /** Renders a full page in the request's tenant layout and locale. */
    page(page: { title: string; body: { readonly __html: string }; status?: number }): FastifyReply;
  }
}

/** Sets cookies the way the brief demands: HttpOnly, Secure, SameSite=Lax, whole site. */
export const cookieOptions = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' } as const;

const TENANT_CACHE_MS = 30_000;

/**
 * Resolves who and where every request is: the tenant by host name (or the default tenant),
 * the signed-in staff member by session cookie or bearer token, the language, and the IP prefix.
 * Runs before routing decisions, so every handler finds these set.
 */
export function registerRequestContext(app: FastifyInstance, deps: AppDeps): void {
  let cache: { at: number; tenants: Tenant[] } | undefined;
  const tenants = async (): Promise<Tenant[]> => {
    const now = Date.now();
    if (cache === undefined || now - cache.at > TENANT_CACHE_MS)
      cache = { at: now, tenants: await listTenants(deps.db) };
    return cache.tenants;
  };
  app.decorate('invalidateTenantCache', () => {
    cache = undefined;
  });

  app.decorateRequest('tenant', null as unknown as Tenant);
  app.decorateRequest('auth', undefined);
  app.decorateRequest('session', undefined);
  app.decorateRequest('accountToken', undefined);
  app.decorateRequest('locale', 'de');
  app.decorateRequest('ipPrefix', undefined);

  app.addHook('onRequest', async (request, reply) => {
    request.ipPrefix = ipPrefix(request.ip);
    if (tenantFreePaths.some((p) => request.url === p || (p.endsWith('/') && request.url.startsWith(p))))
      return;
    const all = await tenants();
    const host = request.hostname.toLowerCase();
    const tenant =
      all.find((t) => t.hostnames.includes(host)) ??
      all.find((t) => t.slug === deps.config.defaultTenant) ??
      (deps.config.defaultTenant === undefined ? all[0] : undefined);
    if (tenant === undefined) throw new AppError('ERR_SERVICE_UNAVAILABLE');

    const authz = request.headers.authorization;
    if (authz !== undefined && /^bearer /i.test(authz) && isAccountTokenShaped(authz.slice(7).trim())) {
      const principal = await authenticateAccountToken(
        deps.db,
        deps.clock,
        authz.slice(7).trim(),
        request.ipPrefix,
      );
      if (principal === undefined) throw new AppError('ERR_UNAUTHENTICATED');
      request.tenant = all.find((t) => t.id === principal.tenantId) ?? tenant;
      request.accountToken = principal;
    } else if (authz !== undefined && /^bearer /i.test(authz)) {
      const staff = await authenticateApiToken(deps.db, deps.clock, authz.slice(7).trim());
      if (staff === undefined) throw new AppError('ERR_UNAUTHENTICATED');
      // The token decides the tenant: the CLI talks to one URL for every authority it serves.
      request.tenant = all.find((t) => t.id === staff.tenantId) ?? tenant;
      request.auth = { staff, via: 'token' };
    } else {
      request.tenant = tenant;
      const sid = request.cookies[SESSION_COOKIE];
      if (sid !== undefined) {
        request.session = await findSession(deps.db, deps.clock, tenant.id, sid);
        if (request.session?.staff !== undefined)
          request.auth = { staff: request.session.staff, via: 'session' };
      }
    }

    const query = request.query as Record<string, unknown> | undefined;
    const queryLang = typeof query?.lang === 'string' ? query.lang : undefined;
    request.locale = negotiateLocale(
      queryLang,
      request.session?.locale ?? tenant.settings.defaultLocale,
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
        const sid = await createSession(deps.db, deps, { tenantId: tenant.id, locale: queryLang });
        void reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
      }
    }
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

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  const staff = request.auth?.staff;
  const query = request.query as Record<string, unknown> | undefined;
  const notice = typeof query?.notice === 'string' ? query.notice : undefined;
  return {
    locale: request.locale,
    tenant: { name: request.tenant.name, slug: request.tenant.slug },
    user:
      staff === undefined
        ? undefined
        : {
            displayName: staff.displayName ?? staff.email,
            email: staff.email,
            isTenantAdmin: staff.isTenantAdmin,
          },
    account:
      request.session?.account === undefined
        ? undefined
        : {
            displayName: request.session.account.displayName ?? request.session.account.email,
            email: request.session.account.email,
          },
    csrfToken: csrfTokenFor(reply),
    path: request.url.split('?')[0] ?? '/',
    flash: notice === undefined ? undefined : flashFor(notice, request.locale),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    invalidateTenantCache(): void;
  }
}

// Redirect-after-POST carries a notice key, never text: a crafted URL can only pick one of these.
const notices: Record<string, { kind: 'success' | 'info'; de: string; en: string }> = {
  ...accountNotices,
  ...accountTokenNotices,
  ...oidcEmailNotices,
  ...privacyNotices,
  'department-created': {
    kind: 'success',
    de: 'Die Abteilung wurde angelegt.',
    en: 'The department was created.',
  },
  'department-updated': {
    kind: 'success',
    de: 'Die Abteilung wurde geändert.',
    en: 'The department was changed.',
  },
  'staff-invited': { kind: 'success', de: 'Die Einladung wurde verschickt.', en: 'The invitation was sent.' },
  'staff-updated': { kind: 'success', de: 'Das Konto wurde geändert.', en: 'The account was changed.' },
  'signed-out': { kind: 'info', de: 'Sie sind abgemeldet.', en: 'You are signed out.' },
  'signed-out-everywhere': {
    kind: 'info',
    de: 'Sie sind jetzt auf allen Geräten abgemeldet.',
    en: 'You are now signed out on all devices.',
  },
  'transfer-sent': { kind: 'success', de: 'Die Nachricht wurde verschickt.', en: 'The message was sent.' },
  'transfer-revoked': {
    kind: 'success',
    de: 'Die Nachricht wurde zurückgezogen. Die Links funktionieren nicht mehr, die Dateien sind gelöscht.',
    en: 'The message was revoked. The links no longer work and the files are deleted.',
  },
  'transfer-extended': {
    kind: 'success',
    de: 'Die Frist wurde geändert.',
    en: 'The expiry date was changed.',
  },
  'reply-sent': { kind: 'success', de: 'Ihre Antwort wurde verschickt.', en: 'Your reply was sent.' },
  'inbound-done': {
    kind: 'success',
    de: 'Der Eingang ist als erledigt markiert.',
    en: 'The item is marked as done.',
  },
  'inbound-reopened': { kind: 'info', de: 'Der Eingang ist wieder offen.', en: 'The item is open again.' },
  'inbound-assigned': {
    kind: 'success',
    de: 'Die Zuständigkeit wurde geändert.',
    en: 'The assignment was changed.',
  },
  'answer-sent': { kind: 'success', de: 'Ihre Antwort wurde verschickt.', en: 'Your answer was sent.' },
  'inbound-settings-saved': {
    kind: 'success',
    de: 'Die Einstellungen wurden gespeichert.',
    en: 'The settings were saved.',
  },
  'upload-link-created': {
    kind: 'success',
    de: 'Der Upload-Link wurde angelegt.',
    en: 'The upload link was created.',
  },
  'upload-link-closed': {
    kind: 'success',
    de: 'Der Upload-Link wurde geschlossen.',
    en: 'The upload link was closed.',
  },
  'feedback-sent': {
    kind: 'success',
    de: 'Danke! Ihre Rückmeldung ist angekommen.',
    en: 'Thank you! Your feedback has arrived.',
  },
};

function flashFor(key: string, locale: Locale): PageContext['flash'] {
  const n = notices[key];
  return n === undefined ? undefined : { kind: n.kind, message: n[locale] };
}
