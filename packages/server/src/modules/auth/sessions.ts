import type { Clock } from '../../adapters/clock.ts';
import { HOUR } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import type { Secrets } from '../../adapters/secrets.ts';
import { hashToken, looksLikeToken } from '../../adapters/secrets.ts';
import type { Staff } from '../staff/index.ts';
import { noteStaffLogin } from '../staff/index.ts';
import { noteAccountActive } from '../stats/index.ts';
import type { SessionLocale } from './store/sessions.ts';
import { findLiveSession, insertSession, touchSession } from './store/sessions.ts';

export type { SessionLocale } from './store/sessions.ts';

/** A session ends after 8 idle hours, and after 24 hours whatever happens. */
export const SESSION_IDLE_MS = 8 * HOUR;
export const SESSION_MAX_MS = 24 * HOUR;
// Writing last_seen on every request would turn every page view into a write.
const TOUCH_AFTER_MS = 5 * 60_000;

export interface SessionInfo {
  idHash: Buffer;
  /** Absent for a visitor's session that only remembers a language. */
  staff: Staff | undefined;
  /** A citizen signed in with a service account (never together with staff). */
  account: { id: string; email: string; displayName: string | null } | undefined;
  locale: SessionLocale | undefined;
  /** How the session was opened (password, passkey, oidc, code, sso, link). */
  authMethod: string | null;
  /** When its holder last proved it again (password, passkey, identity service). */
  reauthAt: Date | null;
  /** When the session was opened (signing in). */
  createdAt: Date;
}

/**
 * Opens a session; the returned id goes only into the cookie, its hash into the database.
 * Signing in always opens a new session (never upgrades the visitor's), so a session id planted
 * before login is worthless after it.
 */
export async function createSession(
  q: Queryable,
  deps: { clock: Clock; secrets: Secrets },
  input: {
    tenantId: string;
    staffId?: string | undefined;
    accountId?: string | undefined;
    locale?: SessionLocale | undefined;
    userAgent?: string | undefined;
    ipPrefix?: string | undefined;
    authMethod?: string | undefined;
  },
): Promise<string> {
  const id = deps.secrets.token();
  const now = deps.clock.now();
  await insertSession(q, {
    idHash: hashToken(id),
    tenantId: input.tenantId,
    staffId: input.staffId ?? null,
    accountId: input.accountId ?? null,
    locale: input.locale ?? null,
    now,
    expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
    userAgent: input.userAgent?.slice(0, 300) ?? null,
    ipPrefix: input.ipPrefix ?? null,
    authMethod: input.authMethod ?? null,
  });
  if (input.staffId !== undefined) await noteStaffLogin(q, input.tenantId, input.staffId, now);
  // Signing in is activity: it stops the inactivity deletion and counts for the statistics.
  if (input.accountId !== undefined) await noteAccountActive(q, input.tenantId, input.accountId, now);
  return id;
}

/** The live session behind a cookie value, scoped to the tenant the request is for. */
export async function findSession(
  q: Queryable,
  clock: Clock,
  tenantId: string,
  sessionId: string,
): Promise<SessionInfo | undefined> {
  if (!looksLikeToken(sessionId)) return undefined;
  const idHash = hashToken(sessionId);
  const now = clock.now();
  const row = await findLiveSession(q, idHash, tenantId, now);
  if (row === undefined) return undefined;
  // A disabled account's sessions are deleted, but never trust that alone.
  if (row.staff_id !== null && row.status !== 'active') return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    const hardEnd = row.created_at.getTime() + SESSION_MAX_MS;
    await touchSession(q, idHash, now, new Date(Math.min(now.getTime() + SESSION_IDLE_MS, hardEnd)));
  }
  const staff: Staff | undefined =
    row.staff_id === null
      ? undefined
      : {
          id: row.staff_id,
          tenantId,
          email: row.email ?? '',
          displayName: row.display_name,
          isTenantAdmin: row.is_tenant_admin === true,
          status: 'active',
        };
  const account =
    row.account_id === null || row.account_email === null
      ? undefined
      : { id: row.account_id, email: row.account_email, displayName: row.account_name };
  return {
    idHash,
    staff,
    account,
    locale: row.locale ?? undefined,
    authMethod: row.auth_method,
    reauthAt: row.reauth_at,
    createdAt: row.created_at,
  };
}
