import type { CompletedPart, S3ClientConfig } from '@aws-sdk/client-s3';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { BlobNotFoundError, BlobRangeError, BlobStorageFullError } from './errors.ts';
import { assertBlobKey, assertBlobPrefix, assertRange, isBlobKey, meteredSource } from './keys.ts';
import type { BlobListEntry, BlobRange, BlobSource, BlobStat, BlobStore, PutOptions } from './types.ts';
import { MIN_PART_SIZE } from './s3-limits.ts';

const MiB = 1024 * 1024;
export { MIN_PART_SIZE };
/** S3's largest part. */
export const MAX_PART_SIZE = 5 * 1024 * MiB;
/** S3's most parts in one multipart upload. */
export const MAX_PARTS = 10_000;

export interface S3BlobStoreOptions {
  bucket: string;
  /** Put before every key, to share a bucket: `''` or ending in `/`, e.g. `amtsbote/`. */
  prefix?: string;
  /** Endpoint, region, forcePathStyle, credentials … (the SDK's defaults fill the rest). */
  client?: S3ClientConfig;
  /**
   * Bytes per multipart part (default 16 MiB, at least 5 MiB). A put without `expectedSize` can
   * store up to 10,000 parts, i.e. 156 GiB at the default; with it, parts grow as needed.
   */
  partSize?: number;
  /** Parts uploaded at once per put (default 2). Memory per put is about partSize × (queueSize + 1). */
  queueSize?: number;
  /** Keys per list request (default 1000, S3's maximum). */
  listPageSize?: number;
}

/** S3 error names that mean "no more room". */
const FULL = new Set([
  'QuotaExceeded',
  'XMinioStorageFull',
  'XMinioAdminBucketQuotaExceeded',
  'InsufficientStorage',
]);

/**
 * Blobs as objects in an S3-compatible bucket (AWS, Ceph RGW, MinIO, …). Large puts stream as a
 * multipart upload of `partSize` parts, `queueSize` at a time, completed only once every byte is
 * in, so the object appears whole or not at all; a failed or aborted put aborts the multipart
 * upload. (Should that abort fail too, the parts stay invisible until a bucket lifecycle rule
 * `AbortIncompleteMultipartUpload` removes them: configure one.)
 *
 * Request checksums are sent only where S3 requires them (`WHEN_REQUIRED`), since several
 * S3-compatible servers reject the SDK's newer default; data integrity comes from TLS and from
 * the portal's own authenticated encryption of every blob.
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly #client: S3Client;
  readonly #partSize: number;
  readonly #queueSize: number;
  readonly #pageSize: number;

  /** @throws {RangeError} for a prefix, part size or queue size out of bounds. */
  constructor(opts: S3BlobStoreOptions) {
    const prefix = opts.prefix ?? '';
    if (prefix !== '') {
      assertBlobPrefix(prefix);
      if (!prefix.endsWith('/')) throw new RangeError(`an S3 key prefix must end with "/", got "${prefix}"`);
    }
    const partSize = opts.partSize ?? 16 * MiB;
    if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
      throw new RangeError(`partSize must be from 5 MiB to 5 GiB, got ${partSize}`);
    }
    const queueSize = opts.queueSize ?? 2;
    if (!Number.isSafeInteger(queueSize) || queueSize < 1 || queueSize > 64) {
      throw new RangeError(`queueSize must be from 1 to 64, got ${queueSize}`);
    }
    this.bucket = opts.bucket;
    this.prefix = prefix;
    this.#partSize = partSize;
    this.#queueSize = queueSize;
    this.#pageSize = opts.listPageSize ?? 1000;
    this.#client = new S3Client({
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...opts.client,
    });
  }

  #key(key: string): string {
    assertBlobKey(key);
    return `${this.prefix}${key}`;
  }

  async put(key: string, source: BlobSource, opts: PutOptions = {}): Promise<{ size: number }> {
    const Key = this.#key(key);
    const metered = meteredSource(source, opts);
    const { signal, expectedSize } = opts;
    signal?.throwIfAborted();
    const partSize =
      expectedSize === undefined
        ? this.#partSize
        : Math.min(MAX_PART_SIZE, Math.max(this.#partSize, Math.ceil(expectedSize / MAX_PARTS / MiB) * MiB));

    // Stops parts in flight once one fails or the caller aborts.
    const failed = new AbortController();
    const abortSignal = signal === undefined ? failed.signal : AbortSignal.any([signal, failed.signal]);
    const inFlight = new Set<Promise<void>>();
    const uploaded: CompletedPart[] = [];
    let failure: { error: unknown } | undefined;
    let uploadId: string | undefined;
    try {
      let partNumber = 0;
      for await (const part of partsOf(metered.chunks, partSize)) {
        partNumber++;
        if (partNumber === 1 && part.last) {
          await this.#client.send(
            new PutObjectCommand({
              Bucket: this.bucket,
              Key,
              Body: part.data,
              ContentLength: part.data.byteLength,
              ContentType: 'application/octet-stream',
            }),
            { abortSignal },
          );
          return { size: metered.bytes() };
        }
        if (partNumber > MAX_PARTS) {
          throw new Error(
            `blob "${key}" needs more than ${MAX_PARTS} parts of ${partSize / MiB} MiB: pass expectedSize or raise the part size`,
          );
        }
        uploadId ??= await this.#createMultipart(Key, abortSignal);
        const upload = this.#uploadPart(Key, uploadId, partNumber, part.data, abortSignal).then(
          (done) => void uploaded.push(done),
          (error: unknown) => {
            failure ??= { error };
            failed.abort();
          },
        );
        const tracked = upload.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
        while (inFlight.size >= this.#queueSize) await Promise.race(inFlight);
        if (failure !== undefined) throw failure.error;
      }
      await Promise.all(inFlight);
      if (failure !== undefined) throw failure.error;
      signal?.throwIfAborted();
      if (uploadId === undefined) throw new Error('unreachable: a multipart put without an upload');
      uploaded.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
      await this.#client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key,
          UploadId: uploadId,
          MultipartUpload: { Parts: uploaded },
        }),
      );
      return { size: metered.bytes() };
    } catch (err) {
      const primary = failure === undefined ? err : failure.error; // before aborting adds AbortErrors
      failed.abort();
      await Promise.allSettled(inFlight);
      if (uploadId !== undefined) {
        await this.#client
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key, UploadId: uploadId }))
          .catch(() => undefined); // left to the bucket's lifecycle rule; the first error matters
      }
      throw storageError(primary);
    }
  }

  async #createMultipart(Key: string, abortSignal: AbortSignal): Promise<string> {
    const created = await this.#client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key, ContentType: 'application/octet-stream' }),
      { abortSignal },
    );
    if (created.UploadId === undefined) throw new Error('the S3 server returned no UploadId');
    return created.UploadId;
  }

  async #uploadPart(
    Key: string,
    UploadId: string,
    PartNumber: number,
    data: Buffer,
    abortSignal: AbortSignal,
  ): Promise<CompletedPart> {
    const out = await this.#client.send(
      new UploadPartCommand({
        Bucket: this.bucket,
        Key,
        UploadId,
        PartNumber,
        Body: data,
        ContentLength: data.byteLength,
      }),
      { abortSignal },
    );
    return { PartNumber, ETag: out.ETag };
  }

  async get(key: string, range?: BlobRange): Promise<Readable> {
    const Key = this.#key(key);
    if (range !== undefined) assertRange(range);
    let out;
    try {
      out = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key,
          Range: range === undefined ? undefined : `bytes=${range.start}-${range.end ?? ''}`,
        }),
      );
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key, { cause: err });
      if (nameOf(err) === 'InvalidRange' || statusOf(err) === 416)
        throw new BlobRangeError(key, undefined, { cause: err });
      throw err;
    }
    const body = out.Body;
    if (!(body instanceof Readable)) throw new Error('the S3 client returned no Node stream');
    if (range === undefined) return body;
    // Servers differ at the edges (an empty object, end 0, a Range ignored): trust only Content-Range.
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(out.ContentRange ?? '');
    const [got, total] =
      m === null ? [undefined, undefined] : [{ start: Number(m[1]), end: Number(m[2]) }, Number(m[3])];
    if (total !== undefined && range.start >= total) {
      body.destroy();
      throw new BlobRangeError(key, total);
    }
    const want = total === undefined ? undefined : Math.min(range.end ?? total - 1, total - 1);
    if (got === undefined || want === undefined || got.start !== range.start || got.end < want) {
      body.destroy();
      throw new Error(
        `the S3 server answered bytes=${range.start}-${String(range.end ?? '')} with ${String(out.ContentRange)}`,
      );
    }
    return got.end === want
      ? body
      : Readable.from(firstBytes(body, want - range.start + 1), { objectMode: false });
  }

  async stat(key: string): Promise<BlobStat | undefined> {
    const Key = this.#key(key);
    try {
      const out = await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return { size: out.ContentLength ?? 0, modifiedAt: out.LastModified ?? new Date(0) };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.#key(key);
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async *list(prefix: string): AsyncGenerator<BlobListEntry, void, undefined> {
    assertBlobPrefix(prefix);
    const pages = paginateListObjectsV2(
      { client: this.#client, pageSize: this.#pageSize },
      { Bucket: this.bucket, Prefix: `${this.prefix}${prefix}` },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.prefix.length);
        // Objects that are no blob key (someone else's, in a shared bucket) are not ours to list.
        if (!isBlobKey(key)) continue;
        yield { key, size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) };
      }
    }
  }

  async ping(): Promise<void> {
    await this.#client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  async close(): Promise<void> {
    this.#client.destroy();
    return Promise.resolve();
  }
}

/**
 * Cuts a byte stream into parts of exactly `partSize` bytes and a last, shorter one (possibly
 * empty). A part is yielded only when more bytes follow it, so `last` is known for every part.
 */
async function* partsOf(
  chunks: AsyncIterable<Uint8Array>,
  partSize: number,
): AsyncGenerator<{ data: Buffer; last: boolean }, void, undefined> {
  let pending: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.byteLength;
    if (length <= partSize) continue;
    // One copy of the source's bytes, cut into parts. The remainder (less than a part) is copied
    // out, so it doesn't keep this whole buffer alive after the parts are uploaded.
    const all = Buffer.concat(pending, length);
    let offset = 0;
    while (length - offset > partSize) {
      yield { data: all.subarray(offset, offset + partSize), last: false };
      offset += partSize;
    }
    const rest = Buffer.from(all.subarray(offset));
    pending = [rest];
    length = rest.byteLength;
  }
  yield { data: Buffer.concat(pending, length), last: true };
}

/** The first `n` bytes of `body`, which is destroyed after (for a server that sent more than asked). */
async function* firstBytes(body: Readable, n: number): AsyncGenerator<Uint8Array, void, undefined> {
  let left = n;
  try {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      if (chunk.byteLength >= left) {
        yield chunk.subarray(0, left);
        return;
      }
      left -= chunk.byteLength;
      yield chunk;
    }
  } finally {
    body.destroy();
  }
}

function nameOf(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('$metadata' in err)) return undefined;
  const meta = err.$metadata;
  if (typeof meta !== 'object' || meta === null || !('httpStatusCode' in meta)) return undefined;
  return typeof meta.httpStatusCode === 'number' ? meta.httpStatusCode : undefined;
}

/** A missing object (a missing bucket is a misconfiguration, not a missing blob). */
function isNotFound(err: unknown): boolean {
  const name = nameOf(err);
  return name !== 'NoSuchBucket' && (name === 'NoSuchKey' || name === 'NotFound' || statusOf(err) === 404);
}

function storageError(err: unknown): unknown {
  const name = nameOf(err);
  const code =
    typeof err === 'object' && err !== null && 'Code' in err && typeof err.Code === 'string'
      ? err.Code
      : undefined;
  return FULL.has(name ?? '') || FULL.has(code ?? '') || statusOf(err) === 507
    ? new BlobStorageFullError({ cause: err })
    : err;
}
