import type { Queryable } from '../../adapters/db/index.ts';
import type { JobResult } from '../../job-result.ts';
import { deleteBlobs, forgetBlobDeletions, referencedSegmentBlobs } from '../transfers/index.ts';
import type { RetentionDeps } from './registry.ts';

/**
 * Which blobs under a key prefix are still wanted. A module that stores blobs registers its
 * prefix here; blobs under a prefix nobody registered are never touched by the sweep.
 */
export interface BlobOwner {
  prefix: string;
  /** Of these keys, the ones a row still points to. */
  referenced(q: Queryable, keys: string[]): Promise<Set<string>>;
}

/** Transfer segments: `transfers/<tenant>/<transfer>/<file>/<start>-<nonce>`, one row each. */
export const transferBlobs: BlobOwner = {
  prefix: 'transfers/',
  referenced: referencedSegmentBlobs,
};

export const blobOwners: BlobOwner[] = [transferBlobs];

const BATCH = 500;

/**
 * Removes blobs that no row points to and that are older than the grace period: what a crash
 * between writing a blob and committing its row leaves behind (blob first, then the row, so the
 * reverse — a row without its blob — cannot happen). Young blobs are skipped: their row may be
 * about to commit. Safe on several nodes at once (deleting twice is fine).
 */
export async function sweepOrphanBlobs(
  deps: Pick<RetentionDeps, 'db' | 'blobs'>,
  now: Date,
  graceMs: number,
  owners: readonly BlobOwner[] = blobOwners,
): Promise<JobResult> {
  let scanned = 0;
  let removed = 0;
  const cutoff = now.getTime() - graceMs;
  for (const owner of owners) {
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const wanted = await owner.referenced(deps.db, batch);
      const unwanted = batch.filter((key) => !wanted.has(key));
      batch = [];
      const { deleted, failure } = await deleteBlobs(deps, unwanted, 16);
      await forgetBlobDeletions(deps.db, deleted);
      removed += deleted.length;
      if (failure !== undefined) throw failure;
    };
    for await (const entry of deps.blobs.list(owner.prefix)) {
      scanned++;
      if (entry.modifiedAt.getTime() > cutoff) continue;
      batch.push(entry.key);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  }
  return { scanned, removed };
}
