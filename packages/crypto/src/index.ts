/**
 * `@amtsbote/crypto`: end-to-end encryption for Amtsbote, the same code in browsers and Node.js.
 *
 * - **Streams**: files and message texts are encrypted with a random 256-bit *file key* per transfer into
 *   a versioned stream format (AES-256-GCM chunks, age's STREAM construction): {@link encryptStream},
 *   {@link decryptStream}, {@link encryptBytes}, {@link decryptBytes}, random access with
 *   {@link openStream} / {@link decryptChunk} and {@link chunkRange}.
 * - **Envelopes**: the file key is wrapped per recipient, to a P-256 public key ({@link wrapFileKey}) or a
 *   passphrase ({@link wrapFileKeyWithPassphrase}, Argon2id).
 * - **Personal keys**: P-256 key pairs ({@link generateKeyPair}, {@link createPersonalKey}), public keys as
 *   `amtb-pub1-…` text, private keys stored wrapped under a passphrase and a recovery code.
 * - **Fingerprints**: a public key bound to its owner's address as 60 digits for people to compare
 *   ({@link fingerprint}), and the {@link safetyNumber} of two parties.
 * - **Key transparency log**: RFC 9162 Merkle trees ({@link MerkleTree}, {@link verifyInclusion},
 *   {@link verifyConsistency}), log entries ({@link encodeLogEntry}, {@link decodeLogEntry}) and signed tree
 *   heads (ECDSA P-256: {@link signTreeHead}, {@link verifyTreeHead}).
 * - **Errors**: one class per stable code ({@link AnyCryptoError}); every decryption failure is the same
 *   {@link DecryptionFailedError}.
 *
 * Only WebCrypto (`crypto.subtle`), web streams and hash-wasm (Argon2id) are used. The format is specified
 * in docs/crypto.md.
 *
 * @packageDocumentation
 */
export {
  CryptoError,
  DecryptionFailedError,
  InvalidFormatError,
  InvalidParametersError,
  isCryptoError,
  NotSupportedError,
  ProofInvalidError,
  SignatureInvalidError,
  UnsupportedVersionError,
  type AnyCryptoError,
  type CryptoErrorCode,
} from './errors.ts';
export { fromBase64Url, toBase64Url } from './encoding.ts';
export { identify, type ObjectKind } from './format.ts';
export { FILE_KEY_LENGTH, generateFileKey } from './filekey.ts';
export { DEFAULT_CHUNK_SIZE, HEADER_LENGTH, parseHeader, TAG_LENGTH, type StreamHeader } from './header.ts';
export { chunkCount, chunkRange, ciphertextLength, plaintextLength, type ChunkRange } from './layout.ts';
export {
  decryptBytes,
  decryptChunk,
  decryptStream,
  encryptBytes,
  encryptStream,
  openStream,
  type ChunkDecryptor,
  type DecryptOptions,
  type EncryptOptions,
} from './stream.ts';
export { exportPublicKey, generateKeyPair, importPublicKey } from './keys.ts';
export { unwrapFileKey, wrapFileKey } from './envelope.ts';
export {
  ARGON2_LIMITS,
  DEFAULT_ARGON2_PARAMETERS,
  passphraseParameters,
  unwrapFileKeyWithPassphrase,
  wrapFileKeyWithPassphrase,
  type Argon2Parameters,
} from './passphrase.ts';
export { generateRecoveryCode, isRecoveryCode, normalizeRecoveryCode } from './recovery.ts';
export {
  createPersonalKey,
  unwrapPrivateKeyWithPassphrase,
  unwrapPrivateKeyWithRecoveryCode,
  wrapPrivateKeyWithPassphrase,
  wrapPrivateKeyWithRecoveryCode,
  type PersonalKey,
  type UnwrapPrivateKeyOptions,
} from './privatekey.ts';
export {
  fingerprint,
  fingerprintDigest,
  normalizeAddress,
  safetyNumber,
  FINGERPRINT_DIGEST_LENGTH,
  MAX_ADDRESS_LENGTH,
  type KeyOwner,
} from './fingerprint.ts';
export { EMPTY_TREE_HASH, hashLeaf } from './merkle/hash.ts';
export { MerkleTree } from './merkle/tree.ts';
export {
  verifyConsistency,
  verifyInclusion,
  type ConsistencyClaim,
  type InclusionClaim,
} from './merkle/verify.ts';
export {
  decodeLogEntry,
  encodeLogEntry,
  type LogAction,
  type LogEntry,
  type LogEntryFields,
  type LogKeyKind,
} from './log/entry.ts';
export { exportLogPublicKey, generateLogKeyPair, importLogPublicKey } from './log/log-key.ts';
export { encodeTreeHead, signTreeHead, verifyTreeHead, type TreeHead } from './log/tree-head.ts';
