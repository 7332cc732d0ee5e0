import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { Db } from '../../../adapters/db/index.ts';

/** The email_codes table: six-digit codes, stored as a keyed hash, used once. */

/** Writes a fresh code; earlier unused codes for the same address and subject stop working. */
export async function replaceCode(
  db: Db,
  row: {
    tenantId: string;
    id: string;
    purpose: string;
    email: string;
    subjectId: string | null;
    codeHash: Buffer;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE email_codes SET used_at = $5 WHERE tenant_id = $1 AND purpose = $2 AND email = $3 AND subject_id IS NOT DISTINCT FROM $4 AND used_at IS NULL`,
      [row.tenantId, row.purpose, row.email, row.subjectId, row.now],
    );
    await tx.query(
      `INSERT INTO email_codes (tenant_id, id, purpose, email, subject_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [row.tenantId, row.id, row.purpose, row.email, row.subjectId, row.codeHash, row.now, row.expiresAt],
    );
  });
}

/**
 * Counts one try at a live code (atomically, so parallel guesses cannot exceed the limit).
 * @returns the code's address, subject and hash, or undefined when it is not live (any more).
 */
export async function countCodeAttempt(
  q: Queryable,
  input: { tenantId: string; id: string; purpose: string; now: Date; maxAttempts: number },
): Promise<{ email: string; subject_id: string | null; code_hash: Buffer } | undefined> {
  return one<{ email: string; subject_id: string | null; code_hash: Buffer }>(
    q,
    `UPDATE email_codes SET attempts = attempts + 1
     WHERE tenant_id = $1 AND id = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4 AND attempts < $5
     RETURNING email, subject_id, code_hash`,
    [input.tenantId, input.id, input.purpose, input.now, input.maxAttempts],
  );
}

/** Uses a code up. @returns false when another request used it first. */
export async function useCode(q: Queryable, tenantId: string, id: string, now: Date): Promise<boolean> {
  const used = await q.query(
    `UPDATE email_codes SET used_at = $3 WHERE tenant_id = $1 AND id = $2 AND used_at IS NULL RETURNING id`,
    [tenantId, id, now],
  );
  return used.length > 0;
}
