import type { Queryable } from '../../../adapters/db/index.ts';

// Recovery codes of accounts with TOTP, kept only as hashes.

export async function deleteRecoveryCodes(q: Queryable, tenantId: string, accountId: string): Promise<void> {
  await q.query(`DELETE FROM account_recovery_codes WHERE tenant_id = $1 AND account_id = $2`, [
    tenantId,
    accountId,
  ]);
}

export async function insertRecoveryCode(
  q: Queryable,
  input: { tenantId: string; accountId: string; codeHash: Buffer; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO account_recovery_codes (tenant_id, account_id, code_hash, created_at) VALUES ($1, $2, $3, $4)`,
    [input.tenantId, input.accountId, input.codeHash, input.at],
  );
}

/** Marks the unused code with this hash used; false when there is none. */
export async function useRecoveryCodeHash(
  q: Queryable,
  input: { tenantId: string; accountId: string; codeHash: Buffer; at: Date },
): Promise<boolean> {
  const used = await q.query(
    `UPDATE account_recovery_codes SET used_at = $4 WHERE tenant_id = $1 AND account_id = $2 AND code_hash = $3 AND used_at IS NULL RETURNING account_id`,
    [input.tenantId, input.accountId, input.codeHash, input.at],
  );
  return used.length > 0;
}
