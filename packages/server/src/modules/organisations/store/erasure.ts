import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Used when a service account or an organisation is erased (privacy, retention), inside the
// caller's transaction.

/** The longest-standing other member, who becomes administrator when the last one is deleted. */
export async function successorOf(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  leavingAccountId: string,
): Promise<{ accountId: string; email: string } | undefined> {
  return one(
    q,
    `-- reads accounts (owner: accounts): the successor's address for the grant log, in one query
     SELECT m.account_id AS "accountId", a.email FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
       WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND m.account_id <> $3 ORDER BY m.since, m.account_id LIMIT 1`,
    [tenantId, organisationId, leavingAccountId],
  );
}

export async function removeMembership(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string,
): Promise<void> {
  await q.query(
    `DELETE FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
    [tenantId, organisationId, accountId],
  );
}

export async function makeAdmin(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string,
): Promise<void> {
  await q.query(
    `UPDATE organisation_members SET role = 'admin' WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
    [tenantId, organisationId, accountId],
  );
}

/**
 * The organisation row; members, invitations, grant log, notices and keys go with it by cascade.
 * @returns false when it was gone already
 */
export async function deleteOrganisationRow(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<boolean> {
  const rows = await q.query(`DELETE FROM organisations WHERE tenant_id = $1 AND id = $2 RETURNING 1`, [
    tenantId,
    organisationId,
  ]);
  return rows.length > 0;
}
