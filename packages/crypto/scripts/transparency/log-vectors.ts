// Key transparency log vectors: five entries, the tree over them, two signed tree heads (ECDSA with a
// recorded nonce, checked with WebCrypto), proofs, and entries and tree heads that must be rejected.
import { fromHex, type Bytes } from '../../src/encoding.ts';
import type { CryptoErrorCode } from '../../src/errors.ts';
import { fingerprintInput } from '../../src/fingerprint.ts';
import { PUBLIC_KEY_PREFIX } from '../../src/keys.ts';
import { decodeLogEntry, encodeLogEntry, type LogEntryFields } from '../../src/log/entry.ts';
import { importLogPublicKey, LOG_KEY_PREFIX } from '../../src/log/log-key.ts';
import { encodeTreeHead, verifyTreeHead, type TreeHead } from '../../src/log/tree-head.ts';
import { hashLeaf } from '../../src/merkle/hash.ts';
import { MerkleTree } from '../../src/merkle/tree.ts';
import type {
  LogEntryVector,
  LogVectors,
  NegativeLogEntryVector,
  NegativeTreeHeadVector,
  TreeHeadVector,
} from '../../test/vector-types.ts';
import { ecdsaSign, expectError, flip, hex, keyPair, nonce, sha256, toBytes32, withByte } from './common.ts';
import { proofsOf } from './merkle-vectors.ts';

const FORMAT = 'ERR_CRYPTO_INVALID_FORMAT';
const VERSION = 'ERR_CRYPTO_UNSUPPORTED_VERSION';
const SIGNATURE = 'ERR_CRYPTO_SIGNATURE_INVALID';
const ADDRESS = 91; // offset of the address in an entry
const t0 = Date.UTC(2026, 0, 31, 12, 0, 0);
const logId = 'stadt-beispiel';

async function entryVectors(log: MerkleTree): Promise<LogEntryVector[]> {
  const key = (seed: string): string =>
    keyPair(`amtsbote vectors log ${seed}`, PUBLIC_KEY_PREFIX).vector.publicKeyText;
  const [alice1, alice2, department, organisation] = [
    key('alice 1'),
    key('alice 2'),
    key('department'),
    key('organisation'),
  ];
  const personal = { keyKind: 'personal', address: 'alice@example.org' } as const;
  const fields: LogEntryFields[] = [
    {
      ...personal,
      action: 'publish',
      address: 'Alice@Example.org',
      publicKey: alice1,
      timestamp: t0,
      sequence: 0,
    },
    {
      action: 'publish',
      keyKind: 'department',
      address: 'bauamt@stadt.example',
      publicKey: department,
      timestamp: t0 + 1500,
      sequence: 0,
    },
    {
      action: 'publish',
      keyKind: 'organisation',
      address: 'Verein@Example.org ',
      publicKey: organisation,
      timestamp: t0 + 60_000,
      sequence: 0,
    },
    { ...personal, action: 'retire', publicKey: alice1, timestamp: t0 + 86_400_000, sequence: 1 },
    { ...personal, action: 'publish', publicKey: alice2, timestamp: t0 + 86_400_001, sequence: 2 },
  ];
  const entries: LogEntryVector[] = [];
  for (const f of fields) {
    const encoded = await encodeLogEntry(f);
    const decoded = await decodeLogEntry(encoded);
    await log.append(encoded);
    const { action, keyKind, address, timestamp, sequence } = f;
    entries.push({
      ...{ action, keyKind, address, normalizedAddress: decoded.address, publicKeyText: decoded.publicKey },
      ...{ timestamp, sequence, fingerprint: hex(decoded.fingerprint) },
      ...{ encoded: hex(encoded), leafHash: hex(await hashLeaf(encoded)) },
    });
  }
  return entries;
}

async function negativeEntryVectors(entry: Bytes): Promise<NegativeLogEntryVector[]> {
  /** The entry with a new address; keeps its length field right. */
  const readdress = (address: Uint8Array): Bytes =>
    new Uint8Array([...entry.slice(0, ADDRESS - 2), address.length >> 8, address.length & 0xff, ...address]);
  /** Keeps a corrupted entry consistent in everything but what the vector is about: its fingerprint too. */
  const refingerprint = (data: Uint8Array): Bytes => {
    const out = new Uint8Array(data);
    out.set(sha256(fingerprintInput(out.slice(24, 57), new TextDecoder().decode(out.slice(ADDRESS)))), 57);
    return out;
  };
  const address = entry.slice(ADDRESS);
  const offCurve = new Uint8Array([
    ...entry.slice(0, 25),
    ...new Uint8Array(32).fill(0xff),
    ...entry.slice(57),
  ]);
  const cases: [string, Uint8Array, CryptoErrorCode][] = [
    ['action 0', withByte(entry, 6, 0), FORMAT],
    ['action 3', withByte(entry, 6, 3), FORMAT],
    ['key kind 0', withByte(entry, 7, 0), FORMAT],
    ['key kind 4', withByte(entry, 7, 4), FORMAT],
    ['version 2', withByte(entry, 5, 2), VERSION],
    ['a tree head, not a log entry', withByte(entry, 4, 0x48), FORMAT],
    ['wrong magic', withByte(entry, 0, 0x61), FORMAT],
    ['truncated by one byte', entry.slice(0, -1), FORMAT],
    ['fixed part only', entry.slice(0, ADDRESS), FORMAT],
    ['a trailing byte', new Uint8Array([...entry, 0x61]), FORMAT],
    ['empty address', readdress(new Uint8Array(0)), FORMAT],
    ['sequence number of 2^53', withByte(withByte(entry, 9, 0x20), 15, 0), FORMAT],
    [
      'timestamp of 2^64 - 1',
      new Uint8Array([...entry.slice(0, 16), ...new Uint8Array(8).fill(0xff), ...entry.slice(24)]),
      FORMAT,
    ],
    ['flipped bit in the fingerprint', flip(entry, 60, 2), FORMAT],
    ['the key of the other parity (same fingerprint)', flip(entry, 24, 0), FORMAT],
    ['flipped bit in the address (same fingerprint)', flip(entry, ADDRESS + 1, 1), FORMAT],
    ['key not on the curve (fingerprint recomputed)', refingerprint(offCurve), FORMAT],
    [
      'address not lower-case (fingerprint recomputed)',
      refingerprint(readdress(new TextEncoder().encode('Alice@example.org'))),
      FORMAT,
    ],
    [
      'address with a trailing space (fingerprint recomputed)',
      refingerprint(readdress(new Uint8Array([...address, 0x20]))),
      FORMAT,
    ],
    ['address not valid UTF-8', readdress(new Uint8Array([...address, 0xc3])), FORMAT],
  ];
  const out: NegativeLogEntryVector[] = [];
  for (const [name, data, error] of cases) {
    await expectError(error, name, () => decodeLogEntry(data));
    out.push({ name, encoded: hex(data), error });
  }
  return out;
}

export async function logVectors(): Promise<LogVectors> {
  const logKey = keyPair('amtsbote vectors log key', LOG_KEY_PREFIX);
  const otherLogKey = keyPair('amtsbote vectors another log key', LOG_KEY_PREFIX);
  const logPublicKey = await importLogPublicKey(logKey.vector.publicKeyText);
  const log = new MerkleTree();
  const entries = await entryVectors(log);
  const { roots, inclusion, consistency } = await proofsOf(log);

  const sign = (tbs: Uint8Array, label: string, d = logKey.d): Bytes =>
    new Uint8Array([...tbs, ...ecdsaSign(d, nonce(label), tbs)]);
  async function treeHead(head: TreeHead): Promise<TreeHeadVector> {
    const tbs = encodeTreeHead(head);
    const label = `tree head ${String(head.treeSize)}`;
    const signed = sign(tbs, label);
    await verifyTreeHead(signed, logPublicKey, head.logId); // WebCrypto agrees with the bigint signer
    const { treeSize, timestamp } = head;
    return {
      logId,
      treeSize,
      timestamp,
      rootHash: hex(head.rootHash),
      tbs: hex(tbs),
      k: hex(toBytes32(nonce(label))),
      signed: hex(signed),
    };
  }
  const treeHeads = [
    await treeHead({ logId, treeSize: 3, timestamp: t0 + 120_000, rootHash: await log.rootHash(3) }),
    await treeHead({ logId, treeSize: 5, timestamp: t0 + 86_460_000, rootHash: await log.rootHash(5) }),
  ];
  const signed = fromHex(treeHeads[1]?.signed ?? '');
  const tbs = fromHex(treeHeads[1]?.tbs ?? '');
  const n = logId.length;
  const other = encodeTreeHead({
    logId: 'stadt-anders',
    treeSize: 5,
    timestamp: 1,
    rootHash: fromHex(roots[5] ?? ''),
  });
  const cases: [string, Uint8Array, CryptoErrorCode][] = [
    ['flipped bit in the signature (r)', flip(signed, 55 + n + 5, 3), SIGNATURE],
    ['flipped bit in the signature (s)', flip(signed, signed.length - 1), SIGNATURE],
    ['flipped bit in the root hash', flip(signed, 23 + n + 31), SIGNATURE],
    ['another tree size', flip(signed, 7 + n + 7, 1), SIGNATURE],
    ['another timestamp', flip(signed, 15 + n + 7), SIGNATURE],
    ['another log id of the same length', withByte(signed, 7, 0x53), SIGNATURE],
    ['signed by another key', sign(tbs, 'other key', otherLogKey.d), SIGNATURE],
    ['validly signed, but for another log', sign(other, 'other log'), SIGNATURE],
    ['signature of zeros', new Uint8Array([...tbs, ...new Uint8Array(64)]), SIGNATURE],
    ['version 2', withByte(signed, 5, 2), VERSION],
    ['a log entry, not a tree head', withByte(signed, 4, 0x4c), FORMAT],
    ['truncated by one byte', signed.slice(0, -1), FORMAT],
    ['a trailing byte', new Uint8Array([...signed, 0]), FORMAT],
    ['log id length zero', withByte(signed, 6, 0), FORMAT],
    ['log id with a space (signed)', sign(withByte(tbs, 8, 0x20), 'space'), FORMAT],
    ['tree size of 2^53 (signed)', sign(withByte(tbs, 7 + n + 1, 0x20), 'size'), FORMAT],
  ];
  const negativeTreeHeads: NegativeTreeHeadVector[] = [];
  for (const [name, data, error] of cases) {
    await expectError(error, name, () => verifyTreeHead(data, logPublicKey, logId));
    negativeTreeHeads.push({
      name,
      logPublicKeyText: logKey.vector.publicKeyText,
      logId,
      signed: hex(data),
      error,
    });
  }

  return {
    description:
      'A key transparency log of five entries (docs/crypto.md, "Key transparency log"): the entries with their fields, the root of every size, signed tree heads at sizes 3 and 5 (ECDSA P-256/SHA-256 with the recorded nonce k), inclusion proofs of every entry in the tree of 5, the consistency proof from 3 to 5, and entries and tree heads that must be rejected. Generated by scripts/generate-transparency-vectors.ts.',
    logKey: logKey.vector,
    entries,
    roots,
    treeHeads,
    inclusion: inclusion.filter((v) => v.treeSize === log.size),
    consistency: consistency.find((v) => v.firstSize === 3 && v.secondSize === 5) ?? {
      firstSize: 3,
      secondSize: 5,
      proof: [],
    },
    negativeEntries: await negativeEntryVectors(fromHex(entries[0]?.encoded ?? '')),
    negativeTreeHeads,
  };
}
