/**
 * Thin wrappers around WebCrypto (`globalThis.crypto.subtle`) that translate its `DOMException`s into
 * this package's errors. Internal.
 */
import { bytes, type Bytes } from './encoding.ts';
import { DecryptionFailedError, NotSupportedError } from './errors.ts';

/** The all-zero nonce used with single-use keys (key envelopes, whose wrap keys are never reused). */
export const ZERO_NONCE: Bytes = new Uint8Array(12);

/** Random bytes source; injectable only inside this package (test vectors use a fixed one). */
export type RandomSource = (length: number) => Bytes;

/**
 * The platform's cryptographically secure random generator.
 *
 * @throws {NotSupportedError} when `crypto.getRandomValues` is missing.
 */
export const systemRandom: RandomSource = (length) => {
  const c = globalThis.crypto as Crypto | undefined;
  if (c === undefined) throw new NotSupportedError('crypto.getRandomValues is not available');
  return c.getRandomValues(new Uint8Array(length));
};

/**
 * `crypto.subtle`, or a {@link NotSupportedError} when it is missing (browsers hide it outside secure
 * contexts).
 */
export function subtle(): SubtleCrypto {
  const c = globalThis.crypto as Crypto | undefined;
  const s = c?.subtle;
  if (s === undefined) {
    throw new NotSupportedError('WebCrypto (crypto.subtle) is not available; a secure context is required');
  }
  return s;
}

/** SHA-256 of `data`. */
export async function sha256(data: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await subtle().digest('SHA-256', bytes(data)));
}

/** HKDF-SHA-256 (RFC 5869), `length` bytes. */
export async function hkdf(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Bytes> {
  const s = subtle();
  const key = await s.importKey('raw', bytes(ikm), 'HKDF', false, ['deriveBits']);
  const out = await s.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: bytes(salt), info: bytes(info) },
    key,
    length * 8,
  );
  return new Uint8Array(out);
}

/** HMAC-SHA-256 of `data` under `key`. */
export async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Bytes> {
  const s = subtle();
  const k = await s.importKey('raw', bytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await s.sign('HMAC', k, bytes(data)));
}

/** Imports 32 raw bytes as a non-extractable AES-256-GCM key. */
export async function importAesGcmKey(raw: Uint8Array): Promise<CryptoKey> {
  return subtle().importKey('raw', bytes(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** AES-GCM encryption with a 128-bit tag appended to the ciphertext. */
export async function aesGcmSeal(
  key: CryptoKey,
  iv: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Promise<Bytes> {
  const params = { name: 'AES-GCM', iv: bytes(iv), additionalData: bytes(aad), tagLength: 128 };
  return new Uint8Array(await subtle().encrypt(params, key, bytes(plaintext)));
}

/**
 * AES-GCM decryption; any failure (tag mismatch, too short) becomes the one {@link DecryptionFailedError}.
 * WebCrypto verifies the tag before it returns any plaintext.
 */
export async function aesGcmOpen(
  key: CryptoKey,
  iv: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
): Promise<Bytes> {
  const params = { name: 'AES-GCM', iv: bytes(iv), additionalData: bytes(aad), tagLength: 128 };
  const s = subtle(); // outside the try: a missing WebCrypto is not a decryption failure
  try {
    return new Uint8Array(await s.decrypt(params, key, bytes(ciphertext)));
  } catch {
    throw new DecryptionFailedError();
  }
}

/** One-shot AES-256-GCM with a raw key (for key envelopes, whose keys are single-use). */
export async function sealWithRawKey(
  rawKey: Uint8Array,
  iv: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Promise<Bytes> {
  return aesGcmSeal(await importAesGcmKey(rawKey), iv, aad, plaintext);
}

/**
 * One-shot AES-256-GCM decryption with a raw key.
 *
 * @throws {DecryptionFailedError} on any authentication failure.
 */
export async function openWithRawKey(
  rawKey: Uint8Array,
  iv: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
): Promise<Bytes> {
  return aesGcmOpen(await importAesGcmKey(rawKey), iv, aad, ciphertext);
}
