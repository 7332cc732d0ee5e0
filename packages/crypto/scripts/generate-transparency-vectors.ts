// Generates the committed vectors of fingerprints and of the key transparency log in
// packages/crypto/test/vectors/: fingerprint.json, merkle.json and log.json (shapes in
// test/vector-types.ts). Re-running yields the same bytes: keys come from fixed seeds, and the ECDSA
// signatures of tree heads are made with a recorded nonce k (scripts/transparency/common.ts) and checked
// with WebCrypto. Every vector, positive or negative, is checked against the implementation before
// anything is written.
//
//   node_modules/.bin/node packages/crypto/scripts/generate-transparency-vectors.ts
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fingerprintVectors } from './transparency/fingerprint-vectors.ts';
import { logVectors } from './transparency/log-vectors.ts';
import { merkleVectors } from './transparency/merkle-vectors.ts';

const outDir = path.resolve(import.meta.dirname, '../test/vectors');
const files = {
  'fingerprint.json': await fingerprintVectors(),
  'merkle.json': await merkleVectors(),
  'log.json': await logVectors(),
};
for (const [name, vectors] of Object.entries(files)) {
  await writeFile(path.join(outDir, name), `${JSON.stringify(vectors, null, 2)}\n`);
}
