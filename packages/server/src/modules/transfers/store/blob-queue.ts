import type { Queryable } from '../../../adapters/db/index.ts';

// The queue of blobs whose content has ended (`blob_deletions`) and the segments that still
// point to blobs (`file_segments`): what the drains, the orphan sweep and revocation ask of them.

/** Up to `limit` queued keys after `after`, in key order (a keyset over the primary key). */
export async function queuedBlobKeysAfter(q: Queryable, after: string, limit: number): Promise<string[]> {
  const rows = await q.query<{ blob_key: string }>(
    `SELECT blob_key FROM blob_deletions WHERE blob_key > $1 ORDER BY blob_key LIMIT $2`,
    [after, limit],
  );
  return rows.map((r) => r.blob_key);
}

/** The `limit` keys queued longest. */
export async function oldestQueuedBlobKeys(q: Queryable, limit: number): Promise<string[]> {
  const rows = await q.query<{ blob_key: string }>(
    `SELECT blob_key FROM blob_deletions ORDER BY queued_at LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.blob_key);
}

/** The queued keys under one key prefix (one transfer's blobs). */
export async function queuedBlobKeysUnder(q: Queryable, prefix: string): Promise<string[]> {
  const rows = await q.query<{ blob_key: string }>(
    `SELECT blob_key FROM blob_deletions WHERE blob_key LIKE $1`,
    [`${prefix}%`],
  );
  return rows.map((r) => r.blob_key);
}

/** Takes keys off the queue once their blobs are gone. */
export async function forgetBlobDeletions(q: Queryable, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await q.query(`DELETE FROM blob_deletions WHERE blob_key = ANY($1::text[])`, [keys]);
}

/** Takes one key off the queue once its blob is gone. */
export async function forgetBlobDeletion(q: Queryable, key: string): Promise<void> {
  await q.query(`DELETE FROM blob_deletions WHERE blob_key = $1`, [key]);
}

/** Of these keys, the ones a file segment still points to. */
export async function referencedSegmentBlobs(q: Queryable, keys: readonly string[]): Promise<Set<string>> {
  const rows = await q.query<{ blob_key: string }>(
    `SELECT blob_key FROM file_segments WHERE blob_key = ANY($1::text[])`,
    [keys],
  );
  return new Set(rows.map((r) => r.blob_key));
}
