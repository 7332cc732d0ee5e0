/**
 * File-key envelopes for P-256 recipients (type `E`, version 1, 87 bytes):
 *
 * ```
 * offset  length  field
 *      0       6  "AMTB" 0x45 0x01
 *      6      33  ephemeral public key, SEC 1 compressed
 *     39      48  AES-256-GCM(wrapKey, nonce = 12 zero bytes, aad = bytes 0..38, fileKey) ‖ tag
 * ```
 *
 * `wrapKey = HKDF-SHA-256(IKM = ECDH(ephemeral, recipient) x-coordinate, salt = ephemeral ‖ recipient
 * (compressed points), info = "amtsbote file key p256 v1", 32 bytes)`. Every envelope has its own ephemeral
 * key pair and therefore its own wrap key, which is why a fixed nonce is safe.
 */
import { concat, utf8, type Bytes } from './encoding.ts';
import { DecryptionFailedError, InvalidFormatError } from './errors.ts';
import { checkFileKey } from './filekey.ts';
import { checkPrefix, writePrefix } from './format.ts';
import { checkPrivateKey, COMPRESSED_POINT_LENGTH, importPublicKeyBytes, publicKeyBytes } from './keys.ts';
import { hkdf, openWithRawKey, sealWithRawKey, subtle, ZERO_NONCE } from './webcrypto.ts';

/** Length of a P-256 file-key envelope. */
export const P256_ENVELOPE_LENGTH = 87;
const BODY_OFFSET = 6 + COMPRESSED_POINT_LENGTH;
const INFO = utf8('amtsbote file key p256 v1');

async function wrapKeyOf(privateKey: CryptoKey, publicKey: CryptoKey, salt: Uint8Array): Promise<Bytes> {
  const shared = await subtle().deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  return hkdf(new Uint8Array(shared), salt, INFO, 32);
}

/** Internal: {@link wrapFileKey} with an injectable ephemeral key pair (test vectors only). */
export async function wrapFileKeyWith(
  fileKey: Uint8Array,
  recipient: CryptoKey,
  ephemeral: CryptoKeyPair,
): Promise<Bytes> {
  const key = checkFileKey(fileKey);
  const recipientBytes = await publicKeyBytes(recipient);
  const ephemeralBytes = await publicKeyBytes(ephemeral.publicKey);
  const wrapKey = await wrapKeyOf(ephemeral.privateKey, recipient, concat(ephemeralBytes, recipientBytes));
  const out = new Uint8Array(P256_ENVELOPE_LENGTH);
  writePrefix(out, 'p256Envelope');
  out.set(ephemeralBytes, 6);
  out.set(await sealWithRawKey(wrapKey, ZERO_NONCE, out.subarray(0, BODY_OFFSET), key), BODY_OFFSET);
  return out;
}

/**
 * Wraps a file key for one recipient's P-256 public key (ECDH with a fresh ephemeral key, HKDF-SHA-256,
 * AES-256-GCM). Call it once per recipient; store each envelope with its recipient.
 *
 * @param recipient - the recipient's public key, e.g. from {@link importPublicKey}.
 * @returns the 87-byte envelope (base64url it with {@link toBase64Url} for text).
 * @throws {InvalidParametersError} for a file key that is not 32 bytes or a key that is not a P-256 ECDH
 *   public key.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function wrapFileKey(fileKey: Uint8Array, recipient: CryptoKey): Promise<Bytes> {
  const ephemeral = await subtle().generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  return wrapFileKeyWith(fileKey, recipient, ephemeral);
}

/**
 * Opens a P-256 envelope with the recipient's key pair and returns the 32-byte file key.
 *
 * @param keyPair - the recipient's key pair (the public key is part of the key derivation), e.g. from
 *   {@link unwrapPrivateKeyWithPassphrase}.
 * @throws {InvalidFormatError} when `envelope` is not an 87-byte P-256 envelope.
 * @throws {UnsupportedVersionError} for another envelope version.
 * @throws {InvalidParametersError} when `keyPair` is not a P-256 ECDH key pair.
 * @throws {DecryptionFailedError} when the envelope is for another key or was modified.
 */
export async function unwrapFileKey(envelope: Uint8Array, keyPair: CryptoKeyPair): Promise<Bytes> {
  checkPrefix(envelope, 'p256Envelope');
  if (envelope.length !== P256_ENVELOPE_LENGTH) throw new InvalidFormatError('wrong P-256 envelope length');
  checkPrivateKey(keyPair.privateKey);
  const recipientBytes = await publicKeyBytes(keyPair.publicKey);
  const ephemeralBytes = envelope.subarray(6, BODY_OFFSET);
  const ephemeral = await importPublicKeyBytes(ephemeralBytes);
  if (ephemeral === undefined) throw new DecryptionFailedError();
  let wrapKey: Bytes;
  subtle(); // throws NotSupportedError here, not inside the catch below
  try {
    wrapKey = await wrapKeyOf(keyPair.privateKey, ephemeral, concat(ephemeralBytes, recipientBytes));
  } catch {
    throw new DecryptionFailedError();
  }
  return openWithRawKey(
    wrapKey,
    ZERO_NONCE,
    envelope.subarray(0, BODY_OFFSET),
    envelope.subarray(BODY_OFFSET),
  );
}
