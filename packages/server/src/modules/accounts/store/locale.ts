import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Added for the organisations module (mails to a member in their own language).

/** The language the account last used, or null when it never chose one (undefined: no account). */
export async function accountLocale(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<'de' | 'en' | null | undefined> {
  const row = await one<{ locale: 'de' | 'en' | null }>(
    q,
    `SELECT locale FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
  return row?.locale;
}
