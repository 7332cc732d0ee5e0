import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Provider identities waiting, bound to a browser session, for an address proven by code.

/** One waiting identity as stored (the address a code was last mailed to, and that code). */
export interface PendingIdentityRow {
  id: string;
  issuer: string;
  subject: string;
  acr: string | null;
  name: string | null;
  next: string | null;
  email: string | null;
  codeId: string | null;
}

const COLUMNS = 'id, issuer, subject, acr, name, next, email, code_id';

/** Deletes the expired waiting identities, and the one of this session. */
export async function deleteStaleOrSessionPending(
  q: Queryable,
  now: Date,
  sessionHash: Buffer,
): Promise<void> {
  await q.query(`DELETE FROM oidc_pending_identities WHERE expires_at <= $1 OR session_hash = $2`, [
    now,
    sessionHash,
  ]);
}

export async function insertPendingIdentity(
  q: Queryable,
  input: {
    tenantId: string;
    id: string;
    sessionHash: Buffer;
    issuer: string;
    subject: string;
    acr: string | null;
    name: string | null;
    next: string | null;
    at: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO oidc_pending_identities (tenant_id, id, session_hash, issuer, subject, acr, name, next, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      input.tenantId,
      input.id,
      input.sessionHash,
      input.issuer,
      input.subject,
      input.acr,
      input.name,
      input.next,
      input.at,
      input.expiresAt,
    ],
  );
}

/** The unused, unexpired identity waiting for this session. */
export async function livePendingIdentity(
  q: Queryable,
  tenantId: string,
  sessionHash: Buffer,
  now: Date,
): Promise<PendingIdentityRow | undefined> {
  const row = await one<{
    id: string;
    issuer: string;
    subject: string;
    acr: string | null;
    name: string | null;
    next: string | null;
    email: string | null;
    code_id: string | null;
  }>(
    q,
    `SELECT ${COLUMNS} FROM oidc_pending_identities
     WHERE tenant_id = $1 AND session_hash = $2 AND used_at IS NULL AND expires_at > $3`,
    [tenantId, sessionHash, now],
  );
  if (row === undefined) return undefined;
  const { code_id: codeId, ...rest } = row;
  return { ...rest, codeId };
}

/** Notes the address a code was mailed to for the waiting identity, and that code. */
export async function setPendingCode(
  q: Queryable,
  input: { tenantId: string; id: string; email: string; codeId: string },
): Promise<void> {
  await q.query(
    `UPDATE oidc_pending_identities SET email = $3, code_id = $4 WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, input.id, input.email, input.codeId],
  );
}

/** Uses the waiting identity up; false when it was used or expired meanwhile, or is another session's. */
export async function usePendingIdentity(
  q: Queryable,
  input: { tenantId: string; id: string; sessionHash: Buffer | undefined; now: Date },
): Promise<boolean> {
  const used = await q.query(
    `UPDATE oidc_pending_identities SET used_at = $4
     WHERE tenant_id = $1 AND id = $2 AND session_hash = $3 AND used_at IS NULL AND expires_at > $4 RETURNING id`,
    [input.tenantId, input.id, input.sessionHash, input.now],
  );
  return used.length > 0;
}
