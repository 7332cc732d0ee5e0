import type { Queryable } from '../../../adapters/db/index.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import type { Account } from '../../accounts/index.ts';
import { getAccount } from '../../accounts/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { tenantBaseUrl } from '../../tenants/index.ts';
import { postboxNotificationMail } from '../mails.ts';
import { addNotice } from '../notices.ts';
import { requireAdmin, requireMember } from '../policy.ts';
import {
  adminCount,
  deleteMember,
  logGrant,
  memberRole,
  organisationIdsOf,
  updateMemberRole,
} from '../store/members.ts';
import type { Role } from '../store/organisations.ts';
import { lockOrganisation, organisationContact } from '../store/organisations.ts';

/**
 * Membership changes: administrators revoke access and appoint administrators; members leave.
 * The last administrator can neither leave nor be removed. Every change goes into the grant log.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config'>;

async function existingAccount(q: Queryable, tenantId: string, accountId: string): Promise<Account> {
  const a = await getAccount(q, tenantId, accountId);
  if (a === undefined) throw new AppError('ERR_NOT_FOUND');
  return a;
}

/**
 * Appoints a member as administrator, or takes the role back. The last administrator keeps it.
 * @throws {AppError} ERR_NOT_FOUND, ERR_ORG_ADMIN_REQUIRED, ERR_ORG_LAST_ADMIN
 */
export async function setMemberRole(
  deps: Deps,
  input: {
    tenantId: string;
    organisationId: string;
    accountId: string;
    role: Role;
    admin: Account;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  const { tenantId, organisationId, accountId } = input;
  await deps.db.transaction(async (tx) => {
    await lockOrganisation(tx, tenantId, organisationId);
    await requireAdmin(tx, tenantId, organisationId, input.admin.id);
    const current = await memberRole(tx, tenantId, organisationId, accountId);
    if (current === undefined) throw new AppError('ERR_NOT_FOUND');
    if (current === input.role) return;
    if (current === 'admin' && (await adminCount(tx, tenantId, organisationId)) <= 1)
      throw new AppError('ERR_ORG_LAST_ADMIN');
    await updateMemberRole(tx, tenantId, organisationId, accountId, input.role);
    const now = deps.clock.now();
    const member = await existingAccount(tx, tenantId, accountId);
    await logGrant(tx, {
      tenantId,
      organisationId,
      account: member,
      action: input.role === 'admin' ? 'admin-granted' : 'admin-revoked',
      at: now,
      by: input.admin,
    });
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'account', id: input.admin.id },
      action: input.role === 'admin' ? 'organisation.admin_granted' : 'organisation.admin_revoked',
      subject: { kind: 'account', id: accountId },
      ipPrefix: input.ipPrefix,
      details: { organisation: organisationId },
    });
  });
}

/**
 * Revokes a member's access (administrators). Effective at once: their next request finds no
 * membership, and their wrap of the organisation's key is deleted with the membership.
 * @throws {AppError} ERR_NOT_FOUND, ERR_ORG_ADMIN_REQUIRED, ERR_ORG_LAST_ADMIN
 */
export async function revokeMember(
  deps: Deps,
  input: {
    tenant: Tenant;
    organisationId: string;
    accountId: string;
    admin: Account;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  if (input.accountId === input.admin.id) {
    await leaveOrganisation(deps, {
      tenant: input.tenant,
      organisationId: input.organisationId,
      account: input.admin,
      ipPrefix: input.ipPrefix,
    });
    return;
  }
  const tenantId = input.tenant.id;
  const { organisationId, accountId } = input;
  await deps.db.transaction(async (tx) => {
    await lockOrganisation(tx, tenantId, organisationId);
    await requireAdmin(tx, tenantId, organisationId, input.admin.id);
    const current = await memberRole(tx, tenantId, organisationId, accountId);
    if (current === undefined) throw new AppError('ERR_NOT_FOUND');
    if (current === 'admin' && (await adminCount(tx, tenantId, organisationId)) <= 1)
      throw new AppError('ERR_ORG_LAST_ADMIN');
    const member = await existingAccount(tx, tenantId, accountId);
    await deleteMember(tx, tenantId, organisationId, accountId);
    const now = deps.clock.now();
    await logGrant(tx, {
      tenantId,
      organisationId,
      account: member,
      action: 'revoked',
      at: now,
      by: input.admin,
    });
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'account', id: input.admin.id },
      action: 'organisation.member_revoked',
      subject: { kind: 'account', id: accountId },
      ipPrefix: input.ipPrefix,
      details: { organisation: organisationId },
    });
  });
}

/** Removes one membership of a leaving account and tells the others (a notice in the postbox). */
async function removeLeaving(
  tx: Queryable,
  deps: Deps,
  input: { tenant: Tenant; organisationId: string; account: Account; how: 'left' | 'deleted' },
): Promise<void> {
  const tenantId = input.tenant.id;
  const organisationId = input.organisationId;
  const current = await memberRole(tx, tenantId, organisationId, input.account.id);
  if (current === undefined) throw new AppError('ERR_NOT_FOUND');
  if (current === 'admin' && (await adminCount(tx, tenantId, organisationId)) <= 1)
    throw new AppError('ERR_ORG_LAST_ADMIN');
  await deleteMember(tx, tenantId, organisationId, input.account.id);
  const now = deps.clock.now();
  await logGrant(tx, {
    tenantId,
    organisationId,
    account: input.account,
    action: 'left',
    at: now,
    by: input.account,
  });
  await addNotice(tx, deps, {
    tenantId,
    organisationId,
    audience: 'members',
    body: {
      kind: 'member-left',
      data: {
        email: input.account.email,
        displayName: input.account.displayName,
        at: now.toISOString(),
        how: input.how,
      },
    },
  });
  const org = await organisationContact(tx, tenantId, organisationId);
  if (org !== undefined) {
    await deps.mailer.send(
      postboxNotificationMail(org.contactEmail, input.tenant.settings.defaultLocale ?? 'de', {
        organisation: org.name,
        tenantName: input.tenant.name,
        link: `${tenantBaseUrl(input.tenant, deps.config)}/organisations/${organisationId}`,
        what: 'notice',
      }),
    );
  }
}

/**
 * A member leaves: access ends, the grant log records it, and a notice in the postbox tells the
 * other members. The last administrator cannot leave.
 * @throws {AppError} ERR_NOT_FOUND, ERR_ORG_LAST_ADMIN
 */
export async function leaveOrganisation(
  deps: Deps,
  input: { tenant: Tenant; organisationId: string; account: Account; ipPrefix: string | undefined },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await lockOrganisation(tx, input.tenant.id, input.organisationId);
    await requireMember(tx, input.tenant.id, input.organisationId, input.account.id);
    await removeLeaving(tx, deps, {
      tenant: input.tenant,
      organisationId: input.organisationId,
      account: input.account,
      how: 'left',
    });
    await recordAudit(tx, {
      tenantId: input.tenant.id,
      at: deps.clock.now(),
      actor: { kind: 'account', id: input.account.id },
      action: 'organisation.member_left',
      subject: { kind: 'organisation', id: input.organisationId },
      ipPrefix: input.ipPrefix,
    });
  });
}

/**
 * For deleting a service account, inside its transaction: leaves every organisation (with the
 * notices), or refuses when the account is the last administrator of any.
 * @throws {AppError} ERR_ORG_LAST_ADMIN
 */
export async function leaveAllOrganisations(
  tx: Queryable,
  deps: Deps,
  input: { tenant: Tenant; account: Account },
): Promise<void> {
  for (const organisationId of await organisationIdsOf(tx, input.tenant.id, input.account.id)) {
    await lockOrganisation(tx, input.tenant.id, organisationId);
    await removeLeaving(tx, deps, {
      tenant: input.tenant,
      organisationId,
      account: input.account,
      how: 'deleted',
    });
  }
}
