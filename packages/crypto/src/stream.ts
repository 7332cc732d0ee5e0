/**
 * The encrypted stream format (version 1): a 55-byte header (see header.ts) followed by AES-256-GCM chunks
 * in the STREAM construction of age. Chunk `i` is `AES-256-GCM(payloadKey, nonce_i, aad = header, p_i)`
 * with `nonce_i = noncePrefix ‖ uint56be(i) ‖ final`, where `final` is 0x01 for the last chunk and 0x00
 * otherwise. Every chunk but the last carries exactly `chunkSize` plaintext bytes, the last one fewer
 * (possibly none), so a reader knows the last chunk by its length alone and needs no look-ahead.
 */
import { bytes, type Bytes } from './encoding.ts';
import { DecryptionFailedError, InvalidFormatError, InvalidParametersError } from './errors.ts';
import { checkFileKey } from './filekey.ts';
import { checkPrefix, PREFIX_LENGTH } from './format.ts';
import {
  chunkNonce,
  chunkSizeLog2,
  createStreamKeys,
  DEFAULT_CHUNK_SIZE,
  HEADER_LENGTH,
  openStreamKeys,
  parseHeader,
  TAG_LENGTH,
  type StreamHeader,
  type StreamKeys,
} from './header.ts';
import { aesGcmOpen, aesGcmSeal, systemRandom, type RandomSource } from './webcrypto.ts';

/**
 * Chunks in flight at once. WebCrypto runs each call on a worker thread; two overlapping calls keep two
 * cores busy in Node (raw AES-GCM at 1 MiB chunks: 2.0 → 2.5 GB/s, see docs/crypto.md).
 */
const IN_FLIGHT = 2;

/** Options of {@link encryptStream} and {@link encryptBytes}. */
export interface EncryptOptions {
  /**
   * Plaintext bytes per chunk: a power of two from 64 B to 16 MiB, recorded in the header. Default 512 KiB
   * ({@link DEFAULT_CHUNK_SIZE}). Smaller chunks make random access finer but encryption slower.
   */
  readonly chunkSize?: number;
}

/** Options of {@link decryptStream}. */
export interface DecryptOptions {
  /**
   * To resume a download: the stream's header (its first 55 bytes, fetched earlier). The input then starts
   * at chunk {@link DecryptOptions.firstChunk} instead of at the header.
   */
  readonly header?: Uint8Array;
  /** With `header`: the index of the first chunk in the input (from {@link chunkRange}). Default 0. */
  readonly firstChunk?: number;
}

type Settled = { readonly ok: true; readonly value: Bytes } | { readonly ok: false; readonly error: unknown };

/** Runs up to `IN_FLIGHT` WebCrypto calls at once and emits their results in order. */
class OrderedQueue {
  readonly #pending: Promise<Settled>[] = [];

  async add(work: Promise<Bytes>, emit: (chunk: Bytes) => void): Promise<void> {
    this.#pending.push(
      work.then(
        (value): Settled => ({ ok: true, value }),
        (error: unknown): Settled => ({ ok: false, error }),
      ),
    );
    while (this.#pending.length >= IN_FLIGHT) await this.#next(emit);
  }

  async drain(emit: (chunk: Bytes) => void): Promise<void> {
    while (this.#pending.length > 0) await this.#next(emit);
  }

  async #next(emit: (chunk: Bytes) => void): Promise<void> {
    const oldest = this.#pending.shift();
    if (oldest === undefined) return;
    const result = await oldest;
    if (!result.ok) throw result.error;
    emit(result.value);
  }
}

function sealChunk(keys: StreamKeys, index: number, plaintext: Uint8Array, final: boolean): Promise<Bytes> {
  return aesGcmSeal(
    keys.payloadKey,
    chunkNonce(keys.noncePrefix, index, final),
    keys.header.bytes,
    plaintext,
  );
}

function openChunk(keys: StreamKeys, index: number, ciphertext: Uint8Array, final: boolean): Promise<Bytes> {
  return aesGcmOpen(
    keys.payloadKey,
    chunkNonce(keys.noncePrefix, index, final),
    keys.header.bytes,
    ciphertext,
  );
}

function checkInput(chunk: unknown): Uint8Array {
  if (!(chunk instanceof Uint8Array)) throw new InvalidParametersError('stream chunks must be Uint8Arrays');
  return chunk;
}

/** Internal: {@link encryptStream} with an injectable random source (test vectors only). */
export function encryptStreamWith(
  fileKey: Uint8Array,
  options: EncryptOptions,
  random: RandomSource,
): TransformStream<Uint8Array, Uint8Array> {
  const key = checkFileKey(fileKey);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  chunkSizeLog2(chunkSize);
  const keysPromise = createStreamKeys(key, chunkSize, random);
  const queue = new OrderedQueue();
  const buffer = new Uint8Array(chunkSize);
  let filled = 0;
  let index = 0;

  return new TransformStream<Uint8Array, Uint8Array>({
    async start(controller) {
      controller.enqueue((await keysPromise).header.bytes.slice());
    },
    async transform(chunk, controller) {
      const input = checkInput(chunk);
      const keys = await keysPromise;
      const emit = (c: Bytes): void => controller.enqueue(c);
      let offset = 0;
      while (offset < input.length) {
        if (filled === 0 && input.length - offset >= chunkSize) {
          // A whole chunk in the input: seal it in place (WebCrypto copies the bytes before returning).
          await queue.add(sealChunk(keys, index++, input.subarray(offset, offset + chunkSize), false), emit);
          offset += chunkSize;
          continue;
        }
        const n = Math.min(chunkSize - filled, input.length - offset);
        buffer.set(input.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === chunkSize) {
          filled = 0;
          await queue.add(sealChunk(keys, index++, buffer, false), emit);
        }
      }
    },
    async flush(controller) {
      const keys = await keysPromise;
      const emit = (c: Bytes): void => controller.enqueue(c);
      await queue.add(sealChunk(keys, index++, buffer.subarray(0, filled), true), emit);
      await queue.drain(emit);
    },
  });
}

/**
 * A `TransformStream` that encrypts: plaintext in, the encrypted stream (header, then chunks) out. Write
 * slices of any size; it buffers at most one chunk (plus up to two chunks being encrypted).
 *
 * ```ts
 * const encrypted = file.stream().pipeThrough(encryptStream(fileKey));
 * ```
 *
 * @param fileKey - the transfer's 32-byte file key ({@link generateFileKey}). Several streams may share
 *   one file key: each gets its own random salt and thus its own keys.
 * @throws {InvalidParametersError} synchronously for a file key that is not 32 bytes or a chunk size the
 *   format does not allow; the stream errors with it when a written chunk is not a `Uint8Array`.
 * @throws {NotSupportedError} (the stream errors) when WebCrypto is unavailable.
 */
export function encryptStream(
  fileKey: Uint8Array,
  options: EncryptOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  return encryptStreamWith(fileKey, options, systemRandom);
}

/**
 * A `TransformStream` that decrypts: the encrypted stream in, plaintext out, one authenticated chunk at a
 * time. It never releases plaintext of a chunk whose tag did not verify. Write slices of any size.
 *
 * The readable side errors with {@link DecryptionFailedError} when anything is wrong with the data: wrong
 * file key, modified header or chunk, chunks reordered or taken from another stream, the stream truncated
 * (it must end with its final chunk) or followed by extra bytes. Plaintext already read from the earlier,
 * authentic chunks is then only a prefix: discard it (write to a temporary place, keep it only once the
 * stream has closed without error).
 *
 * @param fileKey - the 32-byte file key the stream was encrypted with.
 * @throws {InvalidParametersError} synchronously for a file key that is not 32 bytes, or a `header` or
 *   `firstChunk` option that is invalid.
 * @throws {InvalidFormatError} (stream error) when the input is shorter than a header or its first bytes
 *   are not a stream header; synchronously when `options.header` is not one.
 * @throws {UnsupportedVersionError} (stream error) when the stream is of another format version.
 * @throws {DecryptionFailedError} (stream error) for every failure of authentication, as above.
 */
export function decryptStream(
  fileKey: Uint8Array,
  options: DecryptOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  const key = checkFileKey(fileKey);
  const firstChunk = options.firstChunk ?? 0;
  if (
    !Number.isSafeInteger(firstChunk) ||
    firstChunk < 0 ||
    (firstChunk > 0 && options.header === undefined)
  ) {
    throw new InvalidParametersError('firstChunk must be a non-negative integer and needs the header');
  }
  const given = options.header === undefined ? undefined : parseHeader(options.header);
  const queue = new OrderedQueue();
  const headerBuffer = new Uint8Array(HEADER_LENGTH);
  let headerFilled = 0;
  let keys: StreamKeys | undefined;
  let buffer = new Uint8Array(0);
  let stride = 0;
  let filled = 0;
  let index = firstChunk;

  const open = async (header: StreamHeader): Promise<StreamKeys> => {
    keys = await openStreamKeys(key, header);
    stride = header.chunkSize + TAG_LENGTH;
    buffer = new Uint8Array(stride);
    return keys;
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    async start() {
      if (given !== undefined) await open(given);
    },
    async transform(chunk, controller) {
      const input = checkInput(chunk);
      const emit = (c: Bytes): void => controller.enqueue(c);
      let offset = 0;
      let k = keys;
      if (k === undefined) {
        const n = Math.min(HEADER_LENGTH - headerFilled, input.length);
        headerBuffer.set(input.subarray(0, n), headerFilled);
        headerFilled += n;
        offset = n;
        // Reject a wrong magic, type or version as soon as those bytes are in.
        if (headerFilled >= PREFIX_LENGTH) checkPrefix(headerBuffer, 'stream');
        if (headerFilled < HEADER_LENGTH) return;
        k = await open(parseHeader(headerBuffer));
      }
      while (offset < input.length) {
        if (filled === 0 && input.length - offset >= stride) {
          await queue.add(openChunk(k, index++, input.subarray(offset, offset + stride), false), emit);
          offset += stride;
          continue;
        }
        const n = Math.min(stride - filled, input.length - offset);
        buffer.set(input.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === stride) {
          // A full-length chunk is never the final one.
          filled = 0;
          await queue.add(openChunk(k, index++, buffer, false), emit);
        }
      }
    },
    async flush(controller) {
      const k = keys;
      if (k === undefined) {
        // The input ended inside the header: parseHeader names the problem (prefix or incomplete).
        parseHeader(headerBuffer.subarray(0, headerFilled));
        throw new InvalidFormatError('the stream header is incomplete');
      }
      const emit = (c: Bytes): void => controller.enqueue(c);
      // The final chunk is shorter than a full one; a stream ending on a chunk boundary was truncated.
      if (filled < TAG_LENGTH) {
        await queue.drain(emit);
        throw new DecryptionFailedError();
      }
      await queue.add(openChunk(k, index, buffer.subarray(0, filled), true), emit);
      await queue.drain(emit);
    },
  });
}

/** Internal: {@link encryptBytes} with an injectable random source (test vectors only). */
export async function encryptBytesWith(
  fileKey: Uint8Array,
  plaintext: Uint8Array,
  options: EncryptOptions,
  random: RandomSource,
): Promise<Bytes> {
  const keys = await createStreamKeys(fileKey, options.chunkSize ?? DEFAULT_CHUNK_SIZE, random);
  const { chunkSize } = keys.header;
  const count = Math.floor(plaintext.length / chunkSize) + 1;
  const out = new Uint8Array(HEADER_LENGTH + plaintext.length + count * TAG_LENGTH);
  out.set(keys.header.bytes, 0);
  let at = HEADER_LENGTH;
  const queue = new OrderedQueue();
  const emit = (c: Bytes): void => {
    out.set(c, at);
    at += c.length;
  };
  const input = bytes(plaintext);
  for (let i = 0; i < count; i++) {
    const part = input.subarray(i * chunkSize, Math.min((i + 1) * chunkSize, input.length));
    await queue.add(sealChunk(keys, i, part, i === count - 1), emit);
  }
  await queue.drain(emit);
  return out;
}

/**
 * Encrypts a whole buffer into the stream format (same bytes as {@link encryptStream} would produce with
 * the same salt). For message texts and small files; use the stream for large ones.
 *
 * @throws {InvalidParametersError} for a file key that is not 32 bytes or a chunk size the format does
 *   not allow.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function encryptBytes(
  fileKey: Uint8Array,
  plaintext: Uint8Array,
  options: EncryptOptions = {},
): Promise<Bytes> {
  return encryptBytesWith(fileKey, plaintext, options, systemRandom);
}

/**
 * Decrypts a whole encrypted stream held in memory. Returns nothing unless every chunk authenticates.
 *
 * @throws {InvalidParametersError} for a file key that is not 32 bytes.
 * @throws {InvalidFormatError} when the data is shorter than a header or does not start with one.
 * @throws {UnsupportedVersionError} for another format version.
 * @throws {DecryptionFailedError} for a wrong key or modified, truncated, reordered, spliced or extended
 *   data — one error for all.
 */
export async function decryptBytes(fileKey: Uint8Array, ciphertext: Uint8Array): Promise<Bytes> {
  const key = checkFileKey(fileKey);
  const header = parseHeader(ciphertext);
  const keys = await openStreamKeys(key, header);
  const stride = header.chunkSize + TAG_LENGTH;
  const body = ciphertext.length - HEADER_LENGTH;
  const count = Math.floor(body / stride) + 1;
  const lastLength = body - (count - 1) * stride;
  if (lastLength < TAG_LENGTH) throw new DecryptionFailedError();
  const out = new Uint8Array(body - count * TAG_LENGTH);
  let at = 0;
  const queue = new OrderedQueue();
  const emit = (c: Bytes): void => {
    out.set(c, at);
    at += c.length;
  };
  const input = bytes(ciphertext);
  try {
    for (let i = 0; i < count; i++) {
      const start = HEADER_LENGTH + i * stride;
      const part = input.subarray(start, Math.min(start + stride, input.length));
      await queue.add(openChunk(keys, i, part, i === count - 1), emit);
    }
    await queue.drain(emit);
  } catch (error) {
    out.fill(0);
    throw error;
  }
  return out;
}

/** Decrypts single chunks of one stream, in any order: random access. From {@link openStream}. */
export interface ChunkDecryptor {
  /** The authenticated header. */
  readonly header: StreamHeader;
  /**
   * Decrypts chunk `index` (0-based) of the stream. The chunk is the final one exactly when it is shorter
   * than `chunkSize + 16` bytes; a short chunk that is not really the final one fails.
   *
   * @param ciphertext - exactly the chunk's bytes: `chunkSize + 16`, or fewer for the final chunk.
   * @throws {InvalidParametersError} when `index` is not a non-negative safe integer.
   * @throws {DecryptionFailedError} when the chunk does not authenticate as chunk `index` of this stream.
   */
  decryptChunk(index: number, ciphertext: Uint8Array): Promise<Bytes>;
}

/**
 * Authenticates a stream header under `fileKey` and returns a {@link ChunkDecryptor} for random access
 * (HTTP `Range` requests; see {@link chunkRange}).
 *
 * @param header - at least the first 55 bytes of the stream.
 * @throws {InvalidParametersError} for a file key that is not 32 bytes.
 * @throws {InvalidFormatError} when `header` is not a stream header.
 * @throws {UnsupportedVersionError} for another format version.
 * @throws {DecryptionFailedError} for a wrong key or a modified header.
 */
export async function openStream(fileKey: Uint8Array, header: Uint8Array): Promise<ChunkDecryptor> {
  const key = checkFileKey(fileKey);
  const keys = await openStreamKeys(key, parseHeader(header));
  const full = keys.header.chunkSize + TAG_LENGTH;
  return {
    header: keys.header,
    async decryptChunk(index, ciphertext) {
      if (!Number.isSafeInteger(index) || index < 0) {
        throw new InvalidParametersError('the chunk index must be a non-negative safe integer');
      }
      if (ciphertext.length > full) throw new DecryptionFailedError();
      return openChunk(keys, index, ciphertext, ciphertext.length < full);
    },
  };
}

/**
 * Decrypts chunk `index` of a stream given its header: {@link openStream} and
 * {@link ChunkDecryptor.decryptChunk} in one call. Prefer `openStream` for several chunks.
 *
 * @throws {InvalidParametersError} for a file key that is not 32 bytes or an invalid index.
 * @throws {InvalidFormatError} when `header` is not a stream header.
 * @throws {UnsupportedVersionError} for another format version.
 * @throws {DecryptionFailedError} for a wrong key, a modified header, or a chunk that does not
 *   authenticate as chunk `index` of this stream.
 */
export async function decryptChunk(
  fileKey: Uint8Array,
  header: Uint8Array,
  index: number,
  ciphertext: Uint8Array,
): Promise<Bytes> {
  return (await openStream(fileKey, header)).decryptChunk(index, ciphertext);
}
