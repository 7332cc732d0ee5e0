import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

/** The organisations table: profile, data release, activity. */

export type Role = 'member' | 'admin';

export interface OrganisationProfile {
  name: string;
  legalForm: string | null;
  seat: string | null;
  address: string | null;
  contactEmail: string;
}

export interface Organisation extends OrganisationProfile {
  id: string;
  tenantId: string;
  generalRelease: boolean;
  releaseChangedAt: Date | null;
  createdAt: Date;
}

/** An organisation as one member sees it. */
export interface OrganisationAccess {
  organisation: Organisation;
  role: Role;
}

const orgColumns = `o.id, o.tenant_id AS "tenantId", o.name, o.legal_form AS "legalForm", o.seat, o.address, o.contact_email AS "contactEmail",
  o.general_release AS "generalRelease", o.release_changed_at AS "releaseChangedAt", o.created_at AS "createdAt"`;

function accessOf({ role, ...organisation }: Organisation & { role: Role }): OrganisationAccess {
  return { organisation, role };
}

export async function insertOrganisation(
  q: Queryable,
  o: { tenantId: string; id: string; profile: OrganisationProfile; at: Date },
): Promise<void> {
  const p = o.profile;
  await q.query(
    `INSERT INTO organisations (tenant_id, id, name, legal_form, seat, address, contact_email, consent_at, created_at, last_active_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)`,
    [o.tenantId, o.id, p.name, p.legalForm, p.seat, p.address, p.contactEmail, o.at],
  );
}

/** The organisations an account belongs to, with its role in each, by name. */
export async function membershipsOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<OrganisationAccess[]> {
  const rows = await q.query<Organisation & { role: Role }>(
    `SELECT ${orgColumns}, m.role FROM organisation_members m JOIN organisations o ON o.tenant_id = m.tenant_id AND o.id = m.organisation_id
     WHERE m.tenant_id = $1 AND m.account_id = $2 ORDER BY lower(o.name)`,
    [tenantId, accountId],
  );
  return rows.map(accessOf);
}

/** The organisation with this account's role in it, or undefined when it is no member. */
export async function membershipIn(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string,
): Promise<OrganisationAccess | undefined> {
  const row = await one<Organisation & { role: Role }>(
    q,
    `SELECT ${orgColumns}, m.role FROM organisation_members m JOIN organisations o ON o.tenant_id = m.tenant_id AND o.id = m.organisation_id
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND m.account_id = $3`,
    [tenantId, organisationId, accountId],
  );
  return row === undefined ? undefined : accessOf(row);
}

/** Locks the organisation row: membership changes of one organisation happen one after another. */
export async function lockOrganisation(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<void> {
  await q.query(`SELECT id FROM organisations WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [
    tenantId,
    organisationId,
  ]);
}

/**
 * Locks the organisation row unless another transaction holds it (the yearly report, which runs
 * on several nodes at once): undefined for a locked or missing organisation.
 */
export async function lockOrganisationOrSkip(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<{ name: string; contactEmail: string } | undefined> {
  const rows = await q.query<{ name: string; contactEmail: string }>(
    `SELECT name, contact_email AS "contactEmail" FROM organisations WHERE tenant_id = $1 AND id = $2 FOR UPDATE SKIP LOCKED`,
    [tenantId, organisationId],
  );
  return rows[0];
}

/** Name and contact address (the postbox's notification address). */
export async function organisationContact(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<{ name: string; contactEmail: string } | undefined> {
  return one<{ name: string; contactEmail: string }>(
    q,
    `SELECT name, contact_email AS "contactEmail" FROM organisations WHERE tenant_id = $1 AND id = $2`,
    [tenantId, organisationId],
  );
}

/** Something arrived: the organisation counts as active (inactivity deletion, retention). */
export async function touchOrganisation(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<void> {
  await q.query(`UPDATE organisations SET last_active_at = now() WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    organisationId,
  ]);
}

export async function updateOrganisationProfile(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  p: OrganisationProfile,
): Promise<void> {
  await q.query(
    `UPDATE organisations SET name = $3, legal_form = $4, seat = $5, address = $6, contact_email = $7 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, organisationId, p.name, p.legalForm, p.seat, p.address, p.contactEmail],
  );
}

export async function updateGeneralRelease(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  on: boolean,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE organisations SET general_release = $3, release_changed_at = $4 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, organisationId, on, at],
  );
}

/**
 * Organisations whose name or contact address contains the text (already lower-case and
 * escaped for LIKE), at most 20; only those whose contact address is theirs alone: that
 * address is their postbox.
 */
export async function searchOrganisations(
  q: Queryable,
  tenantId: string,
  like: string,
): Promise<{ id: string; name: string; contactEmail: string }[]> {
  return q.query(
    `SELECT id, name, contact_email AS "contactEmail" FROM organisations o WHERE tenant_id = $1 AND (lower(name) LIKE $2 OR contact_email LIKE $2)
       AND NOT EXISTS (SELECT 1 FROM organisations x WHERE x.tenant_id = o.tenant_id AND x.contact_email = o.contact_email AND x.id <> o.id)
     ORDER BY lower(name) LIMIT 20`,
    [tenantId, like],
  );
}
