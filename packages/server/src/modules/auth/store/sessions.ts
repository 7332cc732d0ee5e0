import type { Locale } from '@amtsbote/contracts';
import type { Clock } from '../../../adapters/clock.ts';
import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { StaffStatus } from '../../staff/index.ts';

/** The sessions table: one row per browser session, found by the hash of its cookie value. */

export type SessionLocale = Locale;

export interface SessionRow {
  staff_id: string | null;
  locale: SessionLocale | null;
  created_at: Date;
  last_seen_at: Date;
  email: string | null;
  display_name: string | null;
  is_tenant_admin: boolean | null;
  status: StaffStatus | null;
  account_id: string | null;
  account_email: string | null;
  account_name: string | null;
  auth_method: string | null;
  reauth_at: Date | null;
}

export async function insertSession(
  q: Queryable,
  row: {
    idHash: Buffer;
    tenantId: string;
    staffId: string | null;
    accountId: string | null;
    locale: SessionLocale | null;
    now: Date;
    expiresAt: Date;
    userAgent: string | null;
    ipPrefix: string | null;
    authMethod: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO sessions (id_hash, tenant_id, staff_id, account_id, locale, created_at, last_seen_at, expires_at, user_agent, ip_prefix, auth_method)
     VALUES ($1, $2, $3, $9, $4, $5, $5, $6, $7, $8, $10)`,
    [
      row.idHash,
      row.tenantId,
      row.staffId,
      row.locale,
      row.now,
      row.expiresAt,
      row.userAgent,
      row.ipPrefix,
      row.accountId,
      row.authMethod,
    ],
  );
}

/** The live session with this hash, with its staff member or account for the layout. */
export async function findLiveSession(
  q: Queryable,
  idHash: Buffer,
  tenantId: string,
  now: Date,
): Promise<SessionRow | undefined> {
  return one<SessionRow>(
    q,
    `SELECT x.staff_id, x.locale, x.created_at, x.last_seen_at, s.email, s.display_name, s.is_tenant_admin, s.status,
       x.account_id, a.email AS account_email, a.display_name AS account_name, x.auth_method, x.reauth_at
     FROM sessions x LEFT JOIN staff s ON s.tenant_id = x.tenant_id AND s.id = x.staff_id
     -- reads staff (owner: staff), accounts (owner: accounts): who the session is for, in the one query every request makes
     LEFT JOIN accounts a ON a.tenant_id = x.tenant_id AND a.id = x.account_id
     WHERE x.id_hash = $1 AND x.tenant_id = $2 AND x.expires_at > $3`,
    [idHash, tenantId, now],
  );
}

/** Moves the idle end of a session forward. */
export async function touchSession(q: Queryable, idHash: Buffer, now: Date, expiresAt: Date): Promise<void> {
  await q.query(`UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1`, [
    idHash,
    now,
    expiresAt,
  ]);
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

/** A staff member's sessions, when the account is disabled (no way in stays open). */
export async function deleteStaffSessions(q: Queryable, tenantId: string, staffId: string): Promise<void> {
  await q.query(`DELETE FROM sessions WHERE tenant_id = $1 AND staff_id = $2`, [tenantId, staffId]);
}

/** Removes expired sessions; run by the periodic sweep. */
export async function deleteExpiredSessions(q: Queryable, clock: Clock): Promise<number> {
  const rows = await q.query(`DELETE FROM sessions WHERE expires_at <= $1 RETURNING 1`, [clock.now()]);
  return rows.length;
}
