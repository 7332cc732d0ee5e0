import type { Queryable } from '../../../adapters/db/index.ts';

/** Notes a sign-in on the account: when it was last active, and the language it uses. */
export async function noteAccountSignIn(
  q: Queryable,
  input: { tenantId: string; accountId: string; at: Date; locale: string },
): Promise<void> {
  await q.query(`UPDATE accounts SET last_active_at = $3, locale = $4 WHERE tenant_id = $1 AND id = $2`, [
    input.tenantId,
    input.accountId,
    input.at,
    input.locale,
  ]);
}
