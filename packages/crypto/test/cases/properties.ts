/**
 * fast-check properties: round trips across chunk boundaries with random slicing, every single-bit flip
 * and every truncation or extension detected, range arithmetic, recovery-code check symbols, base64url.
 */
import fc from 'fast-check';
import { fromBase64Url, toBase64Url } from '../../src/encoding.ts';
import { HEADER_LENGTH } from '../../src/header.ts';
import { chunkRange, ciphertextLength, plaintextLength } from '../../src/layout.ts';
import { generateRecoveryCodeWith, normalizeRecoveryCode } from '../../src/recovery.ts';
import { assert, assertBytes, assertCode, assertEqual, assertRejects } from '../assert.ts';
import {
  concatAll,
  fixedRandom,
  pipe,
  pseudoRandomBytes,
  randomSlices,
  webCryptoStreams,
  type Register,
  type StreamImplementation,
} from '../helpers.ts';
import type { CryptoErrorCode } from '../../src/errors.ts';

const fileKey = pseudoRandomBytes(32, 1);
const salt = pseudoRandomBytes(16, 2);
const chunkSizes = fc.constantFrom(64, 128, 256);

/** A small encrypted stream with its plaintext, for mutation properties. */
async function sample(
  impl: StreamImplementation,
  size: number,
  chunkSize: number,
): Promise<{ plaintext: Uint8Array; ciphertext: Uint8Array }> {
  const plaintext = pseudoRandomBytes(size, size + 7);
  const ciphertext = await impl.encryptBytesWith(fileKey, plaintext, { chunkSize }, fixedRandom(salt));
  return { plaintext, ciphertext };
}

/** The code a corrupted header byte yields: structure first, then authentication. */
function expectedCode(data: Uint8Array): CryptoErrorCode {
  if (data.length < HEADER_LENGTH) return 'ERR_CRYPTO_INVALID_FORMAT';
  const magic =
    data[0] === 0x41 && data[1] === 0x4d && data[2] === 0x54 && data[3] === 0x42 && data[4] === 0x53;
  if (!magic) return 'ERR_CRYPTO_INVALID_FORMAT';
  if (data[5] !== 1) return 'ERR_CRYPTO_UNSUPPORTED_VERSION';
  const log2 = data[6] ?? 0;
  if (log2 < 6 || log2 > 24) return 'ERR_CRYPTO_INVALID_FORMAT';
  return 'ERR_CRYPTO_DECRYPTION_FAILED';
}

async function checkFails(
  { decryptBytes, decryptStream }: StreamImplementation,
  data: Uint8Array,
  plaintext: Uint8Array,
  chunkSize: number,
  seed: number,
): Promise<void> {
  const code = expectedCode(data);
  await assertRejects(() => decryptBytes(fileKey, data), code, 'decryptBytes');
  const dec = await pipe(decryptStream(fileKey), randomSlices(data, seed, 3 * chunkSize));
  assertCode(dec.error, code, 'decryptStream');
  assertEqual(dec.output.length % chunkSize, 0, 'only whole chunks released');
  assertBytes(dec.output, plaintext.subarray(0, dec.output.length), 'released plaintext is authentic');
}

/** The properties of the stream functions, for one implementation of them. */
export function registerStreamProperties(
  register: Register,
  impl: StreamImplementation = webCryptoStreams,
): void {
  const { decryptBytes, decryptStream, encryptStreamWith, openStream } = impl;
  const test: Register = (name, fn) => register(impl.prefix + name, fn);
  test('property: streams round-trip at any size and slicing, with the same bytes as encryptBytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(5 * 256 + 3), chunkSizes, fc.integer(), async (size, chunkSize, seed) => {
        const { plaintext, ciphertext } = await sample(impl, size, chunkSize);
        const enc = await pipe(
          encryptStreamWith(fileKey, { chunkSize }, fixedRandom(salt)),
          randomSlices(plaintext, seed, 2 * chunkSize + 1),
        );
        assertEqual(enc.error, undefined, 'encrypt');
        assertBytes(enc.output, ciphertext, 'stream and buffer agree');
        assertEqual(ciphertext.length, ciphertextLength(size, chunkSize), 'ciphertextLength');
        const dec = await pipe(
          decryptStream(fileKey),
          randomSlices(ciphertext, seed + 1, 2 * chunkSize + 33),
        );
        assertEqual(dec.error, undefined, 'decrypt');
        assertBytes(dec.output, plaintext, 'round trip');
        assertBytes(await decryptBytes(fileKey, ciphertext), plaintext, 'decryptBytes');
      }),
      { numRuns: 60 },
    );
  });

  test('property: every single-bit flip is detected, and nothing unauthenticated is released', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(3 * 64 + 20),
        fc.nat(),
        fc.nat(7),
        fc.integer(),
        async (size, at, bit, seed) => {
          const { plaintext, ciphertext } = await sample(impl, size, 64);
          const data = ciphertext.slice();
          const i = at % data.length;
          data[i] = (data[i] ?? 0) ^ (1 << bit);
          await checkFails(impl, data, plaintext, 64, seed);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('property: every truncation and every extension is detected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(3 * 64 + 20),
        fc.nat(),
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.integer(),
        async (size, cut, extra, seed) => {
          const { plaintext, ciphertext } = await sample(impl, size, 64);
          await checkFails(impl, ciphertext.subarray(0, cut % ciphertext.length), plaintext, 64, seed);
          await checkFails(impl, concatAll([ciphertext, extra]), plaintext, 64, seed);
        },
      ),
      { numRuns: 80 },
    );
  });

  test('property: chunkRange finds the chunks holding any byte range', async () => {
    const { plaintext, ciphertext } = await sample(impl, 1000, 64);
    const reader = await openStream(fileKey, ciphertext.subarray(0, HEADER_LENGTH));
    await fc.assert(
      fc.asyncProperty(fc.nat(999), fc.nat(999), async (a, b) => {
        const [start, end] = [Math.min(a, b), Math.max(a, b) + 1];
        const range = chunkRange(start, end, plaintext.length, 64);
        const parts: Uint8Array[] = [];
        for (let i = range.firstChunk; i <= range.lastChunk; i++) {
          const at = range.ciphertextStart + (i - range.firstChunk) * 80;
          parts.push(
            await reader.decryptChunk(i, ciphertext.subarray(at, Math.min(at + 80, range.ciphertextEnd))),
          );
        }
        const got = concatAll(parts).subarray(range.skip, range.skip + range.length);
        assertBytes(got, plaintext.subarray(start, end), `range ${start}-${end}`);
      }),
      { numRuns: 60 },
    );
  });
}

export function registerProperties(test: Register): void {
  registerStreamProperties(test);

  test('property: ciphertext and plaintext lengths are inverse; impossible lengths are refused', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 40), fc.integer({ min: 6, max: 24 }), (n, log2) => {
        const chunkSize = 2 ** log2;
        const c = ciphertextLength(n, chunkSize);
        assertEqual(plaintextLength(c, chunkSize), n, 'inverse');
        const stride = chunkSize + 16;
        const impossible = HEADER_LENGTH + Math.floor((c - HEADER_LENGTH) / stride) * stride + (n % 16);
        let threw = false;
        try {
          plaintextLength(impossible, chunkSize);
        } catch (error) {
          assertCode(error, 'ERR_CRYPTO_INVALID_FORMAT', 'impossible length');
          threw = true;
        }
        assert(threw, `length ${impossible} is impossible`);
      }),
    );
    return Promise.resolve();
  });

  test('property: recovery codes catch every mistyped symbol and every swap of neighbours', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 17, maxLength: 17 }),
        fc.nat(27),
        fc.nat(30),
        (raw, pos, shift) => {
          const code = generateRecoveryCodeWith(fixedRandom(raw));
          assertEqual(normalizeRecoveryCode(code.toLowerCase()), code, 'normalizes');
          const symbols = code.replace(/-/g, '').split('');
          const typo = [...symbols];
          typo[pos] = alphabet.charAt((alphabet.indexOf(symbols[pos] ?? '0') + 1 + shift) % 32);
          const swapped = [...symbols];
          const q = Math.min(pos, 26);
          [swapped[q], swapped[q + 1]] = [symbols[q + 1] ?? '', symbols[q] ?? ''];
          for (const bad of [typo, swapped]) {
            if (bad.join('') === symbols.join('')) continue;
            let threw = false;
            try {
              normalizeRecoveryCode(bad.join(''));
            } catch (error) {
              assertCode(error, 'ERR_CRYPTO_INVALID_FORMAT', 'typo');
              threw = true;
            }
            assert(threw, `${bad.join('')} must be rejected`);
          }
        },
      ),
      { numRuns: 300 },
    );
    return Promise.resolve();
  });

  test('property: base64url round-trips and decodes only canonical text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (data) => {
        const text = toBase64Url(data);
        assert(/^[A-Za-z0-9_-]*$/.test(text), 'alphabet');
        assertBytes(fromBase64Url(text), data, 'round trip');
        if (text.length % 4 !== 0) {
          // Changing the unused low bits of the last symbol must be refused.
          const last = text.charCodeAt(text.length - 1);
          const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
          const sibling = alphabet.charAt(alphabet.indexOf(String.fromCharCode(last)) ^ 1);
          let threw = false;
          try {
            fromBase64Url(text.slice(0, -1) + sibling);
          } catch {
            threw = true;
          }
          assert(threw, 'non-canonical trailing bits refused');
        }
      }),
    );
    return Promise.resolve();
  });
}
