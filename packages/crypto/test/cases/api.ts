/**
 * Behaviour of the public API beyond the vectors: defaults, argument checks, errors, personal keys.
 */
import * as lib from '../../src/index.ts';
import { assert, assertBytes, assertCode, assertEqual, assertRejects } from '../assert.ts';
import {
  concatAll,
  pipe,
  pseudoRandomBytes,
  randomSlices,
  webCryptoStreams,
  type Register,
  type StreamImplementation,
} from '../helpers.ts';

const fast: lib.Argon2Parameters = { memoryKiB: 19 * 1024, iterations: 2, parallelism: 1 };

function throwsCode(fn: () => unknown, code: lib.CryptoErrorCode, message: string): void {
  let threw = false;
  try {
    fn();
  } catch (error) {
    assertCode(error, code, message);
    threw = true;
  }
  assert(threw, `${message}: expected ${code}`);
}

/** The API cases of the stream functions, for one implementation of them. */
export function registerStreamApi(register: Register, s: StreamImplementation = webCryptoStreams): void {
  const test: Register = (name, fn) => register(s.prefix + name, fn);
  test('api: default 512 KiB chunks stream a multi-chunk file in uneven slices', async () => {
    const fileKey = lib.generateFileKey();
    const plaintext = pseudoRandomBytes(2 * lib.DEFAULT_CHUNK_SIZE + 12345, 5);
    const enc = await pipe(s.encryptStream(fileKey), randomSlices(plaintext, 9, 300_000));
    assertEqual(enc.error, undefined, 'encrypt');
    assertEqual(enc.output.length, lib.ciphertextLength(plaintext.length), 'length');
    assertEqual(lib.parseHeader(enc.output).chunkSize, 1 << 19, 'default chunk size');
    const dec = await pipe(s.decryptStream(fileKey), randomSlices(enc.output, 10, 700_000));
    assertEqual(dec.error, undefined, 'decrypt');
    assertBytes(dec.output, plaintext, 'round trip');
    assertBytes(await s.decryptBytes(fileKey, await s.encryptBytes(fileKey, plaintext)), plaintext, 'bytes');
  });

  test('api: two encryptions of the same plaintext under the same key differ (fresh salt)', async () => {
    const fileKey = lib.generateFileKey();
    const a = await s.encryptBytes(fileKey, new Uint8Array(10));
    const b = await s.encryptBytes(fileKey, new Uint8Array(10));
    assert(lib.toBase64Url(a) !== lib.toBase64Url(b), 'ciphertexts differ');
    assertEqual(lib.identify(a), 'stream', 'identify');
  });

  test('api: argument checks throw ERR_CRYPTO_INVALID_PARAMETERS synchronously', async () => {
    const key = lib.generateFileKey();
    throwsCode(() => s.encryptStream(new Uint8Array(16)), 'ERR_CRYPTO_INVALID_PARAMETERS', 'short key');
    throwsCode(() => s.decryptStream(new Uint8Array(33)), 'ERR_CRYPTO_INVALID_PARAMETERS', 'long key');
    for (const chunkSize of [32, 100, 2 ** 25, 0, -64, Number.NaN]) {
      throwsCode(
        () => s.encryptStream(key, { chunkSize }),
        'ERR_CRYPTO_INVALID_PARAMETERS',
        `chunk ${chunkSize}`,
      );
    }
    throwsCode(() => s.decryptStream(key, { firstChunk: 1 }), 'ERR_CRYPTO_INVALID_PARAMETERS', 'no header');
    throwsCode(() => lib.chunkRange(5, 5, 10), 'ERR_CRYPTO_INVALID_PARAMETERS', 'empty range');
    throwsCode(() => lib.chunkRange(0, 11, 10), 'ERR_CRYPTO_INVALID_PARAMETERS', 'range past the end');
    await assertRejects(
      () => s.encryptBytes(key, new Uint8Array(1), { chunkSize: 3 }),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'bytes',
    );
    const ct = await s.encryptBytes(key, new Uint8Array(100), { chunkSize: 64 });
    const reader = await s.openStream(key, ct);
    await assertRejects(
      () => reader.decryptChunk(-1, ct.subarray(55, 135)),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'index',
    );
    await assertRejects(
      () => s.decryptChunk(key, ct, 0, ct.subarray(55)),
      'ERR_CRYPTO_DECRYPTION_FAILED',
      'too long',
    );
    const writeString = await pipe(s.encryptStream(key), ['text' as unknown as Uint8Array]);
    assertCode(writeString.error, 'ERR_CRYPTO_INVALID_PARAMETERS', 'non-bytes chunk');
  });

  test('api: a stream that is not a stream fails before any key is used', async () => {
    const key = lib.generateFileKey();
    const text = new TextEncoder().encode(
      '%PDF-1.7 this is not encrypted at all, but long enough for a header',
    );
    const dec = await pipe(s.decryptStream(key), [text]);
    assertCode(dec.error, 'ERR_CRYPTO_INVALID_FORMAT', 'not a stream');
    assertEqual(dec.output.length, 0, 'no output');
    const envelope = await lib.wrapFileKey(key, (await lib.generateKeyPair()).publicKey);
    await assertRejects(() => s.decryptBytes(key, envelope), 'ERR_CRYPTO_INVALID_FORMAT', 'an envelope');
    throwsCode(() => lib.identify(text), 'ERR_CRYPTO_INVALID_FORMAT', 'identify');
  });

  test('api: openStream authenticates the header (MAC) before any chunk is involved', async () => {
    const key = lib.generateFileKey();
    const ct = await s.encryptBytes(key, new Uint8Array(100), { chunkSize: 64 });
    const header = ct.subarray(0, lib.HEADER_LENGTH);
    assertEqual((await s.openStream(key, header)).header.chunkSize, 64, 'opens');
    await assertRejects(
      () => s.openStream(lib.generateFileKey(), header),
      'ERR_CRYPTO_DECRYPTION_FAILED',
      'wrong key',
    );
    for (let i = 6; i < lib.HEADER_LENGTH; i++) {
      const tampered = header.slice();
      tampered[i] = (tampered[i] ?? 0) ^ (i === 6 ? 1 : 0x80);
      await assertRejects(
        () => s.openStream(key, tampered),
        'ERR_CRYPTO_DECRYPTION_FAILED',
        `header byte ${i}`,
      );
      await assertRejects(
        () => s.decryptChunk(key, tampered, 0, ct.subarray(55, 135)),
        'ERR_CRYPTO_DECRYPTION_FAILED',
        `decryptChunk, header byte ${i}`,
      );
    }
  });

  test('api: resuming a download from a chunk checks that the stream still ends properly', async () => {
    const key = lib.generateFileKey();
    const plaintext = pseudoRandomBytes(300, 3);
    const ct = await s.encryptBytes(key, plaintext, { chunkSize: 64 });
    const header = ct.subarray(0, lib.HEADER_LENGTH);
    const range = lib.chunkRange(150, 300, 300, 64);
    const rest = ct.subarray(range.ciphertextStart);
    const ok = await pipe(s.decryptStream(key, { header, firstChunk: range.firstChunk }), [rest]);
    assertBytes(ok.output.subarray(range.skip), plaintext.subarray(150), 'resumed');
    const cut = await pipe(s.decryptStream(key, { header, firstChunk: range.firstChunk }), [
      rest.subarray(0, 80),
    ]);
    assertCode(cut.error, 'ERR_CRYPTO_DECRYPTION_FAILED', 'truncated resume');
    const wrong = await pipe(s.decryptStream(key, { header, firstChunk: range.firstChunk + 1 }), [rest]);
    assertCode(wrong.error, 'ERR_CRYPTO_DECRYPTION_FAILED', 'wrong index');
    assertEqual(wrong.output.length, 0, 'nothing released');
  });
}

export function registerApi(test: Register): void {
  registerStreamApi(test);

  test('api: P-256 recipients, public key text, extractability', async () => {
    const fileKey = lib.generateFileKey();
    const alice = await lib.generateKeyPair();
    assertEqual(alice.privateKey.extractable, false, 'non-extractable by default');
    const text = await lib.exportPublicKey(alice.publicKey);
    assert(/^amtb-pub1-[A-Za-z0-9_-]{44}$/.test(text), 'text form');
    const envelope = await lib.wrapFileKey(fileKey, await lib.importPublicKey(text));
    assertEqual(envelope.length, 87, 'envelope length');
    assertEqual(lib.identify(envelope), 'p256Envelope', 'identify');
    assertBytes(await lib.unwrapFileKey(envelope, alice), fileKey, 'unwrap');
    const again = await lib.wrapFileKey(fileKey, alice.publicKey);
    assert(lib.toBase64Url(again) !== lib.toBase64Url(envelope), 'fresh ephemeral key per wrap');
    await assertRejects(
      () => lib.unwrapFileKey(envelope, { publicKey: alice.publicKey, privateKey: alice.publicKey }),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'public as private',
    );
    await assertRejects(
      () => lib.wrapFileKey(fileKey, alice.privateKey),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'private as recipient',
    );
    await assertRejects(
      () => lib.wrapPrivateKeyWithRecoveryCode(alice, lib.generateRecoveryCode()),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'non-extractable',
    );
  });

  test('api: passphrase envelopes use the defaults, refuse weak parameters and bound the cost of unwrapping', async () => {
    const fileKey = lib.generateFileKey();
    const envelope = await lib.wrapFileKeyWithPassphrase(fileKey, 'Sommerfest 2025!');
    assertEqual(envelope.length, 79, 'length');
    const params = lib.passphraseParameters(envelope);
    assertEqual(params.memoryKiB, 65536, 'default memory');
    assertEqual(params.iterations, 3, 'default iterations');
    assertEqual(params.parallelism, 1, 'default parallelism');
    assertBytes(await lib.unwrapFileKeyWithPassphrase(envelope, 'Sommerfest 2025!'), fileKey, 'unwrap');
    for (const weak of [
      { memoryKiB: 1024, iterations: 3, parallelism: 1 },
      { memoryKiB: 65536, iterations: 1, parallelism: 1 },
      { memoryKiB: 1 << 20, iterations: 3, parallelism: 1 },
      { memoryKiB: 65536, iterations: 3, parallelism: 0 },
      { memoryKiB: 65536, iterations: 2.5, parallelism: 1 },
    ]) {
      await assertRejects(
        () => lib.wrapFileKeyWithPassphrase(fileKey, 'x', weak),
        'ERR_CRYPTO_INVALID_PARAMETERS',
        JSON.stringify(weak),
      );
    }
    await assertRejects(
      () => lib.wrapFileKeyWithPassphrase(fileKey, '', fast),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'empty',
    );
    // An envelope asking for 256 MiB x 10 passes is refused above the bound without any work.
    const huge = envelope.slice();
    new DataView(huge.buffer).setUint32(6, 257 * 1024);
    const started = Date.now();
    await assertRejects(
      () => lib.unwrapFileKeyWithPassphrase(huge, 'x'),
      'ERR_CRYPTO_INVALID_PARAMETERS',
      'DoS guard',
    );
    assert(Date.now() - started < 100, 'refused at once');
  });

  test('api: a personal key is created once and unlocked by passphrase or recovery code', async () => {
    const personal = await lib.createPersonalKey('Mein geheimes Schlüsselwort', fast);
    assertEqual(personal.keyPair.privateKey.extractable, false, 'session key is non-extractable');
    assert(lib.isRecoveryCode(personal.recoveryCode), 'recovery code well-formed');
    assert(/^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}$/.test(personal.recoveryCode), 'grouped');
    assertEqual(lib.identify(personal.wrappedWithPassphrase), 'passphrasePrivateKey', 'K');
    assertEqual(lib.identify(personal.wrappedWithRecoveryCode), 'recoveryPrivateKey', 'R');
    assertEqual(lib.passphraseParameters(personal.wrappedWithPassphrase).memoryKiB, fast.memoryKiB, 'params');
    const fileKey = lib.generateFileKey();
    const envelope = await lib.wrapFileKey(fileKey, await lib.importPublicKey(personal.publicKey));
    assertBytes(await lib.unwrapFileKey(envelope, personal.keyPair), fileKey, 'session key opens');
    const byPassphrase = await lib.unwrapPrivateKeyWithPassphrase(
      personal.wrappedWithPassphrase,
      'Mein geheimes Schlüsselwort',
    );
    assertBytes(await lib.unwrapFileKey(envelope, byPassphrase), fileKey, 'passphrase opens');
    const byCode = await lib.unwrapPrivateKeyWithRecoveryCode(
      personal.wrappedWithRecoveryCode,
      personal.recoveryCode,
      {
        extractable: true,
      },
    );
    assertBytes(await lib.unwrapFileKey(envelope, byCode), fileKey, 'recovery code opens');
    // Recovery: set a new passphrase from the extractable copy.
    const rewrapped = await lib.wrapPrivateKeyWithPassphrase(byCode, 'ein neues Passwort', fast);
    const reopened = await lib.unwrapPrivateKeyWithPassphrase(rewrapped, 'ein neues Passwort');
    assertBytes(await lib.unwrapFileKey(envelope, reopened), fileKey, 'new passphrase opens');
    await assertRejects(
      () => lib.unwrapPrivateKeyWithPassphrase(rewrapped, 'Mein geheimes Schlüsselwort'),
      'ERR_CRYPTO_DECRYPTION_FAILED',
      'old passphrase',
    );
  });

  test('api: errors carry stable codes, one class per code, and one message for every decryption failure', async () => {
    const classes = [
      lib.DecryptionFailedError,
      lib.InvalidFormatError,
      lib.UnsupportedVersionError,
      lib.InvalidParametersError,
      lib.NotSupportedError,
    ];
    const codes = new Set<string>();
    for (const Class of classes) {
      const error = Class === lib.DecryptionFailedError ? new lib.DecryptionFailedError() : new Class('m');
      assert(error instanceof lib.CryptoError && error instanceof Error, 'hierarchy');
      assert(lib.isCryptoError(error), 'isCryptoError');
      assertEqual(error.code, Class.code, 'static code');
      assertEqual(error.name, Class.name, 'name');
      codes.add(error.code);
    }
    assertEqual(codes.size, classes.length, 'codes are distinct');
    assert(!lib.isCryptoError(new Error('x')), 'plain errors are not ours');
    const key = lib.generateFileKey();
    const ct = await lib.encryptBytes(key, new Uint8Array(200), { chunkSize: 64 });
    const failures: unknown[] = [];
    for (const run of [
      () => lib.decryptBytes(lib.generateFileKey(), ct),
      () => lib.decryptBytes(key, ct.subarray(0, ct.length - 1)),
      () => lib.decryptBytes(key, concatAll([ct, new Uint8Array(1)])),
      () =>
        lib.unwrapFileKeyWithPassphrase(
          new Uint8Array(79)
            .fill(0)
            .map((_, i) => [65, 77, 84, 66, 80, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1][i] ?? 0),
          'x',
        ),
    ]) {
      failures.push(await assertRejects(run, 'ERR_CRYPTO_DECRYPTION_FAILED', 'failure'));
    }
    const messages = new Set(
      failures.map((e) => (e instanceof Error ? `${e.name}|${e.message}|${String(e.cause)}` : '')),
    );
    assertEqual(messages.size, 1, 'one message, no cause');
  });
}
