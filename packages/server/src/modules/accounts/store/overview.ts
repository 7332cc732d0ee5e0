import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { Account } from './accounts.ts';
import { accountColumns } from './accounts.ts';

/** What the account settings page shows: the account and how it can sign in. */
export interface AccountOverview extends Account {
  createdAt: Date;
  hasPassword: boolean;
  totpEnabled: boolean;
  recoveryCodesLeft: number;
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; backedUp: boolean }[];
  identities: { id: string; issuer: string; acr: string | null; linkedAt: Date; lastLoginAt: Date | null }[];
}

/** The account with its sign-in methods: passkeys and identity links, oldest first. */
export async function accountOverviewOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<AccountOverview | undefined> {
  const row = await one<
    Account & { createdAt: Date; hasPassword: boolean; totpEnabled: boolean; recoveryCodesLeft: number }
  >(
    q,
    `SELECT ${accountColumns}, created_at AS "createdAt", password_hash IS NOT NULL AS "hasPassword", totp_key IS NOT NULL AS "totpEnabled",
       (SELECT count(*)::int FROM account_recovery_codes r WHERE r.tenant_id = a.tenant_id AND r.account_id = a.id AND r.used_at IS NULL) AS "recoveryCodesLeft"
     FROM accounts a WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
  if (row === undefined) return undefined;
  const passkeys = await q.query<AccountOverview['passkeys'][number]>(
    `SELECT id, name, created_at AS "createdAt", last_used_at AS "lastUsedAt", backed_up AS "backedUp"
     FROM account_passkeys WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at`,
    [tenantId, accountId],
  );
  const identities = await q.query<AccountOverview['identities'][number]>(
    `SELECT id, issuer, acr, linked_at AS "linkedAt", last_login_at AS "lastLoginAt"
     FROM account_identities WHERE tenant_id = $1 AND account_id = $2 ORDER BY linked_at`,
    [tenantId, accountId],
  );
  return { ...row, passkeys, identities };
}
