/**
 * Fuzz cases of the key transparency log's decoders: log entries (decodeLogEntry) and signed tree heads
 * (verifyTreeHead), with their length fields.
 */
import fc from 'fast-check';
import { concat, fromHex, readUint64, toBase64Url, utf8 } from '../../src/encoding.ts';
import type { CryptoErrorCode } from '../../src/errors.ts';
import { FINGERPRINT_LABEL, normalizeAddress } from '../../src/fingerprint.ts';
import { checkPrefix } from '../../src/format.ts';
import { decompressPoint } from '../../src/keys.ts';
import { decodeLogEntry, encodeLogEntry, type LogEntry, type LogEntryFields } from '../../src/log/entry.ts';
import {
  signTreeHead,
  TREE_HEAD_FIXED_LENGTH,
  verifyTreeHead,
  type TreeHead,
} from '../../src/log/tree-head.ts';
import { sha256 } from '../../src/webcrypto.ts';
import { AssertionError, assert, assertBytes, assertEqual } from '../assert.ts';
import { concatAll } from '../helpers.ts';
import type { LogVectors } from '../vector-types.ts';
import vectorsJson from '../vectors/log.json' with { type: 'json' };
import { keyPool } from './fixtures.ts';
import {
  applyMutations,
  asView,
  countSubtleCalls,
  equalBytes,
  expectFailure,
  failureCode,
  largestAllocation,
  mutations,
  outcome,
  outcomeSync,
  settlesWithin,
  viewOffset,
  type FuzzCase,
} from './harness.ts';

const vectors = vectorsJson as LogVectors;
const STRUCTURE: readonly CryptoErrorCode[] = ['ERR_CRYPTO_INVALID_FORMAT', 'ERR_CRYPTO_UNSUPPORTED_VERSION'];
const HEAD_ERRORS: readonly CryptoErrorCode[] = [...STRUCTURE, 'ERR_CRYPTO_SIGNATURE_INVALID'];
const LOG_ID = /^[\x21-\x7e]{1,255}$/;
const ENTRY_PREFIX = [0x41, 0x4d, 0x54, 0x42, 0x4c, 0x01];
const HEAD_PREFIX = [0x41, 0x4d, 0x54, 0x42, 0x48, 0x01];

const u64 = fc.oneof(fc.maxSafeNat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map((n) => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
});
const u16 = (n: number): Uint8Array => Uint8Array.of(n >>> 8, n & 0xff);

/** Addresses as the log may be handed them: any Unicode, upper case, padded, or long. */
const addresses = fc.oneof(
  fc.emailAddress(),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map((s) => ` ${s.toUpperCase()}\t`),
  fc.string({ unit: 'grapheme-ascii', minLength: 1000, maxLength: 1030 }),
  fc.constantFrom('İstanbul@Example.org', 'ΑΣ@x', 'ǅ@x', '\ufeffa@b', 'ß@straße.de', 'a\u0130@x'),
);

function sameFields(a: LogEntry, b: LogEntry): boolean {
  const fields = ['action', 'keyKind', 'address', 'publicKey', 'timestamp', 'sequence'] as const;
  return fields.every((f) => a[f] === b[f]) && equalBytes(a.fingerprint, b.fingerprint);
}

/** Decodes `data`; an accepted entry must be exactly what encodeLogEntry makes of its fields. */
async function decodeCanonical(data: Uint8Array): Promise<LogEntry | undefined> {
  const got = await outcome(() => decodeLogEntry(data));
  if (failureCode(got, STRUCTURE, 'decodeLogEntry') !== undefined || !got.ok) return undefined;
  assertBytes(await encodeLogEntry(got.value), data, 'an accepted entry re-encodes to the same bytes');
  return got.value;
}

/** The structural checks of a signed tree head (docs/crypto.md), as a model of verifyTreeHead's parser. */
function headStructure(data: Uint8Array): CryptoErrorCode | undefined {
  if (data.length < 7) return 'ERR_CRYPTO_INVALID_FORMAT';
  const prefix = failureCode(
    outcomeSync(() => checkPrefix(data, 'treeHead')),
    STRUCTURE,
    'checkPrefix',
  );
  if (prefix !== undefined) return prefix;
  const n = data[6] ?? 0;
  if (n === 0 || data.length !== TREE_HEAD_FIXED_LENGTH + n) return 'ERR_CRYPTO_INVALID_FORMAT';
  if (!LOG_ID.test(String.fromCharCode(...data.subarray(7, 7 + n)))) return 'ERR_CRYPTO_INVALID_FORMAT';
  if (readUint64(data, 7 + n) === undefined || readUint64(data, 15 + n) === undefined)
    return 'ERR_CRYPTO_INVALID_FORMAT';
  return undefined;
}

async function logKeyPair(): Promise<CryptoKeyPair> {
  const point = decompressPoint(fromHex(vectors.logKey.publicKey));
  if (point === undefined) throw new AssertionError('log key vector');
  const [x, y] = [toBase64Url(point.subarray(1, 33)), toBase64Url(point.subarray(33))];
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
  const d = toBase64Url(fromHex(vectors.logKey.scalar));
  return {
    privateKey: await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x, y, d }, algorithm, false, [
      'sign',
    ]),
    publicKey: await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x, y }, algorithm, true, [
      'verify',
    ]),
  };
}

const logIds = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 255,
});
const heads: fc.Arbitrary<TreeHead> = fc.record({
  logId: logIds,
  treeSize: fc.maxSafeNat(),
  timestamp: fc.maxSafeNat(),
  rootHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
});

export function logCases(): FuzzCase[] {
  return [
    {
      name: 'log entry: structured noise gives only InvalidFormat/UnsupportedVersion; accepted entries are canonical',
      ciRuns: 500,
      weight: 0.5,
      run: async (o) => {
        const keys = await keyPool();
        const points = fc.oneof(
          fc.constantFrom(...keys.map((k) => k.compressed)),
          fc.uint8Array({ minLength: 33, maxLength: 33 }),
        );
        const addressBytes = fc.oneof(
          addresses.map((a) => utf8(a)),
          fc.uint8Array({ minLength: 0, maxLength: 60, size: 'max' }),
        );
        const input = fc.record({
          prefix: fc.oneof(
            { arbitrary: fc.constant(ENTRY_PREFIX), weight: 8 },
            fc.array(fc.nat(255), { minLength: 6, maxLength: 6 }),
          ),
          action: fc.oneof(fc.constantFrom(1, 2), fc.nat(255)),
          kind: fc.oneof(fc.constantFrom(1, 2, 3), fc.nat(255)),
          sequence: u64,
          timestamp: u64,
          point: points,
          address: addressBytes,
          rightFingerprint: fc.boolean(),
          length: fc.oneof({ arbitrary: fc.constant(-1), weight: 4 }, fc.nat(0xffff)),
          tail: fc.oneof(
            { arbitrary: fc.constant(new Uint8Array(0)), weight: 4 },
            fc.uint8Array({ minLength: 1, maxLength: 8 }),
          ),
          offset: viewOffset,
        });
        await fc.assert(
          fc.asyncProperty(input, fc.uint8Array({ minLength: 32, maxLength: 32 }), async (e, noise) => {
            const fingerprint = e.rightFingerprint
              ? await sha256(concat(utf8(FINGERPRINT_LABEL), e.point, e.address))
              : noise;
            const length = e.length < 0 ? e.address.length : e.length;
            const data = concatAll([
              Uint8Array.from(e.prefix),
              Uint8Array.of(e.action, e.kind),
              e.sequence,
              e.timestamp,
              e.point,
              fingerprint,
              u16(length),
              e.address,
              e.tail,
            ]);
            const entry = await decodeCanonical(asView(data, e.offset));
            if (entry !== undefined) assertBytes(entry.fingerprint, fingerprint, 'the recorded fingerprint');
          }),
          o,
        );
      },
    },
    {
      name: 'log entry: arbitrary fields round-trip; mutated entries are refused or keep their key, address and fingerprint',
      ciRuns: 300,
      weight: 0.5,
      run: async (o) => {
        const keys = await keyPool();
        const fields: fc.Arbitrary<LogEntryFields> = fc.record({
          action: fc.constantFrom('publish', 'retire'),
          keyKind: fc.constantFrom('personal', 'department', 'organisation'),
          address: addresses,
          publicKey: fc.constantFrom(...keys.map((k) => k.text)),
          timestamp: fc.maxSafeNat(),
          sequence: fc.maxSafeNat(),
        });
        await fc.assert(
          fc.asyncProperty(fields, mutations, async (f, ms) => {
            const encoded = await outcome(() => encodeLogEntry(f));
            if (
              failureCode(encoded, ['ERR_CRYPTO_INVALID_PARAMETERS'], 'encodeLogEntry') !== undefined ||
              !encoded.ok
            ) {
              assert(
                !outcomeSync(() => normalizeAddress(f.address)).ok,
                'only an unusable address is refused',
              );
              return;
            }
            const entry = await decodeCanonical(encoded.value);
            if (entry === undefined) throw new AssertionError('an encoded entry decodes');
            assertEqual(entry.address, normalizeAddress(f.address), 'address');
            for (const k of ['action', 'keyKind', 'publicKey', 'timestamp', 'sequence'] as const)
              assertEqual(entry[k], f[k], k);
            const data = applyMutations(encoded.value, ms);
            fc.pre(!equalBytes(data, encoded.value));
            const other = await decodeCanonical(data);
            if (other !== undefined) {
              assert(
                sameFields(
                  {
                    ...other,
                    action: entry.action,
                    keyKind: entry.keyKind,
                    timestamp: entry.timestamp,
                    sequence: entry.sequence,
                  },
                  entry,
                ),
                'only the unbound fields may differ',
              );
            }
          }),
          o,
        );
      },
    },
    {
      name: 'log entry: a length field declaring more than the input holds is refused at once, without allocating',
      ciRuns: 200,
      weight: 1,
      run: async (o) => {
        const [key] = await keyPool();
        if (key === undefined) throw new AssertionError('pool');
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 0xffff }),
            fc.uint8Array({ maxLength: 40, size: 'max' }),
            async (declared, address) => {
              fc.pre(declared !== address.length);
              const data = concatAll([
                Uint8Array.from(ENTRY_PREFIX),
                Uint8Array.of(1, 1),
                new Uint8Array(16),
                key.compressed,
                new Uint8Array(32),
                u16(declared),
                address,
              ]);
              const pending = decodeLogEntry(data);
              assert(await settlesWithin(pending), 'refused before hashing anything');
              expectFailure(await outcome(() => pending), 'ERR_CRYPTO_INVALID_FORMAT', 'declared length');
              const bytes = await largestAllocation(() => decodeLogEntry(data));
              assert(bytes <= data.length, `allocated ${bytes} bytes for ${data.length}`);
            },
          ),
          o,
        );
      },
    },
    {
      name: 'tree head: noise and mutated signed heads are refused (structure first, then signature); round trips',
      ciRuns: 250,
      weight: 0.3,
      run: async (o) => {
        const pair = await logKeyPair();
        const noise = fc.record({
          n: fc.oneof(fc.nat(255), fc.integer({ min: 1, max: 20 })),
          id: fc.uint8Array({ maxLength: 30, size: 'max' }),
          rest: fc.uint8Array({ minLength: 0, maxLength: 130, size: 'max' }),
          prefix: fc.oneof(
            { arbitrary: fc.constant(HEAD_PREFIX), weight: 5 },
            fc.array(fc.nat(255), { minLength: 6, maxLength: 6 }),
          ),
        });
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(noise, heads),
            mutations,
            heads,
            viewOffset,
            async (input, ms, twin, offset) => {
              let data: Uint8Array;
              let logId: string;
              if ('n' in input) {
                data = concatAll([
                  Uint8Array.from(input.prefix),
                  Uint8Array.of(input.n),
                  input.id,
                  input.rest,
                ]);
                logId = 'stadt-beispiel';
              } else {
                const signed = await signTreeHead(input, pair.privateKey);
                const head = await verifyTreeHead(signed, pair.publicKey, input.logId);
                assertEqual(head.logId, input.logId, 'logId');
                assertEqual(head.treeSize, input.treeSize, 'treeSize');
                assertEqual(head.timestamp, input.timestamp, 'timestamp');
                assertBytes(head.rootHash, input.rootHash, 'rootHash');
                if (twin.logId !== input.logId) {
                  expectFailure(
                    await outcome(() => verifyTreeHead(signed, pair.publicKey, twin.logId)),
                    'ERR_CRYPTO_SIGNATURE_INVALID',
                    'another log',
                  );
                }
                const other = await signTreeHead(twin, pair.privateKey);
                const swapped = concatAll([
                  signed.subarray(0, signed.length - 64),
                  other.subarray(other.length - 64),
                ]);
                expectFailure(
                  await outcome(() => verifyTreeHead(swapped, pair.publicKey, input.logId)),
                  'ERR_CRYPTO_SIGNATURE_INVALID',
                  'signature of another head',
                );
                data = applyMutations(signed, ms);
                fc.pre(!equalBytes(data, signed));
                logId = input.logId;
              }
              const got = await outcome(() => verifyTreeHead(asView(data, offset), pair.publicKey, logId));
              expectFailure(got, headStructure(data) ?? 'ERR_CRYPTO_SIGNATURE_INVALID', 'verifyTreeHead');
              failureCode(got, HEAD_ERRORS, 'verifyTreeHead');
            },
          ),
          o,
        );
      },
    },
    {
      name: 'tree head: a log id length beyond the input is refused without allocating or verifying',
      ciRuns: 150,
      weight: 1,
      run: async (o) => {
        const pair = await logKeyPair();
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 255 }),
            fc.uint8Array({ maxLength: 150, size: 'max' }),
            async (n, rest) => {
              const data = concatAll([Uint8Array.from(HEAD_PREFIX), Uint8Array.of(n), rest]);
              fc.pre(data.length !== TREE_HEAD_FIXED_LENGTH + n);
              const verifies = await countSubtleCalls('verify', () =>
                verifyTreeHead(data, pair.publicKey, 'x'),
              );
              assertEqual(verifies, 0, 'no signature check on a malformed head');
              expectFailure(
                await outcome(() => verifyTreeHead(data, pair.publicKey, 'x')),
                'ERR_CRYPTO_INVALID_FORMAT',
                'length',
              );
              const bytes = await largestAllocation(() => verifyTreeHead(data, pair.publicKey, 'x'));
              assert(bytes <= data.length, `allocated ${bytes} bytes for ${data.length}`);
            },
          ),
          o,
        );
      },
    },
  ];
}
