// Helpers of the transparency vector generator (Node only): hashing, mutations, expected errors, and
// ECDSA P-256/SHA-256 with a given nonce k in plain bigint arithmetic, so that signatures are reproducible.
import { createECDH, createHash } from 'node:crypto';
import { fromHex, toBase64Url, toHex, type Bytes } from '../../src/encoding.ts';
import { isCryptoError, type CryptoErrorCode } from '../../src/errors.ts';
import { compressPoint } from '../../src/keys.ts';
import type { KeyPairVector } from '../../test/vector-types.ts';

export const sha256 = (data: string | Uint8Array): Bytes =>
  new Uint8Array(createHash('sha256').update(data).digest());
export const hex = (data: Uint8Array): string => toHex(data);

export async function expectError(
  code: CryptoErrorCode,
  name: string,
  run: () => Promise<unknown>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (isCryptoError(error) && error.code === code) return;
    throw new Error(`${name}: expected ${code}, got ${String(error)}`, { cause: error });
  }
  throw new Error(`${name}: expected ${code}, but it succeeded`);
}

export function flip(data: Uint8Array, byte: number, bit = 0): Bytes {
  const out = new Uint8Array(data);
  out[byte] = (out[byte] ?? 0) ^ (1 << bit);
  return out;
}

export function withByte(data: Uint8Array, offset: number, value: number): Bytes {
  const out = new Uint8Array(data);
  out[offset] = value;
  return out;
}

// Curve P-256 (FIPS 186-5, SP 800-186 §3.2.1.3): y² = x³ − 3x + b over GF(p), base point G of order n.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
export const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const G = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};
type Point = { x: bigint; y: bigint } | undefined; // undefined: the point at infinity

export const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function add(a: Point, b: Point): Point {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.x === b.x && mod(a.y + b.y, P) === 0n) return undefined;
  const l =
    a.x === b.x
      ? mod((3n * a.x * a.x - 3n) * inverse(2n * a.y, P), P)
      : mod((b.y - a.y) * inverse(b.x - a.x, P), P);
  const x = mod(l * l - a.x - b.x, P);
  return { x, y: mod(l * (a.x - x) - a.y, P) };
}

function multiply(k: bigint, point: Point): Point {
  let result: Point = undefined;
  let addend = point;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

export const toInt = (data: Uint8Array): bigint => BigInt(`0x${hex(data) || '0'}`);
export const toBytes32 = (n: bigint): Bytes => fromHex(n.toString(16).padStart(64, '0'));

/** ECDSA P-256/SHA-256 (FIPS 186-5 §6.4.1) of `message` with private scalar `d` and nonce `k`: r ‖ s. */
export function ecdsaSign(d: bigint, k: bigint, message: Uint8Array): Bytes {
  const r = mod(multiply(k, G)?.x ?? 0n, N);
  const s = mod(inverse(k, N) * (toInt(sha256(message)) + r * d), N);
  if (r === 0n || s === 0n) throw new Error('unlucky k');
  return new Uint8Array([...toBytes32(r), ...toBytes32(s)]);
}

/** A nonce in [1, n − 1] from a label. */
export const nonce = (label: string): bigint =>
  mod(toInt(sha256(`amtsbote vectors ecdsa nonce ${label}`)), N - 1n) + 1n;

/** A P-256 key pair from a seed (scalar = SHA-256(seed)); the text form gets `prefix`. */
export function keyPair(seed: string, prefix: string): { vector: KeyPairVector; d: bigint } {
  const scalar = sha256(seed);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  const point = compressPoint(new Uint8Array(ecdh.getPublicKey()));
  // The bigint arithmetic above must agree with OpenSSL before it signs anything.
  const mine = multiply(toInt(scalar), G);
  if (mine === undefined || hex(toBytes32(mine.x)) !== hex(point.subarray(1)))
    throw new Error('bigint P-256');
  const vector = { scalar: hex(scalar), publicKey: hex(point), publicKeyText: prefix + toBase64Url(point) };
  return { vector, d: toInt(scalar) };
}
