import { Readable } from 'node:stream';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { decryptSegmentRange, encryptSegment } from './segment-cipher.ts';
import { fileKeyContext } from './keys.ts';
import { assertServable } from './scan-status.ts';
import { commitSegment, segmentsOf, storedFileRow } from './store/files.ts';
import { forgetBlobDeletion, oldestQueuedBlobKeys, queuedBlobKeysUnder } from './store/blob-queue.ts';

type Deps = Pick<AppDeps, 'db' | 'blobs' | 'clock' | 'secrets' | 'keyring'>;

/**
 * A PATCH is cut into segments of at most this many plaintext bytes, each committed on its own:
 * a crash or restart loses at most one segment's worth, and a 100 GiB file is a few thousand
 * rows, not millions.
 */
export const SEGMENT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a request body chunk by chunk, taking at most `max` bytes per segment and keeping the rest
 * for the next one. It reads the stream directly (`read()` and its `readable` event) instead of
 * through async iterators: a chunk that is already buffered costs no promise, and no promise lives
 * longer than one wait, so nothing keeps a chunk reachable after it was written.
 *
 * The input ends at the body's end, when the server stops (`stop`), and when the client vanishes
 * (the request closes or errors before its end): then what arrived is committed and the caller
 * returns, instead of waiting forever for a body that will never end.
 */
class BodyReader {
  readonly #source: Readable;
  readonly #detach: () => void;
  #carry: Uint8Array | undefined;
  #ended = false;
  #cut = false;
  #wake: (() => void) | undefined;
  constructor(source: Readable, stop: AbortSignal | undefined) {
    this.#source = source;
    const wake = () => {
      const w = this.#wake;
      this.#wake = undefined;
      w?.();
    };
    const ended = () => {
      this.#ended = true;
      wake();
    };
    const cut = () => {
      this.#cut = true;
      wake();
    };
    source.on('readable', wake);
    source.on('end', ended);
    source.on('close', cut);
    source.on('error', cut);
    stop?.addEventListener('abort', cut);
    if (stop?.aborted === true) this.#cut = true;
    this.#detach = () => {
      source.off('readable', wake);
      source.off('end', ended);
      source.off('close', cut);
      source.off('error', cut);
      stop?.removeEventListener('abort', cut);
    };
  }
  get done(): boolean {
    return this.#carry === undefined && (this.#ended || this.#cut);
  }
  /** Stops listening; a body the caller did not read to its end stays unread. */
  detach(): void {
    this.#detach();
  }
  async #next(): Promise<Uint8Array | undefined> {
    for (;;) {
      // A stop or a vanished client ends the input here, as if the client had paused.
      if (this.#cut || this.#ended) return undefined;
      const chunk = this.#source.read() as Uint8Array | null;
      if (chunk !== null) return chunk;
      // read() returned null, so the stream emits 'readable' (or ends) later: the wake-up is not lost.
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
  async *take(max: number): AsyncGenerator<Uint8Array> {
    let left = max;
    while (left > 0) {
      let chunk = this.#carry;
      this.#carry = undefined;
      chunk ??= await this.#next();
      if (chunk === undefined) return;
      if (chunk.length > left) {
        this.#carry = chunk.subarray(left);
        chunk = chunk.subarray(0, left);
      }
      left -= chunk.length;
      if (chunk.length > 0) yield chunk;
    }
  }
}

function segmentKey(
  tenantId: string,
  transferId: string,
  fileId: string,
  start: number,
  nonce: string,
): string {
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
export async function appendToFile(
  deps: Deps,
  tenantId: string,
  fileId: string,
  offset: number,
  source: Readable,
  stop?: AbortSignal,
): Promise<number> {
  const file = await storedFileRow(deps.db, tenantId, fileId);
  if (file?.file_key == null) throw new AppError('ERR_NOT_FOUND');
  if (file.received !== offset) throw new AppError('ERR_UPLOAD_CONFLICT');
  const key = deps.keyring.unwrap(file.file_key, fileKeyContext(tenantId, fileId));
  const body = new BodyReader(source, stop);
  let at = offset;
  try {
    while (at < file.size && !body.done) {
      let plainBytes = 0;
      const blobKey = segmentKey(tenantId, file.transfer_id, fileId, at, deps.secrets.id());
      await deps.blobs.put(
        blobKey,
        encryptSegment(key, body.take(Math.min(SEGMENT_BYTES, file.size - at)), (n) => {
          plainBytes += n;
        }),
      );
      if (plainBytes === 0) {
        await deps.blobs.delete(blobKey);
        break;
      }
      const start = at;
      const committed = await deps.db.transaction(async (tx) =>
        commitSegment(tx, tenantId, {
          fileId,
          start,
          length: plainBytes,
          blobKey,
          size: file.size,
          at: deps.clock.now(),
        }),
      );
      if (!committed) {
        await deps.blobs.delete(blobKey);
        throw new AppError('ERR_UPLOAD_CONFLICT');
      }
      at += plainBytes;
    }
  } finally {
    body.detach();
    key.fill(0);
  }
  return at;
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
  const file = await storedFileRow(deps.db, tenantId, fileId);
  if (file?.file_key == null || file.completed_at === null) throw new AppError('ERR_NOT_FOUND');
  // Incoming content is served only once the scan passed; only the scanner reads it before.
  if (opts.forScan !== true) assertServable(file.scan_status);
  const segments = await segmentsOf(deps.db, tenantId, fileId);
  const key = deps.keyring.unwrap(file.file_key, fileKeyContext(tenantId, fileId));
  const from = range?.start ?? 0;
  const to = range?.end ?? file.size - 1;
  const blobs = deps.blobs;
  async function* plaintext(): AsyncGenerator<Uint8Array> {
    try {
      for (const s of segments) {
        const segEnd = s.start + s.length - 1;
        if (segEnd < from || s.start > to) continue;
        yield* decryptSegmentRange(
          key,
          s.length,
          (r) => blobs.get(s.blob_key, r),
          Math.max(from, s.start) - s.start,
          Math.min(to, segEnd) - s.start,
        );
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
  const keys = await oldestQueuedBlobKeys(deps.db, limit);
  for (const key of keys) {
    await deps.blobs.delete(key);
    await forgetBlobDeletion(deps.db, key);
  }
  return keys.length;
}

/** After a transfer ended: delete its blobs now (the queue keeps them should this fail). */
export async function destroyContent(
  deps: Pick<Deps, 'db' | 'blobs'>,
  tenantId: string,
  transferId: string,
): Promise<void> {
  const prefix = `transfers/${tenantId}/${transferId}/`;
  for (const key of await queuedBlobKeysUnder(deps.db, prefix)) {
    await deps.blobs.delete(key);
    await forgetBlobDeletion(deps.db, key);
  }
}
