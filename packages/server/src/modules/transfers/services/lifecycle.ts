import type { Queryable } from '../../../adapters/db/index.ts';
import { DAY } from '../../../adapters/clock.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import type { Staff } from '../../staff/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { endPickedTransfers } from '../store/expiry.ts';
import { transferPolicy } from '../policy.ts';
import { destroyContent } from '../storage.ts';
import { lockTransferRow, setTransferExpiry } from '../store/transfer-rows.ts';
import { effectiveStatus } from '../views.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'blobs'>;

/**
 * Revokes a sent transfer: links stop working at once and the content is destroyed.
 * @throws {AppError} ERR_NOT_FOUND unless the staff member sent it and it is still live.
 */
export async function revokeTransfer(
  deps: Deps,
  tenant: Tenant,
  staff: Staff,
  id: string,
  ipPrefix: string | undefined,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await lockTransferRow(tx, tenant.id, id);
    if (row?.sender_staff_id !== staff.id || row.ended_at !== null || row.status === 'draft')
      throw new AppError('ERR_NOT_FOUND');
    await endTransfer(tx, deps, tenant.id, id, 'revoked');
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: deps.clock.now(),
      actor: { kind: 'staff', id: staff.id },
      action: 'transfer.revoked',
      subject: { kind: 'transfer', id },
      ipPrefix,
    });
  });
  await destroyContent(deps, tenant.id, id);
}

/**
 * Moves the expiry of a live transfer, within the tenant's maximum counted from sending.
 * @throws {AppError} ERR_NOT_FOUND; ERR_EXPIRY_TOO_LONG.
 */
export async function extendTransfer(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenant: Tenant,
  staff: Staff,
  id: string,
  days: number,
  ipPrefix: string | undefined,
): Promise<Date> {
  return deps.db.transaction(async (tx) => {
    const row = await lockTransferRow(tx, tenant.id, id);
    const now = deps.clock.now();
    if (row?.sender_staff_id !== staff.id || row.sent_at === null || effectiveStatus(row, now) !== 'sent')
      throw new AppError('ERR_NOT_FOUND');
    const policy = transferPolicy(tenant);
    const until = new Date(now.getTime() + days * DAY);
    if (until.getTime() > row.sent_at.getTime() + policy.maxExpiryDays * DAY) {
      throw new AppError('ERR_EXPIRY_TOO_LONG', { fields: [{ field: 'days', code: 'ERR_EXPIRY_TOO_LONG' }] });
    }
    await setTransferExpiry(tx, tenant.id, id, until);
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor: { kind: 'staff', id: staff.id },
      action: 'transfer.extended',
      subject: { kind: 'transfer', id },
      ipPrefix,
      details: { days },
    });
    return until;
  });
}

/**
 * Ends a transfer: marks it, forgets the content key and file keys (so nothing that survives
 * anywhere can be decrypted), and queues its blobs for deletion. Blob deletion itself happens
 * after commit (destroyContent) and is retried by the sweep until it succeeds.
 */
export async function endTransfer(
  tx: Queryable,
  deps: Pick<Deps, 'clock'>,
  tenantId: string,
  id: string,
  status: 'revoked' | 'expired',
): Promise<void> {
  // The sweep's statement, for one transfer: what an ending destroys is written down once.
  await endPickedTransfers(
    tx,
    `SELECT tenant_id, id FROM transfers WHERE tenant_id = $3 AND id = $4 FOR UPDATE`,
    [deps.clock.now(), status, tenantId, id],
  );
}
