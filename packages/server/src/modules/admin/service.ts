import type { Locale } from '@amtsbote/contracts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { deleteStaffApiTokens, deleteStaffSessions, issueLink } from '../auth/index.ts';
import type { Staff } from '../staff/index.ts';
import { createStaff, getStaff, updateStaffRole } from '../staff/index.ts';
import type { Department, Tenant } from '../tenants/index.ts';
import { createDepartment, tenantBaseUrl } from '../tenants/index.ts';
import { invitationMail } from './mails.ts';

/**
 * Invites a staff member: the account, its department and the one-time link are written and the
 * mail is sent in one transaction, so a mail that could not be sent leaves no invitation behind.
 * @throws {AppError} ERR_STAFF_EXISTS; ERR_NOT_FOUND for a department of another tenant.
 */
export async function inviteStaff(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'mailer' | 'config'>,
  tenant: Tenant,
  inviter: Staff,
  input: {
    email: string;
    displayName?: string | null;
    departmentId?: string | null;
    isTenantAdmin: boolean;
    locale: Locale;
    ipPrefix?: string | undefined;
  },
): Promise<Staff> {
  return deps.db.transaction(async (tx) => {
    const staff = await createStaff(tx, deps, tenant.id, {
      email: input.email,
      displayName: input.displayName ?? null,
      isTenantAdmin: input.isTenantAdmin,
      status: 'invited',
      departmentIds:
        input.departmentId === null || input.departmentId === undefined || input.departmentId === ''
          ? []
          : [input.departmentId],
    });
    await sendInvitation(tx, deps, tenant, inviter, staff, input.locale);
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: deps.clock.now(),
      actor: { kind: 'staff', id: inviter.id },
      action: 'staff.invited',
      subject: { kind: 'staff', id: staff.id },
      ipPrefix: input.ipPrefix,
      details: { tenantAdmin: input.isTenantAdmin },
    });
    return staff;
  });
}

async function sendInvitation(
  tx: Parameters<typeof issueLink>[0],
  deps: Pick<AppDeps, 'clock' | 'secrets' | 'mailer' | 'config'>,
  tenant: Tenant,
  inviter: Staff,
  staff: Staff,
  locale: Locale,
): Promise<void> {
  const token = await issueLink(tx, deps, { tenantId: tenant.id, staffId: staff.id, purpose: 'invitation' });
  const link = `${tenantBaseUrl(tenant, deps.config)}/invitations/${token}`;
  await deps.mailer.send(
    invitationMail(staff.email, locale, tenant.name, inviter.displayName ?? inviter.email, link),
  );
}

/**
 * Sends a fresh invitation link (the old one stops working).
 * @throws {AppError} ERR_NOT_FOUND unless the person is an invited member of this tenant.
 */
export async function resendInvitation(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'mailer' | 'config'>,
  tenant: Tenant,
  inviter: Staff,
  staffId: string,
  locale: Locale,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const staff = await getStaff(tx, tenant.id, staffId);
    if (staff?.status !== 'invited') throw new AppError('ERR_NOT_FOUND');
    await sendInvitation(tx, deps, tenant, inviter, staff, locale);
  });
}

/**
 * Creates a department, with its audit record in the same transaction.
 * @throws {AppError} ERR_DEPARTMENT_EXISTS
 */
export async function addDepartment(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets'>,
  input: {
    tenantId: string;
    adminId: string;
    name: string;
    description?: string | null;
    ipPrefix?: string | undefined;
  },
): Promise<Department> {
  return deps.db.transaction(async (tx) => {
    const created = await createDepartment(tx, deps, input.tenantId, {
      name: input.name,
      description: input.description,
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'staff', id: input.adminId },
      action: 'department.created',
      subject: { kind: 'department', id: created.id },
      ipPrefix: input.ipPrefix,
    });
    return created;
  });
}

/** What an admin can do to a staff member's account from the staff list. */
export type StaffAction = 'make-admin' | 'revoke-admin' | 'disable' | 'enable';

const changes: Record<StaffAction, { isTenantAdmin?: boolean; status?: 'active' | 'disabled' }> = {
  'make-admin': { isTenantAdmin: true },
  'revoke-admin': { isTenantAdmin: false },
  disable: { status: 'disabled' },
  enable: { status: 'active' },
};

/**
 * Grants or withdraws the admin role, or disables or re-enables an account; a disabled account
 * keeps no way in (its sessions and API tokens go with it). Audited in the same transaction.
 * @returns false when no such staff member exists in this tenant.
 * @throws {AppError} ERR_LAST_ADMIN
 */
export async function changeStaff(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  input: {
    tenantId: string;
    admin: Staff;
    staffId: string;
    action: StaffAction;
    ipPrefix?: string | undefined;
  },
): Promise<boolean> {
  const change = changes[input.action];
  return deps.db.transaction(async (tx) => {
    const status = await updateStaffRole(tx, input.tenantId, input.staffId, change);
    if (status !== undefined) {
      if (status === 'disabled') {
        await deleteStaffSessions(tx, input.tenantId, input.staffId);
        await deleteStaffApiTokens(tx, input.tenantId, input.staffId);
      }
      await recordAudit(tx, {
        tenantId: input.tenantId,
        at: deps.clock.now(),
        actor: { kind: 'staff', id: input.admin.id },
        action: `staff.${input.action}`,
        subject: { kind: 'staff', id: input.staffId },
        ipPrefix: input.ipPrefix,
      });
    }
    return status !== undefined;
  });
}
