/**
 * Signed tree heads (type `H`): a log's signed statement "my tree of `treeSize` entries has root
 * `rootHash`" at a time, ECDSA P-256/SHA-256 over a canonical encoding. Specified in docs/crypto.md,
 * "Key transparency log".
 */
import { readUint64, writeUint64, type Bytes } from '../encoding.ts';
import { InvalidFormatError, InvalidParametersError, SignatureInvalidError } from '../errors.ts';
import { checkPrefix, writePrefix } from '../format.ts';
import { HASH_LENGTH } from '../merkle/hash.ts';
import { subtle } from '../webcrypto.ts';
import { checkLogKey, ECDSA_SHA256 } from './log-key.ts';

/** What a log signs. */
export interface TreeHead {
  /** Which log: the tenant's log id, 1–255 visible ASCII characters (`!` … `~`). */
  readonly logId: string;
  /** The number of entries in the tree. */
  readonly treeSize: number;
  /** When the log signed, in milliseconds since 1970-01-01T00:00:00Z (UTC). */
  readonly timestamp: number;
  /** The Merkle Tree Hash of the first `treeSize` entries (RFC 9162 §2.1.1). */
  readonly rootHash: Uint8Array;
}

/** Length of an ECDSA P-256 signature as WebCrypto makes it: `r ‖ s`, 32 bytes each (IEEE P1363). */
export const SIGNATURE_LENGTH = 64;
/** Length of a signed tree head without its log id: prefix, id length, size, time, root, signature. */
export const TREE_HEAD_FIXED_LENGTH = 6 + 1 + 8 + 8 + HASH_LENGTH + SIGNATURE_LENGTH;

const LOG_ID = /^[\x21-\x7e]{1,255}$/;

function checkHead(head: TreeHead): void {
  if (!LOG_ID.test(head.logId)) {
    throw new InvalidParametersError('a log id is 1–255 visible ASCII characters');
  }
  for (const [n, what] of [
    [head.treeSize, 'treeSize'],
    [head.timestamp, 'timestamp'],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new InvalidParametersError(`${what} must be a non-negative safe integer`);
    }
  }
  if (head.rootHash.length !== HASH_LENGTH) throw new InvalidParametersError('a root hash is 32 bytes');
}

/**
 * The bytes a log signs for `head`: `41 4d 54 42 48 01 ‖ uint8(len(logId)) ‖ logId ‖ uint64be(treeSize)
 * ‖ uint64be(timestamp) ‖ rootHash`. A signed tree head is these bytes followed by the signature.
 *
 * @throws {InvalidParametersError} on an invalid log id, size, timestamp or root hash length.
 */
export function encodeTreeHead(head: TreeHead): Bytes {
  checkHead(head);
  const n = head.logId.length; // ASCII: one byte per character
  const out = new Uint8Array(TREE_HEAD_FIXED_LENGTH - SIGNATURE_LENGTH + n);
  writePrefix(out, 'treeHead');
  out[6] = n;
  for (let i = 0; i < n; i++) out[7 + i] = head.logId.charCodeAt(i);
  writeUint64(out, 7 + n, head.treeSize);
  writeUint64(out, 15 + n, head.timestamp);
  out.set(head.rootHash, 23 + n);
  return out;
}

/**
 * Signs `head` with the log's private key and returns the signed tree head (the encoded head followed
 * by the 64-byte signature), to publish.
 *
 * @throws {InvalidParametersError} on an invalid head (see {@link encodeTreeHead}) or unless
 *   `privateKey` is an ECDSA P-256 private key usable for signing.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function signTreeHead(head: TreeHead, privateKey: CryptoKey): Promise<Bytes> {
  const tbs = encodeTreeHead(head);
  checkLogKey(privateKey, 'private');
  const s = subtle();
  let signature: ArrayBuffer;
  try {
    signature = await s.sign(ECDSA_SHA256, privateKey, tbs);
  } catch {
    throw new InvalidParametersError('the key cannot sign');
  }
  const out = new Uint8Array(tbs.length + SIGNATURE_LENGTH);
  out.set(tbs);
  out.set(new Uint8Array(signature), tbs.length);
  return out;
}

/** Parses the structure of a signed tree head, without checking the signature. */
function parse(signed: Uint8Array): { head: TreeHead; tbs: Bytes; signature: Bytes } {
  if (signed.length < 7) throw new InvalidFormatError('tree head too short');
  checkPrefix(signed, 'treeHead');
  const n = signed[6] ?? 0;
  if (n === 0 || signed.length !== TREE_HEAD_FIXED_LENGTH + n) {
    throw new InvalidFormatError('wrong tree head length');
  }
  let logId = '';
  for (const c of signed.subarray(7, 7 + n)) logId += String.fromCharCode(c);
  if (!LOG_ID.test(logId)) throw new InvalidFormatError('invalid log id');
  const treeSize = readUint64(signed, 7 + n);
  const timestamp = readUint64(signed, 15 + n);
  if (treeSize === undefined || timestamp === undefined) {
    throw new InvalidFormatError('tree head field too large');
  }
  const rootHash = signed.slice(23 + n, 55 + n);
  return {
    head: { logId, treeSize, timestamp, rootHash },
    tbs: signed.slice(0, 55 + n),
    signature: signed.slice(55 + n),
  };
}

/**
 * Verifies a signed tree head of the log `logId` with that log's public key and returns the head. Only
 * a head returned from here may be used (its root to verify proofs, its size and time to compare).
 *
 * ECDSA signatures are not unique (anyone can turn a valid signature into a second valid one), so
 * identify a tree head by its log id, size and root, never by its signature bytes.
 *
 * @throws {InvalidFormatError} when `signed` is not structurally a signed tree head.
 * @throws {UnsupportedVersionError} for another version of the tree head type.
 * @throws {SignatureInvalidError} when the signature does not verify under `publicKey`, or the head is
 *   another log's.
 * @throws {InvalidParametersError} unless `publicKey` is an ECDSA P-256 public key usable for
 *   verification, or when `logId` is not a valid log id.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function verifyTreeHead(
  signed: Uint8Array,
  publicKey: CryptoKey,
  logId: string,
): Promise<TreeHead> {
  if (!LOG_ID.test(logId)) throw new InvalidParametersError('a log id is 1–255 visible ASCII characters');
  checkLogKey(publicKey, 'public');
  const { head, tbs, signature } = parse(signed);
  const s = subtle();
  let valid: boolean;
  try {
    valid = await s.verify(ECDSA_SHA256, publicKey, signature, tbs);
  } catch {
    throw new InvalidParametersError('the key cannot verify');
  }
  if (!valid) throw new SignatureInvalidError('the tree head signature does not verify');
  if (head.logId !== logId) throw new SignatureInvalidError('the tree head is of another log');
  return head;
}
