/**
 * The committed stream vectors: each positive vector re-encrypts to the same bytes and decrypts whole,
 * in random slices, byte by byte and chunk by chunk; each negative vector fails the same way on every path
 * without releasing unauthenticated plaintext.
 */
import { fromHex } from '../../src/encoding.ts';
import { HEADER_LENGTH, parseHeader, TAG_LENGTH } from '../../src/header.ts';
import { chunkRange, ciphertextLength, plaintextLength } from '../../src/layout.ts';
import { assert, assertBytes, assertCode, assertEqual, assertRejects } from '../assert.ts';
import {
  concatAll,
  fixedRandom,
  pipe,
  slicings,
  webCryptoStreams,
  type Register,
  type StreamImplementation,
} from '../helpers.ts';
import type { StreamVectors } from '../vector-types.ts';
import vectorsJson from '../vectors/stream.json' with { type: 'json' };

const vectors = vectorsJson as StreamVectors;

export function registerStreamVectors(
  register: Register,
  impl: StreamImplementation = webCryptoStreams,
): void {
  const { decryptBytes, decryptStream, encryptBytesWith, encryptStreamWith, openStream } = impl;
  const test: Register = (name, fn) => register(impl.prefix + name, fn);
  vectors.positive.forEach((v, n) => {
    const fileKey = fromHex(v.fileKey);
    const plaintext = fromHex(v.plaintext);
    const ciphertext = fromHex(v.ciphertext);
    const salt = fromHex(v.salt);

    test(`stream vector "${v.name}": encryptBytes reproduces it, decryptBytes reverses it`, async () => {
      const encrypted = await encryptBytesWith(
        fileKey,
        plaintext,
        { chunkSize: v.chunkSize },
        fixedRandom(salt),
      );
      assertBytes(encrypted, ciphertext, 'ciphertext');
      assertBytes(await decryptBytes(fileKey, ciphertext), plaintext, 'plaintext');
      assertEqual(ciphertextLength(plaintext.length, v.chunkSize), ciphertext.length, 'ciphertextLength');
      assertEqual(plaintextLength(ciphertext.length, v.chunkSize), plaintext.length, 'plaintextLength');
      assertEqual(parseHeader(ciphertext).chunkSize, v.chunkSize, 'parseHeader chunk size');
    });

    test(`stream vector "${v.name}": streams whole, in random slices and byte by byte`, async () => {
      for (const [how, slices] of slicings(plaintext, 1000 + n, v.chunkSize)) {
        const enc = await pipe(
          encryptStreamWith(fileKey, { chunkSize: v.chunkSize }, fixedRandom(salt)),
          slices,
        );
        assertEqual(enc.error, undefined, `encrypt ${how}`);
        assertBytes(enc.output, ciphertext, `encrypt ${how}`);
      }
      for (const [how, slices] of slicings(ciphertext, 2000 + n, v.chunkSize)) {
        const dec = await pipe(decryptStream(fileKey), slices);
        assertEqual(dec.error, undefined, `decrypt ${how}`);
        assertBytes(dec.output, plaintext, `decrypt ${how}`);
      }
    });

    test(`stream vector "${v.name}": random access by chunk and resumption`, async () => {
      const header = ciphertext.subarray(0, HEADER_LENGTH);
      const reader = await openStream(fileKey, header);
      const stride = v.chunkSize + TAG_LENGTH;
      const count = Math.floor(plaintext.length / v.chunkSize) + 1;
      for (let i = count - 1; i >= 0; i--) {
        const start = HEADER_LENGTH + i * stride;
        const chunk = await reader.decryptChunk(i, ciphertext.subarray(start, start + stride));
        assertBytes(chunk, plaintext.subarray(i * v.chunkSize, (i + 1) * v.chunkSize), `chunk ${i}`);
        await assertRejects(
          () => reader.decryptChunk(i + 1, ciphertext.subarray(start, start + stride)),
          'ERR_CRYPTO_DECRYPTION_FAILED',
          `chunk ${i} as chunk ${i + 1}`,
        );
      }
      for (let first = 0; first < count; first++) {
        const rest = ciphertext.subarray(HEADER_LENGTH + first * stride);
        const dec = await pipe(decryptStream(fileKey, { header, firstChunk: first }), [rest]);
        assertEqual(dec.error, undefined, `resume at chunk ${first}`);
        assertBytes(dec.output, plaintext.subarray(first * v.chunkSize), `resume at chunk ${first}`);
      }
      if (plaintext.length > 0) {
        const start = Math.floor(plaintext.length / 3);
        const end = Math.max(start + 1, plaintext.length - 1);
        const range = chunkRange(start, end, plaintext.length, v.chunkSize);
        const parts: Uint8Array[] = [];
        for (let i = range.firstChunk; i <= range.lastChunk; i++) {
          const at = range.ciphertextStart + (i - range.firstChunk) * stride;
          parts.push(
            await reader.decryptChunk(i, ciphertext.subarray(at, Math.min(at + stride, range.ciphertextEnd))),
          );
        }
        const joined = concatAll(parts);
        assertBytes(
          joined.subarray(range.skip, range.skip + range.length),
          plaintext.subarray(start, end),
          'range',
        );
      }
    });
  });

  const byName = new Map(vectors.positive.map((v) => [v.name, v]));
  vectors.negative.forEach((v, n) => {
    test(`negative stream vector "${v.name}": ${v.error} on every path`, async () => {
      const fileKey = fromHex(v.fileKey);
      const ciphertext = fromHex(v.ciphertext);
      const original = byName.get(v.derivedFrom);
      assert(original !== undefined, 'derivedFrom names a positive vector');
      const originalPlaintext = fromHex(original.plaintext);
      await assertRejects(() => decryptBytes(fileKey, ciphertext), v.error, 'decryptBytes');
      for (const [how, slices] of slicings(ciphertext, 3000 + n, original.chunkSize)) {
        const dec = await pipe(decryptStream(fileKey), slices);
        assertCode(dec.error, v.error, `decryptStream ${how}`);
        // Whatever came out before the error is authentic: whole chunks of the original plaintext.
        assertEqual(dec.output.length % original.chunkSize, 0, `${how}: only whole chunks released`);
        assertBytes(
          dec.output,
          originalPlaintext.subarray(0, dec.output.length),
          `${how}: released plaintext`,
        );
      }
    });
  });
}
