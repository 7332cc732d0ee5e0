// Merkle tree vectors over the RFC 6962 reference leaves: every root, every inclusion and consistency
// proof (each verified before it is recorded), and proofs that must fail.
import { fromHex } from '../../src/encoding.ts';
import { EMPTY_TREE_HASH } from '../../src/merkle/hash.ts';
import { MerkleTree } from '../../src/merkle/tree.ts';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify.ts';
import type {
  ConsistencyVector,
  InclusionVector,
  MerkleVectors,
  NegativeProofVector,
} from '../../test/vector-types.ts';
import { expectError, flip, hex } from './common.ts';

/** The leaves of the certificate-transparency test data (RFC 6962 test vectors), hex. */
export const REFERENCE_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];

/** Every root, every inclusion proof and every consistency proof of `tree`, each verified. */
export async function proofsOf(
  tree: MerkleTree,
): Promise<{ roots: string[]; inclusion: InclusionVector[]; consistency: ConsistencyVector[] }> {
  const roots: string[] = [];
  for (let n = 0; n <= tree.size; n++) roots.push(hex(await tree.rootHash(n)));
  const root = (n: number): Uint8Array => fromHex(roots[n] ?? '');
  const inclusion: InclusionVector[] = [];
  const consistency: ConsistencyVector[] = [];
  for (let n = 1; n <= tree.size; n++) {
    for (let index = 0; index < n; index++) {
      const proof = await tree.inclusionProof(index, n);
      await verifyInclusion({ leafHash: tree.leafHash(index), index, treeSize: n, rootHash: root(n), proof });
      inclusion.push({ index, treeSize: n, proof: proof.map(hex) });
    }
  }
  for (let n = 0; n <= tree.size; n++) {
    for (let m = 0; m <= n; m++) {
      const proof = await tree.consistencyProof(m, n);
      await verifyConsistency({
        firstSize: m,
        secondSize: n,
        firstRoot: root(m),
        secondRoot: root(n),
        proof,
      });
      consistency.push({ firstSize: m, secondSize: n, proof: proof.map(hex) });
    }
  }
  return { roots, inclusion, consistency };
}

export async function merkleVectors(): Promise<MerkleVectors> {
  const tree = new MerkleTree();
  for (const leaf of REFERENCE_LEAVES) await tree.append(fromHex(leaf));
  const { roots, inclusion, consistency } = await proofsOf(tree);
  if (roots[0] !== hex(EMPTY_TREE_HASH)) throw new Error('the empty root is SHA-256 of nothing');
  const root = (n: number): string => roots[n] ?? '';
  const leaf = (i: number): string => hex(tree.leafHash(i));
  const p58 = (await tree.inclusionProof(5, 8)).map(hex);
  const c68 = (await tree.consistencyProof(6, 8)).map(hex);
  const c48 = (await tree.consistencyProof(4, 8)).map(hex);
  const [a = '', b = '', c = ''] = p58;

  const included = (
    name: string,
    index: number,
    treeSize: number,
    proof: string[],
    leafHash: string,
    rootHash: string,
  ): NegativeProofVector => ({
    name: `inclusion: ${name}`,
    inclusion: { index, treeSize, proof, leafHash, rootHash },
    error: 'ERR_CRYPTO_PROOF_INVALID',
  });
  const consistent = (
    name: string,
    firstSize: number,
    secondSize: number,
    proof: string[],
    firstRoot: string,
    secondRoot: string,
  ): NegativeProofVector => ({
    name: `consistency: ${name}`,
    consistency: { firstSize, secondSize, proof, firstRoot, secondRoot },
    error: 'ERR_CRYPTO_PROOF_INVALID',
  });
  const negative = [
    included('index equal to the tree size', 8, 8, p58, leaf(5), root(8)),
    included('another index', 4, 8, p58, leaf(5), root(8)),
    included('another leaf', 5, 8, p58, leaf(4), root(8)),
    included('another tree size', 5, 7, p58, leaf(5), root(7)),
    included('a hash dropped', 5, 8, [a, b], leaf(5), root(8)),
    included('the root appended', 5, 8, [...p58, root(8)], leaf(5), root(8)),
    included('a flipped bit', 5, 8, [a, hex(flip(fromHex(b), 31, 7)), c], leaf(5), root(8)),
    included('a 31-byte hash', 5, 8, [a.slice(2), b, c], leaf(5), root(8)),
    included('a path for the only leaf', 0, 1, [leaf(0)], leaf(0), root(1)),
    consistent('empty proof', 6, 8, [], root(6), root(8)),
    consistent('roots swapped', 6, 8, c68, root(8), root(6)),
    consistent('second smaller than first', 8, 6, c68, root(8), root(6)),
    consistent('another first size', 5, 8, c68, root(5), root(8)),
    consistent('a hash dropped', 6, 8, c68.slice(0, 2), root(6), root(8)),
    consistent('first root prepended to a power-of-two proof', 4, 8, [root(4), ...c48], root(4), root(8)),
    consistent('equal sizes with a proof', 8, 8, [root(8)], root(8), root(8)),
    consistent('equal sizes, different roots', 8, 8, [], root(7), root(8)),
    consistent('from the empty tree with another first root', 0, 8, [], root(8), root(8)),
  ];
  for (const v of negative) {
    await expectError(v.error, v.name, async () => {
      if (v.inclusion !== undefined) {
        const { index, treeSize, proof, leafHash, rootHash } = v.inclusion;
        const claim = {
          index,
          treeSize,
          proof: proof.map(fromHex),
          leafHash: fromHex(leafHash),
          rootHash: fromHex(rootHash),
        };
        await verifyInclusion(claim);
      }
      if (v.consistency !== undefined) {
        const { firstSize, secondSize, proof, firstRoot, secondRoot } = v.consistency;
        const claim = {
          firstSize,
          secondSize,
          proof: proof.map(fromHex),
          firstRoot: fromHex(firstRoot),
          secondRoot: fromHex(secondRoot),
        };
        await verifyConsistency(claim);
      }
    });
  }
  return {
    description:
      'RFC 9162 Merkle tree over the RFC 6962 reference leaves of the certificate-transparency test data: leaf hashes, the root of every size 0..8, every inclusion proof and every consistency proof, and proofs that must fail. Generated by scripts/generate-transparency-vectors.ts.',
    leaves: REFERENCE_LEAVES,
    leafHashes: REFERENCE_LEAVES.map((_, i) => leaf(i)),
    roots,
    inclusion,
    consistency,
    negative,
  };
}
