/**
 * `@amtsbote/crypto/node`: the stream functions of `@amtsbote/crypto` on `node:crypto`, for Node-only
 * callers that move a lot of data (the server's encryption at rest, the CLI). Same signatures, same bytes,
 * same error classes and codes as the isomorphic entry, about twice as fast in Node (bench/crypto.notes.md).
 * Everything else (envelopes, personal keys, passphrases) stays in `@amtsbote/crypto`; the errors, the
 * layout arithmetic and the header parser are the very same objects as there, so `instanceof` and
 * `error.code` checks work across both entries.
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
  UnsupportedVersionError,
  type AnyCryptoError,
  type CryptoErrorCode,
} from '../errors.ts';
export { FILE_KEY_LENGTH, generateFileKey } from '../filekey.ts';
export { DEFAULT_CHUNK_SIZE, HEADER_LENGTH, parseHeader, TAG_LENGTH, type StreamHeader } from '../header.ts';
export { chunkCount, chunkRange, ciphertextLength, plaintextLength, type ChunkRange } from '../layout.ts';
export type { ChunkDecryptor, DecryptOptions, EncryptOptions } from '../stream.ts';
export {
  decryptBytes,
  decryptChunk,
  decryptStream,
  encryptBytes,
  encryptStream,
  openStream,
} from './stream.node.ts';
