import type { Queryable } from '../../adapters/db/index.ts';
import { AppError } from '../../errors.ts';
import type { OrganisationAccess } from './store/organisations.ts';
import { membershipIn } from './store/organisations.ts';
import { isMemberRow } from './store/members.ts';

/**
 * Who may see and do what in an organisation, decided on every request from the membership —
 * so a revoked member loses access at once, to everything, including what arrived while they
 * were a member. A non-member gets "not found" for everything (denied looks like missing); a
 * member who is not an administrator gets ERR_ORG_ADMIN_REQUIRED for administrators' actions.
 */

const UUID_SHAPED = /^[0-9a-f-]{36}$/i;

/**
 * The organisation as this account may see it.
 * @throws {AppError} ERR_NOT_FOUND for non-members and unknown ids alike.
 */
export async function requireMember(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string | undefined,
): Promise<OrganisationAccess> {
  if (accountId === undefined || !UUID_SHAPED.test(organisationId)) throw new AppError('ERR_NOT_FOUND');
  const access = await membershipIn(q, tenantId, organisationId, accountId);
  if (access === undefined) throw new AppError('ERR_NOT_FOUND');
  return access;
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
  return isMemberRow(q, tenantId, organisationId, accountId);
}
