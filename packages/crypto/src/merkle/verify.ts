/**
 * Verification of Merkle inclusion and consistency proofs: the algorithms of RFC 9162 §2.1.3.2 and
 * §2.1.4.2, step by step (the step numbers in the comments are the RFC's).
 */
import { constantTimeEqual, type Bytes } from '../encoding.ts';
import { InvalidParametersError, ProofInvalidError } from '../errors.ts';
import { EMPTY_TREE_HASH, half, hashChildren, HASH_LENGTH, lsb } from './hash.ts';

/** What an inclusion proof claims: the leaf with `leafHash` is at `index` in the tree of `treeSize`. */
export interface InclusionClaim {
  /** The leaf hash, `hashLeaf(entry)`. */
  readonly leafHash: Uint8Array;
  /** 0-based index of the leaf. */
  readonly index: number;
  readonly treeSize: number;
  /** The root hash of the tree of `treeSize` leaves (from a verified signed tree head). */
  readonly rootHash: Uint8Array;
  /** The inclusion path, from the leaf's sibling up (RFC 9162 §2.1.3.1). */
  readonly proof: readonly Uint8Array[];
}

/** What a consistency proof claims: the tree of `firstSize` leaves is a prefix of the one of `secondSize`. */
export interface ConsistencyClaim {
  readonly firstSize: number;
  readonly firstRoot: Uint8Array;
  readonly secondSize: number;
  readonly secondRoot: Uint8Array;
  /** The consistency path (RFC 9162 §2.1.4.1). */
  readonly proof: readonly Uint8Array[];
}

/** Checks that `n` can be a leaf index or tree size. */
export function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidParametersError(`${what} must be a non-negative safe integer`);
  }
}

function fail(reason: string): never {
  throw new ProofInvalidError(reason);
}

function checkHashes(hashes: readonly Uint8Array[]): void {
  if (hashes.some((h) => h.length !== HASH_LENGTH)) fail('a hash of the wrong length');
}

/**
 * Verifies that `claim.leafHash` is the leaf at `claim.index` of the tree of `claim.treeSize` leaves
 * whose root is `claim.rootHash` (RFC 9162 §2.1.3.2). Returns nothing: it throws unless the proof holds.
 *
 * @throws {ProofInvalidError} when the proof does not verify, including an index not below the tree size,
 *   a path of the wrong length, and hashes that are not 32 bytes.
 * @throws {InvalidParametersError} when `index` or `treeSize` is not a non-negative safe integer.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function verifyInclusion(claim: InclusionClaim): Promise<void> {
  const { index, treeSize, proof } = claim;
  checkCount(index, 'index');
  checkCount(treeSize, 'treeSize');
  checkHashes([claim.leafHash, claim.rootHash, ...proof]);
  // 1. leaf_index must be below tree_size.
  if (index >= treeSize) fail('the index is not in the tree');
  // 2.–3.
  let fn = index;
  let sn = treeSize - 1;
  let r: Bytes | Uint8Array = claim.leafHash;
  // 4.
  for (const p of proof) {
    // a. A path longer than the tree is tall.
    if (sn === 0) fail('the inclusion path is too long');
    // b.
    if (lsb(fn) || fn === sn) {
      r = await hashChildren(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = await hashChildren(r, p);
    }
    // c.
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  if (sn !== 0) fail('the inclusion path is too short');
  if (!constantTimeEqual(r, claim.rootHash)) fail('the inclusion path does not lead to the root');
}

/**
 * Verifies that the tree of `firstSize` leaves with root `firstRoot` is a prefix of the tree of
 * `secondSize` leaves with root `secondRoot` — the log only appended in between (RFC 9162 §2.1.4.2).
 *
 * The RFC defines proofs for `0 < firstSize < secondSize`. The two trivial cases are accepted as the
 * reference implementation (transparency-dev/merkle) accepts them: equal sizes need an empty proof and
 * equal roots; `firstSize = 0` needs an empty proof and `firstRoot` = the empty tree's hash.
 *
 * @throws {ProofInvalidError} when the proof does not verify, including `firstSize > secondSize`, a path
 *   of the wrong length, and hashes that are not 32 bytes.
 * @throws {InvalidParametersError} when a size is not a non-negative safe integer.
 * @throws {NotSupportedError} when WebCrypto is unavailable.
 */
export async function verifyConsistency(claim: ConsistencyClaim): Promise<void> {
  const { firstSize, secondSize, firstRoot, secondRoot, proof } = claim;
  checkCount(firstSize, 'firstSize');
  checkCount(secondSize, 'secondSize');
  checkHashes([firstRoot, secondRoot, ...proof]);
  if (firstSize > secondSize) fail('the second tree is smaller than the first');
  if (firstSize === secondSize || firstSize === 0) {
    if (proof.length !== 0) fail('a trivial consistency proof must be empty');
    // Two empty trees take both rules: checking only the empty root would pass any second root.
    if (firstSize === 0 && !constantTimeEqual(firstRoot, EMPTY_TREE_HASH))
      fail('the first root is not MTH({})');
    if (firstSize === secondSize && !constantTimeEqual(firstRoot, secondRoot)) fail('the roots differ');
    return;
  }
  // 1.
  const [head, ...rest] = proof;
  if (head === undefined) fail('the consistency path is empty');
  // 2. When the first tree is a complete subtree, the path omits its root: put it back.
  const path = isPowerOfTwo(firstSize) ? [firstRoot, head, ...rest] : [head, ...rest];
  // 3.
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  // 4.
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  let fr: Bytes | Uint8Array = path[0] ?? head;
  let sr: Bytes | Uint8Array = fr;
  // 6.
  for (const c of path.slice(1)) {
    // a.
    if (sn === 0) fail('the consistency path is too long');
    // b.
    if (lsb(fn) || fn === sn) {
      // i. and ii. are independent: hash them concurrently (WebCrypto calls cost mostly latency).
      [fr, sr] = await Promise.all([hashChildren(c, fr), hashChildren(c, sr)]);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = await hashChildren(sr, c);
    }
    // c.
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  if (sn !== 0) fail('the consistency path is too short');
  if (!constantTimeEqual(fr, firstRoot)) fail('the consistency path does not lead to the first root');
  if (!constantTimeEqual(sr, secondRoot)) fail('the consistency path does not lead to the second root');
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
