/**
 * Fuzz cases of the file-key envelopes: P-256 (`E`, unwrapFileKey) and passphrase (`P`,
 * unwrapFileKeyWithPassphrase, passphraseParameters), including the Argon2id cost bounds.
 */
import fc from 'fast-check';
import { readUint32 } from '../../src/encoding.ts';
import { wrapFileKeyWith, unwrapFileKey, P256_ENVELOPE_LENGTH } from '../../src/envelope.ts';
import type { CryptoErrorCode } from '../../src/errors.ts';
import { checkPrefix, type ObjectKind } from '../../src/format.ts';
import {
  ARGON2_LIMITS,
  checkUnwrapParameters,
  passphraseParameters,
  PASSPHRASE_ENVELOPE_LENGTH,
  unwrapFileKeyWithPassphrase,
  wrapFileKeyWithPassphraseWith,
  type Argon2Parameters,
} from '../../src/passphrase.ts';
import { unwrapPrivateKeyWithPassphrase, PASSPHRASE_PRIVATE_KEY_LENGTH } from '../../src/privatekey.ts';
import { AssertionError, assert, assertBytes, assertEqual } from '../assert.ts';
import { concatAll, fixedRandom } from '../helpers.ts';
import { keyPool, poolKey } from './fixtures.ts';
import {
  applyMutations,
  asView,
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

const STRUCTURE: readonly CryptoErrorCode[] = ['ERR_CRYPTO_INVALID_FORMAT', 'ERR_CRYPTO_UNSUPPORTED_VERSION'];
const fileKeys = fc.uint8Array({ minLength: 32, maxLength: 32 });
const salts = fc.uint8Array({ minLength: 16, maxLength: 16 });
/** The cheapest parameters unwrap accepts: the mutation cases spend their time on inputs, not Argon2. */
const TINY: Argon2Parameters = { memoryKiB: 8, iterations: 1, parallelism: 1 };
/** Mutated parameters within the limits but costlier than this (KiB × passes) are skipped, not run. */
const COST_BUDGET = 4096;
const PASSPHRASE = 'correct horse battery staple';

/** What any reader of an object of `kind` and `length` must fail with on `data` (not authentic). */
function expectedCode(data: Uint8Array, kind: ObjectKind, length: number): CryptoErrorCode {
  const prefix = failureCode(
    outcomeSync(() => checkPrefix(data, kind)),
    STRUCTURE,
    'checkPrefix',
  );
  if (prefix !== undefined) return prefix;
  if (data.length !== length) return 'ERR_CRYPTO_INVALID_FORMAT';
  if (kind === 'passphraseEnvelope' || kind === 'passphrasePrivateKey') {
    const params = paramsOf(data);
    if (!outcomeSync(() => checkUnwrapParameters(params)).ok) return 'ERR_CRYPTO_INVALID_PARAMETERS';
  }
  return 'ERR_CRYPTO_DECRYPTION_FAILED';
}

function paramsOf(data: Uint8Array): Argon2Parameters {
  return { memoryKiB: readUint32(data, 6), iterations: readUint32(data, 10), parallelism: data[14] ?? 0 };
}

/** Whether opening `data` would run Argon2id with parameters above {@link COST_BUDGET}. */
function tooCostly(data: Uint8Array): boolean {
  if (data.length < 15) return false;
  const params = paramsOf(data);
  return (
    outcomeSync(() => checkUnwrapParameters(params)).ok && params.memoryKiB * params.iterations > COST_BUDGET
  );
}

/** Copies bytes `[from, to)` of `b` over `a`: header fields or ciphertext of one envelope into its twin. */
function splice(a: Uint8Array, b: Uint8Array, from: number, to: number): Uint8Array {
  const out = a.slice();
  const [lo, hi] = [from % a.length, to % a.length].sort((x, y) => x - y) as [number, number];
  out.set(b.subarray(lo, hi + 1), lo);
  return out;
}

/** Parameters at least one of which is beyond {@link ARGON2_LIMITS} or breaks Argon2's own rules. */
const excessive: fc.Arbitrary<Argon2Parameters> = fc
  .record({
    memoryKiB: fc.oneof(
      fc.integer({ min: ARGON2_LIMITS.maxMemoryKiB + 1, max: 2 ** 32 - 1 }),
      fc.nat(64),
      fc.constant(2 ** 32 - 1),
    ),
    iterations: fc.oneof(fc.integer({ min: ARGON2_LIMITS.maxIterations + 1, max: 2 ** 32 - 1 }), fc.nat(3)),
    parallelism: fc.oneof(fc.integer({ min: ARGON2_LIMITS.maxParallelism + 1, max: 255 }), fc.nat(4)),
  })
  .filter((p) => !outcomeSync(() => checkUnwrapParameters(p)).ok);

function withParameters(prefix: readonly number[], p: Argon2Parameters, rest: Uint8Array): Uint8Array {
  const head = new Uint8Array(15);
  head.set(prefix);
  const view = new DataView(head.buffer);
  view.setUint32(6, p.memoryKiB);
  view.setUint32(10, p.iterations);
  head[14] = p.parallelism;
  return concatAll([head, rest]);
}

export function envelopeCases(): FuzzCase[] {
  return [
    {
      name: 'P-256 envelope: arbitrary and mutated envelopes are refused with the structural code or DecryptionFailed',
      ciRuns: 250,
      weight: 0.3,
      run: async (o) => {
        const keys = await keyPool();
        const noise = fc.uint8Array({ maxLength: 120, size: 'max' });
        const inputs = fc.oneof(
          noise.map((n) => ({ kind: 'noise' as const, bytes: n })),
          noise.map((n) => ({
            kind: 'noise' as const,
            bytes: concatAll([Uint8Array.of(0x41, 0x4d, 0x54, 0x42, 0x45, 0x01), n]),
          })),
          fc.record({
            kind: fc.constant('mutated' as const),
            fileKey: fileKeys,
            eph: fc.nat(),
            ms: mutations,
          }),
          fc.record({
            kind: fc.constant('spliced' as const),
            fileKey: fileKeys,
            eph: fc.nat(),
            from: fc.nat(),
            to: fc.nat(),
          }),
        );
        await fc.assert(
          fc.asyncProperty(inputs, fc.nat(), viewOffset, async (input, r, offset) => {
            const recipient = poolKey(keys, r);
            let data: Uint8Array;
            if (input.kind === 'noise') data = input.bytes;
            else {
              const eph = poolKey(keys, input.eph);
              const twin = poolKey(keys, input.eph + 1);
              fc.pre(eph !== recipient && twin !== recipient);
              const valid = await wrapFileKeyWith(input.fileKey, recipient.pair.publicKey, eph.pair);
              assertBytes(await unwrapFileKey(valid, recipient.pair), input.fileKey, 'round trip');
              if (input.kind === 'mutated') data = applyMutations(valid, input.ms);
              else {
                const other = await wrapFileKeyWith(input.fileKey, recipient.pair.publicKey, twin.pair);
                data = splice(valid, other, input.from, input.to);
                // A splice over every byte where the twins differ is the twin: genuine, same file key.
                if (equalBytes(data, other)) {
                  assertBytes(await unwrapFileKey(data, recipient.pair), input.fileKey, 'the twin');
                  return;
                }
              }
              fc.pre(!equalBytes(data, valid));
              const wrongRecipient =
                poolKey(keys, r + 1) === eph ? poolKey(keys, r + 2) : poolKey(keys, r + 1);
              expectFailure(
                await outcome(() => unwrapFileKey(valid, wrongRecipient.pair)),
                'ERR_CRYPTO_DECRYPTION_FAILED',
                'another recipient',
              );
            }
            const code = expectedCode(data, 'p256Envelope', P256_ENVELOPE_LENGTH);
            expectFailure(
              await outcome(() => unwrapFileKey(asView(data, offset), recipient.pair)),
              code,
              'unwrapFileKey',
            );
          }),
          // Found by a long run: a splice of the whole twin is the twin itself, and opens.
          {
            ...o,
            examples: [[{ kind: 'spliced', fileKey: new Uint8Array(32), eph: 1, from: 0, to: 86 }, 0, 1]],
          },
        );
      },
    },
    {
      name: 'passphrase envelope: arbitrary and mutated envelopes are refused; round trips; parameters read back',
      ciRuns: 250,
      weight: 0.2,
      run: (o) => {
        const noise = fc.uint8Array({ maxLength: 100, size: 'max' });
        const inputs = fc.oneof(
          noise.map((n) => ({ kind: 'noise' as const, bytes: n })),
          fc
            .tuple(
              fc.constantFrom(0x50, 0x4b),
              fc.oneof(excessive, fc.constant(TINY)),
              fc.oneof(noise, fc.uint8Array({ minLength: 64, maxLength: 64 })),
            )
            .map(([type, p, n]) => ({
              kind: 'noise' as const,
              bytes: withParameters([0x41, 0x4d, 0x54, 0x42, type, 0x01], p, n),
            })),
          fc.record({ kind: fc.constant('mutated' as const), fileKey: fileKeys, salt: salts, ms: mutations }),
        );
        return fc.assert(
          fc.asyncProperty(inputs, viewOffset, async (input, offset) => {
            let data: Uint8Array;
            if (input.kind === 'noise') data = input.bytes;
            else {
              const valid = await wrapFileKeyWithPassphraseWith(
                input.fileKey,
                PASSPHRASE,
                TINY,
                fixedRandom(input.salt),
              );
              assertBytes(await unwrapFileKeyWithPassphrase(valid, PASSPHRASE), input.fileKey, 'round trip');
              expectFailure(
                await outcome(() => unwrapFileKeyWithPassphrase(valid, `${PASSPHRASE}!`)),
                'ERR_CRYPTO_DECRYPTION_FAILED',
                'wrong passphrase',
              );
              data = applyMutations(valid, input.ms);
              fc.pre(!equalBytes(data, valid));
            }
            fc.pre(!tooCostly(data));
            const view = asView(data, offset);
            const code = expectedCode(data, 'passphraseEnvelope', PASSPHRASE_ENVELOPE_LENGTH);
            expectFailure(
              await outcome(() => unwrapFileKeyWithPassphrase(view, PASSPHRASE)),
              code,
              'unwrapFileKeyWithPassphrase',
            );
            const params = outcomeSync(() => passphraseParameters(view));
            if (failureCode(params, STRUCTURE, 'passphraseParameters') === undefined && params.ok) {
              const p = paramsOf(data);
              assertEqual(params.value.memoryKiB, p.memoryKiB, 'memory');
              assertEqual(params.value.iterations, p.iterations, 'iterations');
              assertEqual(params.value.parallelism, p.parallelism, 'parallelism');
            }
          }),
          o,
        );
      },
    },
    {
      name: 'passphrase objects: parameters beyond the Argon2id limits are refused before any work, without allocating',
      ciRuns: 300,
      weight: 1,
      run: (o) =>
        fc.assert(
          fc.asyncProperty(
            excessive,
            fc.boolean(),
            fc.uint8Array({ minLength: 97, maxLength: 97 }),
            async (p, privateKey, rest) => {
              const type = privateKey ? 0x4b : 0x50;
              const length = privateKey ? PASSPHRASE_PRIVATE_KEY_LENGTH : PASSPHRASE_ENVELOPE_LENGTH;
              const data = withParameters([0x41, 0x4d, 0x54, 0x42, type, 0x01], p, rest).subarray(0, length);
              const open = (): Promise<unknown> =>
                privateKey
                  ? unwrapPrivateKeyWithPassphrase(data, PASSPHRASE)
                  : unwrapFileKeyWithPassphrase(data, PASSPHRASE);
              const pending = open();
              assert(
                await settlesWithin(pending),
                'refused before any key derivation (within 10 microtasks)',
              );
              expectFailure(
                await outcome(() => pending),
                'ERR_CRYPTO_INVALID_PARAMETERS',
                'excessive parameters',
              );
              const bytes = await largestAllocation(open);
              assert(bytes <= 4 * length, `allocated ${bytes} bytes for a ${length}-byte object`);
              const read = passphraseParameters(data);
              if (
                read.memoryKiB !== p.memoryKiB ||
                read.iterations !== p.iterations ||
                read.parallelism !== p.parallelism
              ) {
                throw new AssertionError('passphraseParameters reads back what was written');
              }
            },
          ),
          o,
        ),
    },
  ];
}
