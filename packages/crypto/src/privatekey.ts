/**
 * Personal keys at rest: the private key is stored on the server only wrapped, once under a key derived
 * from the user's key passphrase (type `K`) and once under a recovery code (type `R`). Both objects carry
 * the public key in the clear but authenticated, so the server can serve it without being able to swap it.
 *
 * ```
 * K, version 1, 112 bytes                      R, version 1, 103 bytes
 * offset length field                          offset length field
 *      0      6 "AMTB" 0x4b 0x01                    0      6 "AMTB" 0x52 0x01
 *      6      4 Argon2id memory KiB (u32be)         6     16 salt
 *     10      4 Argon2id iterations (u32be)        22     33 public key, SEC 1 compressed
 *     14      1 Argon2id parallelism               55     48 AES-256-GCM(kek, zero nonce,
 *     15     16 salt                                            aad = bytes 0..54, scalar) ‖ tag
 *     31     33 public key, SEC 1 compressed
 *     64     48 AES-256-GCM(kek, zero nonce, aad = bytes 0..63, scalar) ‖ tag
 * ```
 *
 * `scalar` is the private key as a 32-byte big-endian integer; `kek` is Argon2id of the passphrase as for
 * passphrase envelopes, or HKDF-SHA-256 of the recovery code (see recovery.ts).
 */
import { type Bytes } from './encoding.ts';
import { InvalidFormatError } from './errors.ts';
import { checkPrefix, writePrefix } from './format.ts';
import {
  COMPRESSED_POINT_LENGTH,
  exportPublicKey,
  generateKeyPair,
  importKeyPair,
  privateScalar,
  publicKeyBytes,
} from './keys.ts';
import {
  checkWrapParameters,
  DEFAULT_ARGON2_PARAMETERS,
  openWithPassphrase,
  sealWithPassphrase,
  type Argon2Parameters,
} from './passphrase.ts';
import { generateRecoveryCode, recoveryKek } from './recovery.ts';
import { openWithRawKey, sealWithRawKey, systemRandom, ZERO_NONCE, type RandomSource } from './webcrypto.ts';

/** Length of a passphrase-wrapped private key. */
export const PASSPHRASE_PRIVATE_KEY_LENGTH = 112;
/** Length of a recovery-code-wrapped private key. */
export const RECOVERY_PRIVATE_KEY_LENGTH = 103;
const PUBLIC_OFFSET_K = 31;
const SALT_OFFSET_R = 6;
const PUBLIC_OFFSET_R = 22;
const BODY_OFFSET_R = PUBLIC_OFFSET_R + COMPRESSED_POINT_LENGTH;

/** Options of the private-key unwrap functions. */
export interface UnwrapPrivateKeyOptions {
  /**
   * Whether the returned private key can be exported. Default `false`; set it only to re-wrap the key at
   * once (a new passphrase, a new recovery code) and drop the extractable key afterwards.
   */
  readonly extractable?: boolean;
}

async function parts(keyPair: CryptoKeyPair): Promise<{ scalar: Bytes; publicKey: Bytes }> {
  const publicKey = await publicKeyBytes(keyPair.publicKey);
  return { scalar: await privateScalar(keyPair.privateKey), publicKey };
}

async function toKeyPair(
  scalar: Bytes,
  publicKey: Uint8Array,
  options: UnwrapPrivateKeyOptions,
): Promise<CryptoKeyPair> {
  const pair = await importKeyPair(scalar, publicKey, options.extractable ?? false);
  scalar.fill(0);
  if (pair === undefined) throw new InvalidFormatError('the private key does not match its public key');
  return pair;
}

/** Internal: {@link wrapPrivateKeyWithPassphrase} with injectable randomness and no minimum (vectors only). */
export async function wrapPrivateKeyWithPassphraseWith(
  keyPair: CryptoKeyPair,
  passphrase: string,
  params: Argon2Parameters,
  random: RandomSource,
): Promise<Bytes> {
  const { scalar, publicKey } = await parts(keyPair);
  try {
    return await sealWithPassphrase('passphrasePrivateKey', scalar, publicKey, passphrase, params, random);
  } finally {
    scalar.fill(0);
  }
}

/**
 * Wraps a private key under the user's key passphrase (Argon2id, then AES-256-GCM) for storage on the
 * server. The result also carries the public key (authenticated).
 *
 * @param keyPair - a key pair from {@link generateKeyPair} with `extractable: true`.
 * @param params - Argon2id costs, default {@link DEFAULT_ARGON2_PARAMETERS}; recorded in the result.
 * @returns 112 bytes.
 * @throws {InvalidParametersError} when the keys are not an extractable P-256 ECDH key pair, the
 *   passphrase is empty, or the parameters are outside {@link ARGON2_LIMITS}.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function wrapPrivateKeyWithPassphrase(
  keyPair: CryptoKeyPair,
  passphrase: string,
  params: Argon2Parameters = DEFAULT_ARGON2_PARAMETERS,
): Promise<Bytes> {
  checkWrapParameters(params);
  return wrapPrivateKeyWithPassphraseWith(keyPair, passphrase, params, systemRandom);
}

/**
 * Unwraps a private key stored with {@link wrapPrivateKeyWithPassphrase}, as a non-extractable key pair
 * by default.
 *
 * @throws {InvalidFormatError} when `wrapped` is not a 112-byte passphrase-wrapped private key, or holds a
 *   private key that does not match its public key.
 * @throws {UnsupportedVersionError} for another version.
 * @throws {InvalidParametersError} for an empty passphrase or recorded Argon2id parameters beyond
 *   {@link ARGON2_LIMITS}.
 * @throws {DecryptionFailedError} for a wrong passphrase or modified data.
 */
export async function unwrapPrivateKeyWithPassphrase(
  wrapped: Uint8Array,
  passphrase: string,
  options: UnwrapPrivateKeyOptions = {},
): Promise<CryptoKeyPair> {
  const scalar = await openWithPassphrase(
    'passphrasePrivateKey',
    wrapped,
    PASSPHRASE_PRIVATE_KEY_LENGTH,
    passphrase,
  );
  return toKeyPair(
    scalar,
    wrapped.subarray(PUBLIC_OFFSET_K, PUBLIC_OFFSET_K + COMPRESSED_POINT_LENGTH),
    options,
  );
}

/** Internal: {@link wrapPrivateKeyWithRecoveryCode} with injectable randomness (vectors only). */
export async function wrapPrivateKeyWithRecoveryCodeWith(
  keyPair: CryptoKeyPair,
  recoveryCode: string,
  random: RandomSource,
): Promise<Bytes> {
  const { scalar, publicKey } = await parts(keyPair);
  const out = new Uint8Array(RECOVERY_PRIVATE_KEY_LENGTH);
  writePrefix(out, 'recoveryPrivateKey');
  out.set(random(16), SALT_OFFSET_R);
  out.set(publicKey, PUBLIC_OFFSET_R);
  const kek = await recoveryKek(recoveryCode, out.subarray(SALT_OFFSET_R, PUBLIC_OFFSET_R));
  out.set(await sealWithRawKey(kek, ZERO_NONCE, out.subarray(0, BODY_OFFSET_R), scalar), BODY_OFFSET_R);
  kek.fill(0);
  scalar.fill(0);
  return out;
}

/**
 * Wraps a private key under a recovery code ({@link generateRecoveryCode}) for storage on the server.
 *
 * @param keyPair - a key pair from {@link generateKeyPair} with `extractable: true`.
 * @returns 103 bytes.
 * @throws {InvalidParametersError} when the keys are not an extractable P-256 ECDH key pair.
 * @throws {InvalidFormatError} when `recoveryCode` is not a well-formed recovery code.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function wrapPrivateKeyWithRecoveryCode(
  keyPair: CryptoKeyPair,
  recoveryCode: string,
): Promise<Bytes> {
  return wrapPrivateKeyWithRecoveryCodeWith(keyPair, recoveryCode, systemRandom);
}

/**
 * Unwraps a private key stored with {@link wrapPrivateKeyWithRecoveryCode}, as a non-extractable key pair
 * by default. The code is accepted as typed (see {@link normalizeRecoveryCode}).
 *
 * @throws {InvalidFormatError} when `wrapped` is not a 103-byte recovery-wrapped private key, when
 *   `recoveryCode` is malformed or fails its check symbols, or when the stored private key does not match
 *   its public key.
 * @throws {UnsupportedVersionError} for another version.
 * @throws {DecryptionFailedError} for a wrong (well-formed) recovery code or modified data.
 */
export async function unwrapPrivateKeyWithRecoveryCode(
  wrapped: Uint8Array,
  recoveryCode: string,
  options: UnwrapPrivateKeyOptions = {},
): Promise<CryptoKeyPair> {
  checkPrefix(wrapped, 'recoveryPrivateKey');
  if (wrapped.length !== RECOVERY_PRIVATE_KEY_LENGTH) {
    throw new InvalidFormatError('wrong recoveryPrivateKey length');
  }
  const kek = await recoveryKek(recoveryCode, wrapped.subarray(SALT_OFFSET_R, PUBLIC_OFFSET_R));
  let scalar: Bytes;
  try {
    scalar = await openWithRawKey(
      kek,
      ZERO_NONCE,
      wrapped.subarray(0, BODY_OFFSET_R),
      wrapped.subarray(BODY_OFFSET_R),
    );
  } finally {
    kek.fill(0);
  }
  return toKeyPair(scalar, wrapped.subarray(PUBLIC_OFFSET_R, BODY_OFFSET_R), options);
}

/** A new personal key: what {@link createPersonalKey} returns. */
export interface PersonalKey {
  /** The key pair for this session; the private key is non-extractable. */
  readonly keyPair: CryptoKeyPair;
  /** The public key in text form ({@link exportPublicKey}), to publish. */
  readonly publicKey: string;
  /** The private key wrapped under the passphrase, to store on the server. */
  readonly wrappedWithPassphrase: Bytes;
  /** The recovery code, to show the user once and never store. */
  readonly recoveryCode: string;
  /** The private key wrapped under the recovery code, to store on the server. */
  readonly wrappedWithRecoveryCode: Bytes;
}

/**
 * Creates a personal key in one step: generates a key pair, wraps the private key under `passphrase` and
 * under a new recovery code, and returns a non-extractable copy of the key pair for immediate use. The
 * extractable private key never leaves this function.
 *
 * @throws {InvalidParametersError} for an empty passphrase or parameters outside {@link ARGON2_LIMITS}.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function createPersonalKey(
  passphrase: string,
  params: Argon2Parameters = DEFAULT_ARGON2_PARAMETERS,
): Promise<PersonalKey> {
  checkWrapParameters(params);
  const extractable = await generateKeyPair({ extractable: true });
  const recoveryCode = generateRecoveryCode();
  const [wrappedWithPassphrase, wrappedWithRecoveryCode, publicKey, { scalar, publicKey: publicBytes }] =
    await Promise.all([
      wrapPrivateKeyWithPassphrase(extractable, passphrase, params),
      wrapPrivateKeyWithRecoveryCode(extractable, recoveryCode),
      exportPublicKey(extractable.publicKey),
      parts(extractable),
    ]);
  const keyPair = await toKeyPair(scalar, publicBytes, { extractable: false });
  return { keyPair, publicKey, wrappedWithPassphrase, recoveryCode, wrappedWithRecoveryCode };
}
