// The node:crypto implementation of the stream format (`@amtsbote/crypto/node`, src/node/):
// every stream case of the suite (vectors whole, in random slices and byte by byte, negative vectors,
// fast-check properties, API behaviour) runs against it here, as crypto.test.ts runs them against the
// isomorphic WebCrypto functions; plus interoperation between the two and the isolation of the entries.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as lib from '../src/index.ts';
import * as node from '../src/node/index.node.ts';
import { encryptBytesWith, encryptStreamWith } from '../src/node/stream.node.ts';
import { concatAll, pipe, pseudoRandomBytes, randomSlices, type StreamImplementation } from './helpers.ts';
import { runStreamSuite } from './suite.ts';

const nodeStreams: StreamImplementation = {
  prefix: 'node:crypto: ',
  encryptStream: node.encryptStream,
  encryptStreamWith,
  decryptStream: node.decryptStream,
  encryptBytes: node.encryptBytes,
  encryptBytesWith,
  decryptBytes: node.decryptBytes,
  openStream: node.openStream,
  decryptChunk: node.decryptChunk,
};

runStreamSuite((name, fn) => {
  test(name, fn);
}, nodeStreams);

test('node:crypto and WebCrypto read each other’s streams at the default chunk size', async () => {
  const fileKey = lib.generateFileKey();
  const plaintext = pseudoRandomBytes(3 * lib.DEFAULT_CHUNK_SIZE + 777, 42);
  for (const [from, to] of [
    [lib, node],
    [node, lib],
  ] as const) {
    const enc = await pipe(from.encryptStream(fileKey), randomSlices(plaintext, 1, 200_000));
    assert.equal(enc.error, undefined);
    const dec = await pipe(to.decryptStream(fileKey), randomSlices(enc.output, 2, 600_000));
    assert.equal(dec.error, undefined);
    assert.deepEqual(dec.output, plaintext);
    assert.deepEqual(await to.decryptBytes(fileKey, await from.encryptBytes(fileKey, plaintext)), plaintext);
  }
});

test('node:crypto errors are the very classes of the main entry', async () => {
  assert.equal(node.DecryptionFailedError, lib.DecryptionFailedError);
  assert.equal(node.chunkRange, lib.chunkRange);
  const key = lib.generateFileKey();
  const ct = await node.encryptBytes(key, new Uint8Array(200), { chunkSize: 64 });
  const failures: unknown[] = [];
  for (const run of [
    () => node.decryptBytes(lib.generateFileKey(), ct),
    () => node.decryptBytes(key, ct.subarray(0, ct.length - 1)),
    () => node.decryptBytes(key, concatAll([ct, new Uint8Array(1)])),
    () => lib.decryptBytes(key, ct.subarray(0, ct.length - 1)),
  ]) {
    await assert.rejects(run, (error: unknown) => {
      failures.push(error);
      return error instanceof lib.DecryptionFailedError && lib.isCryptoError(error);
    });
  }
  const messages = new Set(
    failures.map((e) => (e instanceof Error ? `${e.name}|${e.message}|${String(e.cause)}` : '')),
  );
  assert.equal(messages.size, 1, 'one message, no cause');
});

test('node:crypto outputs are plain Uint8Arrays, as WebCrypto’s', async () => {
  const key = lib.generateFileKey();
  const plaintext = pseudoRandomBytes(100, 7);
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(plaintext);
      controller.close();
    },
  });
  const reader = source.pipeThrough(node.encryptStream(key, { chunkSize: 64 })).getReader();
  const pieces: Uint8Array[] = [];
  for (let r = await reader.read(); !r.done; r = await reader.read()) pieces.push(r.value);
  assert.ok(pieces.length > 0 && pieces.every((p) => Object.getPrototypeOf(p) === Uint8Array.prototype));
  const ciphertext = concatAll(pieces);
  const chunks = await node.openStream(key, ciphertext);
  const chunk = await chunks.decryptChunk(0, ciphertext.subarray(55, 135));
  assert.equal(Object.getPrototypeOf(chunk), Uint8Array.prototype);
  assert.deepEqual(chunk, plaintext.subarray(0, 64));
});

/** The files `from` imports, transitively, within packages/crypto/src. */
function importGraph(from: string, seen = new Set<string>()): Set<string> {
  if (seen.has(from)) return seen;
  seen.add(from);
  const source = readFileSync(from, 'utf8');
  for (const m of source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)) {
    const spec = m[1] ?? '';
    if (spec.startsWith('.')) importGraph(path.resolve(path.dirname(from), spec), seen);
    else seen.add(spec);
  }
  return seen;
}

test('the isomorphic entry imports neither node:* modules nor *.node.ts files', () => {
  const src = path.join(import.meta.dirname, '../src');
  const graph = [...importGraph(path.join(src, 'index.ts'))];
  assert.ok(
    graph.some((f) => f.endsWith('stream.ts')),
    'the walk follows imports',
  );
  assert.deepEqual(
    graph.filter((f) => f.startsWith('node:') || f.endsWith('.node.ts')),
    [],
    'browser-safe import graph',
  );
  const nodeGraph = [...importGraph(path.join(src, 'node/index.node.ts'))];
  assert.ok(nodeGraph.includes('node:crypto'), 'the walk sees node: imports');
  const pkg = JSON.parse(readFileSync(path.join(src, '../package.json'), 'utf8')) as {
    exports: Record<string, string>;
  };
  assert.equal(pkg.exports['.'], './src/index.ts');
  assert.equal(pkg.exports['./node'], './src/node/index.node.ts');
});
