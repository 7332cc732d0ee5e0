import { Readable } from 'node:stream';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { decryptSegmentRange, encryptSegment } from './segment-cipher.ts';
import { fileKeyContext } from './keys.ts';
import type { ScanStatus } from './scan-status.ts';
import { assertServable } from './scan-status.ts';

type Deps = Pick<AppDeps, 'db' | 'blobs' | 'clock' | 'secrets' | 'keyring'>;

/**
 * A PATCH is cut into segments of at most this many plaintext bytes, each committed on its own:
 * a crash or restart loses at most one segment's worth, and a 100 GiB file is a few thousand
 * rows, not millions.
 */
export const SEGMENT_BYTES = 64 * 1024 * 1024;

interface FileRow {
  transfer_id: string;
  size: number;
  received: number;
  file_key: Buffer | null;
}

/**
 * Takes at most `max` bytes from a shared iterator, keeping the rest for the next segment.
 * Never holds more than one incoming chunk.
 */
class Segmenter {
  readonly #it: AsyncIterator<Uint8Array>;
  readonly #stop: AbortSignal | undefined;
  #carry: Uint8Array | undefined;
  #done = false;
  constructor(source: AsyncIterable<Uint8Array>, stop: AbortSignal | undefined) {
    this.#it = source[Symbol.asyncIterator]();
    this.#stop = stop;
  }

  /**
   * The next chunk, or 'stop' when the server shuts down first. The stop promise is made per
   * call and its listener removed after: one long-lived promise raced against every chunk would
   * keep each chunk reachable from its reaction list, i.e. the whole upload in memory.
   */
  async #next(): Promise<IteratorResult<Uint8Array> | 'stop'> {
    const stop = this.#stop;
    if (stop === undefined) return this.#it.next();
    if (stop.aborted) return 'stop';
    let onAbort: () => void = () => undefined;
    const stopped = new Promise<'stop'>((resolve) => {
      onAbort = () => {
        resolve('stop');
      };
      stop.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([this.#it.next(), stopped]);
    } finally {
      stop.removeEventListener('abort', onAbort);
    }
  }
  get done(): boolean {
    return this.#done && this.#carry === undefined;
  }
  async *take(max: number): AsyncGenerator<Uint8Array> {
    let left = max;
    while (left > 0) {
      let chunk = this.#carry;
      this.#carry = undefined;
      if (chunk === undefined) {
        if (this.#done) return;
        // A stop (server shutting down) ends the input here, as if the client had paused.
        const r = await this.#next();
        if (r === 'stop' || r.done === true) {
          this.#done = true;
          return;
        }
        chunk = r.value;
      }
      if (chunk.length > left) {
        this.#carry = chunk.subarray(left);
        chunk = chunk.subarray(0, left);
      }
      left -= chunk.length;
      if (chunk.length > 0) yield chunk;
    }
  }
}

function segmentKey(tenantId: string, transferId: string, fileId: string, start: number, nonce: string): string {
  return `transfers/${tenantId}/${transferId}/${fileId}/${String(start).padStart(15, '0')}-${nonce}`;
}

/**
 * Appends plaintext to a declared file at `offset`, encrypting while it streams: blob first,
 * then the row that makes it visible, in one transaction with the new offset. Two writers
 * racing for the same offset (a retry on another node) cannot both win: the loser's blob is
 * deleted and it gets ERR_UPLOAD_CONFLICT. A source that ends early (connection dropped) still
 * commits what arrived, so the client resumes from there; so does `stop` (shutdown), which ends
 * the input early and answers with the offset reached.
 * @returns the new offset.
 * @throws {AppError} ERR_NOT_FOUND, ERR_UPLOAD_CONFLICT.
 */
export async function appendToFile(deps: Deps, tenantId: string, fileId: string, offset: number, source: Readable, stop?: AbortSignal): Promise<number> {
  const file = await one<FileRow>(deps.db, `SELECT transfer_id, size, received, file_key FROM transfer_files WHERE tenant_id = $1 AND id = $2`, [tenantId, fileId]);
  if (file?.file_key == null) throw new AppError('ERR_NOT_FOUND');
  if (file.received !== offset) throw new AppError('ERR_UPLOAD_CONFLICT');
  const key = deps.keyring.unwrap(file.file_key, fileKeyContext(tenantId, fileId));
  const segmenter = new Segmenter(source, stop);
  let at = offset;
  try {
    while (at < file.size && !segmenter.done) {
      let plainBytes = 0;
      const counted = (async function* count(parts: AsyncIterable<Uint8Array>) {
        for await (const p of parts) {
          plainBytes += p.length;
          yield p;
        }
      })(segmenter.take(Math.min(SEGMENT_BYTES, file.size - at)));
      const blobKey = segmentKey(tenantId, file.transfer_id, fileId, at, deps.secrets.id());
      await deps.blobs.put(blobKey, Readable.from(encryptSegment(key, counted)));
      if (plainBytes === 0) {
        await deps.blobs.delete(blobKey);
        break;
      }
      const start = at;
      const committed = await deps.db.transaction(async (tx) => commitSegment(tx, deps, tenantId, fileId, start, plainBytes, blobKey, file.size));
      if (!committed) {
        await deps.blobs.delete(blobKey);
        throw new AppError('ERR_UPLOAD_CONFLICT');
      }
      at += plainBytes;
    }
  } finally {
    key.fill(0);
  }
  return at;
}

async function commitSegment(tx: Queryable, deps: Pick<Deps, 'clock'>, tenantId: string, fileId: string, start: number, length: number, blobKey: string, size: number): Promise<boolean> {
  const now = deps.clock.now();
  const moved = await tx.query(
    `UPDATE transfer_files SET received = received + $4, completed_at = CASE WHEN received + $4 = $5 THEN $6::timestamptz ELSE NULL END
     WHERE tenant_id = $1 AND id = $2 AND received = $3 AND file_key IS NOT NULL RETURNING id`,
    [tenantId, fileId, start, length, size, now],
  );
  if (moved.length === 0) return false;
  await tx.query(`INSERT INTO file_segments (tenant_id, file_id, start, length, blob_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
    tenantId,
    fileId,
    start,
    length,
    blobKey,
    now,
  ]);
  return true;
}

/**
 * The plaintext of a complete file, or of the byte range [start, end] (inclusive), decrypted
 * segment by segment as the consumer reads: memory stays at one encryption chunk.
 * @throws {AppError} ERR_NOT_FOUND when the file has no key (ended) or is incomplete.
 */
export async function readFile(
  deps: Deps,
  tenantId: string,
  fileId: string,
  range?: { start: number; end: number },
  opts: { forScan?: boolean } = {},
): Promise<Readable> {
  const file = await one<FileRow & { completed_at: Date | null; scan_status: ScanStatus }>(
    deps.db,
    `SELECT transfer_id, size, received, file_key, completed_at, scan_status FROM transfer_files WHERE tenant_id = $1 AND id = $2`,
    [tenantId, fileId],
  );
  if (file?.file_key == null || file.completed_at === null) throw new AppError('ERR_NOT_FOUND');
  // Incoming content is served only once the scan passed; only the scanner reads it before.
  if (opts.forScan !== true) assertServable(file.scan_status);
  const segments = await deps.db.query<{ start: number; length: number; blob_key: string }>(
    `SELECT start, length, blob_key FROM file_segments WHERE tenant_id = $1 AND file_id = $2 ORDER BY start`,
    [tenantId, fileId],
  );
  const key = deps.keyring.unwrap(file.file_key, fileKeyContext(tenantId, fileId));
  const from = range?.start ?? 0;
  const to = range?.end ?? file.size - 1;
  const blobs = deps.blobs;
  async function* plaintext(): AsyncGenerator<Uint8Array> {
    try {
      for (const s of segments) {
        const segEnd = s.start + s.length - 1;
        if (segEnd < from || s.start > to) continue;
        yield* decryptSegmentRange(key, s.length, (r) => blobs.get(s.blob_key, r), Math.max(from, s.start) - s.start, Math.min(to, segEnd) - s.start);
      }
    } finally {
      key.fill(0);
    }
  }
  return Readable.from(plaintext(), { objectMode: false });
}

/**
 * Deletes the blobs of ended content that are queued for deletion. Safe to call any number of
 * times from any node: a blob deleted twice is fine, a row is removed only after its blob.
 */
export async function drainBlobDeletions(deps: Pick<Deps, 'db' | 'blobs'>, limit = 1000): Promise<number> {
  const rows = await deps.db.query<{ blob_key: string }>(`SELECT blob_key FROM blob_deletions ORDER BY queued_at LIMIT $1`, [limit]);
  for (const r of rows) {
    await deps.blobs.delete(r.blob_key);
    await deps.db.query(`DELETE FROM blob_deletions WHERE blob_key = $1`, [r.blob_key]);
  }
  return rows.length;
}

/** After a transfer ended: delete its blobs now (the queue keeps them should this fail). */
export async function destroyContent(deps: Pick<Deps, 'db' | 'blobs'>, tenantId: string, transferId: string): Promise<void> {
  const prefix = `transfers/${tenantId}/${transferId}/`;
  const keys = await deps.db.query<{ blob_key: string }>(`SELECT blob_key FROM blob_deletions WHERE blob_key LIKE $1`, [`${prefix}%`]);
  for (const k of keys) {
    await deps.blobs.delete(k.blob_key);
    await deps.db.query(`DELETE FROM blob_deletions WHERE blob_key = $1`, [k.blob_key]);
  }
}
