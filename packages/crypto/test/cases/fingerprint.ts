/**
 * Fingerprints and safety numbers: the committed vectors, negative inputs, and fast-check properties —
 * deterministic, another key or address gives another fingerprint, address normalisation holds, and the
 * format is always 12 groups of 5 digits.
 */
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/encoding.ts';
import { fingerprint, fingerprintDigest, fingerprintInput, safetyNumber } from '../../src/fingerprint.ts';
import { exportPublicKey, generateKeyPair, importPublicKey } from '../../src/keys.ts';
import { assert, assertEqual, assertRejects } from '../assert.ts';
import type { Register } from '../helpers.ts';
import type { FingerprintVectors } from '../vector-types.ts';
import vectorsJson from '../vectors/fingerprint.json' with { type: 'json' };

const vectors = vectorsJson as FingerprintVectors;
const FORMAT = /^\d{5}( \d{5}){11}$/;

interface PoolKey {
  readonly key: CryptoKey;
  readonly text: string;
}

/** A few key pairs, made once: key generation is the slow part of a property run. */
let pool: Promise<PoolKey[]> | undefined;
function keys(): Promise<PoolKey[]> {
  pool ??= Promise.all(
    Array.from({ length: 6 }, async () => {
      const { publicKey } = await generateKeyPair();
      return { key: publicKey, text: await exportPublicKey(publicKey) };
    }),
  );
  return pool;
}

function pick(pairs: readonly PoolKey[], i: number): PoolKey {
  const pair = pairs[i % pairs.length];
  assert(pair !== undefined, 'a key of the pool');
  return pair;
}

const localPart = fc.stringMatching(/^[a-z0-9._-]{1,20}$/);
const domain = fc.stringMatching(/^[a-z0-9-]{1,12}\.(de|org|example)$/);
const address = fc.tuple(localPart, domain).map(([l, d]) => `${l}@${d}`);
const whitespace = fc.constantFrom('', ' ', '  ', '\t', '\n', '\u00a0', ' \r\n');

/** Upper-cases the characters of `text` whose index bit is set in `mask`. */
function recase(text: string, mask: number): string {
  return text.replace(/[a-z]/g, (c: string, i: number) => ((mask >> (i % 31)) & 1 ? c.toUpperCase() : c));
}

export function registerFingerprints(test: Register): void {
  for (const [i, v] of vectors.fingerprints.entries()) {
    test(`fingerprint vector ${i}: ${JSON.stringify(v.address)}`, async () => {
      assertEqual(toHex(fingerprintInput(fromHex(v.publicKey), v.normalizedAddress)), v.input, 'input');
      assertEqual(toHex(await fingerprintDigest(v.publicKeyText, v.address)), v.digest, 'digest');
      assertEqual(await fingerprint(v.publicKeyText, v.address), v.fingerprint, 'from the text');
      const key = await importPublicKey(v.publicKeyText);
      assertEqual(await fingerprint(key, v.address), v.fingerprint, 'from the CryptoKey');
      assertEqual(
        await fingerprint(v.publicKeyText, v.normalizedAddress),
        v.fingerprint,
        'normalised address',
      );
    });
  }

  test('fingerprint vectors: safety numbers, the same from both sides', async () => {
    for (const v of vectors.safetyNumbers) {
      const a = { publicKey: v.a.publicKeyText, address: v.a.address };
      const b = { publicKey: v.b.publicKeyText, address: v.b.address };
      assertEqual(await safetyNumber(a, b), v.safetyNumber, 'a, b');
      assertEqual(await safetyNumber(b, a), v.safetyNumber, 'b, a');
      const [fa, fb] = [await fingerprint(a.publicKey, a.address), await fingerprint(b.publicKey, b.address)];
      assert(v.safetyNumber === `${fa} ${fb}` || v.safetyNumber === `${fb} ${fa}`, 'the two fingerprints');
    }
  });

  for (const v of vectors.negative) {
    test(`negative fingerprint vector "${v.name}": ${v.error}`, async () => {
      await assertRejects(() => fingerprint(v.publicKeyText, v.address), v.error, v.name);
    });
  }

  test('property: fingerprints are deterministic and always 12 groups of 5 digits', async () => {
    const pairs = await keys();
    await fc.assert(
      fc.asyncProperty(fc.nat(pairs.length - 1), address, async (k, addr) => {
        const { key, text } = pick(pairs, k);
        const once = await fingerprint(key, addr);
        assert(FORMAT.test(once), `format: ${once}`);
        assertEqual(await fingerprint(text, addr), once, 'text and CryptoKey agree');
        assertEqual(await fingerprint(key, addr), once, 'deterministic');
      }),
      { numRuns: 40 },
    );
  });

  test('property: another key or another address gives another fingerprint', async () => {
    const pairs = await keys();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(pairs.length - 1),
        fc.nat(pairs.length - 2),
        address,
        address,
        async (k, offset, a, b) => {
          const key = pick(pairs, k).text;
          const other = pick(pairs, k + 1 + offset).text;
          const mine = await fingerprint(key, a);
          assert(mine !== (await fingerprint(other, a)), 'another key');
          if (a !== b) assert(mine !== (await fingerprint(key, b)), 'another address');
        },
      ),
      { numRuns: 40 },
    );
  });

  test('property: an address in other capitals and with surrounding whitespace has the same fingerprint', async () => {
    const pairs = await keys();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(pairs.length - 1),
        address,
        fc.nat(),
        whitespace,
        whitespace,
        async (k, addr, mask, before, after) => {
          const key = pick(pairs, k).text;
          const typed = before + recase(addr, mask) + after;
          assertEqual(await fingerprint(key, typed), await fingerprint(key, addr), JSON.stringify(typed));
        },
      ),
      { numRuns: 40 },
    );
  });

  test('property: safety numbers are symmetric, 24 groups, and contain both fingerprints', async () => {
    const pairs = await keys();
    await fc.assert(
      fc.asyncProperty(
        fc.nat(pairs.length - 1),
        fc.nat(pairs.length - 1),
        address,
        address,
        async (i, j, a, b) => {
          const x = { publicKey: pick(pairs, i).text, address: a };
          const y = { publicKey: pick(pairs, j).key, address: b };
          const number = await safetyNumber(x, y);
          assertEqual(await safetyNumber(y, x), number, 'symmetric');
          assert(/^\d{5}( \d{5}){23}$/.test(number), 'format');
          const [fx, fy] = [await fingerprint(x.publicKey, a), await fingerprint(y.publicKey, b)];
          assertEqual(number, fx <= fy ? `${fx} ${fy}` : `${fy} ${fx}`, 'sorted fingerprints');
        },
      ),
      { numRuns: 30 },
    );
  });

  test('fingerprint api: a non-ECDH key is refused', async () => {
    const signing = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    await assertRejects(
      () => fingerprint(signing.publicKey, 'a@b.de'),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'ECDSA',
    );
    const { privateKey } = await generateKeyPair();
    await assertRejects(
      () => fingerprint(privateKey, 'a@b.de'),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'private key',
    );
  });
}
