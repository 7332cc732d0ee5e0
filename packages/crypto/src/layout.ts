/**
 * Where things are in an encrypted stream: lengths and byte ranges, for HTTP `Range` requests, resumable
 * downloads and upload size checks. Pure arithmetic; no keys.
 *
 * A stream is the 55-byte header followed by chunks. With chunk size `C`, every chunk but the last holds
 * exactly `C` plaintext bytes and the last holds `0 .. C-1`, so a plaintext of `P` bytes has
 * `floor(P / C) + 1` chunks (an exact multiple of `C`, including 0, ends with an empty final chunk). Chunk
 * `i` starts at ciphertext offset `55 + i * (C + 16)`.
 */
import { InvalidFormatError, InvalidParametersError } from './errors.ts';
import { chunkSizeLog2, DEFAULT_CHUNK_SIZE, HEADER_LENGTH, TAG_LENGTH } from './header.ts';

function checkLength(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidParametersError(`${what} must be a non-negative safe integer`);
  }
}

/**
 * The number of chunks of a plaintext of `plaintextLength` bytes.
 *
 * @throws {InvalidParametersError} on a negative or non-integer length or a chunk size the format forbids.
 */
export function chunkCount(plaintextLength: number, chunkSize: number = DEFAULT_CHUNK_SIZE): number {
  checkLength(plaintextLength, 'the plaintext length');
  chunkSizeLog2(chunkSize);
  return Math.floor(plaintextLength / chunkSize) + 1;
}

/**
 * The exact length of the encrypted stream of a plaintext of `plaintextLength` bytes: header, plaintext,
 * and 16 bytes per chunk.
 *
 * @throws {InvalidParametersError} on a negative or non-integer length or a chunk size the format forbids.
 */
export function ciphertextLength(plaintextLength: number, chunkSize: number = DEFAULT_CHUNK_SIZE): number {
  return HEADER_LENGTH + plaintextLength + chunkCount(plaintextLength, chunkSize) * TAG_LENGTH;
}

/**
 * The plaintext length of an encrypted stream of `length` bytes (inverse of {@link ciphertextLength}).
 * Only arithmetic: it proves nothing about authenticity.
 *
 * @throws {InvalidFormatError} when no plaintext length encrypts to exactly `length` bytes.
 * @throws {InvalidParametersError} on a negative or non-integer length or a chunk size the format forbids.
 */
export function plaintextLength(length: number, chunkSize: number = DEFAULT_CHUNK_SIZE): number {
  checkLength(length, 'the ciphertext length');
  chunkSizeLog2(chunkSize);
  const body = length - HEADER_LENGTH;
  const full = Math.floor(body / (chunkSize + TAG_LENGTH));
  const last = body - full * (chunkSize + TAG_LENGTH);
  if (body < 0 || last < TAG_LENGTH)
    throw new InvalidFormatError('impossible length for an encrypted stream');
  return full * chunkSize + last - TAG_LENGTH;
}

/** Which chunks hold a plaintext byte range, and where they are in the ciphertext. */
export interface ChunkRange {
  /** Index of the first chunk to fetch and decrypt. */
  readonly firstChunk: number;
  /** Index of the last chunk to fetch and decrypt (inclusive). */
  readonly lastChunk: number;
  /** Ciphertext offset where `firstChunk` starts (for `Range: bytes=start-`). */
  readonly ciphertextStart: number;
  /** Ciphertext offset just after `lastChunk` (exclusive; the HTTP range end is this minus one). */
  readonly ciphertextEnd: number;
  /** Plaintext bytes to drop from the start of the first decrypted chunk. */
  readonly skip: number;
  /** Plaintext bytes to keep after skipping (`end - start`). */
  readonly length: number;
}

/**
 * Maps the plaintext byte range `[start, end)` of a stream to the whole chunks that hold it. Fetch
 * `ciphertextStart .. ciphertextEnd - 1`, split it every `chunkSize + 16` bytes, decrypt each chunk with
 * {@link ChunkDecryptor.decryptChunk}, then drop `skip` bytes and keep `length`. To resume a download
 * instead, fetch from `ciphertextStart` to the end of the stream and pipe it through {@link decryptStream}
 * with `{ header, firstChunk }`, which also checks that the stream ends properly.
 *
 * @param plaintextTotal - the plaintext length of the whole stream (see {@link plaintextLength}).
 * @throws {InvalidParametersError} unless `0 <= start < end <= plaintextTotal`, or on a chunk size the
 *   format forbids.
 */
export function chunkRange(
  start: number,
  end: number,
  plaintextTotal: number,
  chunkSize: number = DEFAULT_CHUNK_SIZE,
): ChunkRange {
  checkLength(start, 'the range start');
  checkLength(end, 'the range end');
  checkLength(plaintextTotal, 'the plaintext length');
  chunkSizeLog2(chunkSize);
  if (!(start < end && end <= plaintextTotal)) {
    throw new InvalidParametersError('the range must be non-empty and inside the plaintext');
  }
  const firstChunk = Math.floor(start / chunkSize);
  const lastChunk = Math.floor((end - 1) / chunkSize);
  const stride = chunkSize + TAG_LENGTH;
  return {
    firstChunk,
    lastChunk,
    ciphertextStart: HEADER_LENGTH + firstChunk * stride,
    ciphertextEnd: Math.min(
      HEADER_LENGTH + (lastChunk + 1) * stride,
      ciphertextLength(plaintextTotal, chunkSize),
    ),
    skip: start - firstChunk * chunkSize,
    length: end - start,
  };
}
