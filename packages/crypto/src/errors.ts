/**
 * Errors thrown by `@amtsbote/crypto`, in the style of panva/jose: one class per stable `code`.
 *
 * Every function of this package throws only these errors (never a bare `DOMException` from WebCrypto).
 * Switch on `error.code` (the union {@link AnyCryptoError} narrows on it) or use `instanceof`.
 * Codes never change meaning; messages may be reworded and never contain secrets or input data.
 *
 * @packageDocumentation
 */

/** Every stable error code of this package. */
export type CryptoErrorCode =
  | 'ERR_CRYPTO_DECRYPTION_FAILED'
  | 'ERR_CRYPTO_INVALID_FORMAT'
  | 'ERR_CRYPTO_UNSUPPORTED_VERSION'
  | 'ERR_CRYPTO_INVALID_PARAMETERS'
  | 'ERR_CRYPTO_NOT_SUPPORTED'
  | 'ERR_CRYPTO_PROOF_INVALID'
  | 'ERR_CRYPTO_SIGNATURE_INVALID';

/**
 * Base class of every error of this package. Not thrown itself; catch it to catch them all.
 */
export abstract class CryptoError extends Error {
  /** The stable code of this error; also on the class as a static property. */
  abstract readonly code: CryptoErrorCode;
}

/**
 * Decryption or authentication failed: a wrong file key, private key, passphrase or recovery code, or
 * data that was modified, truncated, reordered, extended or spliced from another file.
 *
 * Deliberately one code and one constant message for all of these causes, with no `cause` attached, so
 * that failures cannot be told apart (no padding-oracle-style side channel). When a stream fails with this
 * error, it has released only plaintext of chunks that authenticated before the failure; treat that output
 * as incomplete and discard it.
 */
export class DecryptionFailedError extends CryptoError {
  static readonly code = 'ERR_CRYPTO_DECRYPTION_FAILED';
  override readonly code = 'ERR_CRYPTO_DECRYPTION_FAILED';
  override readonly name = 'DecryptionFailedError';
  constructor() {
    super('decryption failed');
  }
}

/**
 * The input is not structurally an Amtsbote object of the expected kind: wrong magic bytes or type, wrong
 * length, a non-canonical encoding, a field outside the values the format allows. Raised before any key is
 * used, so it reveals nothing about keys or plaintext.
 */
export class InvalidFormatError extends CryptoError {
  static readonly code = 'ERR_CRYPTO_INVALID_FORMAT';
  override readonly code = 'ERR_CRYPTO_INVALID_FORMAT';
  override readonly name = 'InvalidFormatError';
}

/** The input is an Amtsbote object of a format version this library does not implement. */
export class UnsupportedVersionError extends CryptoError {
  static readonly code = 'ERR_CRYPTO_UNSUPPORTED_VERSION';
  override readonly code = 'ERR_CRYPTO_UNSUPPORTED_VERSION';
  override readonly name = 'UnsupportedVersionError';
}

/**
 * An argument is unusable: a file key of the wrong length, a chunk size the format does not allow,
 * key-derivation parameters below the minimum when wrapping or beyond the DoS bounds when unwrapping,
 * a non-extractable key where an extractable one is needed, an invalid byte range.
 */
export class InvalidParametersError extends CryptoError {
  static readonly code = 'ERR_CRYPTO_INVALID_PARAMETERS';
  override readonly code = 'ERR_CRYPTO_INVALID_PARAMETERS';
  override readonly name = 'InvalidParametersError';
}

/**
 * The platform lacks something this library needs: most often `crypto.subtle`, which browsers only
 * offer in secure contexts (https or localhost).
 */
export class NotSupportedError extends CryptoError {
  static readonly code = 'ERR_CRYPTO_NOT_SUPPORTED';
  override readonly code = 'ERR_CRYPTO_NOT_SUPPORTED';
  override readonly name = 'NotSupportedError';
}

/**
 * A Merkle inclusion or consistency proof does not prove what it was checked for: the recomputed root
 * differs, the proof has the wrong number of hashes or a hash of the wrong length, or the index or tree
 * sizes are impossible (an index beyond the tree, a second tree smaller than the first). The log (or
 * whoever relayed its answer) is wrong or lying; nothing about the entry can be concluded.
 */
export class ProofInvalidError extends CryptoError {
  static readonly code = 'ERR_CRYPTO_PROOF_INVALID';
  override readonly code = 'ERR_CRYPTO_PROOF_INVALID';
  override readonly name = 'ProofInvalidError';
}

/**
 * A signature does not verify under the given public key: the signed tree head was modified, signed by
 * another key, or is the tree head of another log than the one expected.
 */
export class SignatureInvalidError extends CryptoError {
  static readonly code = 'ERR_CRYPTO_SIGNATURE_INVALID';
  override readonly code = 'ERR_CRYPTO_SIGNATURE_INVALID';
  override readonly name = 'SignatureInvalidError';
}

/** Discriminated union of every error this package throws; narrow it with `switch (error.code)`. */
export type AnyCryptoError =
  | DecryptionFailedError
  | InvalidFormatError
  | UnsupportedVersionError
  | InvalidParametersError
  | NotSupportedError
  | ProofInvalidError
  | SignatureInvalidError;

/**
 * Whether `value` is an error thrown by this package.
 *
 * @throws never
 */
export function isCryptoError(value: unknown): value is AnyCryptoError {
  return value instanceof CryptoError;
}
