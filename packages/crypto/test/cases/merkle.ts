/**
 * The RFC 9162 Merkle tree: the certificate-transparency reference vectors, the committed vectors, a
 * cross-check against the naive recursive reference (merkle-reference.ts), and fast-check properties —
 * every proof of random trees verifies, and any flipped bit in a proof, leaf or root fails.
 */
import fc from 'fast-check';
import { fromHex, toHex } from '../../src/encoding.ts';
import { hashChildren, hashLeaf } from '../../src/merkle/hash.ts';
import { MerkleTree } from '../../src/merkle/tree.ts';
import { verifyConsistency, verifyInclusion, type InclusionClaim } from '../../src/merkle/verify.ts';
import { assert, assertBytes, assertEqual, assertRejects } from '../assert.ts';
import { pseudoRandomBytes, type Register } from '../helpers.ts';
import type { MerkleVectors } from '../vector-types.ts';
import vectorsJson from '../vectors/merkle.json' with { type: 'json' };
import { ReferenceTree } from './merkle-reference.ts';

const vectors = vectorsJson as MerkleVectors;
const PROOF_INVALID = 'ERR_CRYPTO_PROOF_INVALID';

// Published with the certificate-transparency test data (C++ merkle_tree_test.cc, and Go
// transparency-dev/merkle proof/verify_test.go, where leaves are 1-based): roots of sizes 1..8 of
// the eight reference leaves, and the known inclusion and consistency paths. Copied here as data so the
// committed vectors cannot drift from the standard along with the implementation.
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const H = {
  a: '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  b: '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
  c: '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  d: 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  e: 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  f: 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  g: '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
  h: 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  root1: '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  root2: 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
};
const CT_INCLUSION: [index: number, size: number, path: string[]][] = [
  [0, 1, []],
  [0, 8, [H.a, H.b, H.c]],
  [5, 8, [H.d, H.e, H.f]],
  [2, 3, [H.root2]],
  [1, 5, [H.root1, H.b, H.d]],
];
const CT_CONSISTENCY: [first: number, second: number, path: string[]][] = [
  [1, 1, []],
  [1, 8, [H.a, H.b, H.c]],
  [6, 8, [H.g, H.e, H.f]],
  [2, 5, [H.b, H.d]],
  [6, 7, [H.g, H.h, H.f]],
];

async function treeOf(leaves: readonly Uint8Array[]): Promise<MerkleTree> {
  const tree = new MerkleTree();
  for (const leaf of leaves) await tree.append(leaf);
  return tree;
}

const hexes = (hashes: readonly Uint8Array[]): string => hashes.map(toHex).join(',');

function flipped(data: Uint8Array, bit: number): Uint8Array {
  const out = new Uint8Array(data);
  const i = Math.floor(bit / 8) % out.length;
  out[i] = (out[i] ?? 0) ^ (1 << (bit % 8));
  return out;
}

/** Random trees of 1..200 leaves of 0..40 bytes, with a seed for picking inside them. */
const trees = fc.record({ size: fc.integer({ min: 1, max: 200 }), seed: fc.nat(), pick: fc.nat() });
const leavesOf = (size: number, seed: number): Uint8Array[] =>
  Array.from({ length: size }, (_, i) => pseudoRandomBytes((seed + i) % 41, seed + i));

/**
 * Trees of 200 random leaves, built once per seed class: the tree of `n` leaves is the first `n` leaves
 * of one of them, and a MerkleTree answers for every earlier size, so properties need not rebuild it.
 */
const grown = new Map<number, Promise<{ leaves: Uint8Array[]; tree: MerkleTree }>>();
function prefixTree(seed: number): Promise<{ leaves: Uint8Array[]; tree: MerkleTree }> {
  const key = seed % 4;
  let built = grown.get(key);
  if (built === undefined) {
    const leaves = leavesOf(200, key * 1000);
    built = treeOf(leaves).then((tree) => ({ leaves, tree }));
    grown.set(key, built);
  }
  return built;
}

export function registerMerkle(test: Register): void {
  const reference = vectors.leaves.map(fromHex);

  test('merkle: the certificate-transparency reference roots, paths and consistency proofs', async () => {
    const tree = await treeOf(reference);
    assertEqual(toHex(await tree.rootHash(0)), vectors.roots[0] ?? '', 'empty root');
    for (let n = 1; n <= 8; n++)
      assertEqual(toHex(await tree.rootHash(n)), CT_ROOTS[n - 1] ?? '', `root ${n}`);
    assertEqual(vectors.roots.slice(1).join(), CT_ROOTS.join(), 'committed roots');
    for (const [index, size, path] of CT_INCLUSION) {
      assertEqual(hexes(await tree.inclusionProof(index, size)), path.join(), `PATH(${index}, D[${size}])`);
      const claim = { leafHash: tree.leafHash(index), index, treeSize: size, proof: path.map(fromHex) };
      await verifyInclusion({ ...claim, rootHash: fromHex(CT_ROOTS[size - 1] ?? '') });
    }
    for (const [first, second, path] of CT_CONSISTENCY) {
      assertEqual(
        hexes(await tree.consistencyProof(first, second)),
        path.join(),
        `PROOF(${first}, D[${second}])`,
      );
      const roots = {
        firstRoot: fromHex(CT_ROOTS[first - 1] ?? ''),
        secondRoot: fromHex(CT_ROOTS[second - 1] ?? ''),
      };
      await verifyConsistency({ firstSize: first, secondSize: second, ...roots, proof: path.map(fromHex) });
    }
  });

  test('merkle vectors: leaf hashes, roots and every proof reproduced and verified', async () => {
    const tree = await treeOf(reference);
    for (const [i, leaf] of reference.entries()) {
      assertEqual(toHex(await hashLeaf(leaf)), vectors.leafHashes[i] ?? '', `leaf hash ${i}`);
    }
    const root = (n: number): Uint8Array => fromHex(vectors.roots[n] ?? '');
    for (const v of vectors.inclusion) {
      assertEqual(hexes(await tree.inclusionProof(v.index, v.treeSize)), v.proof.join(), 'inclusion');
      const claim = { leafHash: tree.leafHash(v.index), index: v.index, treeSize: v.treeSize };
      await verifyInclusion({ ...claim, rootHash: root(v.treeSize), proof: v.proof.map(fromHex) });
    }
    assertEqual(vectors.inclusion.length, 36, 'every index of every size');
    for (const v of vectors.consistency) {
      assertEqual(
        hexes(await tree.consistencyProof(v.firstSize, v.secondSize)),
        v.proof.join(),
        'consistency',
      );
      const { firstSize, secondSize } = v;
      const roots = { firstRoot: root(firstSize), secondRoot: root(secondSize) };
      await verifyConsistency({ firstSize, secondSize, ...roots, proof: v.proof.map(fromHex) });
    }
    assertEqual(vectors.consistency.length, 45, 'every pair of sizes');
  });

  for (const v of vectors.negative) {
    test(`negative merkle vector "${v.name}": ${v.error}`, async () => {
      if (v.inclusion !== undefined) {
        const { index, treeSize, proof, leafHash, rootHash } = v.inclusion;
        const claim = { index, treeSize, leafHash: fromHex(leafHash), rootHash: fromHex(rootHash) };
        await assertRejects(() => verifyInclusion({ ...claim, proof: proof.map(fromHex) }), v.error, v.name);
      }
      if (v.consistency !== undefined) {
        const { firstSize, secondSize, proof, firstRoot, secondRoot } = v.consistency;
        const claim = {
          firstSize,
          secondSize,
          firstRoot: fromHex(firstRoot),
          secondRoot: fromHex(secondRoot),
        };
        await assertRejects(
          () => verifyConsistency({ ...claim, proof: proof.map(fromHex) }),
          v.error,
          v.name,
        );
      }
    });
  }

  test('merkle: roots and proofs agree with the recursive reference for every size up to 70', async () => {
    const leaves = leavesOf(70, 3);
    const tree = await treeOf(leaves);
    const ref = new ReferenceTree(leaves);
    for (let n = 1; n <= leaves.length; n++) {
      assertBytes(await tree.rootHash(n), await ref.mth(0, n), `root ${n}`);
      const indices = n <= 20 ? [...Array(n).keys()] : [0, 1, n >> 1, n - 2, n - 1];
      for (const m of indices) {
        assertEqual(
          hexes(await tree.inclusionProof(m, n)),
          hexes(await ref.path(m, 0, n)),
          `PATH(${m}, ${n})`,
        );
        if (m > 0) {
          assertEqual(
            hexes(await tree.consistencyProof(m, n)),
            hexes(await ref.proof(m, n)),
            `PROOF(${m}, ${n})`,
          );
        }
      }
    }
  });

  test('property: in random trees of 1..200 leaves every inclusion and consistency proof verifies', async () => {
    await fc.assert(
      fc.asyncProperty(trees, async ({ size, seed, pick }) => {
        const leaves = leavesOf(size, seed);
        const tree = await treeOf(leaves);
        const root = await tree.rootHash();
        const ref = new ReferenceTree(leaves);
        assertBytes(root, await ref.mth(), 'root as the reference');
        const index = pick % size;
        assertEqual(
          hexes(await tree.inclusionProof(index)),
          hexes(await ref.path(index)),
          'PATH as the reference',
        );
        const first = 1 + (pick % size); // PROOF is defined for 0 < m ≤ n
        assertEqual(hexes(await tree.consistencyProof(first)), hexes(await ref.proof(first, size)), 'PROOF');
        const roots = await Promise.all(Array.from({ length: size + 1 }, (_, m) => tree.rootHash(m)));
        await Promise.all(
          leaves.map(async (_, i) => {
            const proof = await tree.inclusionProof(i);
            await verifyInclusion({
              leafHash: tree.leafHash(i),
              index: i,
              treeSize: size,
              rootHash: root,
              proof,
            });
            const m = i + 1; // every first size 1..size; 0 below
            const consistency = await tree.consistencyProof(m);
            const claim = { firstSize: m, secondSize: size, secondRoot: root, proof: consistency };
            await verifyConsistency({ ...claim, firstRoot: roots[m] ?? root });
          }),
        );
        await verifyConsistency({
          firstSize: 0,
          secondSize: size,
          firstRoot: roots[0] ?? root,
          secondRoot: root,
          proof: [],
        });
      }),
      { numRuns: 12 },
    );
  });

  test('property: consistency proofs between random sizes m ≤ n of random trees verify', async () => {
    await fc.assert(
      fc.asyncProperty(trees, fc.nat(), async ({ size, seed, pick }, other) => {
        const { tree } = await prefixTree(seed);
        const [m, n] = [pick % (size + 1), other % (size + 1)].sort((x, y) => x - y) as [number, number];
        const proof = await tree.consistencyProof(m, n);
        const roots = { firstRoot: await tree.rootHash(m), secondRoot: await tree.rootHash(n) };
        await verifyConsistency({ firstSize: m, secondSize: n, ...roots, proof });
      }),
      { numRuns: 40 },
    );
  });

  test('property: any flipped bit in an inclusion proof, the leaf, the leaf hash or the root fails', async () => {
    await fc.assert(
      fc.asyncProperty(trees, fc.nat(), fc.nat(), async ({ size, seed, pick }, at, bit) => {
        const { leaves, tree } = await prefixTree(seed);
        const index = pick % size;
        const claim: InclusionClaim = {
          leafHash: tree.leafHash(index),
          index,
          treeSize: size,
          rootHash: await tree.rootHash(size),
          proof: await tree.inclusionProof(index, size),
        };
        const { proof } = claim;
        const mutations: InclusionClaim[] = [
          { ...claim, leafHash: flipped(claim.leafHash, bit) },
          { ...claim, rootHash: flipped(claim.rootHash, bit) },
          { ...claim, leafHash: await hashLeaf(flipped(leaves[index] ?? new Uint8Array(1), bit)) },
        ];
        if ((leaves[index]?.length ?? 0) === 0) mutations.pop(); // an empty leaf has no bit to flip
        if (proof.length > 0) {
          const i = at % proof.length;
          mutations.push({ ...claim, proof: proof.map((h, j) => (j === i ? flipped(h, bit) : h)) });
          mutations.push({ ...claim, proof: proof.slice(0, -1) });
        }
        mutations.push({ ...claim, proof: [...proof, claim.rootHash] });
        for (const [k, mutated] of mutations.entries()) {
          await assertRejects(() => verifyInclusion(mutated), PROOF_INVALID, `mutation ${k}`);
        }
      }),
      { numRuns: 80 },
    );
  });

  test('property: any flipped bit in a consistency proof or either root fails', async () => {
    await fc.assert(
      fc.asyncProperty(trees, fc.nat(), fc.nat(), async ({ size, seed, pick }, at, bit) => {
        fc.pre(size >= 2);
        const { tree } = await prefixTree(seed);
        const first = 1 + (pick % (size - 1)); // 1 ≤ first < size: a proof with hashes in it
        const claim = {
          firstSize: first,
          secondSize: size,
          firstRoot: await tree.rootHash(first),
          secondRoot: await tree.rootHash(size),
          proof: await tree.consistencyProof(first, size),
        };
        const { proof } = claim;
        assert(proof.length > 0, 'non-trivial proof');
        const i = at % proof.length;
        const mutations = [
          { ...claim, firstRoot: flipped(claim.firstRoot, bit) },
          { ...claim, secondRoot: flipped(claim.secondRoot, bit) },
          { ...claim, proof: proof.map((h, j) => (j === i ? flipped(h, bit) : h)) },
          { ...claim, proof: proof.slice(0, -1) },
          { ...claim, proof: [...proof, claim.secondRoot] },
        ];
        for (const [k, mutated] of mutations.entries()) {
          await assertRejects(() => verifyConsistency(mutated), PROOF_INVALID, `mutation ${k}`);
        }
      }),
      { numRuns: 80 },
    );
  });

  test('merkle api: argument checks, copies, trivial proofs and concurrent appends', async () => {
    const tree = new MerkleTree();
    await assertRejects(() => tree.inclusionProof(0), 'ERR_CRYPTO_INVALID_PARAMETERS', 'empty tree');
    await assertRejects(
      () => tree.appendLeafHash(new Uint8Array(31)),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'hash length',
    );
    // Appends not awaited one by one still land in call order.
    const indices = await Promise.all(reference.map((leaf) => tree.append(leaf)));
    assertEqual(indices.join(), '0,1,2,3,4,5,6,7', 'indices');
    assertEqual(toHex(await tree.rootHash()), CT_ROOTS[7] ?? '', 'root after concurrent appends');
    await assertRejects(() => tree.rootHash(9), 'ERR_CRYPTO_INVALID_PARAMETERS', 'size beyond the tree');
    await assertRejects(() => tree.inclusionProof(3, 3), 'ERR_CRYPTO_INVALID_PARAMETERS', 'index = size');
    await assertRejects(() => tree.consistencyProof(5, 4), 'ERR_CRYPTO_INVALID_PARAMETERS', 'first > second');
    await assertRejects(() => tree.rootHash(1.5), 'ERR_CRYPTO_INVALID_PARAMETERS', 'fractional size');
    const proof = await tree.inclusionProof(0);
    proof[0]?.fill(0);
    assertEqual(hexes(await tree.inclusionProof(0)), [H.a, H.b, H.c].join(), 'returned proofs are copies');
    assertEqual(
      (await tree.consistencyProof(0)).length + (await tree.consistencyProof(8)).length,
      0,
      'trivial',
    );
    const claim = {
      leafHash: tree.leafHash(0),
      index: -1,
      treeSize: 8,
      rootHash: await tree.rootHash(),
      proof,
    };
    await assertRejects(() => verifyInclusion(claim), 'ERR_CRYPTO_INVALID_PARAMETERS', 'negative index');
    await assertRejects(
      () => verifyInclusion({ ...claim, index: 2 ** 53 }),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'unsafe index',
    );
  });

  test('merkle: sizes above 2^32 take the RFC steps without 32-bit overflow', async () => {
    // The last leaf of a tree of 2^32 + 2 leaves has a path of two hashes: its sibling leaf, then the
    // complete left subtree of 2^32 leaves. JavaScript's bitwise operators would wrap at 2^32 and misroute.
    const [leaf, sibling, left] = await Promise.all([
      hashLeaf(new Uint8Array([1])),
      hashLeaf(new Uint8Array([2])),
      hashLeaf(new Uint8Array([3])),
    ]);
    const right = await hashChildren(sibling, leaf);
    const root = await hashChildren(left, right);
    await verifyInclusion({
      leafHash: leaf,
      index: 2 ** 32 + 1,
      treeSize: 2 ** 32 + 2,
      rootHash: root,
      proof: [sibling, left],
    });
    await assertRejects(
      () =>
        verifyInclusion({ leafHash: leaf, index: 1, treeSize: 2, rootHash: root, proof: [sibling, left] }),
      PROOF_INVALID,
      'the same path at index 1 of 2 is too long',
    );
  });
}
