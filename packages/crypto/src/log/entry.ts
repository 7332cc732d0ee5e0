/**
 * Entries of a key transparency log (type `L`): the publication or retirement of a public key, in one
 * canonical byte encoding, so that every entry has exactly one leaf hash. Specified in docs/crypto.md,
 * "Key transparency log".
 */
import { constantTimeEqual, readUint64, toBase64Url, utf8, writeUint64, type Bytes } from '../encoding.ts';
import { InvalidFormatError, InvalidParametersError } from '../errors.ts';
import { digestOf, FINGERPRINT_DIGEST_LENGTH, MAX_ADDRESS_LENGTH, normalizeAddress } from '../fingerprint.ts';
import { checkPrefix, writePrefix } from '../format.ts';
import {
  COMPRESSED_POINT_LENGTH,
  decompressPoint,
  PUBLIC_KEY_PREFIX,
  publicKeyBytes,
  publicKeyTextBytes,
} from '../keys.ts';

/** What happened to the key: it became the owner's key, or it stopped being one. */
export type LogAction = 'publish' | 'retire';
/** Whose key it is: a person's, a department's or an organisation's. */
export type LogKeyKind = 'personal' | 'department' | 'organisation';

/** The fields of an entry as the log writes it; the fingerprint is computed from key and address. */
export interface LogEntryFields {
  readonly action: LogAction;
  readonly keyKind: LogKeyKind;
  /** The owner's address; normalised as for fingerprints ({@link normalizeAddress}). */
  readonly address: string;
  /** The public key: a P-256 ECDH `CryptoKey` or its text `amtb-pub1-…`. */
  readonly publicKey: CryptoKey | string;
  /** When the log accepted the event, in milliseconds since 1970-01-01T00:00:00Z (UTC). */
  readonly timestamp: number;
  /** The number of earlier entries of the same owner address and key kind (0 for the first). */
  readonly sequence: number;
}

/** A decoded entry: the address normalised, the key as text, and its binary fingerprint. */
export interface LogEntry extends LogEntryFields {
  readonly publicKey: string;
  /** The 32-byte binary fingerprint of key and address ({@link fingerprintDigest}). */
  readonly fingerprint: Bytes;
}

const ACTIONS: readonly LogAction[] = ['publish', 'retire'];
const KEY_KINDS: readonly LogKeyKind[] = ['personal', 'department', 'organisation'];

/** Offsets of the fixed fields; the address follows at {@link ADDRESS_OFFSET}. */
const ACTION_OFFSET = 6;
const KIND_OFFSET = 7;
const SEQUENCE_OFFSET = 8;
const TIMESTAMP_OFFSET = 16;
const KEY_OFFSET = 24;
const FINGERPRINT_OFFSET = KEY_OFFSET + COMPRESSED_POINT_LENGTH; // 57
const ADDRESS_LENGTH_OFFSET = FINGERPRINT_OFFSET + FINGERPRINT_DIGEST_LENGTH; // 89
const ADDRESS_OFFSET = ADDRESS_LENGTH_OFFSET + 2; // 91

/** Length of an entry without its address. */
export const LOG_ENTRY_FIXED_LENGTH = ADDRESS_OFFSET;

function checkField(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidParametersError(`${what} must be a non-negative safe integer`);
  }
}

/**
 * The canonical bytes of a log entry, the leaf a log appends (hash them with {@link hashLeaf}).
 *
 * @throws {InvalidParametersError} on an unknown action or key kind, a timestamp or sequence number that
 *   is not a non-negative safe integer, an unusable address ({@link normalizeAddress}), or a `CryptoKey`
 *   that is not a P-256 ECDH public key.
 * @throws {InvalidFormatError} when `publicKey` is a text that is not a valid `amtb-pub1-` key.
 * @throws {UnsupportedVersionError} for a later `amtb-pubN-` text.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function encodeLogEntry(fields: LogEntryFields): Promise<Bytes> {
  const action = ACTIONS.indexOf(fields.action);
  const kind = KEY_KINDS.indexOf(fields.keyKind);
  if (action < 0) throw new InvalidParametersError('unknown log entry action');
  if (kind < 0) throw new InvalidParametersError('unknown key kind');
  checkField(fields.timestamp, 'timestamp');
  checkField(fields.sequence, 'sequence');
  const normalized = normalizeAddress(fields.address);
  const address = utf8(normalized);
  const point =
    typeof fields.publicKey === 'string'
      ? publicKeyTextBytes(fields.publicKey)
      : await publicKeyBytes(fields.publicKey);
  const out = new Uint8Array(ADDRESS_OFFSET + address.length);
  writePrefix(out, 'logEntry');
  out[ACTION_OFFSET] = action + 1;
  out[KIND_OFFSET] = kind + 1;
  writeUint64(out, SEQUENCE_OFFSET, fields.sequence);
  writeUint64(out, TIMESTAMP_OFFSET, fields.timestamp);
  out.set(point, KEY_OFFSET);
  out.set(await digestOf(point, normalized), FINGERPRINT_OFFSET);
  new DataView(out.buffer).setUint16(ADDRESS_LENGTH_OFFSET, address.length, false);
  out.set(address, ADDRESS_OFFSET);
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses and checks a log entry: every field in range, the key a point of P-256, the address valid UTF-8
 * and already normalised, and the recorded fingerprint the one of that key and address — so a decoded
 * entry is exactly what {@link encodeLogEntry} makes of its fields. It says nothing about whether the
 * entry is in a log: check that with {@link verifyInclusion}.
 *
 * @throws {InvalidFormatError} when `data` is not a canonical log entry (wrong magic or type, length,
 *   field values, key, address or fingerprint).
 * @throws {UnsupportedVersionError} for another version of the log entry type.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function decodeLogEntry(data: Uint8Array): Promise<LogEntry> {
  if (data.length < ADDRESS_OFFSET) throw new InvalidFormatError('log entry too short');
  checkPrefix(data, 'logEntry');
  const action = ACTIONS[(data[ACTION_OFFSET] ?? 0) - 1];
  const keyKind = KEY_KINDS[(data[KIND_OFFSET] ?? 0) - 1];
  if (action === undefined) throw new InvalidFormatError('unknown log entry action');
  if (keyKind === undefined) throw new InvalidFormatError('unknown key kind');
  const sequence = readUint64(data, SEQUENCE_OFFSET);
  const timestamp = readUint64(data, TIMESTAMP_OFFSET);
  if (sequence === undefined || timestamp === undefined) {
    throw new InvalidFormatError('log entry field too large');
  }
  const point = data.slice(KEY_OFFSET, FINGERPRINT_OFFSET);
  if (decompressPoint(point) === undefined) throw new InvalidFormatError('not a valid P-256 public key');
  const length = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint16(ADDRESS_LENGTH_OFFSET);
  if (length === 0 || length > MAX_ADDRESS_LENGTH || data.length !== ADDRESS_OFFSET + length) {
    throw new InvalidFormatError('wrong log entry length');
  }
  const address = readAddress(data.subarray(ADDRESS_OFFSET));
  const fingerprint = data.slice(FINGERPRINT_OFFSET, ADDRESS_LENGTH_OFFSET);
  if (!constantTimeEqual(fingerprint, await digestOf(point, address))) {
    throw new InvalidFormatError('the fingerprint does not match key and address');
  }
  const publicKey = PUBLIC_KEY_PREFIX + toBase64Url(point);
  return { action, keyKind, address, publicKey, timestamp, sequence, fingerprint };
}

function readAddress(raw: Uint8Array): string {
  let address: string;
  try {
    address = strictUtf8.decode(raw);
  } catch {
    throw new InvalidFormatError('the address is not valid UTF-8');
  }
  let normalized: string | undefined;
  try {
    normalized = normalizeAddress(address);
  } catch {
    normalized = undefined;
  }
  if (normalized !== address) throw new InvalidFormatError('the address is not normalised');
  return address;
}
