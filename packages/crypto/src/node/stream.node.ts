/**
 * The stream format of stream.ts (docs/crypto.md, "Encrypted streams"), implemented a second time on
 * `node:crypto` for Node-only callers (the server's encryption at rest, the CLI). Node's WebCrypto copies
 * every input, zero-fills and later zeroes every output and hands each call to its thread pool, which
 * caps a WebCrypto stream at about a quarter of OpenSSL's speed (bench/crypto.notes.md);
 * `createCipheriv` runs OpenSSL directly on the caller's buffers. Same signatures, same bytes, same errors
 * as the isomorphic functions: the committed vectors and the whole suite run against both.
 *
 * Node-only by design: the main entry never imports this file (browsers use stream.ts).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import type { Bytes } from '../encoding.ts';
import { DecryptionFailedError, InvalidFormatError, InvalidParametersError } from '../errors.ts';
import { checkFileKey } from '../filekey.ts';
import { checkPrefix, PREFIX_LENGTH, writePrefix } from '../format.ts';
import {
  chunkSizeLog2,
  DEFAULT_CHUNK_SIZE,
  HEADER_LENGTH,
  INFO_HEADER,
  INFO_PAYLOAD,
  MAC_OFFSET,
  NONCE_LENGTH,
  NONCE_PREFIX_LENGTH,
  parseHeader,
  SALT_LENGTH,
  SALT_OFFSET,
  TAG_LENGTH,
  writeChunkCounter,
  type StreamHeader,
} from '../header.ts';
import type { ChunkDecryptor, DecryptOptions, EncryptOptions } from '../stream.ts';
import { systemRandom, type RandomSource } from '../webcrypto.ts';

const ALGORITHM = 'aes-256-gcm';
const GCM = { authTagLength: TAG_LENGTH } as const;

/** Keys of one stream; the raw payload key lives only inside the KeyObject (OpenSSL memory). */
interface NodeStreamKeys {
  readonly header: StreamHeader;
  readonly payloadKey: KeyObject;
  /** The 12-byte nonce with the stream's prefix; bytes 4..11 are rewritten per chunk. */
  readonly nonce: Bytes;
}

/** HKDF as in header.ts; the derived raw keys are zeroed once they are in OpenSSL's hands. */
function deriveKeys(fileKey: Bytes, header: StreamHeader): { keys: NodeStreamKeys; mac: Bytes } {
  const h = header.bytes;
  const salt = h.subarray(SALT_OFFSET, MAC_OFFSET);
  const macKey = new Uint8Array(hkdfSync('sha256', fileKey, salt, INFO_HEADER, 32));
  const payload = new Uint8Array(hkdfSync('sha256', fileKey, salt, INFO_PAYLOAD, 32 + NONCE_PREFIX_LENGTH));
  const hmac = createHmac('sha256', macKey).update(h.subarray(0, MAC_OFFSET)).digest();
  const mac = new Uint8Array(hmac.buffer, hmac.byteOffset, hmac.length).slice();
  const payloadKey = createSecretKey(payload.subarray(0, 32));
  const nonce = new Uint8Array(NONCE_LENGTH);
  nonce.set(payload.subarray(32), 0);
  macKey.fill(0);
  payload.fill(0);
  return { keys: { header, payloadKey, nonce }, mac };
}

function createKeys(fileKey: Bytes, chunkSize: number, random: RandomSource): NodeStreamKeys {
  const header = new Uint8Array(HEADER_LENGTH);
  writePrefix(header, 'stream');
  header[6] = chunkSizeLog2(chunkSize);
  header.set(random(SALT_LENGTH), SALT_OFFSET);
  const { keys, mac } = deriveKeys(fileKey, { version: 1, chunkSize, bytes: header });
  header.set(mac, MAC_OFFSET);
  return keys;
}

/** @throws {DecryptionFailedError} when the header MAC does not verify (wrong key or tampered header). */
function openKeys(fileKey: Bytes, header: StreamHeader): NodeStreamKeys {
  const { keys, mac } = deriveKeys(fileKey, header);
  if (!timingSafeEqual(mac, header.bytes.subarray(MAC_OFFSET, HEADER_LENGTH))) {
    throw new DecryptionFailedError();
  }
  return keys;
}

/**
 * A Buffer returned by node:crypto as a plain Uint8Array, as the WebCrypto path returns (Buffer's `slice`
 * is a view, not a copy). node:crypto gives each result its own ArrayBuffer, so this is only a view; the
 * copy guards against a pooled Buffer exposing its neighbours through `.buffer`.
 */
function plain(b: Buffer): Bytes {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length && b.buffer instanceof ArrayBuffer) {
    return new Uint8Array(b.buffer, 0, b.length);
  }
  return new Uint8Array(b);
}

/** Encrypts one chunk: its ciphertext and its tag, which follow each other in the stream. */
function seal(keys: NodeStreamKeys, index: number, plaintext: Uint8Array, final: boolean): [Bytes, Bytes] {
  writeChunkCounter(keys.nonce, index, final);
  const cipher = createCipheriv(ALGORITHM, keys.payloadKey, keys.nonce, GCM);
  cipher.setAAD(keys.header.bytes);
  const body = cipher.update(plaintext);
  cipher.final();
  return [plain(body), plain(cipher.getAuthTag())];
}

/**
 * Decrypts one chunk (ciphertext ‖ tag). OpenSSL produces the plaintext before it checks the tag, so
 * the plaintext is released only after `final()` verified it, and zeroed otherwise.
 *
 * @throws {DecryptionFailedError} when the chunk does not authenticate as chunk `index`.
 */
function open(keys: NodeStreamKeys, index: number, chunk: Uint8Array, final: boolean): Bytes {
  writeChunkCounter(keys.nonce, index, final);
  if (chunk.length < TAG_LENGTH) throw new DecryptionFailedError();
  const end = chunk.length - TAG_LENGTH;
  const decipher = createDecipheriv(ALGORITHM, keys.payloadKey, keys.nonce, GCM);
  decipher.setAAD(keys.header.bytes);
  decipher.setAuthTag(chunk.subarray(end));
  const out = decipher.update(chunk.subarray(0, end));
  try {
    decipher.final();
  } catch {
    out.fill(0);
    throw new DecryptionFailedError();
  }
  return plain(out);
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
  // Collects the plaintext of the chunk being filled: its nonce depends on whether it turns out final.
  const buffer = new Uint8Array(chunkSize);
  let keys: NodeStreamKeys | undefined;
  let filled = 0;
  let index = 0;

  const emit = (controller: TransformStreamDefaultController<Uint8Array>, [body, tag]: [Bytes, Bytes]) => {
    if (body.length > 0) controller.enqueue(body);
    controller.enqueue(tag);
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      keys = createKeys(key, chunkSize, random);
      controller.enqueue(keys.header.bytes.slice());
    },
    transform(chunk, controller) {
      const input = checkInput(chunk);
      const k = keys;
      if (k === undefined) throw new InvalidParametersError('the stream was not started');
      let offset = 0;
      while (offset < input.length) {
        if (filled === 0 && input.length - offset >= chunkSize) {
          // A whole chunk in the input: encrypt it where it is (it is never the final one).
          emit(controller, seal(k, index++, input.subarray(offset, offset + chunkSize), false));
          offset += chunkSize;
          continue;
        }
        const n = Math.min(chunkSize - filled, input.length - offset);
        buffer.set(input.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === chunkSize) {
          filled = 0;
          emit(controller, seal(k, index++, buffer, false));
        }
      }
    },
    flush(controller) {
      const k = keys;
      if (k === undefined) throw new InvalidParametersError('the stream was not started');
      emit(controller, seal(k, index++, buffer.subarray(0, filled), true));
      buffer.fill(0);
    },
  });
}

/**
 * {@link import('./stream.ts').encryptStream} on node:crypto: the same bytes, options and errors. Each
 * chunk comes out as two pieces (ciphertext, then its 16-byte tag) instead of one, which saves copying
 * them together; the byte stream is identical.
 *
 * @throws {InvalidParametersError} synchronously for a file key that is not 32 bytes or a chunk size the
 *   format does not allow; the stream errors with it when a written chunk is not a `Uint8Array`.
 */
export function encryptStream(
  fileKey: Uint8Array,
  options: EncryptOptions = {},
): TransformStream<Uint8Array, Uint8Array> {
  return encryptStreamWith(fileKey, options, systemRandom);
}

/**
 * {@link import('./stream.ts').decryptStream} on node:crypto: releases a chunk's plaintext only after
 * its tag verified; the same errors on the same inputs.
 *
 * @throws {InvalidParametersError} synchronously for a file key that is not 32 bytes, or a `header` or
 *   `firstChunk` option that is invalid.
 * @throws {InvalidFormatError} (stream error) when the input is shorter than a header or its first bytes
 *   are not a stream header; synchronously when `options.header` is not one.
 * @throws {UnsupportedVersionError} (stream error) when the stream is of another format version.
 * @throws {DecryptionFailedError} (stream error) for every failure of authentication.
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
  const headerBuffer = new Uint8Array(HEADER_LENGTH);
  let headerFilled = 0;
  let keys: NodeStreamKeys | undefined;
  let buffer = new Uint8Array(0);
  let stride = 0;
  let filled = 0;
  let index = firstChunk;

  const begin = (header: StreamHeader): NodeStreamKeys => {
    const k = openKeys(key, header);
    keys = k;
    stride = header.chunkSize + TAG_LENGTH;
    buffer = new Uint8Array(stride);
    return k;
  };

  return new TransformStream<Uint8Array, Uint8Array>({
    start() {
      if (given !== undefined) begin(given);
    },
    transform(chunk, controller) {
      const input = checkInput(chunk);
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
        k = begin(parseHeader(headerBuffer));
      }
      while (offset < input.length) {
        if (filled === 0 && input.length - offset >= stride) {
          const out = open(k, index++, input.subarray(offset, offset + stride), false);
          if (out.length > 0) controller.enqueue(out);
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
          const out = open(k, index++, buffer, false);
          if (out.length > 0) controller.enqueue(out);
        }
      }
    },
    flush(controller) {
      const k = keys;
      if (k === undefined) {
        // The input ended inside the header: parseHeader names the problem (prefix or incomplete).
        parseHeader(headerBuffer.subarray(0, headerFilled));
        throw new InvalidFormatError('the stream header is incomplete');
      }
      // The final chunk is shorter than a full one; a stream ending on a chunk boundary was truncated.
      if (filled < TAG_LENGTH) throw new DecryptionFailedError();
      const out = open(k, index, buffer.subarray(0, filled), true);
      if (out.length > 0) controller.enqueue(out);
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
  const keys = createKeys(checkFileKey(fileKey), options.chunkSize ?? DEFAULT_CHUNK_SIZE, random);
  const { chunkSize } = keys.header;
  const count = Math.floor(plaintext.length / chunkSize) + 1;
  const out = new Uint8Array(HEADER_LENGTH + plaintext.length + count * TAG_LENGTH);
  out.set(keys.header.bytes, 0);
  let at = HEADER_LENGTH;
  for (let i = 0; i < count; i++) {
    const part = plaintext.subarray(i * chunkSize, Math.min((i + 1) * chunkSize, plaintext.length));
    for (const piece of seal(keys, i, part, i === count - 1)) {
      out.set(piece, at);
      at += piece.length;
    }
  }
  return out;
}

/**
 * {@link import('./stream.ts').encryptBytes} on node:crypto.
 *
 * @throws {InvalidParametersError} for a file key that is not 32 bytes or a chunk size the format does
 *   not allow.
 */
export async function encryptBytes(
  fileKey: Uint8Array,
  plaintext: Uint8Array,
  options: EncryptOptions = {},
): Promise<Bytes> {
  return encryptBytesWith(fileKey, plaintext, options, systemRandom);
}

/**
 * {@link import('./stream.ts').decryptBytes} on node:crypto. Returns nothing unless every chunk
 * authenticates.
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
  const keys = openKeys(key, header);
  const stride = header.chunkSize + TAG_LENGTH;
  const body = ciphertext.length - HEADER_LENGTH;
  const count = Math.floor(body / stride) + 1;
  const lastLength = body - (count - 1) * stride;
  if (lastLength < TAG_LENGTH) throw new DecryptionFailedError();
  const out = new Uint8Array(body - count * TAG_LENGTH);
  let at = 0;
  try {
    for (let i = 0; i < count; i++) {
      const start = HEADER_LENGTH + i * stride;
      const part = ciphertext.subarray(start, Math.min(start + stride, ciphertext.length));
      const chunk = open(keys, i, part, i === count - 1);
      out.set(chunk, at);
      at += chunk.length;
      chunk.fill(0);
    }
  } catch (error) {
    out.fill(0);
    throw error;
  }
  return out;
}

/**
 * {@link import('./stream.ts').openStream} on node:crypto: authenticates the header and returns a
 * {@link ChunkDecryptor} for random access.
 *
 * @throws {InvalidParametersError} for a file key that is not 32 bytes.
 * @throws {InvalidFormatError} when `header` is not a stream header.
 * @throws {UnsupportedVersionError} for another format version.
 * @throws {DecryptionFailedError} for a wrong key or a modified header.
 */
export async function openStream(fileKey: Uint8Array, header: Uint8Array): Promise<ChunkDecryptor> {
  const key = checkFileKey(fileKey);
  const keys = openKeys(key, parseHeader(header));
  const full = keys.header.chunkSize + TAG_LENGTH;
  return {
    header: keys.header,
    async decryptChunk(index, ciphertext) {
      if (!Number.isSafeInteger(index) || index < 0) {
        throw new InvalidParametersError('the chunk index must be a non-negative safe integer');
      }
      if (ciphertext.length > full) throw new DecryptionFailedError();
      return open(keys, index, ciphertext, ciphertext.length < full);
    },
  };
}

/**
 * {@link import('./stream.ts').decryptChunk} on node:crypto: {@link openStream} and
 * {@link ChunkDecryptor.decryptChunk} in one call.
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
