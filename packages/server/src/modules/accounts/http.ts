import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashToken } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { cookieOptions, SESSION_COOKIE } from '../../http/context.ts';
import { wantsJson } from '../../http/error-handler.ts';
import { contentSecurityPolicy } from '../../http/security-headers.ts';
import { recordAudit } from '../audit/service.ts';
import { createSession, deleteSession, SESSION_MAX_MS } from '../auth/sessions.ts';
import type { RelyingParty } from './passkeys.ts';
import { isLimited, recordHit } from '../auth/rate-limit.ts';
import { accountLoginLimits } from './signin.ts';
import { confirmWithPassword, recentlyAuthenticated } from './service.ts';

/** Helpers the account and organisation routes share: who is signed in, sessions, origins. */

/** The signed-in citizen, or undefined after sending the browser to the sign-in page (API: 401). */
export function accountOrLogin(
  request: FastifyRequest,
  reply: FastifyReply,
): { id: string; email: string; displayName: string | null } | undefined {
  const account = request.session?.account;
  if (account !== undefined) return account;
  if (request.method !== 'GET' || wantsJson(request)) throw new AppError('ERR_UNAUTHENTICATED');
  void reply.redirect(`/account/login?next=${encodeURIComponent(request.url)}`, 303);
  return undefined;
}

/** The signed-in citizen for JSON calls. @throws {AppError} ERR_UNAUTHENTICATED */
export function accountOf(request: FastifyRequest): {
  id: string;
  email: string;
  displayName: string | null;
} {
  const account = request.session?.account;
  if (account === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  return account;
}

/**
 * Signs the browser in as an account: always a new session (one planted before means nothing
 * after), the old one deleted.
 */
export async function startAccountSession(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  accountId: string,
  method: string,
): Promise<void> {
  if (request.session !== undefined) await deleteSession(deps.db, request.session.idHash);
  const sid = await createSession(deps.db, deps, {
    tenantId: request.tenant.id,
    accountId,
    locale: request.locale,
    userAgent: request.headers['user-agent'],
    ipPrefix: request.ipPrefix,
    authMethod: method,
  });
  void reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
  await deps.db.query(
    `UPDATE accounts SET last_active_at = $3, locale = $4 WHERE tenant_id = $1 AND id = $2`,
    [request.tenant.id, accountId, deps.clock.now(), request.locale],
  );
  await recordAudit(deps.db, {
    tenantId: request.tenant.id,
    at: deps.clock.now(),
    actor: { kind: 'account', id: accountId },
    action: 'account.login',
    subject: { kind: 'account', id: accountId },
    ipPrefix: request.ipPrefix,
    details: { method },
  });
}

/** Signs the browser in as staff (single sign-on), the same way the password login does. */
export async function startStaffSession(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  staffId: string,
  method: string,
): Promise<void> {
  if (request.session !== undefined) await deleteSession(deps.db, request.session.idHash);
  const sid = await createSession(deps.db, deps, {
    tenantId: request.tenant.id,
    staffId,
    locale: request.locale,
    userAgent: request.headers['user-agent'],
    ipPrefix: request.ipPrefix,
    authMethod: method,
  });
  void reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
  await recordAudit(deps.db, {
    tenantId: request.tenant.id,
    at: deps.clock.now(),
    actor: { kind: 'staff', id: staffId },
    action: 'staff.login',
    ipPrefix: request.ipPrefix,
    details: { method },
  });
}

/**
 * The session that a challenge or an OpenID state is bound to. A visitor without one gets an
 * anonymous session (it holds nothing but this binding and the language).
 */
export async function bindingSession(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Buffer> {
  if (request.session !== undefined) return request.session.idHash;
  const sid = await createSession(deps.db, deps, {
    tenantId: request.tenant.id,
    locale: request.locale,
    userAgent: request.headers['user-agent'],
    ipPrefix: request.ipPrefix,
  });
  void reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
  return hashToken(sid);
}

/** This portal as the browser sees it: the scheme of PUBLIC_URL and the request's own host. */
export function requestOrigin(deps: Pick<AppDeps, 'config'>, request: FastifyRequest): string {
  const scheme = new URL(deps.config.publicUrl).protocol;
  return `${scheme}//${request.host}`;
}

export function relyingParty(deps: Pick<AppDeps, 'config'>, request: FastifyRequest): RelyingParty {
  return { id: request.hostname, name: request.tenant.name, origin: requestOrigin(deps, request) };
}

/**
 * The page's policy with form submissions allowed to lead on to these identity providers: a
 * sign-in form posts here and is redirected there, and CSP's form-action covers the redirects.
 */
export function cspAllowingForms(origins: readonly string[]): string {
  const extra = [...new Set(origins)].filter((o) => /^https?:\/\/[^\s;,']+$/.test(o));
  return extra.length === 0
    ? contentSecurityPolicy
    : contentSecurityPolicy.replace("form-action 'self'", `form-action 'self' ${extra.join(' ')}`);
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/**
 * Whether the session's holder has proved who they are recently enough to delete something: an
 * explicit confirmation (password, passkey, identity service) within 10 minutes; for an account
 * without a password, a sign-in within 10 minutes counts too (there is nothing to re-enter). An
 * account with a password always re-enters it (Amt24: "zusätzlich die Eingabe Ihres Passwortes").
 */
export function freshlyConfirmed(
  deps: Pick<AppDeps, 'clock'>,
  request: FastifyRequest,
  hasPassword: boolean,
): boolean {
  const s = request.session;
  if (s === undefined) return false;
  const now = deps.clock.now();
  return (
    recentlyAuthenticated(s.reauthAt, now) ||
    (!hasPassword && s.authMethod !== null && recentlyAuthenticated(s.createdAt, now))
  );
}

/**
 * The password re-entry before a destructive step (deleting an account or an organisation),
 * unless the session proved itself within the last minutes. Wrong passwords count towards the
 * sign-in limit, and a limited address is refused before the password is even checked.
 * @returns undefined when confirmed, else the code and status to show at the password field.
 */
export async function passwordReentryProblem(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  request: FastifyRequest,
  account: { id: string; email: string },
  hasPassword: boolean,
  password: string,
): Promise<
  | { code: 'ERR_RATE_LIMITED' | 'ERR_REAUTH_REQUIRED' | 'ERR_INVALID_CREDENTIALS'; status: 403 | 429 }
  | undefined
> {
  if (freshlyConfirmed(deps, request, hasPassword)) return undefined;
  const session = request.session;
  if (session === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  const limit = accountLoginLimits(request.tenant.id, account.email, request.ip)[0];
  const limited = limit !== undefined && (await isLimited(deps.db, deps.clock, limit));
  if (limited) return { code: 'ERR_RATE_LIMITED', status: 429 };
  if (password === '') return { code: 'ERR_REAUTH_REQUIRED', status: 403 };
  const ok = await confirmWithPassword(deps, {
    tenantId: request.tenant.id,
    accountId: account.id,
    sessionHash: session.idHash,
    password,
  });
  if (ok) return undefined;
  if (limit !== undefined) await recordHit(deps.db, deps.clock, limit);
  return { code: 'ERR_INVALID_CREDENTIALS', status: 403 };
}
