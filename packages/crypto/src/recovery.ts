/**
 * Recovery codes: 130 random bits as 26 Crockford base32 symbols plus 2 check symbols, printed as seven
 * groups of four, e.g. `7K2M-Q9XD-4HVA-0TRE-NB3C-WJ8F-6PZ1`. Meant to be printed or written down when a
 * personal key is created; it can unwrap the private key when the passphrase is lost.
 *
 * The check value is the 26 symbols read as a base-32 number, modulo the prime 1021, written as two
 * symbols. It catches every single mistyped symbol and every swap of two neighbours before any key is
 * derived (1021 is prime and divides neither 32, 31, nor any difference of two symbols).
 */
import { utf8, type Bytes } from './encoding.ts';
import { InvalidFormatError, InvalidParametersError } from './errors.ts';
import { hkdf, systemRandom, type RandomSource } from './webcrypto.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_SYMBOLS = 26;
const CHECK_MODULUS = 1021;
const INFO = utf8('amtsbote recovery code v1');

function checkValue(symbols: readonly number[]): number {
  let acc = 0;
  for (const v of symbols) acc = (acc * 32 + v) % CHECK_MODULUS;
  return acc;
}

function format(symbols: readonly number[]): string {
  const text = symbols.map((v) => ALPHABET.charAt(v)).join('');
  return (text.match(/.{4}/g) ?? []).join('-');
}

/** Internal: {@link generateRecoveryCode} with an injectable random source (test vectors only). */
export function generateRecoveryCodeWith(random: RandomSource): string {
  const raw = random(17); // 136 bits; the first 130 become 26 symbols of 5 bits
  const symbols: number[] = [];
  for (let i = 0; i < DATA_SYMBOLS; i++) {
    const bit = i * 5;
    const pair = ((raw[bit >> 3] ?? 0) << 8) | (raw[(bit >> 3) + 1] ?? 0);
    symbols.push((pair >> (11 - (bit & 7))) & 31);
  }
  const check = checkValue(symbols);
  symbols.push(check >> 5, check & 31);
  return format(symbols);
}

/**
 * A new recovery code: 130 random bits in seven groups of four Crockford base32 symbols (the last two
 * symbols are a check value). Show it once, have the user write it down, and wrap the private key with
 * {@link wrapPrivateKeyWithRecoveryCode}.
 *
 * @throws {NotSupportedError} when the platform has no secure random generator.
 */
export function generateRecoveryCode(): string {
  return generateRecoveryCodeWith(systemRandom);
}

/**
 * The canonical form of a recovery code as a user typed it: case-insensitive, hyphens and whitespace
 * ignored, `O` read as `0` and `I`/`L` as `1` (Crockford). Returns the grouped upper-case form.
 *
 * @throws {InvalidFormatError} when the input has the wrong length, a symbol outside the alphabet, or a
 *   check value that does not match (a typo).
 */
export function normalizeRecoveryCode(input: string): string {
  if (typeof input !== 'string') throw new InvalidParametersError('the recovery code must be a string');
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (cleaned.length !== DATA_SYMBOLS + 2) throw new InvalidFormatError('a recovery code has 28 symbols');
  const symbols: number[] = [];
  for (const c of cleaned) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new InvalidFormatError('the recovery code contains an invalid symbol');
    symbols.push(v);
  }
  const check = ((symbols[DATA_SYMBOLS] ?? 0) << 5) | (symbols[DATA_SYMBOLS + 1] ?? 0);
  if (checkValue(symbols.slice(0, DATA_SYMBOLS)) !== check) {
    throw new InvalidFormatError('the recovery code is mistyped');
  }
  return format(symbols);
}

/**
 * Whether `input` is a well-formed recovery code (see {@link normalizeRecoveryCode}); for form validation.
 *
 * @throws never
 */
export function isRecoveryCode(input: string): boolean {
  try {
    normalizeRecoveryCode(input);
    return true;
  } catch {
    return false;
  }
}

/**
 * The key-encryption key of a recovery code: HKDF-SHA-256 over the 28 symbols of its canonical form
 * without hyphens (ASCII). No password hashing is needed: the code carries 130 random bits.
 */
export async function recoveryKek(code: string, salt: Uint8Array): Promise<Bytes> {
  return hkdf(utf8(normalizeRecoveryCode(code).replace(/-/g, '')), salt, INFO, 32);
}
