import type { AppDeps } from '../../deps.ts';
import { DAY } from '../../adapters/clock.ts';
import { drainBlobQueue } from './blob-drain.ts';
import { transferPolicy } from './policy.ts';
import { DRAFT_LIFETIME_MS } from './policy.ts';
import { listTenants } from '../tenants/index.ts';
import { deleteAbandonedDraftBatch, deleteEndedTransferBatch, endExpiredBatch } from './store/expiry.ts';

type Deps = Pick<AppDeps, 'db' | 'blobs' | 'clock'>;

export interface SweepResult {
  expired: number;
  abandonedDrafts: number;
  metadataDeleted: number;
  blobsDeleted: number;
}

/** Transfers per statement: large enough that round trips vanish, small enough to commit often. */
export const SWEEP_BATCH = 2000;

/**
 * Ends what has run out: expired transfers lose their keys and content, drafts nobody sent are
 * removed, and ended transfers disappear entirely once the tenant's metadata retention is over.
 * Set-based, one statement and one transaction per batch, so a crash loses at most the batch in
 * hand (rolled back, done again by the next run). Safe with several nodes: rows are claimed with
 * SKIP LOCKED, and every step is idempotent.
 */
export async function sweepTransfers(deps: Deps, batch = SWEEP_BATCH): Promise<SweepResult> {
  const now = deps.clock.now();
  let expired = 0;
  for (;;) {
    const n = await deps.db.transaction((tx) => endExpiredBatch(tx, now, batch));
    expired += n;
    if (n < batch) break;
  }

  // Drafts are deleted outright (their rows cascade); only their blobs need queueing first.
  let abandoned = 0;
  for (;;) {
    const n = await deleteAbandonedDraftBatch(
      deps.db,
      now,
      new Date(now.getTime() - DRAFT_LIFETIME_MS),
      batch,
    );
    abandoned += n;
    if (n < batch) break;
  }

  let metadataDeleted = 0;
  for (const tenant of await listTenants(deps.db)) {
    const cutoff = new Date(now.getTime() - transferPolicy(tenant).metadataRetentionDays * DAY);
    for (;;) {
      // The deletion itself is on record, per batch so that a crash cannot separate the two.
      const n = await deleteEndedTransferBatch(deps.db, tenant.id, cutoff, now, batch);
      metadataDeleted += n;
      if (n < batch) break;
    }
  }

  const blobsDeleted = await drainBlobQueue(deps);
  return { expired, abandonedDrafts: abandoned, metadataDeleted, blobsDeleted };
}
