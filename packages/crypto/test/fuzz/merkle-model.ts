/**
 * Proof verification as RFC 9162 defines the proofs (§2.1.3.1 PATH, §2.1.4.1 SUBPROOF), by recursion
 * over the tree's shape instead of the bit walk of §2.1.3.2/§2.1.4.2 that src/merkle/verify.ts follows:
 * a verifier that shares no code with it, to check it against on arbitrary claims. It consumes the proof
 * from its root end, exactly as the recursive definitions append to it.
 */

async function node(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', input));
}

/** The largest power of two strictly below `n` (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const MAX_DEPTH = 64;

/** The root that PATH(m, D[n]) = `path` and leaf hash `leaf` imply, or undefined if the shape is wrong. */
async function rootOf(
  leaf: Uint8Array,
  m: number,
  n: number,
  path: readonly Uint8Array[],
): Promise<Uint8Array | undefined> {
  if (n === 1) return path.length === 0 ? leaf : undefined;
  const last = path[path.length - 1];
  if (last === undefined) return undefined;
  const rest = path.slice(0, -1);
  const k = split(n);
  if (m < k) {
    const left = await rootOf(leaf, m, k, rest);
    return left && node(left, last);
  }
  const right = await rootOf(leaf, m - k, n - k, rest);
  return right && node(last, right);
}

/** Whether a well-formed inclusion claim (hashes of 32 bytes, safe sizes) holds by the definition. */
export async function inclusionHolds(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  root: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<boolean> {
  if (index >= treeSize || proof.length > MAX_DEPTH) return false;
  const got = await rootOf(leaf, index, treeSize, proof);
  return got !== undefined && equal(got, root);
}

interface Roots {
  readonly first: Uint8Array;
  readonly second: Uint8Array;
}

/** SUBPROOF(m, D[n], b) read backwards: the roots of D[0:m] and D[0:n] it implies. */
async function subproofRoots(
  m: number,
  n: number,
  b: boolean,
  proof: readonly Uint8Array[],
  firstRoot: Uint8Array,
): Promise<Roots | undefined> {
  if (m === n) {
    if (b) return proof.length === 0 ? { first: firstRoot, second: firstRoot } : undefined;
    const [only, ...more] = proof;
    return only !== undefined && more.length === 0 ? { first: only, second: only } : undefined;
  }
  const last = proof[proof.length - 1];
  if (last === undefined) return undefined;
  const rest = proof.slice(0, -1);
  const k = split(n);
  if (m <= k) {
    const left = await subproofRoots(m, k, b, rest, firstRoot);
    return left && { first: left.first, second: await node(left.second, last) };
  }
  const right = await subproofRoots(m - k, n - k, false, rest, firstRoot);
  return right && { first: await node(last, right.first), second: await node(last, right.second) };
}

/** Whether a well-formed consistency claim holds by the definition (trivial cases as verify.ts documents). */
export async function consistencyHolds(
  firstSize: number,
  secondSize: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
  emptyRoot: Uint8Array,
): Promise<boolean> {
  if (firstSize > secondSize || proof.length > 2 * MAX_DEPTH) return false;
  if (firstSize === 0 || firstSize === secondSize) {
    // Both rules hold at once for two empty trees: each root must be the empty tree's.
    if (proof.length !== 0) return false;
    if (firstSize === 0 && !equal(firstRoot, emptyRoot)) return false;
    return firstSize !== secondSize || equal(firstRoot, secondRoot);
  }
  const roots = await subproofRoots(firstSize, secondSize, true, proof, firstRoot);
  return roots !== undefined && equal(roots.first, firstRoot) && equal(roots.second, secondRoot);
}
