import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { Staff } from '../../staff/index.ts';

/** The api_tokens table: staff API tokens, stored as the hash of the secret. */

export async function insertApiToken(
  q: Queryable,
  row: {
    id: string;
    hash: Buffer;
    tenantId: string;
    staffId: string;
    label: string | null;
    createdAt: Date;
    expiresAt: Date | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO api_tokens (id, token_hash, tenant_id, staff_id, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.id, row.hash, row.tenantId, row.staffId, row.label, row.createdAt, row.expiresAt],
  );
}

/** The live token with this hash and its active staff member. */
export async function findLiveApiToken(
  q: Queryable,
  hash: Buffer,
  now: Date,
): Promise<(Staff & { token_id: string; last_used_at: Date | null }) | undefined> {
  return one<Staff & { token_id: string; last_used_at: Date | null }>(
    q,
    `SELECT s.id, s.tenant_id AS "tenantId", s.email, s.display_name AS "displayName",
       s.is_tenant_admin AS "isTenantAdmin", s.status, t.id AS token_id, t.last_used_at
     FROM api_tokens t JOIN staff s ON s.tenant_id = t.tenant_id AND s.id = t.staff_id
     -- reads staff (owner: staff): whom the token speaks for, in the one query every API call makes
     WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2) AND s.status = 'active'`,
    [hash, now],
  );
}

export async function noteApiTokenUsed(q: Queryable, tokenId: string, now: Date): Promise<void> {
  await q.query(`UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, [tokenId, now]);
}

/** A staff member's tokens, when the account is disabled. */
export async function deleteStaffApiTokens(q: Queryable, tenantId: string, staffId: string): Promise<void> {
  await q.query(`DELETE FROM api_tokens WHERE tenant_id = $1 AND staff_id = $2`, [tenantId, staffId]);
}
