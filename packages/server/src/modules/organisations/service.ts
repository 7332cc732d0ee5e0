import type { Queryable } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import type { Account } from '../accounts/index.ts';
import { normaliseEmail } from '../staff/index.ts';
import { requireAdmin, requireMember } from './policy.ts';
import { logGrant, insertMember } from './store/members.ts';
import type { Organisation, OrganisationAccess, OrganisationProfile } from './store/organisations.ts';
import { deleteOrganisationRow } from './store/erasure.ts';
import {
  insertOrganisation,
  lockOrganisation,
  membershipsOf,
  searchOrganisations,
  updateGeneralRelease,
  updateOrganisationProfile,
} from './store/organisations.ts';

/**
 * Organisation accounts (the Amt24 rules, seed 002): a company or association acts through an
 * organisation that several service accounts share. Any service account may create one and is
 * its first administrator. Access is decided in policy.ts: a non-member gets "not found" for
 * everything, a member who is not an administrator gets ERR_ORG_ADMIN_REQUIRED for
 * administrators' actions.
 */

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

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
  const tenantId = input.tenantId;
  await deps.db.transaction(async (tx) => {
    await insertOrganisation(tx, { tenantId, id, profile: p, at: now });
    await insertMember(tx, {
      tenantId,
      organisationId: id,
      accountId: input.account.id,
      role: 'admin',
      since: now,
    });
    for (const action of ['granted', 'admin-granted'] as const) {
      await logGrant(tx, {
        tenantId,
        organisationId: id,
        account: input.account,
        action,
        at: now,
        by: input.account,
      });
    }
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'account', id: input.account.id },
      action: 'organisation.created',
      subject: { kind: 'organisation', id },
      ipPrefix: input.ipPrefix,
    });
  });
  return { id, tenantId, ...p, generalRelease: false, releaseChangedAt: null, createdAt: now };
}

/** The organisations an account belongs to, with its role in each. */
export async function organisationsOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<OrganisationAccess[]> {
  return membershipsOf(q, tenantId, accountId);
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
    await updateOrganisationProfile(tx, input.tenantId, input.organisationId, p);
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
    await updateGeneralRelease(tx, input.tenantId, input.organisationId, input.on, now);
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
  return searchOrganisations(q, tenantId, like);
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
    await lockOrganisation(tx, input.tenantId, input.organisationId);
    const access = await requireAdmin(tx, input.tenantId, input.organisationId, input.accountId);
    await deleteOrganisationRow(tx, input.tenantId, input.organisationId);
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
