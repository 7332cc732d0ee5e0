import type { Queryable } from '../../../adapters/db/index.ts';

// The sessions of service accounts, as the accounts module's pages list and end them (the
// sessions table is auth's; the accounts module reads and writes it only through these).

/** One open session of an account, as the sessions page lists it. */
export interface AccountSessionRow {
  idHash: Buffer;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  ipPrefix: string | null;
  authMethod: string | null;
}

/** The account's sessions that have not expired, most recently used first. */
export async function listAccountSessions(
  q: Queryable,
  tenantId: string,
  accountId: string,
  now: Date,
): Promise<AccountSessionRow[]> {
  const rows = await q.query<{
    id_hash: Buffer;
    user_agent: string | null;
    created_at: Date;
    last_seen_at: Date;
    ip_prefix: string | null;
    auth_method: string | null;
  }>(
    `SELECT id_hash, user_agent, created_at, last_seen_at, ip_prefix, auth_method FROM sessions
         WHERE tenant_id = $1 AND account_id = $2 AND expires_at > $3 ORDER BY last_seen_at DESC`,
    [tenantId, accountId, now],
  );
  return rows.map((r) => ({
    idHash: r.id_hash,
    userAgent: r.user_agent,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    ipPrefix: r.ip_prefix,
    authMethod: r.auth_method,
  }));
}

/**
 * Ends the account's session(s) whose id hash starts with `handle` (16 bytes).
 * @returns the id hashes of the sessions ended (none: no such session of this account)
 */
export async function deleteAccountSessionByHandle(
  q: Queryable,
  tenantId: string,
  accountId: string,
  handle: Buffer,
): Promise<Buffer[]> {
  const gone = await q.query<{ id_hash: Buffer }>(
    `DELETE FROM sessions WHERE tenant_id = $1 AND account_id = $2 AND substring(id_hash from 1 for 16) = $3 RETURNING id_hash`,
    [tenantId, accountId, handle],
  );
  return gone.map((g) => g.id_hash);
}

/** Ends every session of the account but the one given. */
export async function deleteOtherAccountSessions(
  q: Queryable,
  tenantId: string,
  accountId: string,
  keep: Buffer,
): Promise<void> {
  await q.query(`DELETE FROM sessions WHERE tenant_id = $1 AND account_id = $2 AND id_hash <> $3`, [
    tenantId,
    accountId,
    keep,
  ]);
}

/** Ends every session of the account (after a password reset). */
export async function deleteAccountSessions(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<void> {
  await q.query(`DELETE FROM sessions WHERE tenant_id = $1 AND account_id = $2`, [tenantId, accountId]);
}

/** Notes that the session's holder proved who they are just now (re-authentication). */
export async function markSessionReauthenticated(q: Queryable, idHash: Buffer, at: Date): Promise<void> {
  await q.query(`UPDATE sessions SET reauth_at = $2 WHERE id_hash = $1`, [idHash, at]);
}
