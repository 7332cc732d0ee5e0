import type { Queryable } from '../../../adapters/db/index.ts';

// Added for the retention module's inactivity rule for organisations (announcement, stop link).

/** The administrators' addresses and languages, in address order (the announcement's mails). */
export async function adminAddressesByEmail(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<{ email: string; locale: 'de' | 'en' | null }[]> {
  return q.query<{ email: string; locale: 'de' | 'en' | null }>(
    `SELECT a.email, a.locale FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND m.role = 'admin' ORDER BY a.email
     -- reads accounts (owner: accounts): addresses of the administrators, one query for all`,
    [tenantId, organisationId],
  );
}

/** The stop link was used: the organisation counts as active at `now` (never earlier than it was). */
export async function keepOrganisationActive(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  now: Date,
): Promise<void> {
  await q.query(
    `UPDATE organisations SET last_active_at = greatest(last_active_at, $3) WHERE tenant_id = $1 AND id = $2`,
    [tenantId, organisationId, now],
  );
}
