/**
 * Passphrase-derived keys (Argon2id via hash-wasm) and file-key envelopes for passphrase recipients
 * (type `P`, version 1, 79 bytes):
 *
 * ```
 * offset  length  field
 *      0       6  "AMTB" 0x50 0x01
 *      6       4  Argon2id memory in KiB, uint32 big-endian
 *     10       4  Argon2id iterations, uint32 big-endian
 *     14       1  Argon2id parallelism
 *     15      16  salt, random per envelope
 *     31      48  AES-256-GCM(kek, nonce = 12 zero bytes, aad = bytes 0..30, fileKey) ‖ tag
 * ```
 *
 * `kek = Argon2id(password = UTF-8(NFC(passphrase)), salt, m, t, p, version 0x13, 32 bytes)`; the salt is
 * fresh for every envelope, so every kek is single-use.
 */
import { argon2id } from 'hash-wasm';
import { readUint32, utf8, writeUint32, type Bytes } from './encoding.ts';
import { InvalidFormatError, InvalidParametersError } from './errors.ts';
import { checkFileKey } from './filekey.ts';
import { checkPrefix, writePrefix, type ObjectKind } from './format.ts';
import { openWithRawKey, sealWithRawKey, systemRandom, ZERO_NONCE, type RandomSource } from './webcrypto.ts';

/** Argon2id cost parameters, recorded in every passphrase envelope. */
export interface Argon2Parameters {
  /** Memory in KiB (`m`). */
  readonly memoryKiB: number;
  /** Passes over the memory (`t`). */
  readonly iterations: number;
  /** Lanes (`p`). */
  readonly parallelism: number;
}

/**
 * Defaults for new envelopes: m = 64 MiB, t = 3, p = 1. RFC 9106's second recommended option (for
 * memory-constrained settings, which browsers on phones are) is m = 64 MiB, t = 3, p = 4; we keep its
 * memory and passes but use one lane because hash-wasm computes lanes one after another in a single
 * thread, so more lanes would cost us time without costing an attacker anything. This is well above the
 * OWASP minimum (m = 19 MiB, t = 2, p = 1) and within BSI TR-02102-1, which names Argon2id for
 * password-based key derivation. About 0.25 s in Node on this machine; expect 1 s on a slow phone.
 */
export const DEFAULT_ARGON2_PARAMETERS: Argon2Parameters = Object.freeze({
  memoryKiB: 64 * 1024,
  iterations: 3,
  parallelism: 1,
});

/**
 * Bounds on Argon2id parameters. Wrapping refuses anything below the OWASP minimum; unwrapping refuses
 * anything above the maxima (a denial-of-service guard against envelopes that would take minutes or
 * exhaust a browser's memory) but accepts the small parameters test vectors use, since weak parameters
 * on an envelope only ever hurt whoever chose them.
 */
export const ARGON2_LIMITS = Object.freeze({
  minMemoryKiB: 19 * 1024,
  minIterations: 2,
  maxMemoryKiB: 256 * 1024,
  maxIterations: 10,
  maxParallelism: 4,
});

/** Length of the passphrase file-key envelope. */
export const PASSPHRASE_ENVELOPE_LENGTH = 79;
/** Length of prefix plus Argon2id parameters and salt: the start of every passphrase object. */
export const KDF_BLOCK_END = 31;
const SALT_LENGTH = 16;

function isCount(n: unknown, min: number, max: number): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;
}

/**
 * Checks parameters read from an envelope against the unwrap bounds.
 *
 * @throws {InvalidParametersError} when they exceed {@link ARGON2_LIMITS} or break Argon2's own rules.
 */
export function checkUnwrapParameters(params: Argon2Parameters): void {
  const { memoryKiB, iterations, parallelism } = params;
  if (
    !isCount(parallelism, 1, ARGON2_LIMITS.maxParallelism) ||
    !isCount(iterations, 1, ARGON2_LIMITS.maxIterations) ||
    !isCount(memoryKiB, 8 * parallelism, ARGON2_LIMITS.maxMemoryKiB)
  ) {
    throw new InvalidParametersError('the Argon2id parameters are out of bounds');
  }
}

/**
 * Checks parameters for a new envelope: at least the OWASP minimum, at most what unwrap accepts.
 *
 * @throws {InvalidParametersError} otherwise.
 */
export function checkWrapParameters(params: Argon2Parameters): void {
  checkUnwrapParameters(params);
  if (params.memoryKiB < ARGON2_LIMITS.minMemoryKiB || params.iterations < ARGON2_LIMITS.minIterations) {
    throw new InvalidParametersError('the Argon2id parameters are too weak');
  }
}

function passphraseBytes(passphrase: string): Bytes {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new InvalidParametersError('the passphrase must be a non-empty string');
  }
  return utf8(passphrase.normalize('NFC'));
}

/** Argon2id of the NFC-normalized UTF-8 passphrase: the 32-byte key-encryption key. */
export async function deriveKek(
  passphrase: string,
  params: Argon2Parameters,
  salt: Uint8Array,
): Promise<Bytes> {
  const out = await argon2id({
    password: passphraseBytes(passphrase),
    salt,
    memorySize: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: 'binary',
  });
  return new Uint8Array(out);
}

function readParameters(data: Uint8Array): Argon2Parameters {
  return { memoryKiB: readUint32(data, 6), iterations: readUint32(data, 10), parallelism: data[14] ?? 0 };
}

/**
 * Internal: seals `secret` under a passphrase into an object of `kind` laid out as prefix, Argon2id
 * parameters, salt, `extra` (authenticated, in the clear), ciphertext. Checks only the unwrap bounds, so
 * the vector generator can use small parameters; public callers check {@link checkWrapParameters} first.
 */
export async function sealWithPassphrase(
  kind: ObjectKind,
  secret: Uint8Array,
  extra: Uint8Array,
  passphrase: string,
  params: Argon2Parameters,
  random: RandomSource,
): Promise<Bytes> {
  checkUnwrapParameters(params);
  passphraseBytes(passphrase);
  const aadLength = KDF_BLOCK_END + extra.length;
  const out = new Uint8Array(aadLength + secret.length + 16);
  writePrefix(out, kind);
  writeUint32(out, 6, params.memoryKiB);
  writeUint32(out, 10, params.iterations);
  out[14] = params.parallelism;
  out.set(random(SALT_LENGTH), 15);
  out.set(extra, KDF_BLOCK_END);
  const kek = await deriveKek(passphrase, params, out.subarray(15, KDF_BLOCK_END));
  out.set(await sealWithRawKey(kek, ZERO_NONCE, out.subarray(0, aadLength), secret), aadLength);
  kek.fill(0);
  return out;
}

/**
 * Internal: opens an object made by {@link sealWithPassphrase}; returns the secret.
 *
 * @throws {InvalidFormatError} on a wrong kind or length; {@link UnsupportedVersionError} on a version;
 *   {@link InvalidParametersError} on out-of-bounds parameters; {@link DecryptionFailedError} otherwise.
 */
export async function openWithPassphrase(
  kind: ObjectKind,
  data: Uint8Array,
  length: number,
  passphrase: string,
): Promise<Bytes> {
  checkPrefix(data, kind);
  if (data.length !== length) throw new InvalidFormatError(`wrong ${kind} length`);
  passphraseBytes(passphrase);
  const params = readParameters(data);
  checkUnwrapParameters(params);
  const aadLength = length - 48;
  const kek = await deriveKek(passphrase, params, data.subarray(15, KDF_BLOCK_END));
  try {
    return await openWithRawKey(kek, ZERO_NONCE, data.subarray(0, aadLength), data.subarray(aadLength));
  } finally {
    kek.fill(0);
  }
}

/**
 * The Argon2id parameters recorded in a passphrase envelope or passphrase-wrapped private key, e.g. to
 * re-wrap it when they are below today's {@link DEFAULT_ARGON2_PARAMETERS}.
 *
 * @throws {InvalidFormatError} when `data` is neither kind of object.
 * @throws {UnsupportedVersionError} for another version.
 */
export function passphraseParameters(data: Uint8Array): Argon2Parameters {
  if (data.length >= 6 && data[4] === 0x4b) checkPrefix(data, 'passphrasePrivateKey');
  else checkPrefix(data, 'passphraseEnvelope');
  if (data.length < KDF_BLOCK_END) throw new InvalidFormatError('the passphrase object is incomplete');
  return readParameters(data);
}

/** Internal: {@link wrapFileKeyWithPassphrase} with injectable randomness and no minimum (vectors only). */
export async function wrapFileKeyWithPassphraseWith(
  fileKey: Uint8Array,
  passphrase: string,
  params: Argon2Parameters,
  random: RandomSource,
): Promise<Bytes> {
  return sealWithPassphrase(
    'passphraseEnvelope',
    checkFileKey(fileKey),
    new Uint8Array(0),
    passphrase,
    params,
    random,
  );
}

/**
 * Wraps a file key under a passphrase (a password-protected transfer): Argon2id, then AES-256-GCM.
 *
 * @param params - Argon2id costs, default {@link DEFAULT_ARGON2_PARAMETERS}; recorded in the envelope.
 * @returns the 79-byte envelope.
 * @throws {InvalidParametersError} for a file key that is not 32 bytes, an empty passphrase, or
 *   parameters outside {@link ARGON2_LIMITS} (below the minimum or above the maxima).
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function wrapFileKeyWithPassphrase(
  fileKey: Uint8Array,
  passphrase: string,
  params: Argon2Parameters = DEFAULT_ARGON2_PARAMETERS,
): Promise<Bytes> {
  checkWrapParameters(params);
  return wrapFileKeyWithPassphraseWith(fileKey, passphrase, params, systemRandom);
}

/**
 * Opens a passphrase envelope and returns the 32-byte file key. Checks the recorded Argon2id parameters
 * against {@link ARGON2_LIMITS} before spending any work on them.
 *
 * @throws {InvalidFormatError} when `envelope` is not a 79-byte passphrase envelope.
 * @throws {UnsupportedVersionError} for another envelope version.
 * @throws {InvalidParametersError} for an empty passphrase or recorded parameters beyond the limits.
 * @throws {DecryptionFailedError} for a wrong passphrase or a modified envelope.
 */
export async function unwrapFileKeyWithPassphrase(envelope: Uint8Array, passphrase: string): Promise<Bytes> {
  return openWithPassphrase('passphraseEnvelope', envelope, PASSPHRASE_ENVELOPE_LENGTH, passphrase);
}
