import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { tenantBaseUrl } from '../../http/urls.ts';
import { recordAudit } from '../audit/service.ts';
import { issueLink } from '../auth/links.ts';
import { invitationMail } from '../auth/mails.ts';
import type { Staff } from '../staff/service.ts';
import { createStaff, getStaff } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';

/** Only tenant admins administer; anyone else is told the thing does not exist. */
export function requireTenantAdmin(staff: Staff | undefined): Staff {
  if (staff?.isTenantAdmin !== true) throw new AppError('ERR_NOT_FOUND');
  return staff;
}

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
    locale: 'de' | 'en';
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
  locale: 'de' | 'en',
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
  locale: 'de' | 'en',
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const staff = await getStaff(tx, tenant.id, staffId);
    if (staff?.status !== 'invited') throw new AppError('ERR_NOT_FOUND');
    await sendInvitation(tx, deps, tenant, inviter, staff, locale);
  });
}
