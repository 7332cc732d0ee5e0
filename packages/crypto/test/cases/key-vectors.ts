/**
 * The committed key vectors: envelopes, wrapped private keys, recovery codes and public-key texts are
 * reproduced from their recorded randomness and opened; negative vectors fail with their recorded code.
 */
import { fromHex } from '../../src/encoding.ts';
import { unwrapFileKey, wrapFileKeyWith } from '../../src/envelope.ts';
import { compressPoint, importKeyPair, importPublicKey, exportPublicKey } from '../../src/keys.ts';
import { unwrapFileKeyWithPassphrase, wrapFileKeyWithPassphraseWith } from '../../src/passphrase.ts';
import {
  unwrapPrivateKeyWithPassphrase,
  unwrapPrivateKeyWithRecoveryCode,
  wrapPrivateKeyWithPassphraseWith,
  wrapPrivateKeyWithRecoveryCodeWith,
} from '../../src/privatekey.ts';
import { generateRecoveryCodeWith, normalizeRecoveryCode } from '../../src/recovery.ts';
import { assert, assertBytes, assertEqual, assertRejects } from '../assert.ts';
import { fixedRandom, type Register } from '../helpers.ts';
import type { KeyPairVector, KeyVectors, NegativeKeyVector } from '../vector-types.ts';
import vectorsJson from '../vectors/keys.json' with { type: 'json' };

const vectors = vectorsJson as KeyVectors;

async function keyPairOf(v: KeyPairVector, extractable = false): Promise<CryptoKeyPair> {
  const pair = await importKeyPair(fromHex(v.scalar), fromHex(v.publicKey), extractable);
  assert(pair !== undefined, 'vector key pair imports');
  return pair;
}

async function compressed(publicKey: CryptoKey): Promise<Uint8Array> {
  return compressPoint(new Uint8Array(await crypto.subtle.exportKey('raw', publicKey)));
}

async function open(v: NegativeKeyVector): Promise<unknown> {
  const data = fromHex(v.data);
  switch (v.kind) {
    case 'p256Envelope':
      assert(v.keyPair !== undefined, 'vector has a key pair');
      return unwrapFileKey(data, await keyPairOf(v.keyPair));
    case 'passphraseEnvelope':
      return unwrapFileKeyWithPassphrase(data, v.secret ?? '');
    case 'passphrasePrivateKey':
      return unwrapPrivateKeyWithPassphrase(data, v.secret ?? '');
    case 'recoveryPrivateKey':
      return unwrapPrivateKeyWithRecoveryCode(data, v.secret ?? '');
  }
}

export function registerKeyVectors(test: Register): void {
  for (const v of vectors.p256Envelopes) {
    test(`key vector "${v.name}": reproduced and opened`, async () => {
      const recipient = await keyPairOf(v.recipient);
      const ephemeral = await keyPairOf(v.ephemeral);
      const fileKey = fromHex(v.fileKey);
      assertBytes(
        await wrapFileKeyWith(fileKey, recipient.publicKey, ephemeral),
        fromHex(v.envelope),
        'envelope',
      );
      assertBytes(await unwrapFileKey(fromHex(v.envelope), recipient), fileKey, 'file key');
      assertEqual(await exportPublicKey(recipient.publicKey), v.recipient.publicKeyText, 'public key text');
    });
  }

  for (const v of vectors.passphraseEnvelopes) {
    test(`key vector "${v.name}": reproduced and opened`, async () => {
      const fileKey = fromHex(v.fileKey);
      const made = await wrapFileKeyWithPassphraseWith(
        fileKey,
        v.passphrase,
        v.params,
        fixedRandom(fromHex(v.salt)),
      );
      assertBytes(made, fromHex(v.envelope), 'envelope');
      for (const passphrase of [v.passphrase, ...v.equivalentPassphrases]) {
        assertBytes(await unwrapFileKeyWithPassphrase(fromHex(v.envelope), passphrase), fileKey, 'file key');
      }
    });
  }

  for (const v of vectors.passphrasePrivateKeys) {
    test(`key vector "${v.name}": reproduced and opened as a non-extractable key`, async () => {
      const pair = await keyPairOf(v.keyPair, true);
      const made = await wrapPrivateKeyWithPassphraseWith(
        pair,
        v.passphrase,
        v.params,
        fixedRandom(fromHex(v.salt)),
      );
      assertBytes(made, fromHex(v.wrapped), 'wrapped');
      const opened = await unwrapPrivateKeyWithPassphrase(fromHex(v.wrapped), v.passphrase);
      assertEqual(opened.privateKey.extractable, false, 'extractable');
      assertBytes(await compressed(opened.publicKey), fromHex(v.keyPair.publicKey), 'public key');
    });
  }

  for (const [i, v] of vectors.recoveryCodes.entries()) {
    test(`key vector: recovery code ${i} from its random bytes`, () => {
      assertEqual(generateRecoveryCodeWith(fixedRandom(fromHex(v.random))), v.recoveryCode, 'code');
      assertEqual(normalizeRecoveryCode(v.recoveryCode), v.recoveryCode, 'canonical');
      return Promise.resolve();
    });
  }

  for (const v of vectors.recoveryPrivateKeys) {
    test(`key vector "${v.name}": reproduced and opened with every spelling of the code`, async () => {
      const pair = await keyPairOf(v.keyPair, true);
      const made = await wrapPrivateKeyWithRecoveryCodeWith(
        pair,
        v.recoveryCode,
        fixedRandom(fromHex(v.salt)),
      );
      assertBytes(made, fromHex(v.wrapped), 'wrapped');
      for (const code of [v.recoveryCode, ...v.equivalentCodes]) {
        const opened = await unwrapPrivateKeyWithRecoveryCode(fromHex(v.wrapped), code);
        assertEqual(opened.privateKey.extractable, false, 'extractable');
        assertBytes(await compressed(opened.publicKey), fromHex(v.keyPair.publicKey), 'public key');
      }
    });
  }

  test('key vectors: public key texts', async () => {
    for (const v of vectors.publicKeyTexts) {
      if (v.error === undefined) {
        const key = await importPublicKey(v.text);
        assertBytes(await compressed(key), fromHex(v.publicKey ?? ''), v.text);
        assertEqual(await exportPublicKey(key), v.text, 'round trip');
        assertEqual((await importPublicKey(`  ${v.text}\n`)).type, 'public', 'whitespace ignored');
      } else {
        const { error } = v;
        await assertRejects(() => importPublicKey(v.text), error, v.text);
      }
    }
  });

  for (const v of vectors.negative) {
    test(`negative key vector "${v.name}": ${v.error}`, async () => {
      await assertRejects(() => open(v), v.error, v.name);
    });
  }
}
