import type { Readable } from 'node:stream';

/**
 * Where a blob's bytes come from: a Node `Readable` (no encoding set), an async generator or a web
 * `ReadableStream` — anything that yields `Uint8Array` chunks. A chunk must not be changed after it
 * was yielded (the S3 store gathers chunks into parts).
 */
export type BlobSource = AsyncIterable<Uint8Array> | Readable;

export interface PutOptions {
  /** Aborting stops the write and throws an `AbortError`; nothing becomes visible. */
  signal?: AbortSignal;
  /**
   * The exact number of bytes the source will yield, when known (e.g. a tus Upload-Length).
   * The put fails with `BlobSizeMismatchError` if the source yields more or fewer; S3 also uses
   * it to pick a part size large enough for very large blobs.
   */
  expectedSize?: number;
}

/** Bytes `start` to `end`, both inclusive, as in an HTTP `Range: bytes=start-end` header. */
export interface BlobRange {
  start: number;
  /** Absent: up to the last byte. Past the last byte: clamped to it. */
  end?: number;
}

export interface BlobStat {
  size: number;
  modifiedAt: Date;
}

export interface BlobListEntry extends BlobStat {
  key: string;
}

/**
 * Opaque bytes under string keys: files of any size (100 GiB and more) are streamed in and out,
 * never held in memory whole. Every implementation passes the suite in `./contract.ts`.
 *
 * Keys are one or more `/`-separated segments of `a-z 0-9 _ . -`, each starting with a letter or
 * digit, no `..`, at most 512 characters (see `assertBlobKey`): a key can never name anything
 * outside the store. Keys form a tree, like paths: callers never use both `a` and `a/b` as keys
 * (the filesystem store rejects that; S3 would allow it).
 *
 * Every method may also throw the implementation's own I/O errors (permissions, network,
 * a misconfigured bucket); those are bugs or outages, not conditions callers handle.
 */
export interface BlobStore {
  /**
   * Streams `source` into the blob `key`, replacing any blob there. Atomic: readers see the old
   * blob or the whole new one, never a part; a failure or abort leaves the old state (no blob, or
   * the old one) and no partial data behind. Concurrent puts to one key: one of them wins whole.
   * Memory use is bounded (a few parts for S3) whatever the size.
   * @returns the number of bytes stored.
   * @throws {InvalidBlobKeyError} for a malformed key (before reading the source).
   * @throws {BlobStorageFullError} (`code: 'ERR_STORAGE_FULL'`) when the disk or quota is full.
   * @throws {BlobSizeMismatchError} when `opts.expectedSize` is given and not met.
   * @throws {TypeError} when the source yields something other than `Uint8Array`.
   * @throws the source's own error when it fails; `opts.signal.reason` (an `AbortError` unless the
   * caller chose another reason) when the signal aborts.
   */
  put(key: string, source: BlobSource, opts?: PutOptions): Promise<{ size: number }>;

  /**
   * The blob's bytes, or the bytes of `range`. The stream reads one version of the blob even if
   * it is overwritten meanwhile. Consume or destroy it: an S3 stream holds a connection until then.
   * @throws {BlobNotFoundError} when there is no blob under `key`.
   * @throws {BlobRangeError} when `range.start` is at or past the end of the blob (any range of an
   * empty blob).
   * @throws {RangeError} for a range that is no range (negative, fractional, end before start).
   * @throws {InvalidBlobKeyError} for a malformed key.
   */
  get(key: string, range?: BlobRange): Promise<Readable>;

  /**
   * Size and last modification of the blob, or `undefined` when there is none.
   * @throws {InvalidBlobKeyError} for a malformed key.
   */
  stat(key: string): Promise<BlobStat | undefined>;

  /**
   * Removes the blob. Idempotent: deleting a missing key succeeds.
   * @throws {InvalidBlobKeyError} for a malformed key.
   */
  delete(key: string): Promise<void>;

  /**
   * Every blob whose key starts with `prefix` (`''` for all), in ascending key order (byte order,
   * as S3 lists), fetched lazily page by page. Blobs being written are not listed until complete;
   * blobs put or deleted while listing may or may not appear. An orphan sweep must skip blobs
   * younger than its grace period: their database row may not be committed yet.
   * @throws {InvalidBlobKeyError} (when iterated) for a prefix that no key could start with
   * segment-wise: `''`, a key, or a key followed by `/`.
   */
  list(prefix: string): AsyncIterable<BlobListEntry>;

  /**
   * Resolves when the store is reachable and writable as far as can be checked cheaply
   * (readiness probe).
   * @throws the underlying error when it is not.
   */
  ping(): Promise<void>;

  /** Releases connections; the store is unusable afterwards. Never throws. */
  close(): Promise<void>;
}
