/**
 * The signing keys of key transparency logs: ECDSA P-256 with SHA-256 through WebCrypto, and their text
 * form `amtb-logkey1-…`. Deliberately another prefix than recipients' `amtb-pub1-` keys (ECDH): a log
 * key is never a recipient, and a recipient key never signs tree heads.
 */
import { fromBase64Url, toBase64Url } from '../encoding.ts';
import { InvalidFormatError, InvalidParametersError, UnsupportedVersionError } from '../errors.ts';
import { compressPoint, decompressPoint } from '../keys.ts';
import { subtle } from '../webcrypto.ts';

/** Prefix of the text form of a log's public key; the `1` is the encoding version. */
export const LOG_KEY_PREFIX = 'amtb-logkey1-';

export const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

/**
 * Checks that `key` is an ECDSA P-256 key of `type`.
 *
 * @throws {InvalidParametersError} otherwise.
 */
export function checkLogKey(key: CryptoKey, type: 'public' | 'private'): void {
  const algorithm = key.algorithm as Partial<EcKeyAlgorithm>;
  if (key.type !== type || algorithm.name !== 'ECDSA' || algorithm.namedCurve !== 'P-256') {
    throw new InvalidParametersError(`expected an ECDSA P-256 ${type} key`);
  }
}

/**
 * Generates the signing key pair of a log (ECDSA P-256; `sign` and `verify`).
 *
 * @param options.extractable - whether the private key can be exported (to store it); default `false`.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function generateLogKeyPair(
  options: { readonly extractable?: boolean } = {},
): Promise<CryptoKeyPair> {
  return subtle().generateKey(ECDSA_P256, options.extractable ?? false, ['sign', 'verify']);
}

/**
 * The text form of a log's public key: `amtb-logkey1-` and the unpadded base64url of its SEC 1
 * compressed point (57 characters). Public; browsers and the CLI pin it.
 *
 * @throws {InvalidParametersError} unless `key` is an ECDSA P-256 public key.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function exportLogPublicKey(key: CryptoKey): Promise<string> {
  checkLogKey(key, 'public');
  const raw = new Uint8Array(await subtle().exportKey('raw', key));
  return LOG_KEY_PREFIX + toBase64Url(compressPoint(raw));
}

/**
 * Parses the text form made by {@link exportLogPublicKey} into an ECDSA P-256 public key for
 * {@link verifyTreeHead}. Surrounding whitespace is ignored.
 *
 * @throws {InvalidFormatError} when `text` is not `amtb-logkey1-` plus the base64url of a valid
 *   compressed P-256 point.
 * @throws {UnsupportedVersionError} for a later `amtb-logkeyN-` encoding.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function importLogPublicKey(text: string): Promise<CryptoKey> {
  const trimmed = text.trim();
  if (!trimmed.startsWith(LOG_KEY_PREFIX)) {
    if (/^amtb-logkey\d+-/.test(trimmed)) throw new UnsupportedVersionError('unsupported log key version');
    throw new InvalidFormatError('not an Amtsbote log key');
  }
  const point = decompressPoint(fromBase64Url(trimmed.slice(LOG_KEY_PREFIX.length)));
  if (point === undefined) throw new InvalidFormatError('not a valid P-256 public key');
  const s = subtle(); // outside the try: a missing WebCrypto is not an invalid key
  try {
    return await s.importKey('raw', point, ECDSA_P256, true, ['verify']);
  } catch {
    throw new InvalidFormatError('not a valid P-256 public key');
  }
}
