import { BlobRangeError, BlobSizeMismatchError, InvalidBlobKeyError } from './errors.ts';
import type { BlobRange, BlobSource, PutOptions } from './types.ts';

/** Longest key; S3 allows 1024 bytes, leaving room for a bucket prefix. */
export const MAX_KEY_LENGTH = 512;
/** Longest segment; a filesystem name is at most 255 bytes, and temp files add a few. */
export const MAX_SEGMENT_LENGTH = 200;

const SEGMENT = '[a-z0-9][a-z0-9_.-]*';
const KEY = new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`);

function isValidPath(value: string): boolean {
  return (
    value.length <= MAX_KEY_LENGTH &&
    KEY.test(value) &&
    !value.includes('..') &&
    value.split('/').every((s) => s.length <= MAX_SEGMENT_LENGTH)
  );
}

/** True for a well-formed key: `/`-separated segments of `a-z 0-9 _ . -`, each starting with a letter or digit. */
export function isBlobKey(key: unknown): key is string {
  return typeof key === 'string' && isValidPath(key);
}

/** @throws {InvalidBlobKeyError} unless `isBlobKey(key)`. */
export function assertBlobKey(key: string): void {
  if (!isBlobKey(key)) throw new InvalidBlobKeyError('key', String(key));
}

/**
 * A list prefix is `''`, a key, or a key followed by `/`. (A key's last segment may be partial:
 * `transfers/ab` lists `transfers/abc/1` and `transfers/abd`.)
 * @throws {InvalidBlobKeyError} for anything else.
 */
export function assertBlobPrefix(prefix: string): void {
  if (typeof prefix !== 'string') throw new InvalidBlobKeyError('prefix', String(prefix));
  if (prefix === '') return;
  const withoutSlash = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (!isValidPath(withoutSlash)) throw new InvalidBlobKeyError('prefix', prefix);
}

/**
 * Checks that `range` is a range at all.
 * @throws {RangeError} for negative or fractional bounds, or an end before the start.
 */
export function assertRange(range: BlobRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`invalid range start ${String(start)}`);
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new RangeError(`invalid range end ${String(end)} for start ${start}`);
  }
}

/**
 * The inclusive byte bounds `range` selects from a blob of `size` bytes (end clamped to the last byte).
 * @throws {BlobRangeError} when the range starts at or past the end.
 */
export function resolveRange(key: string, range: BlobRange, size: number): { start: number; end: number } {
  assertRange(range);
  if (range.start >= size) throw new BlobRangeError(key, size);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/**
 * The source's chunks, checked (`Uint8Array` only, `expectedSize` kept) and counted. When `signal`
 * aborts, iteration throws `signal.reason` at once, even while the source is stalled.
 * @throws {RangeError} at once for an `expectedSize` that is no size.
 */
export function meteredSource(
  source: BlobSource,
  opts: PutOptions = {},
): { chunks: AsyncGenerator<Uint8Array, void, undefined>; bytes(): number } {
  const { signal, expectedSize } = opts;
  if (expectedSize !== undefined && (!Number.isSafeInteger(expectedSize) || expectedSize < 0)) {
    throw new RangeError(`invalid expectedSize ${String(expectedSize)}`);
  }
  let size = 0;
  async function* chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    // A fresh abort promise per chunk, its listener removed after: one long-lived promise raced
    // against every chunk would keep each chunk reachable from its reactions until the put ends.
    const nextOrAbort = async (): Promise<IteratorResult<unknown>> => {
      if (signal === undefined) return iterator.next();
      signal.throwIfAborted();
      let onAbort: () => void = () => undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => {
          reject(signal.reason as Error);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        return await Promise.race([iterator.next(), aborted]);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    };
    let finished = false;
    try {
      for (;;) {
        const next = await nextOrAbort();
        if (next.done === true) break;
        const chunk: unknown = next.value;
        if (!(chunk instanceof Uint8Array)) {
          throw new TypeError(`a blob source must yield Uint8Array chunks, got ${typeof chunk}`);
        }
        size += chunk.byteLength;
        if (expectedSize !== undefined && size > expectedSize)
          throw new BlobSizeMismatchError(expectedSize, size);
        yield chunk;
      }
      finished = true;
    } finally {
      // Stop a source we leave early (a Readable is destroyed); don't wait on one that is stalled.
      if (!finished) iterator.return?.().catch(() => undefined);
    }
    if (expectedSize !== undefined && size !== expectedSize)
      throw new BlobSizeMismatchError(expectedSize, size);
  }
  return { chunks: chunks(), bytes: () => size };
}

/** The `code` of a Node system error, if it is one. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}
