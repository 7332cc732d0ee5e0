import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { Account } from '../accounts/service.ts';
import type { ActorKind } from '../audit/service.ts';
import { recordAudit } from '../audit/service.ts';
import { leaveAllOrganisations, soleAdminOf } from '../organisations/members.ts';
import { logGrant } from '../organisations/service.ts';
import type { Tenant } from '../tenants/service.ts';
import { endTransfer } from '../transfers/service.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'logger'>;

/** Why a service account is deleted; recorded in the audit event (no personal data). */
export type AccountDeletionReason = 'inactivity' | 'self-service' | 'admin-request';

/**
 * Deletes a service account for good, inside the caller's transaction: the account row and with
 * it (by cascade) its sessions, password hash, TOTP key, recovery codes, passkeys, identities,
 * memberships and organisation key shares; its pending codes, challenges and sign-ins by address;
 * its unsent reply drafts (their blobs are queued for deletion: drain after commit); its
 * retention notices. Organisations it leaves get their usual "member left" notice.
 *
 * The last-admin rule: a person deleting their own account (or an admin doing it for them) is
 * refused while they are the only administrator of an organisation (`ERR_ORG_LAST_ADMIN`). The
 * inactivity rule cannot ask anyone, so there the longest-standing other member becomes
 * administrator; an organisation left without members stays until its own inactivity rule
 * (announced to its contact address, with the link to keep it) deletes it.
 *
 * What stays is the authority's record, not the account: transfers it sent stay with their
 * recipients until their own retention ends (unlinked from the account), and entries of the
 * organisation grant log keep the address until the yearly report (as the terms say).
 * @returns false when there is no such account (already deleted: idempotent).
 * @throws {AppError} ERR_ORG_LAST_ADMIN when `enforceLastAdmin` and the account is a sole admin.
 */
export async function eraseServiceAccount(
  tx: Queryable,
  deps: Deps,
  input: {
    tenant: Tenant;
    accountId: string;
    reason: AccountDeletionReason;
    actor: { kind: ActorKind; id?: string };
    ipPrefix?: string | undefined;
    enforceLastAdmin: boolean;
  },
): Promise<boolean> {
  const tenantId = input.tenant.id;
  const account = await one<Account>(
    tx,
    `SELECT id, tenant_id AS "tenantId", email, display_name AS "displayName" FROM accounts WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, input.accountId],
  );
  if (account === undefined) return false;
  const now = deps.clock.now();

  const sole = await soleAdminOf(tx, tenantId, account.id);
  if (sole.length > 0 && input.enforceLastAdmin) {
    throw new AppError('ERR_ORG_LAST_ADMIN');
  }
  for (const org of sole) {
    const successor = await one<{ account_id: string; email: string }>(
      tx,
      `SELECT m.account_id, a.email FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
       WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND m.account_id <> $3 ORDER BY m.since, m.account_id LIMIT 1`,
      [tenantId, org.id, account.id],
    );
    if (successor === undefined) {
      // The only member: the organisation stays (its contact address still gets the announcement
      // of its own inactivity rule, with the link to keep it); only the membership goes.
      await tx.query(
        `DELETE FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
        [tenantId, org.id, account.id],
      );
      await logGrant(tx, {
        tenantId,
        organisationId: org.id,
        account,
        action: 'left',
        at: now,
        by: undefined,
      });
      continue;
    }
    await tx.query(
      `UPDATE organisation_members SET role = 'admin' WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
      [tenantId, org.id, successor.account_id],
    );
    await logGrant(tx, {
      tenantId,
      organisationId: org.id,
      account: { id: successor.account_id, email: successor.email },
      action: 'admin-granted',
      at: now,
      by: undefined,
    });
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'system' },
      action: 'organisation.admin_succeeded',
      subject: { kind: 'organisation', id: org.id },
      details: { reason: 'last-admin-deleted' },
    });
  }
  await leaveAllOrganisations(tx, deps, { tenant: input.tenant, account });

  // Reply drafts never sent: their content goes now (blobs via the deletion queue).
  const drafts = await tx.query<{ id: string }>(
    `SELECT id FROM transfers WHERE tenant_id = $1 AND sender_account_id = $2 AND status = 'draft'`,
    [tenantId, account.id],
  );
  for (const d of drafts) {
    await endTransfer(tx, deps, tenantId, d.id, 'expired');
    await tx.query(`DELETE FROM transfers WHERE tenant_id = $1 AND id = $2`, [tenantId, d.id]);
  }

  await tx.query(`DELETE FROM email_codes WHERE tenant_id = $1 AND email = $2`, [tenantId, account.email]);
  await tx.query(`DELETE FROM dropoff_sessions WHERE tenant_id = $1 AND email = $2`, [
    tenantId,
    account.email,
  ]);
  await tx.query(`DELETE FROM webauthn_challenges WHERE tenant_id = $1 AND account_id = $2`, [
    tenantId,
    account.id,
  ]);
  await tx.query(`DELETE FROM oidc_logins WHERE tenant_id = $1 AND account_id = $2`, [tenantId, account.id]);
  await tx.query(`DELETE FROM retention_notices WHERE tenant_id = $1 AND subject_id = $2`, [
    tenantId,
    account.id,
  ]);
  await tx.query(`DELETE FROM accounts WHERE tenant_id = $1 AND id = $2`, [tenantId, account.id]);
  await recordAudit(tx, {
    tenantId,
    at: now,
    actor: input.actor,
    action: 'account.deleted',
    subject: { kind: 'account', id: account.id },
    ipPrefix: input.ipPrefix,
    details: { reason: input.reason },
  });
  return true;
}

/**
 * Deletes an organisation account for inactivity, inside the caller's transaction. Members,
 * invitations, grant log, notices and keys go with it (cascade); transfers addressed to it stay
 * with their senders as metadata.
 */
export async function eraseOrganisation(
  tx: Queryable,
  deps: Pick<Deps, 'clock'>,
  input: { tenantId: string; organisationId: string; reason: 'inactivity' },
): Promise<boolean> {
  const rows = await tx.query(`DELETE FROM organisations WHERE tenant_id = $1 AND id = $2 RETURNING 1`, [
    input.tenantId,
    input.organisationId,
  ]);
  await tx.query(`DELETE FROM retention_notices WHERE tenant_id = $1 AND subject_id = $2`, [
    input.tenantId,
    input.organisationId,
  ]);
  if (rows.length === 0) return false;
  await recordAudit(tx, {
    tenantId: input.tenantId,
    at: deps.clock.now(),
    actor: { kind: 'system' },
    action: 'organisation.deleted',
    subject: { kind: 'organisation', id: input.organisationId },
    details: { reason: input.reason },
  });
  return true;
}
