/**
 * P-256 key pairs of recipients: generation, the compact public-key text form `amtb-pub1-…`, and the raw
 * encodings used inside envelopes (SEC 1 compressed points, 32-byte private scalars).
 */
import { constantTimeEqual, fromBase64Url, toBase64Url, type Bytes } from './encoding.ts';
import { InvalidFormatError, InvalidParametersError, UnsupportedVersionError } from './errors.ts';
import { subtle } from './webcrypto.ts';

/** Prefix of the text form of a public key; the `1` is the encoding version. */
export const PUBLIC_KEY_PREFIX = 'amtb-pub1-';
/** Length of a SEC 1 compressed P-256 point. */
export const COMPRESSED_POINT_LENGTH = 33;

const ALGORITHM = { name: 'ECDH', namedCurve: 'P-256' } as const;

// Curve P-256 (FIPS 186-4 D.1.2.3): y^2 = x^3 - 3x + b over GF(p).
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

function toBigInt(data: Uint8Array): bigint {
  let n = 0n;
  for (const byte of data) n = (n << 8n) | BigInt(byte);
  return n;
}

function fromBigInt(n: bigint, length: number): Bytes {
  const out = new Uint8Array(length);
  let v = n;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** SEC 1 compression of an uncompressed point `04 ‖ x ‖ y`. */
export function compressPoint(uncompressed: Uint8Array): Bytes {
  if (uncompressed.length !== 65 || uncompressed[0] !== 0x04) {
    throw new InvalidParametersError('not an uncompressed P-256 point');
  }
  const out = new Uint8Array(COMPRESSED_POINT_LENGTH);
  out[0] = 0x02 | ((uncompressed[64] ?? 0) & 1);
  out.set(uncompressed.subarray(1, 33), 1);
  return out;
}

/**
 * SEC 1 decompression (public data, so variable time is fine). Returns `04 ‖ x ‖ y`, or undefined when
 * the bytes are not a point of P-256.
 */
export function decompressPoint(compressed: Uint8Array): Bytes | undefined {
  const prefix = compressed[0];
  if (compressed.length !== COMPRESSED_POINT_LENGTH || (prefix !== 0x02 && prefix !== 0x03)) return undefined;
  const x = toBigInt(compressed.subarray(1));
  if (x >= P) return undefined;
  const rhs = (((x * x * x - 3n * x + B) % P) + P) % P;
  let y = modPow(rhs, (P + 1n) / 4n, P);
  if ((y * y) % P !== rhs) return undefined;
  if ((y & 1n) !== BigInt(prefix & 1)) y = P - y;
  const out = new Uint8Array(65);
  out[0] = 0x04;
  out.set(compressed.subarray(1), 1);
  out.set(fromBigInt(y, 32), 33);
  return out;
}

/**
 * Generates a P-256 key pair for receiving end-to-end encrypted transfers (ECDH, `deriveBits`).
 *
 * @param options.extractable - whether the private key can be exported. Needed only to wrap it for
 *   storage ({@link wrapPrivateKeyWithPassphrase}, {@link wrapPrivateKeyWithRecoveryCode}) right after
 *   generation; default `false`. Keys from the unwrap functions are non-extractable.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function generateKeyPair(
  options: { readonly extractable?: boolean } = {},
): Promise<CryptoKeyPair> {
  return subtle().generateKey(ALGORITHM, options.extractable ?? false, ['deriveBits']);
}

/**
 * Checks that `key` is a P-256 ECDH public key.
 *
 * @throws {InvalidParametersError} otherwise.
 */
export function checkPublicKey(key: CryptoKey): void {
  const algorithm = key.algorithm as Partial<EcKeyAlgorithm>;
  if (key.type !== 'public' || algorithm.name !== 'ECDH' || algorithm.namedCurve !== 'P-256') {
    throw new InvalidParametersError('expected a P-256 ECDH public key');
  }
}

/**
 * The SEC 1 compressed encoding (33 bytes) of a P-256 public key.
 *
 * @throws {InvalidParametersError} unless `key` is a P-256 ECDH public key.
 */
export async function publicKeyBytes(key: CryptoKey): Promise<Bytes> {
  checkPublicKey(key);
  return compressPoint(new Uint8Array(await subtle().exportKey('raw', key)));
}

/**
 * Imports a SEC 1 compressed P-256 point as an ECDH public key, or undefined when it is not a valid point.
 */
export async function importPublicKeyBytes(compressed: Uint8Array): Promise<CryptoKey | undefined> {
  const point = decompressPoint(compressed);
  if (point === undefined) return undefined;
  const s = subtle(); // outside the try: a missing WebCrypto is not an invalid key
  try {
    return await s.importKey('raw', point, ALGORITHM, true, []);
  } catch {
    return undefined;
  }
}

/**
 * The text form of a public key: `amtb-pub1-` followed by the unpadded base64url of its SEC 1 compressed
 * point (54 characters in all). Safe to show, store, mail and put in URLs.
 *
 * @throws {InvalidParametersError} unless `key` is a P-256 ECDH public key.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function exportPublicKey(key: CryptoKey): Promise<string> {
  return PUBLIC_KEY_PREFIX + toBase64Url(await publicKeyBytes(key));
}

/**
 * Parses the text form made by {@link exportPublicKey} into a P-256 ECDH public key (for
 * {@link wrapFileKey}). Surrounding whitespace is ignored.
 *
 * @throws {InvalidFormatError} when `text` is not `amtb-pub1-` plus the base64url of a valid compressed
 *   P-256 point.
 * @throws {UnsupportedVersionError} for a later `amtb-pubN-` encoding.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function importPublicKey(text: string): Promise<CryptoKey> {
  const key = await importPublicKeyBytes(publicKeyTextBytes(text));
  if (key === undefined) throw new InvalidFormatError('not a valid P-256 public key');
  return key;
}

/**
 * The SEC 1 compressed point (33 bytes) that a public-key text `amtb-pub1-…` encodes, checked to be a
 * point of P-256, without WebCrypto. Surrounding whitespace is ignored.
 *
 * @throws {InvalidFormatError} when `text` is not `amtb-pub1-` plus the base64url of a valid compressed
 *   P-256 point.
 * @throws {UnsupportedVersionError} for a later `amtb-pubN-` encoding.
 */
export function publicKeyTextBytes(text: string): Bytes {
  const trimmed = text.trim();
  if (!trimmed.startsWith(PUBLIC_KEY_PREFIX)) {
    if (/^amtb-pub\d+-/.test(trimmed)) {
      throw new UnsupportedVersionError('unsupported public key encoding version');
    }
    throw new InvalidFormatError('not an Amtsbote public key');
  }
  const raw = fromBase64Url(trimmed.slice(PUBLIC_KEY_PREFIX.length));
  if (decompressPoint(raw) === undefined) throw new InvalidFormatError('not a valid P-256 public key');
  return raw;
}

/**
 * Checks that `key` is a P-256 ECDH private key.
 *
 * @throws {InvalidParametersError} otherwise.
 */
export function checkPrivateKey(key: CryptoKey): void {
  const algorithm = key.algorithm as Partial<EcKeyAlgorithm>;
  if (key.type !== 'private' || algorithm.name !== 'ECDH' || algorithm.namedCurve !== 'P-256') {
    throw new InvalidParametersError('expected a P-256 ECDH private key');
  }
}

/** The 32-byte big-endian private scalar of an extractable P-256 private key. */
export async function privateScalar(privateKey: CryptoKey): Promise<Bytes> {
  checkPrivateKey(privateKey);
  if (!privateKey.extractable) {
    throw new InvalidParametersError(
      'the private key is not extractable; generate it with extractable: true',
    );
  }
  const jwk = await subtle().exportKey('jwk', privateKey);
  if (jwk.d === undefined) throw new InvalidParametersError('expected a P-256 ECDH private key');
  return fromBase64Url(jwk.d);
}

/**
 * Imports a private scalar with its public key (a compressed point) as a P-256 ECDH key pair, or returns
 * undefined when the platform rejects them.
 */
export async function importKeyPair(
  scalar: Uint8Array,
  publicCompressed: Uint8Array,
  extractable: boolean,
): Promise<CryptoKeyPair | undefined> {
  const point = decompressPoint(publicCompressed);
  if (point === undefined || scalar.length !== 32) return undefined;
  const x = toBase64Url(point.subarray(1, 33));
  const y = toBase64Url(point.subarray(33));
  const s = subtle();
  try {
    const privateKey = await s.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x, y, d: toBase64Url(scalar), ext: extractable },
      ALGORITHM,
      extractable,
      ['deriveBits'],
    );
    const publicKey = await s.importKey('raw', point, ALGORITHM, true, []);
    // Prove the scalar belongs to the point: both sides of an ECDH with a throwaway key must agree.
    const probe = await s.generateKey(ALGORITHM, false, ['deriveBits']);
    const [a, b] = await Promise.all([
      s.deriveBits({ name: 'ECDH', public: probe.publicKey }, privateKey, 256),
      s.deriveBits({ name: 'ECDH', public: publicKey }, probe.privateKey, 256),
    ]);
    if (!constantTimeEqual(new Uint8Array(a), new Uint8Array(b))) return undefined;
    return { privateKey, publicKey };
  } catch {
    return undefined;
  }
}
