/**
 * Fuzz cases of the wrapped private keys (`K` under a passphrase, `R` under a recovery code) and of the
 * recovery code parser itself.
 */
import fc from 'fast-check';
import type { CryptoErrorCode } from '../../src/errors.ts';
import { checkPrefix, type ObjectKind } from '../../src/format.ts';
import { checkUnwrapParameters, type Argon2Parameters } from '../../src/passphrase.ts';
import { readUint32 } from '../../src/encoding.ts';
import { compressPoint } from '../../src/keys.ts';
import {
  PASSPHRASE_PRIVATE_KEY_LENGTH,
  RECOVERY_PRIVATE_KEY_LENGTH,
  unwrapPrivateKeyWithPassphrase,
  unwrapPrivateKeyWithRecoveryCode,
  wrapPrivateKeyWithPassphraseWith,
  wrapPrivateKeyWithRecoveryCodeWith,
} from '../../src/privatekey.ts';
import { generateRecoveryCodeWith, isRecoveryCode, normalizeRecoveryCode } from '../../src/recovery.ts';
import { assert, assertBytes, assertEqual } from '../assert.ts';
import { fixedRandom } from '../helpers.ts';
import { keyPool, poolKey } from './fixtures.ts';
import {
  applyMutations,
  asView,
  equalBytes,
  expectFailure,
  failureCode,
  mutations,
  outcome,
  outcomeSync,
  viewOffset,
  type FuzzCase,
} from './harness.ts';

const STRUCTURE: readonly CryptoErrorCode[] = ['ERR_CRYPTO_INVALID_FORMAT', 'ERR_CRYPTO_UNSUPPORTED_VERSION'];
const TINY: Argon2Parameters = { memoryKiB: 8, iterations: 1, parallelism: 1 };
const COST_BUDGET = 4096;
const PASSPHRASE = 'mein Schlüssel-Passwort';
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CANONICAL = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$/;
const salts = fc.uint8Array({ minLength: 16, maxLength: 16 });
const codeRandomness = fc.uint8Array({ minLength: 17, maxLength: 17 });

function kdfParams(data: Uint8Array): Argon2Parameters {
  return { memoryKiB: readUint32(data, 6), iterations: readUint32(data, 10), parallelism: data[14] ?? 0 };
}

function expectedCode(data: Uint8Array, kind: ObjectKind, length: number): CryptoErrorCode {
  const prefix = failureCode(
    outcomeSync(() => checkPrefix(data, kind)),
    STRUCTURE,
    'checkPrefix',
  );
  if (prefix !== undefined) return prefix;
  if (data.length !== length) return 'ERR_CRYPTO_INVALID_FORMAT';
  if (kind === 'passphrasePrivateKey' && !outcomeSync(() => checkUnwrapParameters(kdfParams(data))).ok) {
    return 'ERR_CRYPTO_INVALID_PARAMETERS';
  }
  return 'ERR_CRYPTO_DECRYPTION_FAILED';
}

function tooCostly(data: Uint8Array): boolean {
  if (data.length < 15) return false;
  const p = kdfParams(data);
  return outcomeSync(() => checkUnwrapParameters(p)).ok && p.memoryKiB * p.iterations > COST_BUDGET;
}

async function compressedOf(key: CryptoKey): Promise<Uint8Array> {
  return compressPoint(new Uint8Array(await crypto.subtle.exportKey('raw', key)));
}

/** Variants of a code as people type it: any case, spaces or hyphens anywhere, O for 0, I or L for 1. */
function typed(code: string, choices: readonly number[]): string {
  let out = '';
  let i = 0;
  for (const c of code.replace(/-/g, '')) {
    const r = choices[i++ % choices.length] ?? 0;
    let symbol = c;
    if (c === '0' && r % 3 === 0) symbol = 'O';
    if (c === '1' && r % 3 === 0) symbol = r % 2 === 0 ? 'I' : 'L';
    if (r % 2 === 1) symbol = symbol.toLowerCase();
    out += symbol + (['', '', '-', ' ', '\t', '  '][r % 6] ?? '');
  }
  return out;
}

/** Strings near the shape of a recovery code, and arbitrary Unicode. */
const codeLike = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40, size: 'max' }),
  fc.string({
    unit: fc.constantFrom(
      ...Array.from(ALPHABET),
      ...Array.from('oilOIL- \u00df\u0131\u017f\ufb00\u212a'),
      'a',
    ),
    minLength: 20,
    maxLength: 40,
  }),
);

export function privateKeyCases(): FuzzCase[] {
  return [
    {
      name: 'wrapped private keys (K, R): arbitrary and mutated objects are refused; round trips give back the same key',
      ciRuns: 150,
      weight: 0.1,
      run: async (o) => {
        const keys = await keyPool();
        await fc.assert(
          fc.asyncProperty(
            fc.nat(),
            salts,
            codeRandomness,
            mutations,
            fc.boolean(),
            viewOffset,
            async (k, salt, raw, ms, recovery, offset) => {
              const key = poolKey(keys, k);
              const code = generateRecoveryCodeWith(fixedRandom(raw));
              const kind: ObjectKind = recovery ? 'recoveryPrivateKey' : 'passphrasePrivateKey';
              const length = recovery ? RECOVERY_PRIVATE_KEY_LENGTH : PASSPHRASE_PRIVATE_KEY_LENGTH;
              const valid = recovery
                ? await wrapPrivateKeyWithRecoveryCodeWith(key.pair, code, fixedRandom(salt))
                : await wrapPrivateKeyWithPassphraseWith(key.pair, PASSPHRASE, TINY, fixedRandom(salt));
              const open = (data: Uint8Array, secret?: string): Promise<CryptoKeyPair> =>
                recovery
                  ? unwrapPrivateKeyWithRecoveryCode(data, secret ?? code.toLowerCase())
                  : unwrapPrivateKeyWithPassphrase(data, secret ?? PASSPHRASE);
              const back = await open(valid);
              assertBytes(
                await compressedOf(back.publicKey),
                key.compressed,
                'round trip gives the same key',
              );
              assertEqual(back.privateKey.extractable, false, 'non-extractable by default');
              const other = generateRecoveryCodeWith(fixedRandom(raw.map((b) => b ^ 0xff)));
              expectFailure(
                await outcome(() => open(valid, recovery ? other : `${PASSPHRASE} `)),
                'ERR_CRYPTO_DECRYPTION_FAILED',
                'wrong secret',
              );
              const data = applyMutations(valid, ms);
              fc.pre(!equalBytes(data, valid) && !tooCostly(data));
              expectFailure(
                await outcome(() => open(asView(data, offset))),
                expectedCode(data, kind, length),
                `unwrap ${kind}`,
              );
            },
          ),
          o,
        );
      },
    },
    {
      name: 'recovery-wrapped key: any string as recovery code is refused with InvalidFormat or DecryptionFailed only',
      ciRuns: 300,
      weight: 0.5,
      run: async (o) => {
        const keys = await keyPool();
        const key = poolKey(keys, 0);
        const code = generateRecoveryCodeWith(fixedRandom(new Uint8Array(17).fill(7)));
        const wrapped = await wrapPrivateKeyWithRecoveryCodeWith(
          key.pair,
          code,
          fixedRandom(new Uint8Array(16)),
        );
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              codeLike,
              codeRandomness.map((r) => generateRecoveryCodeWith(fixedRandom(r))),
              fc.array(fc.nat(), { minLength: 1 }).map((c) => typed(code, c)),
            ),
            async (input) => {
              const got = await outcome(() => unwrapPrivateKeyWithRecoveryCode(wrapped, input));
              const failed = failureCode(
                got,
                ['ERR_CRYPTO_INVALID_FORMAT', 'ERR_CRYPTO_DECRYPTION_FAILED'],
                'unwrap',
              );
              if (failed === undefined)
                assertEqual(normalizeRecoveryCode(input), code, 'only the right code opens it');
              else
                assertEqual(
                  failed === 'ERR_CRYPTO_INVALID_FORMAT',
                  !isRecoveryCode(input),
                  'InvalidFormat exactly for malformed codes',
                );
            },
          ),
          o,
        );
      },
    },
    {
      name: 'recovery codes: any string gives InvalidFormat or the canonical code; typing variants normalise alike',
      ciRuns: 1000,
      weight: 1,
      run: async (o) => {
        fc.assert(
          fc.property(
            codeLike,
            codeRandomness,
            fc.array(fc.nat(), { minLength: 1, maxLength: 28 }),
            (input, raw, choices) => {
              const got = outcomeSync(() => normalizeRecoveryCode(input));
              if (
                failureCode(got, ['ERR_CRYPTO_INVALID_FORMAT'], 'normalizeRecoveryCode') === undefined &&
                got.ok
              ) {
                assert(CANONICAL.test(got.value), `canonical form: ${got.value}`);
                assertEqual(normalizeRecoveryCode(got.value), got.value, 'idempotent');
                assert(isRecoveryCode(input), 'isRecoveryCode agrees');
              } else assert(!isRecoveryCode(input), 'isRecoveryCode agrees');
              const code = generateRecoveryCodeWith(fixedRandom(raw));
              assertEqual(normalizeRecoveryCode(typed(code, choices)), code, 'typed variant');
            },
          ),
          o,
        );
      },
    },
    {
      name: 'recovery codes: megabyte inputs are refused in linear time',
      ciRuns: 10,
      weight: 0.01,
      run: async (o) => {
        fc.assert(
          fc.property(fc.constantFrom('-', ' ', 'A', 'o', 'ß', '\u{1f600}', 'A-'), (unit) => {
            const input = unit.repeat(Math.ceil(1_000_000 / unit.length));
            const started = performance.now();
            expectFailure(
              outcomeSync(() => normalizeRecoveryCode(input)),
              'ERR_CRYPTO_INVALID_FORMAT',
              'huge input',
            );
            const ms = performance.now() - started;
            assert(ms < 2000, `a 1 MB input took ${ms.toFixed(0)} ms`);
          }),
          o,
        );
      },
    },
  ];
}
