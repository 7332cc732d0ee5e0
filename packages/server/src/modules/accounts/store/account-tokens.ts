import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Personal API tokens of accounts, kept only as hashes.

export interface AccountTokenRow {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

export async function listAccountTokens(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<AccountTokenRow[]> {
  return q.query<AccountTokenRow>(
    `SELECT id, name, created_at AS "createdAt", last_used_at AS "lastUsedAt", expires_at AS "expiresAt"
     FROM account_tokens WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at DESC, id`,
    [tenantId, accountId],
  );
}

export async function countAccountTokens(q: Queryable, tenantId: string, accountId: string): Promise<number> {
  const row = await one<{ n: number }>(
    q,
    `SELECT count(*)::int AS n FROM account_tokens WHERE tenant_id = $1 AND account_id = $2`,
    [tenantId, accountId],
  );
  return row?.n ?? 0;
}

export async function insertAccountToken(
  q: Queryable,
  input: {
    id: string;
    tokenHash: Buffer;
    tenantId: string;
    accountId: string;
    name: string;
    at: Date;
    expiresAt: Date | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO account_tokens (id, token_hash, tenant_id, account_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [input.id, input.tokenHash, input.tenantId, input.accountId, input.name, input.at, input.expiresAt],
  );
}

/** Deletes one of the account's tokens; false when it has none by that id. */
export async function deleteAccountToken(
  q: Queryable,
  tenantId: string,
  accountId: string,
  id: string,
): Promise<boolean> {
  const gone = await q.query<{ id: string }>(
    `DELETE FROM account_tokens WHERE tenant_id = $1 AND account_id = $2 AND id = $3 RETURNING id`,
    [tenantId, accountId, id],
  );
  return gone.length > 0;
}

/** An unexpired token by the hash of its secret, with its account. */
export interface LiveAccountToken {
  tokenId: string;
  tenantId: string;
  account: { id: string; email: string; displayName: string | null };
  lastUsedAt: Date | null;
}

export async function liveAccountToken(
  q: Queryable,
  tokenHash: Buffer,
  now: Date,
): Promise<LiveAccountToken | undefined> {
  const row = await one<{
    token_id: string;
    tenant_id: string;
    id: string;
    email: string;
    display_name: string | null;
    last_used_at: Date | null;
  }>(
    q,
    `SELECT t.id AS token_id, t.tenant_id, a.id, a.email, a.display_name, t.last_used_at
     FROM account_tokens t JOIN accounts a ON a.tenant_id = t.tenant_id AND a.id = t.account_id
     WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)`,
    [tokenHash, now],
  );
  return row === undefined
    ? undefined
    : {
        tokenId: row.token_id,
        tenantId: row.tenant_id,
        account: { id: row.id, email: row.email, displayName: row.display_name },
        lastUsedAt: row.last_used_at,
      };
}

/** Notes when the token (found by its hash just now) was last used. */
export async function noteAccountTokenUse(q: Queryable, tokenId: string, at: Date): Promise<void> {
  await q.query(`UPDATE account_tokens SET last_used_at = $2 WHERE id = $1`, [tokenId, at]);
}
