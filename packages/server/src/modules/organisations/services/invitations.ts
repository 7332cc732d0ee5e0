import { DAY } from '../../../adapters/clock.ts';
import type { Queryable } from '../../../adapters/db/index.ts';
import { hashToken, looksLikeToken } from '../../../adapters/secrets.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import type { Locale } from '@amtsbote/contracts';
import { recordAudit } from '../../audit/index.ts';
import type { Account } from '../../accounts/index.ts';
import { accountLocale, getAccount } from '../../accounts/index.ts';
import { normaliseEmail } from '../../staff/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { tenantBaseUrl } from '../../tenants/index.ts';
import { accessGrantedMail, invitationAcceptedMail, organisationInvitationMail } from '../mails.ts';
import { requireAdmin } from '../policy.ts';
import type { InvitationStatus, InvitationView } from '../store/invitations.ts';
import {
  acceptedBy,
  insertInvitation,
  invitationByTokenHash,
  invitationsForEmail,
  markAccepted,
  markClosed,
  markConfirmed,
  withdrawOpenInvitations,
} from '../store/invitations.ts';
import { adminAddresses, hasMemberWithEmail, insertMember, isMemberRow, logGrant } from '../store/members.ts';
import { lockOrganisation } from '../store/organisations.ts';

/**
 * Invitations, the Amt24 way: an administrator invites by e-mail, the invitee accepts with the
 * service account of exactly that address, and an administrator confirms once more before
 * access is granted. Every grant goes into the grant log.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config'>;

export const INVITATION_LIFETIME_MS = 14 * DAY;

function orgLink(tenant: Tenant, deps: Pick<Deps, 'config'>, organisationId: string, sub = ''): string {
  return `${tenantBaseUrl(tenant, deps.config)}/organisations/${organisationId}${sub}`;
}

/**
 * Invites an address (administrators only): a link with a fresh 256-bit secret, mailed now.
 * An earlier open invitation to the same address is replaced.
 * @throws {AppError} ERR_NOT_FOUND, ERR_ORG_ADMIN_REQUIRED, ERR_ALREADY_MEMBER, ERR_VALIDATION
 */
export async function inviteMember(
  deps: Deps,
  input: {
    tenant: Tenant;
    organisationId: string;
    admin: Account;
    email: string;
    locale: Locale;
    ipPrefix: string | undefined;
  },
): Promise<{ id: string; link: string }> {
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'email', code: 'ERR_VALIDATION' }] });
  const tenantId = input.tenant.id;
  const organisationId = input.organisationId;
  return deps.db.transaction(async (tx) => {
    await lockOrganisation(tx, tenantId, organisationId);
    const { organisation } = await requireAdmin(tx, tenantId, organisationId, input.admin.id);
    if (await hasMemberWithEmail(tx, tenantId, organisationId, email))
      throw new AppError('ERR_ALREADY_MEMBER', { fields: [{ field: 'email', code: 'ERR_ALREADY_MEMBER' }] });
    const now = deps.clock.now();
    await withdrawOpenInvitations(tx, { tenantId, organisationId, email, by: input.admin.id, at: now });
    const id = deps.secrets.id();
    const token = deps.secrets.token();
    await insertInvitation(tx, {
      tenantId,
      id,
      organisationId,
      email,
      tokenHash: hashToken(token),
      invitedBy: input.admin.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS),
    });
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'account', id: input.admin.id },
      action: 'organisation.member_invited',
      subject: { kind: 'organisation', id: organisationId },
      ipPrefix: input.ipPrefix,
    });
    const link = `${tenantBaseUrl(input.tenant, deps.config)}/organisations/invitations/${token}`;
    await deps.mailer.send(
      organisationInvitationMail(email, input.locale, {
        organisation: organisation.name,
        inviter: input.admin.displayName ?? input.admin.email,
        tenantName: input.tenant.name,
        link,
        days: INVITATION_LIFETIME_MS / DAY,
      }),
    );
    return { id, link };
  });
}

/**
 * The invitation behind a link.
 * @throws {AppError} ERR_LINK_INVALID (unknown, withdrawn, declined or used), ERR_INVITATION_EXPIRED.
 */
export async function invitationByToken(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  token: string,
): Promise<InvitationView> {
  if (!looksLikeToken(token)) throw new AppError('ERR_LINK_INVALID');
  const row = await invitationByTokenHash(deps.db, tenantId, hashToken(token));
  if (row === undefined || (row.status !== 'pending' && row.status !== 'accepted'))
    throw new AppError('ERR_LINK_INVALID');
  if (row.status === 'pending' && row.expiresAt.getTime() <= deps.clock.now().getTime())
    throw new AppError('ERR_INVITATION_EXPIRED');
  return {
    id: row.id,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    email: row.email,
    status: row.status,
  };
}

/**
 * The invitee accepts with their service account, which must be the one of the invited address.
 * The administrators are told (mail) and must confirm before anything is granted.
 * @throws {AppError} ERR_LINK_INVALID, ERR_INVITATION_EXPIRED, ERR_INVITATION_EMAIL_MISMATCH, ERR_ALREADY_MEMBER
 */
export async function acceptInvitation(
  deps: Deps,
  input: { tenant: Tenant; token: string; account: Account; ipPrefix: string | undefined },
): Promise<InvitationView> {
  const invitation = await invitationByToken(deps, input.tenant.id, input.token);
  if (normaliseEmail(input.account.email) !== invitation.email)
    throw new AppError('ERR_INVITATION_EMAIL_MISMATCH');
  const tenantId = input.tenant.id;
  return deps.db.transaction(async (tx) => {
    await lockOrganisation(tx, tenantId, invitation.organisationId);
    if (await isMemberRow(tx, tenantId, invitation.organisationId, input.account.id))
      throw new AppError('ERR_ALREADY_MEMBER');
    const now = deps.clock.now();
    if (!(await markAccepted(tx, tenantId, invitation.id, input.account.id, now)))
      return { ...invitation, status: 'accepted' as const };
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'account', id: input.account.id },
      action: 'organisation.invitation_accepted',
      subject: { kind: 'organisation', id: invitation.organisationId },
      ipPrefix: input.ipPrefix,
    });
    const who =
      input.account.displayName === null
        ? input.account.email
        : `${input.account.displayName} (${input.account.email})`;
    for (const a of await adminAddresses(tx, tenantId, invitation.organisationId)) {
      await deps.mailer.send(
        invitationAcceptedMail(a.email, a.locale ?? 'de', {
          organisation: invitation.organisationName,
          who,
          tenantName: input.tenant.name,
          link: orgLink(input.tenant, deps, invitation.organisationId, '/members'),
        }),
      );
    }
    return { ...invitation, status: 'accepted' as const };
  });
}

/**
 * An administrator confirms an accepted invitation: the account becomes a member now.
 * @throws {AppError} ERR_NOT_FOUND, ERR_ORG_ADMIN_REQUIRED, ERR_ALREADY_MEMBER
 */
export async function confirmInvitation(
  deps: Deps,
  input: {
    tenant: Tenant;
    organisationId: string;
    invitationId: string;
    admin: Account;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  const tenantId = input.tenant.id;
  const organisationId = input.organisationId;
  await deps.db.transaction(async (tx) => {
    await lockOrganisation(tx, tenantId, organisationId);
    const { organisation } = await requireAdmin(tx, tenantId, organisationId, input.admin.id);
    const accountId = await acceptedBy(tx, tenantId, organisationId, input.invitationId);
    if (accountId === undefined) throw new AppError('ERR_NOT_FOUND');
    const member = await getAccount(tx, tenantId, accountId);
    if (member === undefined) throw new AppError('ERR_NOT_FOUND');
    const now = deps.clock.now();
    if (
      !(await insertMember(tx, {
        tenantId,
        organisationId,
        accountId: member.id,
        role: 'member',
        since: now,
      }))
    )
      throw new AppError('ERR_ALREADY_MEMBER');
    await markConfirmed(tx, tenantId, input.invitationId, input.admin.id, now);
    await logGrant(tx, {
      tenantId,
      organisationId,
      account: member,
      action: 'granted',
      at: now,
      by: input.admin,
    });
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'account', id: input.admin.id },
      action: 'organisation.member_granted',
      subject: { kind: 'account', id: member.id },
      ipPrefix: input.ipPrefix,
      details: { organisation: organisationId },
    });
    const locale = await accountLocale(tx, tenantId, member.id);
    await deps.mailer.send(
      accessGrantedMail(member.email, locale ?? input.tenant.settings.defaultLocale ?? 'de', {
        organisation: organisation.name,
        tenantName: input.tenant.name,
        link: orgLink(input.tenant, deps, organisationId),
      }),
    );
  });
}

/**
 * An administrator declines an accepted invitation or withdraws an open one.
 * @throws {AppError} ERR_NOT_FOUND, ERR_ORG_ADMIN_REQUIRED
 */
export async function closeInvitation(
  deps: Deps,
  input: {
    tenantId: string;
    organisationId: string;
    invitationId: string;
    admin: Account;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await requireAdmin(tx, input.tenantId, input.organisationId, input.admin.id);
    const now = deps.clock.now();
    const closed = await markClosed(tx, {
      tenantId: input.tenantId,
      organisationId: input.organisationId,
      invitationId: input.invitationId,
      by: input.admin.id,
      at: now,
    });
    if (!closed) throw new AppError('ERR_NOT_FOUND');
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.admin.id },
      action: 'organisation.invitation_closed',
      subject: { kind: 'organisation', id: input.organisationId },
      ipPrefix: input.ipPrefix,
    });
  });
}

/** Invitations waiting for this account (by its address), for its start page. */
export async function invitationsFor(
  q: Queryable,
  tenantId: string,
  email: string,
  now: Date,
): Promise<{ organisationName: string; status: InvitationStatus }[]> {
  return invitationsForEmail(q, tenantId, normaliseEmail(email), now);
}
