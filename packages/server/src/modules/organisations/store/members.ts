import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { Role } from './organisations.ts';

/** organisation_members and organisation_grant_log: who belongs, and the record of every change. */

export interface Member {
  accountId: string;
  email: string;
  displayName: string | null;
  role: Role;
  since: Date;
}

export type GrantAction = 'granted' | 'revoked' | 'left' | 'admin-granted' | 'admin-revoked';

export async function listMembers(q: Queryable, tenantId: string, organisationId: string): Promise<Member[]> {
  return q.query<Member>(
    `-- reads accounts (owner: accounts): names of the members, one query for the whole list
     SELECT m.account_id AS "accountId", a.email, a.display_name AS "displayName", m.role, m.since
     FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 ORDER BY m.role, lower(coalesce(a.display_name, a.email))`,
    [tenantId, organisationId],
  );
}

/** Whether the account is a member now. */
export async function isMemberRow(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string,
): Promise<boolean> {
  const row = await one(
    q,
    `SELECT 1 AS x FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
    [tenantId, organisationId, accountId],
  );
  return row !== undefined;
}

/** Whether a member has this (normalised) address. */
export async function hasMemberWithEmail(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  email: string,
): Promise<boolean> {
  const row = await one(
    q,
    `-- reads accounts (owner: accounts): members are known by the address of their account
     SELECT 1 AS x FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND a.email = $3`,
    [tenantId, organisationId, email],
  );
  return row !== undefined;
}

/** The administrators' addresses and languages, for mails to them. */
export async function adminAddresses(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<{ email: string; locale: 'de' | 'en' | null }[]> {
  return q.query<{ email: string; locale: 'de' | 'en' | null }>(
    `-- reads accounts (owner: accounts): addresses of the administrators, one query for all
     SELECT a.email, a.locale FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND m.role = 'admin'`,
    [tenantId, organisationId],
  );
}

export async function memberRole(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string,
): Promise<Role | undefined> {
  const row = await one<{ role: Role }>(
    q,
    `SELECT role FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
    [tenantId, organisationId, accountId],
  );
  return row?.role;
}

export async function adminCount(q: Queryable, tenantId: string, organisationId: string): Promise<number> {
  const row = await one<{ n: number }>(
    q,
    `SELECT count(*)::int AS n FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND role = 'admin'`,
    [tenantId, organisationId],
  );
  return row?.n ?? 0;
}

/** Adds a membership. @returns false when the account already is a member. */
export async function insertMember(
  q: Queryable,
  m: { tenantId: string; organisationId: string; accountId: string; role: Role; since: Date },
): Promise<boolean> {
  const added = await q.query(
    `INSERT INTO organisation_members (tenant_id, organisation_id, account_id, role, since) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING account_id`,
    [m.tenantId, m.organisationId, m.accountId, m.role, m.since],
  );
  return added.length > 0;
}

export async function updateMemberRole(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string,
  role: Role,
): Promise<void> {
  await q.query(
    `UPDATE organisation_members SET role = $4 WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
    [tenantId, organisationId, accountId, role],
  );
}

/** Ends a membership; the member's wrap of the organisation's key goes with it (cascade). */
export async function deleteMember(
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

/** The ids of the organisations an account belongs to, in id order (the order they are locked in). */
export async function organisationIdsOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<string[]> {
  const rows = await q.query<{ organisation_id: string }>(
    `SELECT organisation_id FROM organisation_members WHERE tenant_id = $1 AND account_id = $2 ORDER BY organisation_id`,
    [tenantId, accountId],
  );
  return rows.map((r) => r.organisation_id);
}

/** Organisations where this account is the only administrator. */
export async function soleAdminOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<{ id: string; name: string }[]> {
  return q.query(
    `SELECT o.id, o.name FROM organisation_members m JOIN organisations o ON o.tenant_id = m.tenant_id AND o.id = m.organisation_id
     WHERE m.tenant_id = $1 AND m.account_id = $2 AND m.role = 'admin'
       AND (SELECT count(*) FROM organisation_members x WHERE x.tenant_id = m.tenant_id AND x.organisation_id = m.organisation_id AND x.role = 'admin') = 1
     ORDER BY lower(o.name)`,
    [tenantId, accountId],
  );
}

/** One line in the grant log: which account, what, when, by whom (addresses copied in). */
export async function logGrant(
  q: Queryable,
  e: {
    tenantId: string;
    organisationId: string;
    account: { id: string; email: string };
    action: GrantAction;
    at: Date;
    by: { id: string; email: string } | undefined;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO organisation_grant_log (tenant_id, organisation_id, account_id, account_email, action, at, by_account_id, by_email) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      e.tenantId,
      e.organisationId,
      e.account.id,
      e.account.email,
      e.action,
      e.at,
      e.by?.id ?? null,
      e.by?.email ?? null,
    ],
  );
}

export interface GrantEntry {
  id: string;
  accountEmail: string;
  action: string;
  at: Date;
  byEmail: string | null;
}

/** Organisations with grant log entries from before `cutoff`. */
export async function organisationsWithGrantsBefore(
  q: Queryable,
  tenantId: string,
  cutoff: Date,
): Promise<string[]> {
  const rows = await q.query<{ organisation_id: string }>(
    `SELECT DISTINCT organisation_id FROM organisation_grant_log WHERE tenant_id = $1 AND at < $2`,
    [tenantId, cutoff],
  );
  return rows.map((r) => r.organisation_id);
}

/** The organisation's grant log entries from before `cutoff`, oldest first. */
export async function grantsBefore(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  cutoff: Date,
): Promise<GrantEntry[]> {
  return q.query<GrantEntry>(
    `SELECT id::text AS id, account_email AS "accountEmail", action, at, by_email AS "byEmail" FROM organisation_grant_log
     WHERE tenant_id = $1 AND organisation_id = $2 AND at < $3 ORDER BY at, id`,
    [tenantId, organisationId, cutoff],
  );
}

export async function deleteGrants(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  ids: readonly string[],
): Promise<void> {
  await q.query(
    `DELETE FROM organisation_grant_log WHERE tenant_id = $1 AND organisation_id = $2 AND id = ANY($3::bigint[])`,
    [tenantId, organisationId, [...ids]],
  );
}
