import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Account } from '../accounts/service.ts';
import { normaliseEmail } from '../staff/service.ts';

/**
 * Organisation accounts (the Amt24 rules, seed 002): a company or association acts through an
 * organisation that several service accounts share. Any service account may create one and is
 * its first administrator. Every function here decides access in one place: a non-member gets
 * "not found" for everything, a member who is not an administrator gets ERR_ORG_ADMIN_REQUIRED
 * for administrators' actions.
 */
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

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

const orgColumns = `o.id, o.tenant_id AS "tenantId", o.name, o.legal_form AS "legalForm", o.seat, o.address, o.contact_email AS "contactEmail",
  o.general_release AS "generalRelease", o.release_changed_at AS "releaseChangedAt", o.created_at AS "createdAt"`;

export interface ProfileInput {
  name: string;
  legalForm: string;
  seat: string;
  address: string;
  contactEmail: string;
}

function clean(input: ProfileInput): OrganisationProfile {
  const opt = (s: string, max: number): string | null => (s.trim() === '' ? null : s.trim().slice(0, max));
  const name = input.name.trim();
  if (name === '' || name.length > 200)
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'name', code: 'ERR_VALIDATION' }] });
  const contactEmail = normaliseEmail(input.contactEmail);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contactEmail) || contactEmail.length > 254) {
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'contactEmail', code: 'ERR_VALIDATION' }] });
  }
  return {
    name,
    legalForm: opt(input.legalForm, 100),
    seat: opt(input.seat, 200),
    address: opt(input.address, 500),
    contactEmail,
  };
}

/**
 * Creates an organisation with its profile; the creator is its first administrator. Needs the
 * creator's consent to the terms (Art. 6 (1) a GDPR), recorded with the time.
 * @throws {AppError} ERR_CONSENT_REQUIRED, ERR_VALIDATION
 */
export async function createOrganisation(
  deps: Deps,
  input: {
    tenantId: string;
    account: Account;
    profile: ProfileInput;
    consent: boolean;
    ipPrefix: string | undefined;
  },
): Promise<Organisation> {
  if (!input.consent)
    throw new AppError('ERR_CONSENT_REQUIRED', {
      fields: [{ field: 'consent', code: 'ERR_CONSENT_REQUIRED' }],
    });
  const p = clean(input.profile);
  const id = deps.secrets.id();
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO organisations (tenant_id, id, name, legal_form, seat, address, contact_email, consent_at, created_at, last_active_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)`,
      [input.tenantId, id, p.name, p.legalForm, p.seat, p.address, p.contactEmail, now],
    );
    await tx.query(
      `INSERT INTO organisation_members (tenant_id, organisation_id, account_id, role, since) VALUES ($1, $2, $3, 'admin', $4)`,
      [input.tenantId, id, input.account.id, now],
    );
    await logGrant(tx, {
      tenantId: input.tenantId,
      organisationId: id,
      account: input.account,
      action: 'granted',
      at: now,
      by: input.account,
    });
    await logGrant(tx, {
      tenantId: input.tenantId,
      organisationId: id,
      account: input.account,
      action: 'admin-granted',
      at: now,
      by: input.account,
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.account.id },
      action: 'organisation.created',
      subject: { kind: 'organisation', id },
      ipPrefix: input.ipPrefix,
    });
  });
  return {
    id,
    tenantId: input.tenantId,
    ...p,
    generalRelease: false,
    releaseChangedAt: null,
    createdAt: now,
  };
}

export type GrantAction = 'granted' | 'revoked' | 'left' | 'admin-granted' | 'admin-revoked';

/** One line in the grant log: which account, what, when, by whom (addresses copied in). */
export async function logGrant(
  q: Queryable,
  e: {
    tenantId: string;
    organisationId: string;
    account: Pick<Account, 'id' | 'email'>;
    action: GrantAction;
    at: Date;
    by: Pick<Account, 'id' | 'email'> | undefined;
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

/** The organisations an account belongs to, with its role in each. */
export async function organisationsOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<OrganisationAccess[]> {
  const rows = await q.query<Organisation & { role: Role }>(
    `SELECT ${orgColumns}, m.role FROM organisation_members m JOIN organisations o ON o.tenant_id = m.tenant_id AND o.id = m.organisation_id
     WHERE m.tenant_id = $1 AND m.account_id = $2 ORDER BY lower(o.name)`,
    [tenantId, accountId],
  );
  return rows.map(({ role, ...organisation }) => ({ organisation, role }));
}

/**
 * The organisation as this account may see it — checked on every request, so a revoked member
 * loses access at once, to everything, including what arrived while they were a member.
 * @throws {AppError} ERR_NOT_FOUND for non-members and unknown ids alike.
 */
export async function requireMember(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string | undefined,
): Promise<OrganisationAccess> {
  if (accountId === undefined || !/^[0-9a-f-]{36}$/i.test(organisationId))
    throw new AppError('ERR_NOT_FOUND');
  const row = await one<Organisation & { role: Role }>(
    q,
    `SELECT ${orgColumns}, m.role FROM organisation_members m JOIN organisations o ON o.tenant_id = m.tenant_id AND o.id = m.organisation_id
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND m.account_id = $3`,
    [tenantId, organisationId, accountId],
  );
  if (row === undefined) throw new AppError('ERR_NOT_FOUND');
  const { role, ...organisation } = row;
  return { organisation, role };
}

/**
 * @throws {AppError} ERR_NOT_FOUND (not a member), ERR_ORG_ADMIN_REQUIRED (a member, no admin).
 */
export async function requireAdmin(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string | undefined,
): Promise<OrganisationAccess> {
  const access = await requireMember(q, tenantId, organisationId, accountId);
  if (access.role !== 'admin') throw new AppError('ERR_ORG_ADMIN_REQUIRED');
  return access;
}

/** Whether the account is a member now (for other modules, e.g. uploads to a reply). */
export async function isMember(
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

/** @throws {AppError} ERR_NOT_FOUND, ERR_ORG_ADMIN_REQUIRED, ERR_VALIDATION */
export async function updateProfile(
  deps: Deps,
  input: {
    tenantId: string;
    organisationId: string;
    accountId: string;
    profile: ProfileInput;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  await requireAdmin(deps.db, input.tenantId, input.organisationId, input.accountId);
  const p = clean(input.profile);
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE organisations SET name = $3, legal_form = $4, seat = $5, address = $6, contact_email = $7 WHERE tenant_id = $1 AND id = $2`,
      [input.tenantId, input.organisationId, p.name, p.legalForm, p.seat, p.address, p.contactEmail],
    );
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'account', id: input.accountId },
      action: 'organisation.profile_changed',
      subject: { kind: 'organisation', id: input.organisationId },
      ipPrefix: input.ipPrefix,
    });
  });
}

/**
 * Switches the general release of the profile for online forms on or off (administrators only).
 * Off means: every use asks the member for an explicit confirmation.
 */
export async function setGeneralRelease(
  deps: Deps,
  input: {
    tenantId: string;
    organisationId: string;
    accountId: string;
    on: boolean;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  await requireAdmin(deps.db, input.tenantId, input.organisationId, input.accountId);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE organisations SET general_release = $3, release_changed_at = $4 WHERE tenant_id = $1 AND id = $2`,
      [input.tenantId, input.organisationId, input.on, now],
    );
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.accountId },
      action: input.on ? 'organisation.release_on' : 'organisation.release_off',
      subject: { kind: 'organisation', id: input.organisationId },
      ipPrefix: input.ipPrefix,
    });
  });
}

/**
 * The profile for prefilling an online form (the procedures capability calls this): given when
 * the organisation released it generally, or when the member confirmed this one use. Otherwise
 * `needsConfirmation`, and the form asks first.
 * @throws {AppError} ERR_NOT_FOUND for non-members.
 */
export async function profileForForm(
  deps: Deps,
  input: {
    tenantId: string;
    organisationId: string;
    accountId: string;
    confirmedThisUse: boolean;
    purpose: string;
    ipPrefix: string | undefined;
  },
): Promise<{ released: true; profile: OrganisationProfile } | { released: false; needsConfirmation: true }> {
  const { organisation } = await requireMember(
    deps.db,
    input.tenantId,
    input.organisationId,
    input.accountId,
  );
  if (!organisation.generalRelease && !input.confirmedThisUse)
    return { released: false, needsConfirmation: true };
  await recordAudit(deps.db, {
    tenantId: input.tenantId,
    at: deps.clock.now(),
    actor: { kind: 'account', id: input.accountId },
    action: 'organisation.profile_released',
    subject: { kind: 'organisation', id: input.organisationId },
    ipPrefix: input.ipPrefix,
    details: {
      basis: organisation.generalRelease ? 'general' : 'confirmed',
      purpose: input.purpose.slice(0, 100),
    },
  });
  const { name, legalForm, seat, address, contactEmail } = organisation;
  return { released: true, profile: { name, legalForm, seat, address, contactEmail } };
}

/**
 * Organisations staff may address by their contact address (the compose page's picker).
 * Only name and contact address: nothing about members.
 */
export async function organisationDirectory(
  q: Queryable,
  tenantId: string,
  query: string,
): Promise<{ id: string; name: string; contactEmail: string }[]> {
  const like = `%${query
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return q.query(
    // Only organisations whose contact address is theirs alone: that address is their postbox.
    `SELECT id, name, contact_email AS "contactEmail" FROM organisations o WHERE tenant_id = $1 AND (lower(name) LIKE $2 OR contact_email LIKE $2)
       AND NOT EXISTS (SELECT 1 FROM organisations x WHERE x.tenant_id = o.tenant_id AND x.contact_email = o.contact_email AND x.id <> o.id)
     ORDER BY lower(name) LIMIT 20`,
    [tenantId, like],
  );
}

/**
 * Deletes the organisation for good: profile, members, invitations, grant log, notices, keys.
 * Transfers addressed to it stay with their senders (as metadata), but nobody can open them
 * through the organisation any more. The caller has checked the administrator's password.
 * @throws {AppError} ERR_NOT_FOUND, ERR_ORG_ADMIN_REQUIRED
 */
export async function deleteOrganisation(
  deps: Deps,
  input: { tenantId: string; organisationId: string; accountId: string; ipPrefix: string | undefined },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await one(tx, `SELECT id FROM organisations WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [
      input.tenantId,
      input.organisationId,
    ]);
    const access = await requireAdmin(tx, input.tenantId, input.organisationId, input.accountId);
    await tx.query(`DELETE FROM organisations WHERE tenant_id = $1 AND id = $2`, [
      input.tenantId,
      input.organisationId,
    ]);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'account', id: input.accountId },
      action: 'organisation.deleted',
      subject: { kind: 'organisation', id: input.organisationId },
      ipPrefix: input.ipPrefix,
      details: { role: access.role },
    });
  });
}
