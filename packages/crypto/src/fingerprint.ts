/**
 * Fingerprints: a public key bound to its owner's address, as 60 decimal digits for people to compare
 * (after Signal's safety numbers), and the safety number of two parties. Specified in docs/crypto.md,
 * "Fingerprints".
 */
import { concat, utf8, type Bytes } from './encoding.ts';
import { InvalidParametersError } from './errors.ts';
import { publicKeyBytes, publicKeyTextBytes } from './keys.ts';
import { sha256 } from './webcrypto.ts';

/** Domain separation and version of the fingerprint input (ASCII, no terminator). */
export const FINGERPRINT_LABEL = 'amtsbote fingerprint v1';
/** Length of the binary fingerprint, the SHA-256 digest stored in key transparency log entries. */
export const FINGERPRINT_DIGEST_LENGTH = 32;
/** Longest owner address accepted, in UTF-8 bytes (after normalisation). */
export const MAX_ADDRESS_LENGTH = 1024;

const LONE_SURROGATE = /\p{Cs}/u;
const GROUPS = 12;
const GROUP_BYTES = 5;

/** A public key (a P-256 ECDH `CryptoKey` or its text `amtb-pub1-…`) and the address it belongs to. */
export interface KeyOwner {
  readonly publicKey: CryptoKey | string;
  /** Normalised before use: see {@link normalizeAddress}. */
  readonly address: string;
}

/**
 * The canonical form of an owner address: surrounding whitespace removed (`String.prototype.trim`), then
 * lower-cased (`toLowerCase`, Unicode default case mapping, independent of locale) — the way the portal
 * compares addresses, so one address has one fingerprint however it was typed.
 *
 * @throws {InvalidParametersError} when the result is empty, longer than {@link MAX_ADDRESS_LENGTH} UTF-8
 *   bytes, or not well-formed Unicode (a lone surrogate).
 */
export function normalizeAddress(address: string): string {
  const normalized = address.trim().toLowerCase();
  if (normalized.length === 0) throw new InvalidParametersError('the address is empty');
  // A lone surrogate (the only thing \p{Cs} matches in a u-regex) would be encoded as U+FFFD and collide.
  // Not String.prototype.isWellFormed: the portal's browser bundles target ES2022.
  if (LONE_SURROGATE.test(normalized)) {
    throw new InvalidParametersError('the address is not well-formed Unicode');
  }
  if (utf8(normalized).length > MAX_ADDRESS_LENGTH) {
    throw new InvalidParametersError('the address is too long');
  }
  return normalized;
}

async function keyBytes(publicKey: CryptoKey | string): Promise<Bytes> {
  return typeof publicKey === 'string' ? publicKeyTextBytes(publicKey) : publicKeyBytes(publicKey);
}

/** `label ‖ compressed point ‖ UTF-8(address)`: injective, as label and point have fixed lengths. */
export function fingerprintInput(compressedPoint: Uint8Array, normalizedAddress: string): Bytes {
  return concat(utf8(FINGERPRINT_LABEL), compressedPoint, utf8(normalizedAddress));
}

/** The binary fingerprint of a compressed point and an already normalised address. */
export async function digestOf(compressedPoint: Uint8Array, normalizedAddress: string): Promise<Bytes> {
  return sha256(fingerprintInput(compressedPoint, normalizedAddress));
}

/**
 * The 60 digits of a binary fingerprint `D`, in 12 groups of 5 joined by single spaces. Each group is
 * five bytes of `D ‖ SHA-256(D)` read as a big-endian integer, modulo 100000 (Signal's encoding): the
 * first six groups come from `D` itself, the second six from its hash, because 60 bytes are needed.
 */
export async function formatFingerprint(digest: Uint8Array): Promise<string> {
  const material = concat(digest, await sha256(digest));
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let value = 0;
    for (let i = 0; i < GROUP_BYTES; i++) value = value * 256 + (material[g * GROUP_BYTES + i] ?? 0);
    groups.push((value % 100000).toString().padStart(5, '0'));
  }
  return groups.join(' ');
}

/**
 * The binary fingerprint (32 bytes) of `publicKey` owned by `address`:
 * `SHA-256("amtsbote fingerprint v1" ‖ compressed point ‖ UTF-8(normalizeAddress(address)))`. This is
 * what a key transparency log entry records; people compare {@link fingerprint}.
 *
 * @throws {InvalidFormatError} when `publicKey` is a text that is not a valid `amtb-pub1-` key.
 * @throws {UnsupportedVersionError} for a later `amtb-pubN-` text.
 * @throws {InvalidParametersError} when a `CryptoKey` is not a P-256 ECDH public key, or the address is
 *   unusable (see {@link normalizeAddress}).
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function fingerprintDigest(publicKey: CryptoKey | string, address: string): Promise<Bytes> {
  const normalized = normalizeAddress(address);
  return digestOf(await keyBytes(publicKey), normalized);
}

/**
 * The fingerprint of `publicKey` owned by `address` as people compare it: 60 decimal digits in 12 groups
 * of 5, e.g. `"05870 44711 … 91524"`. The same key and address (however the address is capitalised or
 * padded) always give the same digits; another key or another address gives other digits.
 *
 * @throws {InvalidFormatError} when `publicKey` is a text that is not a valid `amtb-pub1-` key.
 * @throws {UnsupportedVersionError} for a later `amtb-pubN-` text.
 * @throws {InvalidParametersError} when a `CryptoKey` is not a P-256 ECDH public key, or the address is
 *   unusable (see {@link normalizeAddress}).
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function fingerprint(publicKey: CryptoKey | string, address: string): Promise<string> {
  return formatFingerprint(await fingerprintDigest(publicKey, address));
}

/**
 * The safety number of two parties: both {@link fingerprint}s, the smaller first, joined by a space —
 * 120 digits in 24 groups of 5. Both sides compute the same number whichever of them is `a`, so two
 * people can compare it over the phone or side by side; it matches only if each holds the other's key.
 *
 * @throws what {@link fingerprint} throws, for either party.
 */
export async function safetyNumber(a: KeyOwner, b: KeyOwner): Promise<string> {
  const [x, y] = await Promise.all([
    fingerprint(a.publicKey, a.address),
    fingerprint(b.publicKey, b.address),
  ]);
  return x <= y ? `${x} ${y}` : `${y} ${x}`;
}
