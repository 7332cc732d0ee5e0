import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// The TOTP step after a right password, by the hash of its challenge token.

export async function insertLoginChallenge(
  q: Queryable,
  input: {
    tokenHash: Buffer;
    tenantId: string;
    accountId: string;
    next: string | null;
    at: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO login_challenges (token_hash, tenant_id, account_id, next, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [input.tokenHash, input.tenantId, input.accountId, input.next, input.at, input.expiresAt],
  );
}

/** Counts one try on a live challenge with tries left; undefined when there is none. */
export async function countLoginChallengeAttempt(
  q: Queryable,
  input: { tokenHash: Buffer; tenantId: string; now: Date; maxAttempts: number },
): Promise<{ accountId: string; next: string | null } | undefined> {
  return one<{ accountId: string; next: string | null }>(
    q,
    `UPDATE login_challenges SET attempts = attempts + 1
     WHERE token_hash = $1 AND tenant_id = $2 AND expires_at > $3 AND attempts < $4
     RETURNING account_id AS "accountId", next`,
    [input.tokenHash, input.tenantId, input.now, input.maxAttempts],
  );
}

export async function deleteLoginChallenge(q: Queryable, tokenHash: Buffer): Promise<void> {
  await q.query(`DELETE FROM login_challenges WHERE token_hash = $1`, [tokenHash]);
}

/** Whether a live challenge with tries left exists (without counting a try). */
export async function liveLoginChallengeExists(
  q: Queryable,
  input: { tokenHash: Buffer; tenantId: string; now: Date; maxAttempts: number },
): Promise<boolean> {
  const row = await one(
    q,
    `SELECT 1 AS x FROM login_challenges WHERE token_hash = $1 AND tenant_id = $2 AND expires_at > $3 AND attempts < $4`,
    [input.tokenHash, input.tenantId, input.now, input.maxAttempts],
  );
  return row !== undefined;
}
