import type { FastifyReply } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { findAccountByEmail } from '../../accounts/index.ts';
import { recordAudit } from '../../audit/index.ts';
import type { SignedInAccount } from '../../auth/index.ts';
import type { Staff } from '../../staff/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { drainBlobDeletions } from '../../transfers/index.ts';
import { eraseServiceAccount } from '../erase.ts';
import type { LaterErasure } from '../erasure-steps.ts';
import type { ExportDeps } from '../export.ts';
import { sendExportZip } from '../export-zip.ts';

type Deps = Pick<AppDeps, 'db' | 'blobs' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'logger'>;

interface Caller {
  tenant: Tenant;
  ipPrefix: string | undefined;
}

/** A service account downloads its own data (Art. 15/20 GDPR); the download is on record. */
export async function exportOwnData(
  deps: ExportDeps,
  reply: FastifyReply,
  caller: Caller & { account: Pick<SignedInAccount, 'id' | 'email'> },
): Promise<FastifyReply> {
  const { tenant, account } = caller;
  await recordAudit(deps.db, {
    tenantId: tenant.id,
    at: deps.clock.now(),
    actor: { kind: 'account', id: account.id },
    action: 'privacy.exported',
    subject: { kind: 'account', id: account.id },
    ipPrefix: caller.ipPrefix,
  });
  return sendExportZip(deps, reply, tenant, { accountId: account.id, email: account.email });
}

/**
 * A tenant admin exports what the portal holds about a person, on their request, by address:
 * with or without a service account, on record either way.
 */
export async function exportOnRequest(
  deps: ExportDeps,
  reply: FastifyReply,
  caller: Caller & { admin: Staff; email: string },
): Promise<FastifyReply> {
  const { tenant, admin, email } = caller;
  const account = await findAccountByEmail(deps.db, tenant.id, email);
  await recordAudit(deps.db, {
    tenantId: tenant.id,
    at: deps.clock.now(),
    actor: { kind: 'staff', id: admin.id },
    action: 'privacy.exported',
    ...(account === undefined ? {} : { subject: { kind: 'account', id: account.id } }),
    ipPrefix: caller.ipPrefix,
    details: { onRequest: true, account: account !== undefined },
  });
  return sendExportZip(deps, reply, tenant, { accountId: account?.id, email });
}

/** The service account of an address, for the admin's deletion request. */
export async function accountOfAddress(
  deps: Pick<AppDeps, 'db'>,
  tenant: Tenant,
  email: string,
): Promise<{ id: string } | undefined> {
  return findAccountByEmail(deps.db, tenant.id, email);
}

/**
 * A tenant admin deletes a person's service account on their request: the last-admin rule
 * applies as for the person themselves; the content's blobs go right after the commit.
 * @throws {AppError} ERR_ORG_LAST_ADMIN while the account is an organisation's only administrator
 */
export async function eraseOnRequest(
  deps: Deps,
  caller: Caller & { admin: Staff; accountId: string } & LaterErasure,
): Promise<void> {
  await deps.db.transaction((tx) =>
    eraseServiceAccount(tx, deps, {
      tenant: caller.tenant,
      accountId: caller.accountId,
      reason: 'admin-request',
      actor: { kind: 'staff', id: caller.admin.id },
      ipPrefix: caller.ipPrefix,
      enforceLastAdmin: true,
      alsoErase: caller.alsoErase,
    }),
  );
  await drainBlobDeletions(deps);
}
