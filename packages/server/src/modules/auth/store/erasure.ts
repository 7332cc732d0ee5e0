import type { Queryable } from '../../../adapters/db/index.ts';

// Used by the privacy module's erasure of a service account, inside its transaction.

/** Mailed codes still pending for an address. */
export async function deleteEmailCodesFor(q: Queryable, tenantId: string, email: string): Promise<void> {
  await q.query(`DELETE FROM email_codes WHERE tenant_id = $1 AND email = $2`, [tenantId, email]);
}

/** OpenID Connect round trips an account started. */
export async function deleteOidcLoginsOf(q: Queryable, tenantId: string, accountId: string): Promise<void> {
  await q.query(`DELETE FROM oidc_logins WHERE tenant_id = $1 AND account_id = $2`, [tenantId, accountId]);
}
