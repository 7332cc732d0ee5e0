/**
 * The key transparency log: entry and signed-tree-head vectors (positive and negative), a client's whole
 * check of the committed log, every single-bit flip of a tree head and of an entry, and the API's checks.
 */
import { fromHex, toHex } from '../../src/encoding.ts';
import { fingerprintDigest } from '../../src/fingerprint.ts';
import { identify } from '../../src/format.ts';
import { generateKeyPair } from '../../src/keys.ts';
import { decodeLogEntry, encodeLogEntry, type LogEntry } from '../../src/log/entry.ts';
import { exportLogPublicKey, generateLogKeyPair, importLogPublicKey } from '../../src/log/log-key.ts';
import { encodeTreeHead, signTreeHead, verifyTreeHead } from '../../src/log/tree-head.ts';
import { hashLeaf } from '../../src/merkle/hash.ts';
import { MerkleTree } from '../../src/merkle/tree.ts';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify.ts';
import { isCryptoError } from '../../src/errors.ts';
import { assert, assertBytes, assertEqual, assertRejects } from '../assert.ts';
import type { Register } from '../helpers.ts';
import type { LogVectors } from '../vector-types.ts';
import vectorsJson from '../vectors/log.json' with { type: 'json' };

const vectors = vectorsJson as LogVectors;
const PARAMS = 'ERR_CRYPTO_INVALID_PARAMETERS';

function sameEntry(a: LogEntry, b: LogEntry): boolean {
  const fields = ['action', 'keyKind', 'address', 'publicKey', 'timestamp', 'sequence'] as const;
  return fields.every((f) => a[f] === b[f]) && toHex(a.fingerprint) === toHex(b.fingerprint);
}

export function registerLog(test: Register): void {
  const logKey = (): Promise<CryptoKey> => importLogPublicKey(vectors.logKey.publicKeyText);

  for (const [i, v] of vectors.entries.entries()) {
    test(`log vector: entry ${i} (${v.action} ${v.keyKind}) encoded, decoded and hashed`, async () => {
      const { action, keyKind, address, timestamp, sequence } = v;
      const fields = { action, keyKind, address, publicKey: v.publicKeyText, timestamp, sequence };
      assertEqual(toHex(await encodeLogEntry(fields)), v.encoded, 'encoded');
      const entry = await decodeLogEntry(fromHex(v.encoded));
      const expected = { ...fields, address: v.normalizedAddress, fingerprint: fromHex(v.fingerprint) };
      assert(sameEntry(entry, expected), 'decoded fields');
      assertEqual(toHex(await fingerprintDigest(v.publicKeyText, v.address)), v.fingerprint, 'fingerprint');
      assertEqual(toHex(await hashLeaf(fromHex(v.encoded))), v.leafHash, 'leaf hash');
      assertEqual(identify(fromHex(v.encoded)), 'logEntry', 'identify');
    });
  }

  test('log vectors: a client checks both tree heads, every entry in the log and the log only growing', async () => {
    const key = await logKey();
    const heads = [];
    for (const v of vectors.treeHeads) {
      const head = await verifyTreeHead(fromHex(v.signed), key, v.logId);
      assertEqual(head.treeSize, v.treeSize, 'size');
      assertEqual(head.timestamp, v.timestamp, 'timestamp');
      assertEqual(toHex(head.rootHash), v.rootHash, 'root');
      assertEqual(toHex(encodeTreeHead(head)), v.tbs, 'signed bytes');
      assertEqual(identify(fromHex(v.signed)), 'treeHead', 'identify');
      heads.push(head);
    }
    const [older, newer] = heads;
    assert(older !== undefined && newer !== undefined, 'two tree heads');
    for (const v of vectors.inclusion) {
      const entry = vectors.entries[v.index];
      assert(entry !== undefined, 'entry');
      const claim = {
        leafHash: await hashLeaf(fromHex(entry.encoded)),
        index: v.index,
        treeSize: newer.treeSize,
      };
      await verifyInclusion({ ...claim, rootHash: newer.rootHash, proof: v.proof.map(fromHex) });
    }
    const { proof } = vectors.consistency;
    const sizes = { firstSize: older.treeSize, secondSize: newer.treeSize };
    await verifyConsistency({
      ...sizes,
      firstRoot: older.rootHash,
      secondRoot: newer.rootHash,
      proof: proof.map(fromHex),
    });
    const tree = new MerkleTree();
    for (const e of vectors.entries) await tree.append(fromHex(e.encoded));
    for (let n = 0; n <= tree.size; n++)
      assertEqual(toHex(await tree.rootHash(n)), vectors.roots[n] ?? '', `root ${n}`);
  });

  for (const v of vectors.negativeEntries) {
    test(`negative log entry vector "${v.name}": ${v.error}`, async () => {
      await assertRejects(() => decodeLogEntry(fromHex(v.encoded)), v.error, v.name);
    });
  }

  for (const v of vectors.negativeTreeHeads) {
    test(`negative tree head vector "${v.name}": ${v.error}`, async () => {
      const key = await importLogPublicKey(v.logPublicKeyText);
      await assertRejects(() => verifyTreeHead(fromHex(v.signed), key, v.logId), v.error, v.name);
    });
  }

  test('log: every single-bit flip of a signed tree head is rejected', async () => {
    const key = await logKey();
    const signed = fromHex(vectors.treeHeads[0]?.signed ?? '');
    const expected = new Set([
      'ERR_CRYPTO_SIGNATURE_INVALID',
      'ERR_CRYPTO_INVALID_FORMAT',
      'ERR_CRYPTO_UNSUPPORTED_VERSION',
    ]);
    const flips = Array.from({ length: signed.length * 8 }, (_, bit) => {
      const data = new Uint8Array(signed);
      data[bit >> 3] = (data[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      return verifyTreeHead(data, key, vectors.treeHeads[0]?.logId ?? '').then(
        () => `bit ${bit} verified`,
        (error: unknown) =>
          isCryptoError(error) && expected.has(error.code) ? undefined : `bit ${bit}: ${String(error)}`,
      );
    });
    const failures = (await Promise.all(flips)).filter((f) => f !== undefined);
    assertEqual(failures.join('; '), '', 'every flip rejected');
  });

  test('log: every single-bit flip of an entry is rejected or decodes to another entry (canonical)', async () => {
    const original = fromHex(vectors.entries[0]?.encoded ?? '');
    const decoded = await decodeLogEntry(original);
    let accepted = 0;
    for (let bit = 0; bit < original.length * 8; bit++) {
      const data = new Uint8Array(original);
      data[bit >> 3] = (data[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      let entry: LogEntry;
      try {
        entry = await decodeLogEntry(data);
      } catch (error) {
        assert(isCryptoError(error), `bit ${bit}: ${String(error)}`);
        continue;
      }
      accepted++;
      assert(!sameEntry(entry, decoded), `bit ${bit}: a different entry`);
      assertBytes(await encodeLogEntry(entry), data, `bit ${bit}: re-encodes to the same bytes`);
      // Only the key kind (personal to organisation), the sequence number and the timestamp can change
      // into another valid value with one bit.
      assert(bit >= 56 && bit < 192, `bit ${bit}: kind, sequence and timestamp only`);
    }
    assert(accepted > 0, 'flips in the sequence number and timestamp give other valid entries');
  });

  test('log api: sign, verify and the log key text form round-trip', async () => {
    const pair = await generateLogKeyPair();
    const text = await exportLogPublicKey(pair.publicKey);
    assert(/^amtb-logkey1-[A-Za-z0-9_-]{44}$/.test(text), text);
    const publicKey = await importLogPublicKey(` ${text}\n`);
    const head = {
      logId: 'tenant-42',
      treeSize: 2 ** 40,
      timestamp: Date.now(),
      rootHash: await hashLeaf(new Uint8Array()),
    };
    const signed = await signTreeHead(head, pair.privateKey);
    const verified = await verifyTreeHead(signed, publicKey, 'tenant-42');
    assertEqual(verified.treeSize, head.treeSize, 'size above 2^32');
    assertBytes(verified.rootHash, head.rootHash, 'root');
    await assertRejects(
      () => verifyTreeHead(signed, publicKey, 'tenant-43'),
      'ERR_CRYPTO_SIGNATURE_INVALID',
      'other log',
    );
  });

  test('log api: wrong keys, log ids, fields and texts are refused with their codes', async () => {
    const pair = await generateLogKeyPair();
    const ecdh = await generateKeyPair();
    const rootHash = new Uint8Array(32);
    const head = { logId: 'x', treeSize: 0, timestamp: 0, rootHash };
    await assertRejects(() => signTreeHead(head, ecdh.privateKey), PARAMS, 'ECDH key cannot sign');
    await assertRejects(() => signTreeHead(head, pair.publicKey), PARAMS, 'public key cannot sign');
    for (const bad of [
      { ...head, logId: '' },
      { ...head, logId: 'a b' },
      { ...head, logId: 'ä' },
      { ...head, logId: 'x'.repeat(256) },
      { ...head, treeSize: -1 },
      { ...head, timestamp: 2 ** 53 },
      { ...head, rootHash: new Uint8Array(31) },
    ]) {
      await assertRejects(() => signTreeHead(bad, pair.privateKey), PARAMS, JSON.stringify(bad.logId));
    }
    const signed = await signTreeHead(head, pair.privateKey);
    await assertRejects(() => verifyTreeHead(signed, ecdh.publicKey, 'x'), PARAMS, 'ECDH key cannot verify');
    await assertRejects(() => verifyTreeHead(signed, pair.publicKey, ''), PARAMS, 'invalid expected log id');
    await assertRejects(
      () => importLogPublicKey('amtb-pub1-AjSiT9h3VIiPJanNlambgm-FDC3591NZdFZote5W6b8V'),
      'ERR_CRYPTO_INVALID_FORMAT',
      'a recipient key',
    );
    await assertRejects(
      () => importLogPublicKey('amtb-logkey2-AAAA'),
      'ERR_CRYPTO_UNSUPPORTED_VERSION',
      'version',
    );
    await assertRejects(
      () => importLogPublicKey(`amtb-logkey1-${'_'.repeat(44)}`),
      'ERR_CRYPTO_INVALID_FORMAT',
      'off curve',
    );
    await assertRejects(() => exportLogPublicKey(ecdh.publicKey), PARAMS, 'ECDH key is no log key');
    const v = vectors.entries[0];
    assert(v !== undefined, 'entry vector');
    const fields = {
      action: v.action,
      keyKind: v.keyKind,
      address: v.address,
      publicKey: v.publicKeyText,
      timestamp: 0,
      sequence: 0,
    };
    for (const bad of [
      { ...fields, action: 'revoke' as 'retire' },
      { ...fields, keyKind: 'team' as 'personal' },
      { ...fields, timestamp: -1 },
      { ...fields, sequence: 0.5 },
      { ...fields, address: ' ' },
    ]) {
      await assertRejects(() => encodeLogEntry(bad), PARAMS, JSON.stringify(bad));
    }
    await assertRejects(
      () => encodeLogEntry({ ...fields, publicKey: pair.publicKey }),
      PARAMS,
      'ECDSA key in an entry',
    );
    await assertRejects(
      () => encodeLogEntry({ ...fields, publicKey: 'amtb-pub1-x' }),
      'ERR_CRYPTO_INVALID_FORMAT',
      'bad text',
    );
    const fromKey = await encodeLogEntry({ ...fields, publicKey: ecdh.publicKey });
    assertEqual((await decodeLogEntry(fromKey)).fingerprint.length, 32, 'a CryptoKey works too');
  });
}
