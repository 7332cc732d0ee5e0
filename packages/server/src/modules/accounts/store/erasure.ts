import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Used by the privacy module's erasure of a service account (Art. 17 GDPR), inside its transaction.

/** The account, locked for its deletion; undefined when it is gone already. */
export async function lockAccountForErasure(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<{ id: string; tenantId: string; email: string; displayName: string | null } | undefined> {
  return one(
    q,
    `SELECT id, tenant_id AS "tenantId", email, display_name AS "displayName" FROM accounts WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, accountId],
  );
}

/** Passkey challenges still open for the account (they do not cascade: no foreign key). */
export async function deleteWebauthnChallengesOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<void> {
  await q.query(`DELETE FROM webauthn_challenges WHERE tenant_id = $1 AND account_id = $2`, [
    tenantId,
    accountId,
  ]);
}

/** The account row; sessions, sign-in methods, memberships and key shares go with it by cascade. */
export async function deleteAccountRow(q: Queryable, tenantId: string, accountId: string): Promise<void> {
  await q.query(`DELETE FROM accounts WHERE tenant_id = $1 AND id = $2`, [tenantId, accountId]);
}
