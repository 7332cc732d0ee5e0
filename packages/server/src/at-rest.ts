import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Encryption at rest for what the server may read (levels 1 and 2): data keys wrapped by the
 * master key, and short texts (subjects, file names) sealed under a data key. AES-256-GCM
 * throughout; the associated data names the row a ciphertext belongs to, so a ciphertext
 * copied into another row does not open there.
 *
 * Layout of every sealed value: version (1 byte, 0x01) ‖ nonce (12) ‖ ciphertext ‖ tag (16).
 */
const VERSION = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Keys go to node:crypto as KeyObjects: given a Buffer, Node 24 first tries the KeyObject and
 * CryptoKey brand checks, each of which throws and catches a TypeError (a stack trace captured
 * twice per cipher): 30 µs instead of 10 µs per small decryption, measured; a postbox page opens
 * a hundred of them. createSecretKey takes the buffer path directly.
 */
function secretKey(key: Uint8Array): KeyObject {
  return createSecretKey(key);
}

/** Thrown when a sealed value does not open: wrong key, wrong row, or tampered bytes. */
export class SealError extends Error {
  constructor() {
    super('sealed value could not be opened');
    this.name = 'SealError';
  }
}

/**
 * Seals bytes under a 32-byte key, bound to `context` (e.g. `transfer-subject:<id>`).
 */
export function seal(key: Uint8Array, plaintext: Uint8Array, context: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secretKey(key), nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), nonce, body, cipher.getAuthTag()]);
}

/**
 * Opens what {@link seal} produced with the same key and context.
 * @throws {SealError} for any failure, never partial plaintext.
 */
export function open(key: Uint8Array, sealed: Uint8Array, context: string): Buffer {
  if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new SealError();
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const nonce = buf.subarray(1, 1 + NONCE_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const body = buf.subarray(1 + NONCE_BYTES, buf.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', secretKey(key), nonce);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new SealError();
  }
}

export function sealText(key: Uint8Array, text: string, context: string): Buffer {
  return seal(key, Buffer.from(text, 'utf8'), context);
}

/** @throws {SealError} */
export function openText(key: Uint8Array, sealed: Uint8Array, context: string): string {
  return open(key, sealed, context).toString('utf8');
}

/**
 * The master key's jobs, kept behind one small interface so a KMS can take its place later:
 * wrapping data keys, and deriving keys for keyed hashes (e.g. of short codes).
 */
export interface Keyring {
  /** A fresh random 32-byte data key and its wrapped form for storage. */
  newDataKey(context: string): { key: Buffer; wrapped: Buffer };
  /** @throws {SealError} when the wrapped key does not belong to this master key or context. */
  unwrap(wrapped: Uint8Array, context: string): Buffer;
  /** HMAC-SHA-256 under a key derived for `purpose`: for values too small to hash plainly. */
  mac(purpose: string, value: string): Buffer;
}

/** The keyring on a master key held in memory (from MASTER_KEY or DATA_DIR/master.key). */
export function masterKeyring(masterKey: Uint8Array): Keyring {
  const wrapKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'amtsbote key wrapping v1', 32));
  const macKeys = new Map<string, KeyObject>();
  const macKey = (purpose: string): KeyObject => {
    let k = macKeys.get(purpose);
    if (k === undefined) {
      k = secretKey(
        Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `amtsbote mac v1 ${purpose}`, 32)),
      );
      macKeys.set(purpose, k);
    }
    return k;
  };
  return {
    newDataKey(context) {
      const key = randomBytes(32);
      return { key, wrapped: seal(wrapKey, key, `data-key:${context}`) };
    },
    unwrap(wrapped, context) {
      return open(wrapKey, wrapped, `data-key:${context}`);
    },
    mac(purpose, value) {
      return createHmac('sha256', macKey(purpose)).update(value, 'utf8').digest();
    },
  };
}
