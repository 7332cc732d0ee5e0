/**
 * Fuzz cases of the Merkle proof verifiers (verifyInclusion, verifyConsistency): arbitrary claims are
 * judged exactly as the recursive definitions of RFC 9162 judge them (merkle-model.ts), real proofs
 * verify, tampered ones are refused, and no proof makes a verifier hash more than the tree is tall.
 */
import fc from 'fast-check';
import type { CryptoErrorCode } from '../../src/errors.ts';
import { EMPTY_TREE_HASH } from '../../src/merkle/hash.ts';
import { MerkleTree } from '../../src/merkle/tree.ts';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify.ts';
import { utf8 } from '../../src/encoding.ts';
import { assert, AssertionError } from '../assert.ts';
import { countSubtleCalls, equalBytes, failureCode, outcome, type FuzzCase } from './harness.ts';
import { consistencyHolds, inclusionHolds } from './merkle-model.ts';

const LEAVES = 70;
const ERRORS: readonly CryptoErrorCode[] = ['ERR_CRYPTO_PROOF_INVALID', 'ERR_CRYPTO_INVALID_PARAMETERS'];
/** Hashes a verifier may compute at most: two per level of a tree of 2^53 leaves, and some slack. */
const MAX_HASHES = 2 * 54 + 4;

interface Fixture {
  readonly tree: MerkleTree;
  readonly roots: Uint8Array[];
  readonly hashes: Uint8Array[];
}

let fixture: Promise<Fixture> | undefined;

function tree(): Promise<Fixture> {
  fixture ??= (async () => {
    const t = new MerkleTree();
    for (let i = 0; i < LEAVES; i++) await t.append(utf8(`entry ${i}`));
    const roots: Uint8Array[] = [];
    for (let n = 0; n <= LEAVES; n++) roots.push(await t.rootHash(n));
    const hashes = [...roots, ...Array.from({ length: LEAVES }, (_, i) => t.leafHash(i))];
    return { tree: t, roots, hashes };
  })();
  return fixture;
}

const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** Sizes and indices: small, huge, and not counts at all. */
const counts = fc.oneof(
  { arbitrary: fc.nat(LEAVES + 2), weight: 6 },
  fc.maxSafeNat(),
  fc.constantFrom(-1, 0.5, Number.NaN, 2 ** 53, Number.POSITIVE_INFINITY, 2 ** 53 - 1),
);

function hashArb(pool: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...pool), weight: 4 },
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
    fc.uint8Array({ maxLength: 40, size: 'max' }),
  );
}

function proofArb(pool: readonly Uint8Array[]): fc.Arbitrary<Uint8Array[]> {
  const one = pool[0] ?? new Uint8Array(32);
  return fc.oneof(
    { arbitrary: fc.array(hashArb(pool), { maxLength: 10 }), weight: 8 },
    fc.integer({ min: 60, max: 20_000 }).map((n) => Array.from({ length: n }, () => one)),
  );
}

/** What a verifier must say about a claim: the model's verdict after the argument checks. */
async function expected(
  numbers: readonly number[],
  hashes: readonly Uint8Array[],
  holds: () => Promise<boolean>,
): Promise<CryptoErrorCode | undefined> {
  if (!numbers.every(isCount)) return 'ERR_CRYPTO_INVALID_PARAMETERS';
  if (hashes.some((h) => h.length !== 32)) return 'ERR_CRYPTO_PROOF_INVALID';
  return (await holds()) ? undefined : 'ERR_CRYPTO_PROOF_INVALID';
}

function judge(
  got: Awaited<ReturnType<typeof outcome>>,
  want: CryptoErrorCode | undefined,
  what: string,
): void {
  const code = failureCode(got, ERRORS, what);
  if (code !== want)
    throw new AssertionError(`${what}: ${code ?? 'accepted'}, the definition says ${want ?? 'valid'}`);
}

type Tamper =
  | { readonly kind: 'none' | 'drop' | 'duplicate' | 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'add'; readonly at: number; readonly hash: number }
  | { readonly kind: 'swap'; readonly at: number; readonly with: number }
  | { readonly kind: 'leaf' | 'root' | 'firstRoot'; readonly other: number }
  | { readonly kind: 'index' | 'size' | 'firstSize'; readonly other: number };

const tamper: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({ kind: fc.constantFrom('none', 'drop', 'duplicate', 'flip'), at: fc.nat(), bit: fc.nat(255) }),
  fc.record({ kind: fc.constant('add'), at: fc.nat(), hash: fc.nat() }),
  fc.record({ kind: fc.constant('swap'), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constantFrom('leaf', 'root', 'firstRoot'), other: fc.nat() }),
  fc.record({ kind: fc.constantFrom('index', 'size', 'firstSize'), other: fc.nat(LEAVES) }),
);

/** Applies a tamper to a proof; whether it changed the proof's content (which must then be refused). */
function tamperProof(
  proof: readonly Uint8Array[],
  t: Tamper,
  pool: readonly Uint8Array[],
): { proof: Uint8Array[]; changed: boolean } {
  const out = [...proof];
  const n = out.length;
  const pick = <T>(xs: readonly T[], i: number): T | undefined => xs[i % Math.max(1, xs.length)];
  switch (t.kind) {
    case 'drop':
      if (n === 0) return { proof: out, changed: false };
      out.splice(t.at % n, 1);
      return { proof: out, changed: true };
    case 'duplicate': {
      const h = pick(out, t.at);
      if (h === undefined) return { proof: out, changed: false };
      out.splice(t.at % n, 0, h);
      return { proof: out, changed: true };
    }
    case 'flip': {
      const h = pick(out, t.at);
      if (h === undefined) return { proof: out, changed: false };
      const flipped = h.slice();
      flipped[t.bit >> 3] = (flipped[t.bit >> 3] ?? 0) ^ (1 << (t.bit & 7));
      out[t.at % n] = flipped;
      return { proof: out, changed: true };
    }
    case 'add':
      out.splice(t.at % (n + 1), 0, pick(pool, t.hash) ?? new Uint8Array(32));
      return { proof: out, changed: true };
    case 'swap': {
      const [i, j] = [t.at % Math.max(1, n), t.with % Math.max(1, n)];
      const [a, b] = [out[i], out[j]];
      if (a === undefined || b === undefined || equalBytes(a, b)) return { proof: out, changed: false };
      [out[i], out[j]] = [b, a];
      return { proof: out, changed: true };
    }
    default:
      return { proof: out, changed: false };
  }
}

export function merkleCases(): FuzzCase[] {
  return [
    {
      name: 'inclusion: any claim is judged as the definition judges it, with bounded hashing',
      ciRuns: 400,
      weight: 0.5,
      run: async (o) => {
        const { hashes } = await tree();
        await fc.assert(
          fc.asyncProperty(
            counts,
            counts,
            hashArb(hashes),
            hashArb(hashes),
            proofArb(hashes),
            async (index, treeSize, leafHash, rootHash, proof) => {
              const claim = { index, treeSize, leafHash, rootHash, proof };
              const got = await outcome(() => verifyInclusion(claim));
              const want = await expected([index, treeSize], [leafHash, rootHash, ...proof], () =>
                inclusionHolds(leafHash, index, treeSize, rootHash, proof),
              );
              judge(got, want, 'verifyInclusion');
              const hashed = await countSubtleCalls('digest', () => verifyInclusion(claim));
              assert(hashed <= MAX_HASHES, `${hashed} hashes for a proof of ${proof.length}`);
            },
          ),
          o,
        );
      },
    },
    {
      name: 'inclusion: real proofs verify; tampered paths, leaves and roots are refused; other positions follow the definition',
      ciRuns: 300,
      weight: 0.5,
      run: async (o) => {
        const { tree: t, roots, hashes } = await tree();
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 1, max: LEAVES }), fc.nat(), tamper, async (size, i, tm) => {
            const index = i % size;
            const real = await t.inclusionProof(index, size);
            const { proof, changed } = tamperProof(real, tm, hashes);
            let leafHash = t.leafHash(index);
            let rootHash = roots[size] ?? new Uint8Array(32);
            let [claimIndex, claimSize] = [index, size];
            let mustFail = changed;
            if (tm.kind === 'leaf') {
              const other = (index + 1 + tm.other) % LEAVES;
              [leafHash, mustFail] = [t.leafHash(other), other !== index];
            }
            if (tm.kind === 'root')
              [rootHash, mustFail] = [
                roots[(size + 1 + (tm.other % LEAVES)) % (LEAVES + 1)] ?? rootHash,
                true,
              ];
            if (tm.kind === 'index') claimIndex = tm.other;
            if (tm.kind === 'size') claimSize = tm.other;
            const got = await outcome(() =>
              verifyInclusion({ index: claimIndex, treeSize: claimSize, leafHash, rootHash, proof }),
            );
            const want = await expected([claimIndex, claimSize], [leafHash, rootHash, ...proof], () =>
              inclusionHolds(leafHash, claimIndex, claimSize, rootHash, proof),
            );
            judge(got, want, `verifyInclusion after ${tm.kind}`);
            if (mustFail && got.ok)
              throw new AssertionError(`tampered (${tm.kind}) inclusion claim accepted`);
            if (tm.kind === 'none' && !got.ok) throw new AssertionError('a real inclusion proof is refused');
          }),
          o,
        );
      },
    },
    {
      name: 'consistency: any claim is judged as the definition judges it, with bounded hashing',
      ciRuns: 400,
      weight: 0.5,
      run: async (o) => {
        const { hashes } = await tree();
        const pool = [...hashes, EMPTY_TREE_HASH];
        await fc.assert(
          fc.asyncProperty(
            counts,
            counts,
            hashArb(pool),
            hashArb(pool),
            proofArb(pool),
            async (firstSize, secondSize, firstRoot, secondRoot, proof) => {
              const claim = { firstSize, secondSize, firstRoot, secondRoot, proof };
              const got = await outcome(() => verifyConsistency(claim));
              const want = await expected([firstSize, secondSize], [firstRoot, secondRoot, ...proof], () =>
                consistencyHolds(firstSize, secondSize, firstRoot, secondRoot, proof, EMPTY_TREE_HASH),
              );
              judge(got, want, 'verifyConsistency');
              const hashed = await countSubtleCalls('digest', () => verifyConsistency(claim));
              assert(hashed <= MAX_HASHES, `${hashed} hashes for a proof of ${proof.length}`);
            },
          ),
          // Found by the tamper case below (the same bug): two empty trees passed with any second root.
          { ...o, examples: [[0, 0, EMPTY_TREE_HASH, hashes[1] ?? new Uint8Array(32), []]] },
        );
      },
    },
    {
      name: 'consistency: real proofs verify; tampered paths and roots are refused; other sizes follow the definition',
      ciRuns: 300,
      weight: 0.5,
      run: async (o) => {
        const { tree: t, roots, hashes } = await tree();
        await fc.assert(
          fc.asyncProperty(fc.nat(LEAVES), fc.nat(LEAVES), tamper, async (a, b, tm) => {
            const [first, second] = a <= b ? [a, b] : [b, a];
            const real = await t.consistencyProof(first, second);
            const { proof, changed } = tamperProof(real, tm, hashes);
            let firstRoot = roots[first] ?? new Uint8Array(32);
            let secondRoot = roots[second] ?? new Uint8Array(32);
            let [firstSize, secondSize] = [first, second];
            let mustFail = changed;
            if (tm.kind === 'firstRoot')
              [firstRoot, mustFail] = [
                roots[(first + 1 + (tm.other % LEAVES)) % (LEAVES + 1)] ?? firstRoot,
                true,
              ];
            // The empty tree is a prefix of any tree: from size 0 the second root is not constrained.
            if (tm.kind === 'root')
              [secondRoot, mustFail] = [
                roots[(second + 1 + (tm.other % LEAVES)) % (LEAVES + 1)] ?? secondRoot,
                first > 0 || second === 0,
              ];
            if (tm.kind === 'firstSize') firstSize = tm.other;
            if (tm.kind === 'size') secondSize = tm.other;
            const got = await outcome(() =>
              verifyConsistency({ firstSize, secondSize, firstRoot, secondRoot, proof }),
            );
            const want = await expected([firstSize, secondSize], [firstRoot, secondRoot, ...proof], () =>
              consistencyHolds(firstSize, secondSize, firstRoot, secondRoot, proof, EMPTY_TREE_HASH),
            );
            judge(got, want, `verifyConsistency after ${tm.kind}`);
            if (mustFail && got.ok)
              throw new AssertionError(`tampered (${tm.kind}) consistency claim accepted`);
            if (tm.kind === 'none' && !got.ok)
              throw new AssertionError('a real consistency proof is refused');
          }),
          // The first failure this case found: two empty trees passed with any second root.
          { ...o, examples: [[0, 0, { kind: 'root', other: 0 }]] },
        );
      },
    },
  ];
}
