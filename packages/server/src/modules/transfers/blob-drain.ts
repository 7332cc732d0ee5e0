import type { AppDeps } from '../../deps.ts';
import { forgetBlobDeletions, queuedBlobKeysAfter } from './store/blob-queue.ts';

type Deps = Pick<AppDeps, 'db' | 'blobs'>;

export interface DrainOptions {
  /** Queue rows read per round trip. */
  batch?: number;
  /** Blob deletions in flight at once: enough to hide an S3 round trip, few enough not to flood it. */
  concurrency?: number;
  /**
   * Wall time after which no new batch is started, so a run ends well within the job lease
   * (15 minutes) however long the queue is; the next run continues.
   */
  budgetMs?: number;
}

/**
 * Deletes blobs of ended content queued in `blob_deletions`, batch by batch, several at a time,
 * until the queue is empty or the budget is spent. A row is removed only after its blob is gone,
 * so a crash at any point leaves the rest queued; two nodes draining at once may delete the same
 * blob twice, which every store allows, so no lock is held across blob I/O (on PGlite such a
 * transaction would stall every request of the portal).
 * @returns the number of queue entries done.
 * @throws the blob store's error after finishing the batch it occurred in (what succeeded is
 *   recorded; the failed keys stay queued for the next run).
 */
export async function drainBlobQueue(deps: Deps, opts: DrainOptions = {}): Promise<number> {
  const batch = opts.batch ?? 1000;
  const concurrency = opts.concurrency ?? 16;
  const budgetMs = opts.budgetMs ?? 5 * 60_000;
  const t0 = performance.now();
  let done = 0;
  // Keyset over the primary key: each batch starts after the last one instead of stepping again
  // over the index entries of rows deleted moments ago (they stay until vacuum).
  let after = '';
  for (;;) {
    const keys = await queuedBlobKeysAfter(deps.db, after, batch);
    const { deleted, failure } = await deleteBlobs(deps, keys, concurrency);
    await forgetBlobDeletions(deps.db, deleted);
    done += deleted.length;
    if (failure !== undefined) throw failure;
    const last = keys.at(-1);
    if (last === undefined || keys.length < batch || performance.now() - t0 > budgetMs) return done;
    after = last;
  }
}

/** Deletes the blobs with at most `concurrency` in flight; reports which went and the first failure. */
export async function deleteBlobs(
  deps: Pick<Deps, 'blobs'>,
  keys: readonly string[],
  concurrency: number,
): Promise<{ deleted: string[]; failure: Error | undefined }> {
  const deleted: string[] = [];
  let failure: Error | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length && failure === undefined) {
      const key = keys[next++];
      if (key === undefined) return;
      try {
        await deps.blobs.delete(key);
        deleted.push(key);
      } catch (err) {
        failure ??= err instanceof Error ? err : new Error(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, keys.length) }, worker));
  return { deleted, failure };
}
