/**
 * Fuzz cases of the key encodings: base64url, SEC 1 compressed points (checked against WebCrypto's own
 * decoder), public-key texts `amtb-pub1-…` and log-key texts `amtb-logkey1-…`.
 */
import fc from 'fast-check';
import { fromBase64Url, toBase64Url } from '../../src/encoding.ts';
import type { CryptoErrorCode } from '../../src/errors.ts';
import {
  compressPoint,
  decompressPoint,
  exportPublicKey,
  importPublicKey,
  publicKeyTextBytes,
} from '../../src/keys.ts';
import { exportLogPublicKey, importLogPublicKey } from '../../src/log/log-key.ts';
import { assert, assertBytes, assertEqual } from '../assert.ts';
import { keyPool } from './fixtures.ts';
import { applyMutations, failureCode, mutations, outcome, outcomeSync, type FuzzCase } from './harness.ts';

const TEXT_ERRORS: readonly CryptoErrorCode[] = [
  'ERR_CRYPTO_INVALID_FORMAT',
  'ERR_CRYPTO_UNSUPPORTED_VERSION',
];
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** base64url-ish text: the alphabet, its neighbours (`+/=`, whitespace), and anything at all. */
const b64ish = fc.oneof(
  fc.string({ unit: fc.constantFrom(...Array.from(B64)), maxLength: 60, size: 'max' }),
  fc.string({
    unit: fc.constantFrom(...Array.from(B64), '=', '+', '/', ' ', '\n', '.', '\u00e9'),
    maxLength: 60,
  }),
  fc.string({ unit: 'binary', maxLength: 60, size: 'max' }),
);

/** Text mutations of a valid key text, as bytes of its UTF-16 code units (then back to a string). */
function mutateText(text: string, ms: Parameters<typeof applyMutations>[1]): string {
  const units = new Uint8Array(Array.from(text).map((c) => c.charCodeAt(0) & 0xff));
  return String.fromCharCode(...applyMutations(units, ms));
}

/** Surrounding whitespace (accepted), version changes, prefix look-alikes, or a text mutation. */
function variants(text: string, prefix: string): fc.Arbitrary<string> {
  const body = text.slice(prefix.length);
  return fc.oneof(
    fc
      .tuple(fc.constantFrom('', ' ', '\n', '\t', '\u00a0', '\ufeff'), fc.constantFrom('', ' ', '\r\n'))
      .map(([a, b]) => a + text + b),
    fc.constantFrom('0', '2', '10', '01', '', 'x').map((v) => prefix.replace('1-', `${v}-`) + body),
    fc
      .constantFrom(prefix.toUpperCase(), prefix.slice(0, -1), `${prefix}-`, prefix.replace('-', '_'))
      .map((p) => p + body),
    mutations.map((ms) => mutateText(text, ms)),
    fc.string({ unit: 'binary', maxLength: 70, size: 'max' }),
    fc
      .string({ unit: fc.constantFrom(...Array.from(B64)), minLength: 40, maxLength: 48 })
      .map((b) => prefix + b),
  );
}

export function keyCases(): FuzzCase[] {
  return [
    {
      name: 'base64url: any text decodes only when canonical; encoding round-trips',
      ciRuns: 1000,
      weight: 1,
      run: async (o) => {
        fc.assert(
          fc.property(b64ish, fc.uint8Array({ maxLength: 50, size: 'max' }), (text, data) => {
            const got = outcomeSync(() => fromBase64Url(text));
            if (failureCode(got, ['ERR_CRYPTO_INVALID_FORMAT'], 'fromBase64Url') === undefined && got.ok) {
              assertEqual(toBase64Url(got.value), text, 'only the canonical text of some bytes decodes');
              assertEqual(got.value.length, Math.floor((text.length * 3) / 4), 'length');
            }
            assertBytes(fromBase64Url(toBase64Url(data)), data, 'round trip');
          }),
          o,
        );
      },
    },
    {
      name: 'compressed points: decompressPoint accepts exactly what WebCrypto imports, and compresses back',
      ciRuns: 500,
      weight: 0.5,
      run: (o) =>
        fc.assert(
          fc.asyncProperty(
            fc.constantFrom(0x02, 0x03, 0x04, 0x00, 0x06),
            fc.uint8Array({ minLength: 32, maxLength: 32 }),
            fc.boolean(),
            async (prefix, x, edge) => {
              if (edge) x.fill(0xff, 0, 28); // x near or above the field prime
              const compressed = Uint8Array.of(prefix, ...x);
              const point = decompressPoint(compressed);
              const imported = await outcome(() =>
                crypto.subtle.importKey('raw', compressed, ECDH, true, []),
              );
              assertEqual(point !== undefined, imported.ok, 'agrees with WebCrypto on validity');
              if (point !== undefined && imported.ok) {
                assertBytes(
                  point,
                  new Uint8Array(await crypto.subtle.exportKey('raw', imported.value)),
                  'same point',
                );
                assertBytes(compressPoint(point), compressed, 'compresses back');
              }
            },
          ),
          o,
        ),
    },
    {
      name: 'public key text: arbitrary and mutated texts give only InvalidFormat/UnsupportedVersion; accepted ones are canonical',
      ciRuns: 500,
      weight: 0.5,
      run: async (o) => {
        const keys = await keyPool();
        const texts = fc.oneof(...keys.map((k) => variants(k.text, 'amtb-pub1-')));
        await fc.assert(
          fc.asyncProperty(texts, async (text) => {
            const raw = outcomeSync(() => publicKeyTextBytes(text));
            const rawCode = failureCode(raw, TEXT_ERRORS, 'publicKeyTextBytes');
            const key = await outcome(() => importPublicKey(text));
            assertEqual(failureCode(key, TEXT_ERRORS, 'importPublicKey'), rawCode, 'importPublicKey agrees');
            if (raw.ok && key.ok) {
              const canonical = await exportPublicKey(key.value);
              assertEqual(canonical, text.trim(), 'an accepted text is the canonical text of its key');
              assertBytes(raw.value, fromBase64Url(canonical.slice('amtb-pub1-'.length)), 'same point');
            }
          }),
          o,
        );
      },
    },
    {
      name: 'log key text: arbitrary and mutated texts give only InvalidFormat/UnsupportedVersion; accepted ones are canonical',
      ciRuns: 300,
      weight: 0.5,
      run: async (o) => {
        const [key] = await keyPool();
        const point = key === undefined ? undefined : decompressPoint(key.compressed);
        assert(point !== undefined, 'a pool key');
        const pair = await crypto.subtle.importKey(
          'raw',
          point,
          { name: 'ECDSA', namedCurve: 'P-256' },
          true,
          ['verify'],
        );
        const text = await exportLogPublicKey(pair);
        assert(text.startsWith('amtb-logkey1-'), 'log key text');
        await fc.assert(
          fc.asyncProperty(variants(text, 'amtb-logkey1-'), async (input) => {
            const got = await outcome(() => importLogPublicKey(input));
            if (failureCode(got, TEXT_ERRORS, 'importLogPublicKey') === undefined && got.ok) {
              assertEqual(await exportLogPublicKey(got.value), input.trim(), 'canonical');
            }
          }),
          o,
        );
      },
    },
  ];
}
