import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Mailed links of accounts (password reset), by the hash of their token.

/** Deletes the account's reset links: only the unused ones, or all of them. */
export async function deleteResetLinks(
  q: Queryable,
  tenantId: string,
  accountId: string,
  which: 'unused' | 'all',
): Promise<void> {
  await q.query(
    which === 'unused'
      ? `DELETE FROM account_links WHERE tenant_id = $1 AND account_id = $2 AND purpose = 'password-reset' AND used_at IS NULL`
      : `DELETE FROM account_links WHERE tenant_id = $1 AND account_id = $2 AND purpose = 'password-reset'`,
    [tenantId, accountId],
  );
}

export async function insertResetLink(
  q: Queryable,
  input: { tokenHash: Buffer; tenantId: string; accountId: string; at: Date; expiresAt: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO account_links (token_hash, tenant_id, account_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, 'password-reset', $4, $5)`,
    [input.tokenHash, input.tenantId, input.accountId, input.at, input.expiresAt],
  );
}

/** The unused, unexpired reset link's account and its address. */
export async function liveResetLink(
  q: Queryable,
  tokenHash: Buffer,
  tenantId: string,
  now: Date,
): Promise<{ accountId: string; email: string } | undefined> {
  return one<{ accountId: string; email: string }>(
    q,
    `SELECT l.account_id AS "accountId", a.email FROM account_links l JOIN accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
     WHERE l.token_hash = $1 AND l.tenant_id = $2 AND l.purpose = 'password-reset' AND l.used_at IS NULL AND l.expires_at > $3`,
    [tokenHash, tenantId, now],
  );
}

/** Uses the link up; undefined when it was used or expired meanwhile. */
export async function useLink(
  q: Queryable,
  tokenHash: Buffer,
  tenantId: string,
  now: Date,
): Promise<{ accountId: string } | undefined> {
  return one<{ accountId: string }>(
    q,
    `UPDATE account_links SET used_at = $3 WHERE token_hash = $1 AND tenant_id = $2 AND used_at IS NULL AND expires_at > $3 RETURNING account_id AS "accountId"`,
    [tokenHash, tenantId, now],
  );
}
