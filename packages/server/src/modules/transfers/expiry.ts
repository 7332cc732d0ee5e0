import type { AppDeps } from '../../deps.ts';
import { DAY } from '../../adapters/clock.ts';
import { recordAudit } from '../audit/service.ts';
import { transferPolicy } from './policy.ts';
import { DRAFT_LIFETIME_MS } from './policy.ts';
import { endTransfer } from './service.ts';
import { drainBlobDeletions } from './storage.ts';
import { listTenants } from '../tenants/service.ts';

type Deps = Pick<AppDeps, 'db' | 'blobs' | 'clock'>;

export interface SweepResult {
  expired: number;
  abandonedDrafts: number;
  metadataDeleted: number;
  blobsDeleted: number;
}

/**
 * Ends what has run out: expired transfers lose their keys and content, drafts nobody sent are
 * removed, and ended transfers disappear entirely once the tenant's metadata retention is over.
 * Safe with several nodes: rows are claimed with SKIP LOCKED, and every step is idempotent.
 */
export async function sweepTransfers(deps: Deps, batch = 500): Promise<SweepResult> {
  const now = deps.clock.now();
  let expired = 0;
  for (;;) {
    const n = await deps.db.transaction(async (tx) => {
      const rows = await tx.query<{ tenant_id: string; id: string }>(
        `SELECT tenant_id, id FROM transfers WHERE ended_at IS NULL AND status = 'sent' AND expires_at <= $1
         ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, batch],
      );
      for (const r of rows) {
        await endTransfer(tx, deps, r.tenant_id, r.id, 'expired');
        await recordAudit(tx, { tenantId: r.tenant_id, at: now, actor: { kind: 'system' }, action: 'transfer.expired', subject: { kind: 'transfer', id: r.id } });
      }
      return rows.length;
    });
    expired += n;
    if (n < batch) break;
  }

  const abandoned = await deps.db.transaction(async (tx) => {
    const rows = await tx.query<{ tenant_id: string; id: string }>(
      `SELECT tenant_id, id FROM transfers WHERE status = 'draft' AND created_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [new Date(now.getTime() - DRAFT_LIFETIME_MS), batch],
    );
    for (const r of rows) {
      await endTransfer(tx, deps, r.tenant_id, r.id, 'expired');
      await tx.query(`DELETE FROM transfers WHERE tenant_id = $1 AND id = $2`, [r.tenant_id, r.id]);
    }
    return rows.length;
  });

  let metadataDeleted = 0;
  for (const tenant of await listTenants(deps.db)) {
    const cutoff = new Date(now.getTime() - transferPolicy(tenant).metadataRetentionDays * DAY);
    metadataDeleted += await deps.db.transaction(async (tx) => {
      const rows = await tx.query(
        `DELETE FROM transfers WHERE tenant_id = $1 AND ended_at IS NOT NULL AND ended_at <= $2 AND id NOT IN (
           SELECT in_reply_to FROM transfers WHERE tenant_id = $1 AND in_reply_to IS NOT NULL AND ended_at IS NULL)
         RETURNING 1`,
        [tenant.id, cutoff],
      );
      // The deletion itself is on record (rule and count, nothing about whom it concerned).
      if (rows.length > 0) {
        await recordAudit(tx, { tenantId: tenant.id, at: now, actor: { kind: 'system' }, action: 'retention.deleted', details: { rule: 'transfers.metadata', count: rows.length } });
      }
      return rows.length;
    });
  }

  const blobsDeleted = await drainBlobDeletions(deps);
  return { expired, abandonedDrafts: abandoned, metadataDeleted, blobsDeleted };
}
