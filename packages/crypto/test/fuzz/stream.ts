/**
 * Fuzz cases of the stream format's readers (parseHeader, identify, decryptBytes, decryptStream,
 * openStream/decryptChunk), run against every implementation given (WebCrypto and node:crypto), which
 * must also agree with each other on every input.
 */
import fc from 'fast-check';
import type { CryptoErrorCode } from '../../src/errors.ts';
import { identify } from '../../src/format.ts';
import { HEADER_LENGTH, parseHeader, TAG_LENGTH } from '../../src/header.ts';
import { chunkRange, plaintextLength } from '../../src/layout.ts';
import { AssertionError, assert, assertBytes, assertEqual } from '../assert.ts';
import {
  concatAll,
  fixedRandom,
  pipe,
  pseudoRandomBytes,
  randomSlices,
  type StreamImplementation,
} from '../helpers.ts';
import { applyChunkOp, arbitraryStreams, chunkOp } from './stream-inputs.ts';
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
  viewOffset,
  type FuzzCase,
} from './harness.ts';

const fileKey = pseudoRandomBytes(32, 11);
const STRUCTURE: readonly CryptoErrorCode[] = ['ERR_CRYPTO_INVALID_FORMAT', 'ERR_CRYPTO_UNSUPPORTED_VERSION'];
const READ_ERRORS: readonly CryptoErrorCode[] = [...STRUCTURE, 'ERR_CRYPTO_DECRYPTION_FAILED'];
const chunkSizes = fc.constantFrom(64, 128);
const salt = fc.uint8Array({ minLength: 16, maxLength: 16 });
const plaintexts = fc.integer({ min: 0, max: 420 }).map((n) => pseudoRandomBytes(n, n + 3));

function encrypt(impl: StreamImplementation, plaintext: Uint8Array, chunkSize: number, s: Uint8Array) {
  return impl.encryptBytesWith(fileKey, plaintext, { chunkSize }, fixedRandom(s));
}

/** Structure first, then authentication: what any reader must fail with on `data` under a wrong MAC. */
function expectedCode(data: Uint8Array): CryptoErrorCode {
  return (
    failureCode(
      outcomeSync(() => parseHeader(data)),
      STRUCTURE,
      'parseHeader',
    ) ?? 'ERR_CRYPTO_DECRYPTION_FAILED'
  );
}

/**
 * Reads `data` with every reader of `impl` and checks each refuses it with `code`; the stream may have
 * released only whole chunks that are a prefix of `plaintext` (nothing when `plaintext` is undefined).
 */
async function expectRefused(
  impl: StreamImplementation,
  data: Uint8Array,
  code: CryptoErrorCode,
  plaintext: Uint8Array | undefined,
  chunkSize: number,
  seed: number,
): Promise<void> {
  const what = impl.prefix || 'webcrypto: ';
  expectFailure(await outcome(() => impl.decryptBytes(fileKey, data)), code, `${what}decryptBytes`);
  const dec = await pipe(impl.decryptStream(fileKey), randomSlices(data, seed, 3 * chunkSize));
  if (dec.error === undefined) throw new AssertionError(`${what}decryptStream accepted, expected ${code}`);
  expectFailure({ ok: false, error: dec.error }, code, `${what}decryptStream`);
  const released = plaintext ?? new Uint8Array(0);
  assertEqual(dec.output.length % chunkSize, 0, `${what}only whole chunks released`);
  assertBytes(dec.output, released.subarray(0, dec.output.length), `${what}released plaintext is authentic`);
}

/** Random access: each piece of the body either opens to the original chunk `i` or fails. */
async function checkRandomAccess(
  impl: StreamImplementation,
  data: Uint8Array,
  plaintext: Uint8Array,
  chunkSize: number,
): Promise<void> {
  const opened = await outcome(() => impl.openStream(fileKey, data.subarray(0, HEADER_LENGTH)));
  const code = failureCode(opened, READ_ERRORS, 'openStream');
  if (!opened.ok) {
    assertEqual(code, expectedCode(data.subarray(0, HEADER_LENGTH)), 'openStream code');
    return;
  }
  const stride = chunkSize + TAG_LENGTH;
  for (let i = 0, at = HEADER_LENGTH; at < data.length || i === 0; i++, at += stride) {
    const piece = data.subarray(at, at + stride);
    const got = await outcome(() => opened.value.decryptChunk(i, piece));
    if (failureCode(got, ['ERR_CRYPTO_DECRYPTION_FAILED'], `decryptChunk ${i}`) !== undefined) continue;
    if (!got.ok) continue;
    const original = plaintext.subarray(i * chunkSize, (i + 1) * chunkSize);
    assertBytes(got.value, original, `chunk ${i} opened to other plaintext`);
  }
}

/** The stream cases, against `impls` (the first is the reference the others must agree with). */
export function streamCases(impls: readonly StreamImplementation[]): FuzzCase[] {
  const [reference] = impls;
  if (reference === undefined) throw new Error('no stream implementation');
  let header: Promise<Uint8Array> | undefined;
  const realHeader = async (): Promise<Uint8Array> => {
    header ??= encrypt(reference, new Uint8Array(0), 64, new Uint8Array(16)).then((c) =>
      c.slice(0, HEADER_LENGTH),
    );
    return header;
  };

  return [
    {
      name: 'stream: parseHeader and identify take any bytes; only InvalidFormat or UnsupportedVersion',
      ciRuns: 1000,
      weight: 1,
      run: async (o) => {
        fc.assert(
          fc.property(
            fc.uint8Array({ maxLength: 80, size: 'max' }),
            fc.integer({ min: 0, max: 255 }),
            fc.boolean(),
            viewOffset,
            (raw, log2, prefixed, offset) => {
              const data = asView(
                prefixed ? concatAll([Uint8Array.of(0x41, 0x4d, 0x54, 0x42, 0x53, 0x01, log2), raw]) : raw,
                offset,
              );
              const parsed = outcomeSync(() => parseHeader(data));
              if (parsed.ok) {
                assert(data.length >= HEADER_LENGTH, 'a parsed header has 55 bytes');
                assertBytes(parsed.value.bytes, data.subarray(0, HEADER_LENGTH), 'header bytes');
                assertEqual(parsed.value.chunkSize, 2 ** (data[6] ?? 0), 'chunk size');
                assert(parsed.value.chunkSize >= 64 && parsed.value.chunkSize <= 2 ** 24, 'legal chunk size');
              } else failureCode(parsed, STRUCTURE, 'parseHeader');
              const kind = outcomeSync(() => identify(data));
              if (parsed.ok) assert(kind.ok && kind.value === 'stream', 'identify agrees with parseHeader');
              else failureCode(kind, STRUCTURE, 'identify');
            },
          ),
          o,
        );
      },
    },
    {
      name: 'stream: every reader refuses arbitrary bytes with the code parseHeader predicts, releasing nothing',
      ciRuns: 150,
      weight: 0.3,
      run: async (o) => {
        const h = await realHeader();
        await fc.assert(
          fc.asyncProperty(arbitraryStreams(h), fc.integer(), viewOffset, async (raw, seed, offset) => {
            const data = asView(raw, offset);
            const code = expectedCode(data);
            for (const impl of impls) {
              await expectRefused(impl, data, code, undefined, 64, seed);
              await checkRandomAccess(impl, data, new Uint8Array(0), 64);
            }
          }),
          o,
        );
      },
    },
    {
      name: 'stream: mutated streams (flips, edits, truncation, extension, deletion, duplication) are refused',
      ciRuns: 200,
      weight: 0.3,
      run: (o) =>
        fc.assert(
          fc.asyncProperty(
            plaintexts,
            chunkSizes,
            salt,
            mutations,
            fc.integer(),
            async (plaintext, chunkSize, s, ms, seed) => {
              const original = await encrypt(reference, plaintext, chunkSize, s);
              const data = applyMutations(original, ms);
              fc.pre(!equalBytes(data, original));
              for (const impl of impls) {
                await expectRefused(impl, data, expectedCode(data), plaintext, chunkSize, seed);
                await checkRandomAccess(impl, data, plaintext, chunkSize);
              }
            },
          ),
          o,
        ),
    },
    {
      name: 'stream: chunks reordered, duplicated, dropped, spliced or appended from a twin stream, or its header swapped in, are refused',
      ciRuns: 150,
      weight: 0.3,
      run: (o) =>
        fc.assert(
          fc.asyncProperty(
            plaintexts,
            chunkSizes,
            salt,
            salt,
            chunkOp,
            fc.integer(),
            async (plaintext, chunkSize, sa, sb, op, seed) => {
              fc.pre(!equalBytes(sa, sb));
              const a = await encrypt(reference, plaintext, chunkSize, sa);
              const b = await encrypt(reference, plaintext, chunkSize, sb);
              const data = applyChunkOp(a, b, chunkSize, op);
              fc.pre(!equalBytes(data, a));
              for (const impl of impls) {
                await expectRefused(impl, data, 'ERR_CRYPTO_DECRYPTION_FAILED', plaintext, chunkSize, seed);
                await checkRandomAccess(impl, data, plaintext, chunkSize);
              }
            },
          ),
          o,
        ),
    },
    {
      name: 'stream: round trips between implementations, in any slicing, resumed from any chunk and by range',
      ciRuns: 60,
      weight: 0.1,
      run: (o) =>
        fc.assert(
          fc.asyncProperty(
            plaintexts,
            chunkSizes,
            salt,
            fc.integer(),
            fc.nat(),
            fc.nat(),
            async (plaintext, chunkSize, s, seed, a, b) => {
              for (const from of impls) {
                const enc = await pipe(
                  from.encryptStreamWith(fileKey, { chunkSize }, fixedRandom(s)),
                  randomSlices(plaintext, seed, 2 * chunkSize + 1),
                );
                assertEqual(enc.error, undefined, 'encrypt');
                assertBytes(
                  enc.output,
                  await encrypt(reference, plaintext, chunkSize, s),
                  'every implementation writes the same bytes',
                );
                const data = enc.output;
                assertEqual(plaintextLength(data.length, chunkSize), plaintext.length, 'plaintextLength');
                const header = data.subarray(0, HEADER_LENGTH);
                for (const to of impls) {
                  assertBytes(await to.decryptBytes(fileKey, data), plaintext, 'decryptBytes');
                  const dec = await pipe(
                    to.decryptStream(fileKey),
                    randomSlices(data, seed + 1, 2 * chunkSize + 33),
                  );
                  assertEqual(dec.error, undefined, 'decryptStream');
                  assertBytes(dec.output, plaintext, 'decryptStream round trip');
                  const first = a % (Math.floor(plaintext.length / chunkSize) + 1);
                  const from0 = HEADER_LENGTH + first * (chunkSize + TAG_LENGTH);
                  const resumed = await pipe(
                    to.decryptStream(fileKey, { header, firstChunk: first }),
                    randomSlices(data.subarray(from0), seed + 2, chunkSize),
                  );
                  assertEqual(resumed.error, undefined, 'resumed');
                  assertBytes(resumed.output, plaintext.subarray(first * chunkSize), 'resumed round trip');
                  if (plaintext.length > 0) {
                    const [lo, hi] = [a % plaintext.length, b % plaintext.length].sort((x, y) => x - y) as [
                      number,
                      number,
                    ];
                    const range = chunkRange(lo, hi + 1, plaintext.length, chunkSize);
                    const reader = await to.openStream(fileKey, header);
                    const parts: Uint8Array[] = [];
                    for (
                      let i = range.firstChunk, at = range.ciphertextStart;
                      i <= range.lastChunk;
                      i++, at += chunkSize + TAG_LENGTH
                    ) {
                      parts.push(
                        await reader.decryptChunk(
                          i,
                          data.subarray(at, Math.min(at + chunkSize + TAG_LENGTH, range.ciphertextEnd)),
                        ),
                      );
                    }
                    const got = concatAll(parts).subarray(range.skip, range.skip + range.length);
                    assertBytes(got, plaintext.subarray(lo, hi + 1), 'range');
                  }
                }
              }
            },
          ),
          o,
        ),
    },
    {
      name: 'stream: a header declaring a huge chunk size on a small input is refused without allocating a chunk or decrypting',
      ciRuns: 100,
      weight: 0.3,
      run: (o) =>
        fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 20, max: 255 }),
            fc.uint8Array({ minLength: 48, maxLength: 48 }),
            fc.uint8Array({ maxLength: 100, size: 'max' }),
            fc.integer(),
            async (log2, rest, body, seed) => {
              const data = concatAll([Uint8Array.of(0x41, 0x4d, 0x54, 0x42, 0x53, 0x01, log2), rest, body]);
              const code: CryptoErrorCode =
                log2 > 24 ? 'ERR_CRYPTO_INVALID_FORMAT' : 'ERR_CRYPTO_DECRYPTION_FAILED';
              const bound = data.length + 64;
              assert(
                (await largestAllocation(() => parseHeader(data))) <= bound,
                'parseHeader allocates little',
              );
              for (const impl of impls) {
                await expectRefused(impl, data, code, undefined, 64, seed);
                const bytes = await largestAllocation(() => impl.decryptBytes(fileKey, data));
                assert(bytes <= bound, `decryptBytes allocated ${bytes} bytes for ${data.length}`);
                const streamed = await largestAllocation(() =>
                  pipe(impl.decryptStream(fileKey), randomSlices(data, seed, 50)),
                );
                assert(streamed <= bound, `decryptStream allocated ${streamed} bytes for ${data.length}`);
              }
              const decrypts = await countSubtleCalls('decrypt', () => reference.decryptBytes(fileKey, data));
              assertEqual(decrypts, 0, 'no chunk is decrypted under an unauthenticated header');
            },
          ),
          o,
        ),
    },
    {
      name: 'stream: work is linear: at most one AES-GCM call per chunk-sized piece of input',
      ciRuns: 80,
      weight: 0.3,
      run: async (o) => {
        const h = await realHeader();
        await fc.assert(
          fc.asyncProperty(fc.uint8Array({ maxLength: 700, size: 'max' }), async (body) => {
            const data = concatAll([h, body]);
            const bound = Math.floor(body.length / (64 + TAG_LENGTH)) + 1;
            const calls = await countSubtleCalls('decrypt', () =>
              pipe(reference.decryptStream(fileKey), [data]),
            );
            assert(calls <= bound, `decryptStream made ${calls} AES-GCM calls for ${bound} chunks`);
            const whole = await countSubtleCalls('decrypt', () => reference.decryptBytes(fileKey, data));
            assert(whole <= bound, `decryptBytes made ${whole} AES-GCM calls for ${bound} chunks`);
          }),
          o,
        );
      },
    },
  ];
}
