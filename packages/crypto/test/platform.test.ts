// Node-only: without WebCrypto (as in a browser page served over plain http) every function fails with
// ERR_CRYPTO_NOT_SUPPORTED instead of a TypeError. Runs in its own process (node --test isolates files).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as lib from '../src/index.ts';

test('without crypto.subtle the library throws NotSupportedError', async () => {
  const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  assert.ok(original?.configurable, 'globalThis.crypto can be replaced here');
  Object.defineProperty(globalThis, 'crypto', {
    value: { getRandomValues: (a: Uint8Array) => a },
    configurable: true,
  });
  try {
    const codes: string[] = [];
    for (const run of [
      () => lib.generateKeyPair(),
      () => lib.encryptBytes(new Uint8Array(32), new Uint8Array(1)),
      () =>
        lib.decryptBytes(
          new Uint8Array(32),
          new Uint8Array(100).fill(0).map((_, i) => [65, 77, 84, 66, 83, 1, 6][i] ?? 0),
        ),
      () => lib.importPublicKey('amtb-pub1-AjSiT9h3VIiPJanNlambgm-FDC3591NZdFZote5W6b8V'),
      () => lib.fingerprint('amtb-pub1-AjSiT9h3VIiPJanNlambgm-FDC3591NZdFZote5W6b8V', 'a@b.example'),
      () => new lib.MerkleTree().append(new Uint8Array(1)),
      () =>
        lib.verifyInclusion({
          leafHash: new Uint8Array(32),
          index: 0,
          treeSize: 2,
          rootHash: new Uint8Array(32),
          proof: [new Uint8Array(32)],
        }),
      () => lib.generateLogKeyPair(),
      () => lib.importLogPublicKey('amtb-logkey1-AjSiT9h3VIiPJanNlambgm-FDC3591NZdFZote5W6b8V'),
    ]) {
      await assert.rejects(run, (error: unknown) => {
        codes.push(lib.isCryptoError(error) ? error.code : String(error));
        return true;
      });
    }
    assert.deepEqual(new Set(codes), new Set(['ERR_CRYPTO_NOT_SUPPORTED']));
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true });
    assert.throws(() => lib.generateFileKey(), { code: 'ERR_CRYPTO_NOT_SUPPORTED' });
  } finally {
    Object.defineProperty(globalThis, 'crypto', original);
  }
});
