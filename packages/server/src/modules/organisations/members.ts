import { DAY } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import { hashToken, looksLikeToken } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { tenantBaseUrl } from '../../http/urls.ts';
import { recordAudit } from '../audit/service.ts';
import type { Account } from '../accounts/service.ts';
import { getAccount } from '../accounts/service.ts';
import { normaliseEmail } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';
import {
  accessGrantedMail,
  invitationAcceptedMail,
  organisationInvitationMail,
  postboxNotificationMail,
} from './mails.ts';
import { addNotice } from './notices.ts';
import type { Role } from './service.ts';
import { logGrant, requireAdmin, requireMember } from './service.ts';

/**
 * Members of an organisation, the Amt24 way: an administrator invites by e-mail, the invitee
 * accepts with the service account of exactly that address, and an administrator confirms once
 * more before access is granted. Administrators revoke access and appoint administrators; the
 * last administrator can neither leave nor be removed. Every grant and revocation goes into the
 * grant log.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config'>;

export const INVITATION_LIFETIME_MS = 14 * DAY;

export interface Member {
  accountId: string;
  email: string;
  displayName: string | null;
  role: Role;
  since: Date;
}

export type InvitationStatus = 'pending' | 'accepted' | 'confirmed' | 'declined' | 'withdrawn';

export interface Invitation {
  id: string;
  email: string;
  status: InvitationStatus;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedByEmail: string | null;
  acceptedByName: string | null;
}

function orgLink(tenant: Tenant, deps: Pick<Deps, 'config'>, organisationId: string, sub = ''): string {
  return `${tenantBaseUrl(tenant, deps.config)}/organisations/${organisationId}${sub}`;
}

/** Locks the organisation row: membership changes of one organisation happen one after another. */
async function lockOrganisation(tx: Queryable, tenantId: string, organisationId: string): Promise<void> {
  await tx.query(`SELECT id FROM organisations WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [
    tenantId,
    organisationId,
  ]);
}

async function adminCount(q: Queryable, tenantId: string, organisationId: string): Promise<number> {
  const row = await one<{ n: number }>(
    q,
    `SELECT count(*)::int AS n FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND role = 'admin'`,
    [tenantId, organisationId],
  );
  return row?.n ?? 0;
}

async function accountOf(q: Queryable, tenantId: string, accountId: string): Promise<Account> {
  const a = await getAccount(q, tenantId, accountId);
  if (a === undefined) throw new AppError('ERR_NOT_FOUND');
  return a;
}

export async function listMembers(q: Queryable, tenantId: string, organisationId: string): Promise<Member[]> {
  return q.query<Member>(
    `SELECT m.account_id AS "accountId", a.email, a.display_name AS "displayName", m.role, m.since
     FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 ORDER BY m.role, lower(coalesce(a.display_name, a.email))`,
    [tenantId, organisationId],
  );
}

export async function listInvitations(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<Invitation[]> {
  return q.query<Invitation>(
    `SELECT i.id, i.email, i.status, i.created_at AS "createdAt", i.expires_at AS "expiresAt", i.accepted_at AS "acceptedAt",
       a.email AS "acceptedByEmail", a.display_name AS "acceptedByName"
     FROM organisation_invitations i LEFT JOIN accounts a ON a.tenant_id = i.tenant_id AND a.id = i.accepted_by
     WHERE i.tenant_id = $1 AND i.organisation_id = $2 AND i.status IN ('pending', 'accepted') ORDER BY i.created_at DESC`,
    [tenantId, organisationId],
  );
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
    locale: 'de' | 'en';
    ipPrefix: string | undefined;
  },
): Promise<{ id: string; link: string }> {
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'email', code: 'ERR_VALIDATION' }] });
  const tenantId = input.tenant.id;
  return deps.db.transaction(async (tx) => {
    await lockOrganisation(tx, tenantId, input.organisationId);
    const { organisation } = await requireAdmin(tx, tenantId, input.organisationId, input.admin.id);
    const already = await one(
      tx,
      `SELECT 1 AS x FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
       WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND a.email = $3`,
      [tenantId, input.organisationId, email],
    );
    if (already !== undefined)
      throw new AppError('ERR_ALREADY_MEMBER', { fields: [{ field: 'email', code: 'ERR_ALREADY_MEMBER' }] });
    const now = deps.clock.now();
    await tx.query(
      `UPDATE organisation_invitations SET status = 'withdrawn', decided_by = $4, decided_at = $5 WHERE tenant_id = $1 AND organisation_id = $2 AND email = $3 AND status IN ('pending', 'accepted')`,
      [tenantId, input.organisationId, email, input.admin.id, now],
    );
    const id = deps.secrets.id();
    const token = deps.secrets.token();
    await tx.query(
      `INSERT INTO organisation_invitations (tenant_id, id, organisation_id, email, token_hash, status, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8)`,
      [
        tenantId,
        id,
        input.organisationId,
        email,
        hashToken(token),
        input.admin.id,
        now,
        new Date(now.getTime() + INVITATION_LIFETIME_MS),
      ],
    );
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'account', id: input.admin.id },
      action: 'organisation.member_invited',
      subject: { kind: 'organisation', id: input.organisationId },
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

export interface InvitationView {
  id: string;
  organisationId: string;
  organisationName: string;
  email: string;
  status: InvitationStatus;
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
  const row = await one<InvitationView & { expiresAt: Date }>(
    deps.db,
    `SELECT i.id, i.organisation_id AS "organisationId", o.name AS "organisationName", i.email, i.status, i.expires_at AS "expiresAt"
     FROM organisation_invitations i JOIN organisations o ON o.tenant_id = i.tenant_id AND o.id = i.organisation_id
     WHERE i.token_hash = $1 AND i.tenant_id = $2`,
    [hashToken(token), tenantId],
  );
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
    const member = await one(
      tx,
      `SELECT 1 AS x FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
      [tenantId, invitation.organisationId, input.account.id],
    );
    if (member !== undefined) throw new AppError('ERR_ALREADY_MEMBER');
    const now = deps.clock.now();
    const updated = await tx.query(
      `UPDATE organisation_invitations SET status = 'accepted', accepted_by = $3, accepted_at = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'pending' AND expires_at > $4 RETURNING id`,
      [tenantId, invitation.id, input.account.id, now],
    );
    if (updated.length === 0) return { ...invitation, status: 'accepted' as const };
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'account', id: input.account.id },
      action: 'organisation.invitation_accepted',
      subject: { kind: 'organisation', id: invitation.organisationId },
      ipPrefix: input.ipPrefix,
    });
    const admins = await tx.query<{ email: string; locale: 'de' | 'en' | null }>(
      `SELECT a.email, a.locale FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
       WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND m.role = 'admin'`,
      [tenantId, invitation.organisationId],
    );
    const who =
      input.account.displayName === null
        ? input.account.email
        : `${input.account.displayName} (${input.account.email})`;
    for (const a of admins) {
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
  await deps.db.transaction(async (tx) => {
    await lockOrganisation(tx, tenantId, input.organisationId);
    const { organisation } = await requireAdmin(tx, tenantId, input.organisationId, input.admin.id);
    const inv = await one<{ accepted_by: string | null }>(
      tx,
      `SELECT accepted_by FROM organisation_invitations WHERE tenant_id = $1 AND organisation_id = $2 AND id = $3 AND status = 'accepted' FOR UPDATE`,
      [tenantId, input.organisationId, input.invitationId],
    );
    if (inv?.accepted_by == null) throw new AppError('ERR_NOT_FOUND');
    const member = await accountOf(tx, tenantId, inv.accepted_by);
    const now = deps.clock.now();
    const added = await tx.query(
      `INSERT INTO organisation_members (tenant_id, organisation_id, account_id, role, since) VALUES ($1, $2, $3, 'member', $4) ON CONFLICT DO NOTHING RETURNING account_id`,
      [tenantId, input.organisationId, member.id, now],
    );
    if (added.length === 0) throw new AppError('ERR_ALREADY_MEMBER');
    await tx.query(
      `UPDATE organisation_invitations SET status = 'confirmed', decided_by = $3, decided_at = $4 WHERE tenant_id = $1 AND id = $2`,
      [tenantId, input.invitationId, input.admin.id, now],
    );
    await logGrant(tx, {
      tenantId,
      organisationId: input.organisationId,
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
      details: { organisation: input.organisationId },
    });
    const lang = await one<{ locale: 'de' | 'en' | null }>(
      tx,
      `SELECT locale FROM accounts WHERE tenant_id = $1 AND id = $2`,
      [tenantId, member.id],
    );
    await deps.mailer.send(
      accessGrantedMail(member.email, lang?.locale ?? input.tenant.settings.defaultLocale ?? 'de', {
        organisation: organisation.name,
        tenantName: input.tenant.name,
        link: orgLink(input.tenant, deps, input.organisationId),
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
    const rows = await tx.query(
      `UPDATE organisation_invitations SET status = CASE WHEN status = 'accepted' THEN 'declined' ELSE 'withdrawn' END, decided_by = $4, decided_at = $5
       WHERE tenant_id = $1 AND organisation_id = $2 AND id = $3 AND status IN ('pending', 'accepted') RETURNING id`,
      [input.tenantId, input.organisationId, input.invitationId, input.admin.id, now],
    );
    if (rows.length === 0) throw new AppError('ERR_NOT_FOUND');
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
  await deps.db.transaction(async (tx) => {
    await lockOrganisation(tx, input.tenantId, input.organisationId);
    await requireAdmin(tx, input.tenantId, input.organisationId, input.admin.id);
    const current = await one<{ role: Role }>(
      tx,
      `SELECT role FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
      [input.tenantId, input.organisationId, input.accountId],
    );
    if (current === undefined) throw new AppError('ERR_NOT_FOUND');
    if (current.role === input.role) return;
    if (current.role === 'admin' && (await adminCount(tx, input.tenantId, input.organisationId)) <= 1)
      throw new AppError('ERR_ORG_LAST_ADMIN');
    await tx.query(
      `UPDATE organisation_members SET role = $4 WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
      [input.tenantId, input.organisationId, input.accountId, input.role],
    );
    const now = deps.clock.now();
    const member = await accountOf(tx, input.tenantId, input.accountId);
    await logGrant(tx, {
      tenantId: input.tenantId,
      organisationId: input.organisationId,
      account: member,
      action: input.role === 'admin' ? 'admin-granted' : 'admin-revoked',
      at: now,
      by: input.admin,
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.admin.id },
      action: input.role === 'admin' ? 'organisation.admin_granted' : 'organisation.admin_revoked',
      subject: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
      details: { organisation: input.organisationId },
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
  await deps.db.transaction(async (tx) => {
    await lockOrganisation(tx, tenantId, input.organisationId);
    await requireAdmin(tx, tenantId, input.organisationId, input.admin.id);
    const current = await one<{ role: Role }>(
      tx,
      `SELECT role FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
      [tenantId, input.organisationId, input.accountId],
    );
    if (current === undefined) throw new AppError('ERR_NOT_FOUND');
    if (current.role === 'admin' && (await adminCount(tx, tenantId, input.organisationId)) <= 1)
      throw new AppError('ERR_ORG_LAST_ADMIN');
    const member = await accountOf(tx, tenantId, input.accountId);
    await tx.query(
      `DELETE FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
      [tenantId, input.organisationId, input.accountId],
    );
    const now = deps.clock.now();
    await logGrant(tx, {
      tenantId,
      organisationId: input.organisationId,
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
      subject: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
      details: { organisation: input.organisationId },
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
  const current = await one<{ role: Role }>(
    tx,
    `SELECT role FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
    [tenantId, input.organisationId, input.account.id],
  );
  if (current === undefined) throw new AppError('ERR_NOT_FOUND');
  if (current.role === 'admin' && (await adminCount(tx, tenantId, input.organisationId)) <= 1)
    throw new AppError('ERR_ORG_LAST_ADMIN');
  await tx.query(
    `DELETE FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
    [tenantId, input.organisationId, input.account.id],
  );
  const now = deps.clock.now();
  await logGrant(tx, {
    tenantId,
    organisationId: input.organisationId,
    account: input.account,
    action: 'left',
    at: now,
    by: input.account,
  });
  await addNotice(tx, deps, {
    tenantId,
    organisationId: input.organisationId,
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
  const org = await one<{ name: string; contact_email: string }>(
    tx,
    `SELECT name, contact_email FROM organisations WHERE tenant_id = $1 AND id = $2`,
    [tenantId, input.organisationId],
  );
  if (org !== undefined) {
    await deps.mailer.send(
      postboxNotificationMail(org.contact_email, input.tenant.settings.defaultLocale ?? 'de', {
        organisation: org.name,
        tenantName: input.tenant.name,
        link: orgLink(input.tenant, deps, input.organisationId),
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
  const orgs = await tx.query<{ organisation_id: string }>(
    `SELECT organisation_id FROM organisation_members WHERE tenant_id = $1 AND account_id = $2 ORDER BY organisation_id`,
    [input.tenant.id, input.account.id],
  );
  for (const o of orgs) {
    await lockOrganisation(tx, input.tenant.id, o.organisation_id);
    await removeLeaving(tx, deps, {
      tenant: input.tenant,
      organisationId: o.organisation_id,
      account: input.account,
      how: 'deleted',
    });
  }
}

/** Organisations where this account is the only administrator (deleting it is refused). */
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

/** Invitations waiting for this account (by its address), for its start page. */
export async function invitationsFor(
  q: Queryable,
  tenantId: string,
  email: string,
  now: Date,
): Promise<{ organisationName: string; status: InvitationStatus }[]> {
  return q.query(
    `SELECT o.name AS "organisationName", i.status FROM organisation_invitations i JOIN organisations o ON o.tenant_id = i.tenant_id AND o.id = i.organisation_id
     WHERE i.tenant_id = $1 AND i.email = $2 AND (i.status = 'accepted' OR (i.status = 'pending' AND i.expires_at > $3)) ORDER BY i.created_at DESC`,
    [tenantId, normaliseEmail(email), now],
  );
}
