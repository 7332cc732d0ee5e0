/**
 * The hashes of RFC 9162 §2.1.1 (as in RFC 6962 §2.1) with SHA-256: leaves and interior nodes carry
 * different one-byte prefixes, so a leaf can never be passed off as an interior node (second preimages).
 */
import { fromHex, type Bytes } from '../encoding.ts';
import { sha256 } from '../webcrypto.ts';

/** Length of every hash of the tree. */
export const HASH_LENGTH = 32;

/** MTH({}) = SHA-256() of nothing: the root of the empty tree. */
export const EMPTY_TREE_HASH: Bytes = fromHex(
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
);

/**
 * The leaf hash `SHA-256(0x00 ‖ leaf)` of an entry's bytes.
 *
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function hashLeaf(leaf: Uint8Array): Promise<Bytes> {
  const input = new Uint8Array(1 + leaf.length);
  input.set(leaf, 1);
  return sha256(input);
}

/** The interior node hash `SHA-256(0x01 ‖ left ‖ right)`. */
export async function hashChildren(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** The largest power of two smaller than `n` (n ≥ 2): where RFC 9162 splits a tree of `n` leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** `n >> 1` for every safe integer: the bitwise operators of JavaScript work on 32 bits only. */
export function half(n: number): number {
  return Math.floor(n / 2);
}

/** Whether bit 0 of `n` is set (safe integers, unlike `n & 1` above 2^31). */
export function lsb(n: number): boolean {
  return n % 2 === 1;
}
