import type { Clock } from '../../adapters/clock.ts';
import { HOUR } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import type { Secrets } from '../../adapters/secrets.ts';
import { hashToken, looksLikeToken } from '../../adapters/secrets.ts';
import type { Staff } from '../staff/service.ts';
import { noteAccountActive } from '../stats/service.ts';

/** A session ends after 8 idle hours, and after 24 hours whatever happens. */
export const SESSION_IDLE_MS = 8 * HOUR;
export const SESSION_MAX_MS = 24 * HOUR;
// Writing last_seen on every request would turn every page view into a write.
const TOUCH_AFTER_MS = 5 * 60_000;

export type SessionLocale = 'de' | 'en';

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
  await q.query(
    `INSERT INTO sessions (id_hash, tenant_id, staff_id, account_id, locale, created_at, last_seen_at, expires_at, user_agent, ip_prefix, auth_method)
     VALUES ($1, $2, $3, $9, $4, $5, $5, $6, $7, $8, $10)`,
    [
      hashToken(id),
      input.tenantId,
      input.staffId ?? null,
      input.locale ?? null,
      now,
      new Date(now.getTime() + SESSION_IDLE_MS),
      input.userAgent?.slice(0, 300) ?? null,
      input.ipPrefix ?? null,
      input.accountId ?? null,
      input.authMethod ?? null,
    ],
  );
  if (input.staffId !== undefined) {
    await q.query(`UPDATE staff SET last_login_at = $3 WHERE tenant_id = $1 AND id = $2`, [
      input.tenantId,
      input.staffId,
      now,
    ]);
  }
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
  const row = await one<{
    staff_id: string | null;
    locale: SessionLocale | null;
    created_at: Date;
    last_seen_at: Date;
    email: string | null;
    display_name: string | null;
    is_tenant_admin: boolean | null;
    status: Staff['status'] | null;
    account_id: string | null;
    account_email: string | null;
    account_name: string | null;
    auth_method: string | null;
    reauth_at: Date | null;
  }>(
    q,
    `SELECT x.staff_id, x.locale, x.created_at, x.last_seen_at, s.email, s.display_name, s.is_tenant_admin, s.status,
       x.account_id, a.email AS account_email, a.display_name AS account_name, x.auth_method, x.reauth_at
     FROM sessions x LEFT JOIN staff s ON s.tenant_id = x.tenant_id AND s.id = x.staff_id
     LEFT JOIN accounts a ON a.tenant_id = x.tenant_id AND a.id = x.account_id
     WHERE x.id_hash = $1 AND x.tenant_id = $2 AND x.expires_at > $3`,
    [idHash, tenantId, now],
  );
  if (row === undefined) return undefined;
  // A disabled account's sessions are deleted, but never trust that alone.
  if (row.staff_id !== null && row.status !== 'active') return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_AFTER_MS) {
    const hardEnd = row.created_at.getTime() + SESSION_MAX_MS;
    await q.query(`UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1`, [
      idHash,
      now,
      new Date(Math.min(now.getTime() + SESSION_IDLE_MS, hardEnd)),
    ]);
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

export async function setSessionLocale(q: Queryable, idHash: Buffer, locale: SessionLocale): Promise<void> {
  await q.query(`UPDATE sessions SET locale = $2 WHERE id_hash = $1`, [idHash, locale]);
}

export async function deleteSession(q: Queryable, idHash: Buffer): Promise<void> {
  await q.query(`DELETE FROM sessions WHERE id_hash = $1`, [idHash]);
}

/** "Sign out everywhere": every session of this person, on every device. */
export async function deleteAllSessions(q: Queryable, tenantId: string, staffId: string): Promise<number> {
  const rows = await q.query(`DELETE FROM sessions WHERE tenant_id = $1 AND staff_id = $2 RETURNING 1`, [
    tenantId,
    staffId,
  ]);
  return rows.length;
}

/** Removes expired sessions; run by the periodic sweep. */
export async function deleteExpiredSessions(q: Queryable, clock: Clock): Promise<number> {
  const rows = await q.query(`DELETE FROM sessions WHERE expires_at <= $1 RETURNING 1`, [clock.now()]);
  return rows.length;
}
