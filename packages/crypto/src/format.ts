/**
 * The framing shared by every binary object of this package: the 4 magic bytes `AMTB`, one type byte
 * (an ASCII letter) and one version byte. See docs/crypto.md.
 */
import { InvalidFormatError, UnsupportedVersionError } from './errors.ts';

/** `AMTB`: the first four bytes of every object. */
export const MAGIC: readonly number[] = [0x41, 0x4d, 0x54, 0x42];

/** Length of magic, type and version. */
export const PREFIX_LENGTH = 6;

/** The type byte of each kind of object, and the one version of it this library implements. */
export const OBJECT_TYPES = {
  /** `S`: encrypted stream (file or message). */
  stream: { type: 0x53, version: 1 },
  /** `E`: file key wrapped to a P-256 public key. */
  p256Envelope: { type: 0x45, version: 1 },
  /** `P`: file key wrapped under a passphrase. */
  passphraseEnvelope: { type: 0x50, version: 1 },
  /** `K`: private key wrapped under a passphrase. */
  passphrasePrivateKey: { type: 0x4b, version: 1 },
  /** `R`: private key wrapped under a recovery code. */
  recoveryPrivateKey: { type: 0x52, version: 1 },
  /** `L`: entry of a key transparency log (publication or retirement of a public key). */
  logEntry: { type: 0x4c, version: 1 },
  /** `H`: signed tree head of a key transparency log. */
  treeHead: { type: 0x48, version: 1 },
} as const;

/** The kinds of binary object this package reads and writes. */
export type ObjectKind = keyof typeof OBJECT_TYPES;

const KINDS = Object.keys(OBJECT_TYPES) as ObjectKind[];

/** Writes magic, type and version of `kind` into the first six bytes of `target`. */
export function writePrefix(target: Uint8Array, kind: ObjectKind): void {
  target.set(MAGIC, 0);
  target[4] = OBJECT_TYPES[kind].type;
  target[5] = OBJECT_TYPES[kind].version;
}

function hasMagic(data: Uint8Array): boolean {
  return data.length >= PREFIX_LENGTH && MAGIC.every((b, i) => data[i] === b);
}

/**
 * Checks that `data` starts with the prefix of `kind` in the supported version.
 *
 * @throws {InvalidFormatError} on wrong magic or type.
 * @throws {UnsupportedVersionError} on another version of the right type.
 */
export function checkPrefix(data: Uint8Array, kind: ObjectKind): void {
  if (!hasMagic(data)) throw new InvalidFormatError('not an Amtsbote crypto object');
  if (data[4] !== OBJECT_TYPES[kind].type) throw new InvalidFormatError(`not an Amtsbote ${kind} object`);
  if (data[5] !== OBJECT_TYPES[kind].version) {
    throw new UnsupportedVersionError(`unsupported ${kind} version`);
  }
}

/**
 * Tells which kind of object `data` (or its first bytes, at least six) is, without checking the rest, so a
 * caller can pick the right function: `stream` for {@link decryptStream}, `p256Envelope` for
 * {@link unwrapFileKey}, `passphraseEnvelope` for {@link unwrapFileKeyWithPassphrase},
 * `passphrasePrivateKey` and `recoveryPrivateKey` for the private-key unwrap functions, `logEntry` for
 * {@link decodeLogEntry}, `treeHead` for {@link verifyTreeHead}.
 *
 * @throws {InvalidFormatError} when `data` does not start with the magic bytes of a known type.
 * @throws {UnsupportedVersionError} when the type is known but the version is not.
 */
export function identify(data: Uint8Array): ObjectKind {
  if (!hasMagic(data)) throw new InvalidFormatError('not an Amtsbote crypto object');
  const kind = KINDS.find((k) => OBJECT_TYPES[k].type === data[4]);
  if (kind === undefined) throw new InvalidFormatError('unknown Amtsbote object type');
  checkPrefix(data, kind);
  return kind;
}
