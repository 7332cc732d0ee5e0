/**
 * The stream header (version 1) and the key schedule of a stream. Layout, 55 bytes:
 *
 * ```
 * offset  length  field
 *      0       4  magic "AMTB"
 *      4       1  type 0x53 ("S")
 *      5       1  version 0x01
 *      6       1  log2 of the plaintext chunk size, 6..24 (64 B .. 16 MiB; default 19 = 512 KiB)
 *      7      16  salt, random per stream
 *     23      32  HMAC-SHA-256(macKey, bytes 0..22)
 * ```
 *
 * With `IKM` = file key and `salt` = the header salt, HKDF-SHA-256 gives `macKey` (32 bytes, info
 * "amtsbote stream v1 header") and `payloadKey ‖ noncePrefix` (32 + 4 bytes, info "amtsbote stream v1
 * payload"). The MAC commits the header to the file key, which makes the whole stream key-committing.
 */
import { bytes, constantTimeEqual, utf8, type Bytes } from './encoding.ts';
import { InvalidFormatError, InvalidParametersError, DecryptionFailedError } from './errors.ts';
import { checkFileKey } from './filekey.ts';
import { checkPrefix, PREFIX_LENGTH, writePrefix } from './format.ts';
import { hkdf, hmacSha256, importAesGcmKey, systemRandom, type RandomSource } from './webcrypto.ts';

/** Length of a version-1 stream header in bytes. */
export const HEADER_LENGTH = 55;
/** Smallest chunk size exponent the format allows (64-byte chunks; for test vectors). */
export const MIN_CHUNK_SIZE_LOG2 = 6;
/** Largest chunk size exponent the format allows (16 MiB chunks; bounds a decoder's memory). */
export const MAX_CHUNK_SIZE_LOG2 = 24;
/**
 * The default plaintext chunk size, 512 KiB. Measured (docs/crypto.md): in Node, throughput plateaus from
 * 512 KiB on; in Chromium, chunks of 1 MiB and more are about half as fast as 512 KiB.
 */
export const DEFAULT_CHUNK_SIZE = 1 << 19;
/** AES-GCM tag length: every chunk's ciphertext is its plaintext plus these 16 bytes. */
export const TAG_LENGTH = 16;

// Exported for the node:crypto implementation (stream.node.ts), which must derive the same keys.
export const SALT_OFFSET = 7;
export const SALT_LENGTH = 16;
export const MAC_OFFSET = 23;
export const NONCE_PREFIX_LENGTH = 4;
export const INFO_HEADER = utf8('amtsbote stream v1 header');
export const INFO_PAYLOAD = utf8('amtsbote stream v1 payload');

/** The fields of a parsed stream header. Parsing does not authenticate it; opening does. */
export interface StreamHeader {
  /** Format version; always 1 today. */
  readonly version: 1;
  /** Plaintext bytes per chunk (every chunk but the last holds exactly this many). */
  readonly chunkSize: number;
  /** The 55 header bytes exactly as serialized (the AAD of every chunk). */
  readonly bytes: Bytes;
}

/** Keys and parameters to seal or open the chunks of one stream. */
export interface StreamKeys {
  readonly header: StreamHeader;
  readonly payloadKey: CryptoKey;
  readonly noncePrefix: Bytes;
}

/**
 * Checks that `chunkSize` is a power of two the format allows and returns its exponent.
 *
 * @throws {InvalidParametersError} otherwise.
 */
export function chunkSizeLog2(chunkSize: number): number {
  const log2 = Math.log2(chunkSize);
  if (!Number.isInteger(log2) || log2 < MIN_CHUNK_SIZE_LOG2 || log2 > MAX_CHUNK_SIZE_LOG2) {
    throw new InvalidParametersError('the chunk size must be a power of two from 64 B to 16 MiB');
  }
  return log2;
}

/**
 * Parses the first {@link HEADER_LENGTH} bytes of an encrypted stream. Does not use a key, so it does not
 * authenticate anything: use it to learn the chunk size (e.g. for {@link chunkRange}), then
 * {@link openStream} to authenticate.
 *
 * @param data - at least the first 55 bytes of the stream; later bytes are ignored.
 * @throws {InvalidFormatError} when the bytes are not a stream header (too short, wrong magic or type,
 *   chunk size outside the format's range).
 * @throws {UnsupportedVersionError} when the stream uses another format version.
 */
export function parseHeader(data: Uint8Array): StreamHeader {
  if (data.length >= PREFIX_LENGTH) checkPrefix(data, 'stream');
  if (data.length < HEADER_LENGTH) throw new InvalidFormatError('the stream header is incomplete');
  const log2 = data[6] ?? 0;
  if (log2 < MIN_CHUNK_SIZE_LOG2 || log2 > MAX_CHUNK_SIZE_LOG2) {
    throw new InvalidFormatError('the stream header has an invalid chunk size');
  }
  return { version: 1, chunkSize: 2 ** log2, bytes: bytes(data.slice(0, HEADER_LENGTH)) };
}

async function deriveKeys(fileKey: Bytes, salt: Uint8Array): Promise<{ macKey: Bytes; payload: Bytes }> {
  const [macKey, payload] = await Promise.all([
    hkdf(fileKey, salt, INFO_HEADER, 32),
    hkdf(fileKey, salt, INFO_PAYLOAD, 32 + NONCE_PREFIX_LENGTH),
  ]);
  return { macKey, payload };
}

async function keysFrom(header: StreamHeader, payload: Bytes): Promise<StreamKeys> {
  const noncePrefix = payload.slice(32);
  try {
    return { header, payloadKey: await importAesGcmKey(payload.subarray(0, 32)), noncePrefix };
  } finally {
    payload.fill(0);
  }
}

/**
 * Makes a new header (fresh salt from `random`) and the keys of a new stream. Internal: the random
 * source is injectable only for the test-vector generator.
 */
export async function createStreamKeys(
  fileKey: Uint8Array,
  chunkSize: number,
  random: RandomSource = systemRandom,
): Promise<StreamKeys> {
  const key = checkFileKey(fileKey);
  const log2 = chunkSizeLog2(chunkSize);
  const header = new Uint8Array(HEADER_LENGTH);
  writePrefix(header, 'stream');
  header[6] = log2;
  header.set(random(SALT_LENGTH), SALT_OFFSET);
  const { macKey, payload } = await deriveKeys(key, header.subarray(SALT_OFFSET, MAC_OFFSET));
  header.set(await hmacSha256(macKey, header.subarray(0, MAC_OFFSET)), MAC_OFFSET);
  macKey.fill(0);
  return keysFrom({ version: 1, chunkSize, bytes: header }, payload);
}

/**
 * Authenticates a parsed header under `fileKey` (constant-time MAC comparison) and derives the keys.
 *
 * @throws {InvalidParametersError} when the file key is not 32 bytes.
 * @throws {DecryptionFailedError} when the header MAC does not verify (wrong key or tampered header).
 */
export async function openStreamKeys(fileKey: Uint8Array, header: StreamHeader): Promise<StreamKeys> {
  const key = checkFileKey(fileKey);
  const h = header.bytes;
  const { macKey, payload } = await deriveKeys(key, h.subarray(SALT_OFFSET, MAC_OFFSET));
  const expected = await hmacSha256(macKey, h.subarray(0, MAC_OFFSET));
  macKey.fill(0);
  if (!constantTimeEqual(expected, h.subarray(MAC_OFFSET, HEADER_LENGTH))) {
    payload.fill(0);
    throw new DecryptionFailedError();
  }
  return keysFrom(header, payload);
}

/** Length of a chunk's nonce: 4-byte prefix, 7-byte big-endian counter, 1-byte final flag. */
export const NONCE_LENGTH = 12;

/** Largest chunk index the 56-bit counter could hold is 2^56 - 1; JavaScript numbers stop earlier. */
export const MAX_CHUNK_INDEX = Number.MAX_SAFE_INTEGER;

/** The nonce of chunk `index`: noncePrefix ‖ uint56be(index) ‖ (final ? 0x01 : 0x00). */
export function chunkNonce(noncePrefix: Uint8Array, index: number, final: boolean): Bytes {
  const nonce = new Uint8Array(NONCE_LENGTH);
  nonce.set(noncePrefix, 0);
  writeChunkCounter(nonce, index, final);
  return nonce;
}

/**
 * Writes uint56be(index) ‖ final flag into bytes 4..11 of a 12-byte nonce whose first four bytes already
 * hold the prefix, so one nonce buffer can serve every chunk of a stream.
 *
 * @throws {InvalidParametersError} when `index` is not a non-negative safe integer.
 */
export function writeChunkCounter(nonce: Uint8Array, index: number, final: boolean): void {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new InvalidParametersError('the chunk index must be a non-negative safe integer');
  }
  const hi = Math.floor(index / 2 ** 32);
  const lo = index >>> 0;
  nonce[4] = Math.floor(hi / 2 ** 16) & 0xff;
  nonce[5] = (hi >>> 8) & 0xff;
  nonce[6] = hi & 0xff;
  nonce[7] = lo >>> 24;
  nonce[8] = (lo >>> 16) & 0xff;
  nonce[9] = (lo >>> 8) & 0xff;
  nonce[10] = lo & 0xff;
  nonce[11] = final ? 1 : 0;
}
