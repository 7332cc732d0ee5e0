// Times the key transparency log's operations on WebCrypto for a tree of N leaves (default 100 000):
// building it, generating proofs, and what a browser or the CLI does per check — verifying one inclusion
// proof, one consistency proof, one signed tree head, decoding one entry. Median of R runs (default 500).
//   node_modules/.bin/node packages/crypto/bench/merkle.ts [leaves] [runs]
import { generateKeyPair } from '../src/keys.ts';
import { decodeLogEntry, encodeLogEntry } from '../src/log/entry.ts';
import { generateLogKeyPair } from '../src/log/log-key.ts';
import { signTreeHead, verifyTreeHead } from '../src/log/tree-head.ts';
import { MerkleTree } from '../src/merkle/tree.ts';
import { verifyConsistency, verifyInclusion } from '../src/merkle/verify.ts';
import { exportPublicKey } from '../src/keys.ts';
import { prng } from '../test/helpers.ts';

const leaves = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 500);
const random = prng(7);
const pick = (below: number): number => Math.floor(random() * below);

/** Median and mean of `runs` timings of `fn(i)`, in milliseconds. */
async function time(fn: (i: number) => Promise<unknown>): Promise<string> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[samples.length >> 1] ?? 0;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return `median ${median.toFixed(3)} ms, mean ${mean.toFixed(3)} ms`;
}

const publicKey = await exportPublicKey((await generateKeyPair()).publicKey);
const entry = await encodeLogEntry({
  action: 'publish',
  keyKind: 'personal',
  address: 'someone@example.org',
  publicKey,
  timestamp: Date.now(),
  sequence: 0,
});

let start = performance.now();
const tree = new MerkleTree();
for (let i = 0; i < leaves; i++) {
  const leaf = new Uint8Array(entry);
  new DataView(leaf.buffer).setUint32(12, i); // distinct entries (sequence numbers)
  await tree.append(leaf);
}
console.log(
  `${leaves} leaves of ${entry.length} bytes appended in ${(performance.now() - start).toFixed(0)} ms`,
);
const root = await tree.rootHash();

const inclusion = await Promise.all(
  Array.from({ length: runs }, async () => {
    const index = pick(leaves);
    return { index, proof: await tree.inclusionProof(index) };
  }),
);
console.log(`inclusion proof: ${inclusion[0]?.proof.length ?? 0} hashes or so`);
const firsts = Array.from({ length: runs }, () => 1 + pick(leaves - 1));
const roots = await Promise.all(firsts.map((m) => tree.rootHash(m)));
start = performance.now();
const consistency = await Promise.all(firsts.map((m) => tree.consistencyProof(m)));
console.log(
  `generate ${runs} consistency proofs: ${(performance.now() - start).toFixed(0)} ms (concurrently)`,
);
console.log(
  `generate one inclusion proof:   ${await time((i) => tree.inclusionProof(inclusion[i]?.index ?? 0))}`,
);

console.log(
  `verify one inclusion proof:     ${await time((i) => {
    const { index = 0, proof = [] } = inclusion[i] ?? {};
    return verifyInclusion({
      leafHash: tree.leafHash(index),
      index,
      treeSize: leaves,
      rootHash: root,
      proof,
    });
  })}`,
);
console.log(
  `verify one consistency proof:   ${await time((i) =>
    verifyConsistency({
      firstSize: firsts[i] ?? 1,
      firstRoot: roots[i] ?? root,
      secondSize: leaves,
      secondRoot: root,
      proof: consistency[i] ?? [],
    }),
  )}`,
);
const logKey = await generateLogKeyPair();
const signed = await signTreeHead(
  { logId: 'bench', treeSize: leaves, timestamp: Date.now(), rootHash: root },
  logKey.privateKey,
);
console.log(
  `verify one signed tree head:    ${await time(() => verifyTreeHead(signed, logKey.publicKey, 'bench'))}`,
);
console.log(`decode one entry:               ${await time(() => decodeLogEntry(entry))}`);
