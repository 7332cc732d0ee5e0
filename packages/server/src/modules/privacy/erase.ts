import type { Queryable } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { deleteAccountRow, deleteWebauthnChallengesOf, lockAccountForErasure } from '../accounts/index.ts';
import type { ActorKind } from '../audit/index.ts';
import { recordAudit } from '../audit/index.ts';
import { deleteEmailCodesFor, deleteOidcLoginsOf } from '../auth/index.ts';
import { deleteSessionsFrom as deleteDropoffSessionsFrom } from '../dropoff/index.ts';
import {
  deleteOrganisationRow,
  leaveAllOrganisations,
  logGrant,
  makeAdmin,
  removeMembership,
  soleAdminOf,
  successorOf,
} from '../organisations/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { deleteTransferRow, endTransfer, unsentDraftsOf } from '../transfers/index.ts';
import type { ErasureStep } from './erasure-steps.ts';
import { runErasureSteps } from './erasure-steps.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'logger'>;

/** Why a service account is deleted; recorded in the audit event (no personal data). */
export type AccountDeletionReason = 'inactivity' | 'self-service' | 'admin-request';

/**
 * Deletes a service account for good, inside the caller's transaction: the account row and with
 * it (by cascade) its sessions, password hash, TOTP key, recovery codes, passkeys, identities,
 * memberships and organisation key shares; its pending codes, challenges and sign-ins by address;
 * its unsent reply drafts (their blobs are queued for deletion: drain after commit); its
 * later modules' records of it (`alsoErase`: the retention module's notices). Organisations it
 * leaves get their usual "member left" notice.
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
    /** The later modules' part (see LaterErasure). */
    alsoErase: readonly ErasureStep[];
  },
): Promise<boolean> {
  const tenantId = input.tenant.id;
  const account = await lockAccountForErasure(tx, tenantId, input.accountId);
  if (account === undefined) return false;
  const now = deps.clock.now();

  const sole = await soleAdminOf(tx, tenantId, account.id);
  if (sole.length > 0 && input.enforceLastAdmin) {
    throw new AppError('ERR_ORG_LAST_ADMIN');
  }
  for (const org of sole) {
    const successor = await successorOf(tx, tenantId, org.id, account.id);
    if (successor === undefined) {
      // The only member: the organisation stays (its contact address still gets the announcement
      // of its own inactivity rule, with the link to keep it); only the membership goes.
      await removeMembership(tx, tenantId, org.id, account.id);
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
    await makeAdmin(tx, tenantId, org.id, successor.accountId);
    await logGrant(tx, {
      tenantId,
      organisationId: org.id,
      account: { id: successor.accountId, email: successor.email },
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
  for (const draftId of await unsentDraftsOf(tx, tenantId, account.id)) {
    await endTransfer(tx, deps, tenantId, draftId, 'expired');
    await deleteTransferRow(tx, tenantId, draftId);
  }

  await deleteEmailCodesFor(tx, tenantId, account.email);
  await deleteDropoffSessionsFrom(tx, tenantId, account.email);
  await deleteWebauthnChallengesOf(tx, tenantId, account.id);
  await deleteOidcLoginsOf(tx, tenantId, account.id);
  await runErasureSteps(input.alsoErase, tx, tenantId, account.id);
  await deleteAccountRow(tx, tenantId, account.id);
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
 * invitations, grant log, notices and keys go with it (cascade), and the later modules' records
 * of it (`alsoErase`); transfers addressed to it stay with their senders as metadata.
 */
export async function eraseOrganisation(
  tx: Queryable,
  deps: Pick<Deps, 'clock'>,
  input: {
    tenantId: string;
    organisationId: string;
    reason: 'inactivity';
    alsoErase: readonly ErasureStep[];
  },
): Promise<boolean> {
  const deleted = await deleteOrganisationRow(tx, input.tenantId, input.organisationId);
  await runErasureSteps(input.alsoErase, tx, input.tenantId, input.organisationId);
  if (!deleted) return false;
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
