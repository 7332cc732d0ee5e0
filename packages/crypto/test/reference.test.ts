// A second, independent implementation of docs/crypto.md on node:crypto (OpenSSL, including its own
// Argon2id), sharing no code with src/. It must agree with every committed vector: this is what shows the
// specification is complete.
import {
  argon2Sync,
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHmac,
  hkdfSync,
  timingSafeEqual,
  ECDH,
} from 'node:crypto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import streamJson from './vectors/stream.json' with { type: 'json' };
import keysJson from './vectors/keys.json' with { type: 'json' };
import type { KeyVectors, StreamVectors } from './vector-types.ts';

const streams = streamJson as StreamVectors;
const keys = keysJson as KeyVectors;
const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const ascii = (s: string): Buffer => Buffer.from(s, 'ascii');
const Z12 = Buffer.alloc(12);

class Fail extends Error {
  readonly code: string;
  constructor(code: string) {
    super(code);
    this.code = code;
  }
}
const FORMAT = 'ERR_CRYPTO_INVALID_FORMAT';
const VERSION = 'ERR_CRYPTO_UNSUPPORTED_VERSION';
const DECRYPT = 'ERR_CRYPTO_DECRYPTION_FAILED';
const PARAMS = 'ERR_CRYPTO_INVALID_PARAMETERS';

const hkdf = (ikm: Buffer, salt: Buffer, info: string, length: number): Buffer =>
  Buffer.from(hkdfSync('sha256', ikm, salt, ascii(info), length));

function gcm(key: Buffer, nonce: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad);
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
}

function gcmOpen(key: Buffer, nonce: Buffer, aad: Buffer, data: Buffer): Buffer {
  if (data.length < 16) throw new Fail(DECRYPT);
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAAD(aad);
  d.setAuthTag(data.subarray(data.length - 16));
  try {
    return Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]);
  } catch {
    throw new Fail(DECRYPT);
  }
}

function prefix(data: Buffer, type: string, length?: number): void {
  if (data.length < 6 || data.subarray(0, 4).toString('latin1') !== 'AMTB') throw new Fail(FORMAT);
  if (data[4] !== type.charCodeAt(0)) throw new Fail(FORMAT);
  if (data[5] !== 1) throw new Fail(VERSION);
  if (length !== undefined && data.length !== length) throw new Fail(FORMAT);
}

// ---------------------------------------------------------------- streams

function streamKeys(fileKey: Buffer, salt: Buffer): { macKey: Buffer; key: Buffer; prefix: Buffer } {
  const payload = hkdf(fileKey, salt, 'amtsbote stream v1 payload', 36);
  return {
    macKey: hkdf(fileKey, salt, 'amtsbote stream v1 header', 32),
    key: payload.subarray(0, 32),
    prefix: payload.subarray(32),
  };
}

function nonce(noncePrefix: Buffer, i: number, final: boolean): Buffer {
  const n = Buffer.alloc(12);
  noncePrefix.copy(n, 0);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(i));
  counter.copy(n, 4, 1); // uint56be(i)
  n[11] = final ? 1 : 0;
  return n;
}

function encryptStream(fileKey: Buffer, plaintext: Buffer, chunkSize: number, salt: Buffer): Buffer {
  const header = Buffer.alloc(55);
  header.write('AMTBS', 0, 'latin1');
  header[5] = 1;
  header[6] = Math.log2(chunkSize);
  salt.copy(header, 7);
  const k = streamKeys(fileKey, salt);
  createHmac('sha256', k.macKey).update(header.subarray(0, 23)).digest().copy(header, 23);
  const n = Math.floor(plaintext.length / chunkSize);
  const parts: Buffer[] = [header];
  for (let i = 0; i <= n; i++) {
    parts.push(
      gcm(k.key, nonce(k.prefix, i, i === n), header, plaintext.subarray(i * chunkSize, (i + 1) * chunkSize)),
    );
  }
  return Buffer.concat(parts);
}

function decryptStream(fileKey: Buffer, data: Buffer): Buffer {
  if (data.length >= 6) prefix(data, 'S');
  if (data.length < 55) throw new Fail(FORMAT);
  const e = data[6] ?? 0;
  if (e < 6 || e > 24) throw new Fail(FORMAT);
  const chunkSize = 2 ** e;
  const header = data.subarray(0, 55);
  const k = streamKeys(fileKey, header.subarray(7, 23));
  const mac = createHmac('sha256', k.macKey).update(header.subarray(0, 23)).digest();
  if (!timingSafeEqual(mac, header.subarray(23, 55))) throw new Fail(DECRYPT);
  const stride = chunkSize + 16;
  const body = data.length - 55;
  const full = Math.floor(body / stride);
  if (body - full * stride < 16) throw new Fail(DECRYPT);
  const out: Buffer[] = [];
  for (let i = 0; i <= full; i++) {
    const c = data.subarray(55 + i * stride, Math.min(55 + (i + 1) * stride, data.length));
    out.push(gcmOpen(k.key, nonce(k.prefix, i, i === full), header, c));
  }
  return Buffer.concat(out);
}

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof Fail) return error.code;
    throw error;
  }
  return 'ok';
}

test('reference: stream vectors encrypt and decrypt', () => {
  for (const v of streams.positive) {
    const ct = encryptStream(hex(v.fileKey), hex(v.plaintext), v.chunkSize, hex(v.salt));
    assert.equal(ct.toString('hex'), v.ciphertext, v.name);
    assert.equal(decryptStream(hex(v.fileKey), ct).toString('hex'), v.plaintext, v.name);
  }
});

test('reference: negative stream vectors fail with their code', () => {
  for (const v of streams.negative) {
    assert.equal(
      code(() => decryptStream(hex(v.fileKey), hex(v.ciphertext))),
      v.error,
      v.name,
    );
  }
});

// ---------------------------------------------------------------- keys

function publicOf(scalar: Buffer): Buffer {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  return ecdh.getPublicKey(null, 'compressed');
}

function unwrapP256(envelope: Buffer, scalar: Buffer): Buffer {
  prefix(envelope, 'E', 87);
  const ephemeral = envelope.subarray(6, 39);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  let shared: Buffer;
  try {
    shared = ecdh.computeSecret(ephemeral);
  } catch {
    throw new Fail(DECRYPT);
  }
  const wrapKey = hkdf(shared, Buffer.concat([ephemeral, publicOf(scalar)]), 'amtsbote file key p256 v1', 32);
  return gcmOpen(wrapKey, Z12, envelope.subarray(0, 39), envelope.subarray(39));
}

function wrapP256(fileKey: Buffer, recipient: Buffer, ephemeralScalar: Buffer): Buffer {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(ephemeralScalar);
  const ephemeral = ecdh.getPublicKey(null, 'compressed');
  const wrapKey = hkdf(
    ecdh.computeSecret(recipient),
    Buffer.concat([ephemeral, recipient]),
    'amtsbote file key p256 v1',
    32,
  );
  const head = Buffer.concat([ascii('AMTBE'), Buffer.from([1]), ephemeral]);
  return Buffer.concat([head, gcm(wrapKey, Z12, head, fileKey)]);
}

function argon(passphrase: string, data: Buffer): Buffer {
  const m = data.readUInt32BE(6);
  const t = data.readUInt32BE(10);
  const p = data[14] ?? 0;
  if (p < 1 || p > 4 || t < 1 || t > 10 || m < 8 * p || m > 262144) throw new Fail(PARAMS);
  return argon2Sync('argon2id', {
    message: Buffer.from(passphrase.normalize('NFC'), 'utf8'),
    nonce: data.subarray(15, 31),
    parallelism: p,
    tagLength: 32,
    memory: m,
    passes: t,
  });
}

function unwrapPassphrase(envelope: Buffer, passphrase: string): Buffer {
  prefix(envelope, 'P', 79);
  return gcmOpen(argon(passphrase, envelope), Z12, envelope.subarray(0, 31), envelope.subarray(31));
}

function unwrapK(data: Buffer, passphrase: string): Buffer {
  prefix(data, 'K', 112);
  const d = gcmOpen(argon(passphrase, data), Z12, data.subarray(0, 64), data.subarray(64));
  assert.deepEqual(publicOf(d), data.subarray(31, 64), 'scalar matches public key');
  return d;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function canonicalCode(input: string): string {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{28}$/.test(s)) throw new Fail(FORMAT);
  const v = Array.from({ length: 28 }, (_, i) => ALPHABET.indexOf(s.charAt(i)));
  let check = 0;
  for (const x of v.slice(0, 26)) check = (check * 32 + x) % 1021;
  if (check !== (v[26] ?? 0) * 32 + (v[27] ?? 0)) throw new Fail(FORMAT);
  return s;
}

function codeFromRandom(raw: Buffer): string {
  const bits = [...raw]
    .map((b) => b.toString(2).padStart(8, '0'))
    .join('')
    .slice(0, 130);
  const v = (bits.match(/.{5}/g) ?? []).map((b) => parseInt(b, 2));
  let check = 0;
  for (const x of v) check = (check * 32 + x) % 1021;
  v.push(Math.floor(check / 32), check % 32);
  const s = v.map((x) => ALPHABET.charAt(x)).join('');
  return (s.match(/.{4}/g) ?? []).join('-');
}

function unwrapR(data: Buffer, recoveryCode: string): Buffer {
  prefix(data, 'R', 103);
  const kek = hkdf(ascii(canonicalCode(recoveryCode)), data.subarray(6, 22), 'amtsbote recovery code v1', 32);
  const d = gcmOpen(kek, Z12, data.subarray(0, 55), data.subarray(55));
  assert.deepEqual(publicOf(d), data.subarray(22, 55), 'scalar matches public key');
  return d;
}

test('reference: key vectors', () => {
  for (const v of keys.p256Envelopes) {
    const envelope = wrapP256(hex(v.fileKey), hex(v.recipient.publicKey), hex(v.ephemeral.scalar));
    assert.equal(envelope.toString('hex'), v.envelope, v.name);
    assert.equal(unwrapP256(envelope, hex(v.recipient.scalar)).toString('hex'), v.fileKey, v.name);
    assert.equal(publicOf(hex(v.recipient.scalar)).toString('hex'), v.recipient.publicKey);
    assert.equal(v.recipient.publicKeyText, `amtb-pub1-${hex(v.recipient.publicKey).toString('base64url')}`);
  }
  for (const v of keys.passphraseEnvelopes) {
    for (const passphrase of [v.passphrase, ...v.equivalentPassphrases]) {
      assert.equal(unwrapPassphrase(hex(v.envelope), passphrase).toString('hex'), v.fileKey, v.name);
    }
    const head = hex(v.envelope).subarray(0, 31);
    assert.equal(head.subarray(15).toString('hex'), v.salt);
    const kek = argon(v.passphrase, head);
    assert.equal(
      Buffer.concat([head, gcm(kek, Z12, head, hex(v.fileKey))]).toString('hex'),
      v.envelope,
      v.name,
    );
  }
  for (const v of keys.passphrasePrivateKeys) {
    assert.equal(unwrapK(hex(v.wrapped), v.passphrase).toString('hex'), v.keyPair.scalar, v.name);
  }
  for (const v of keys.recoveryCodes) {
    assert.equal(codeFromRandom(hex(v.random)), v.recoveryCode);
  }
  for (const v of keys.recoveryPrivateKeys) {
    for (const c of [v.recoveryCode, ...v.equivalentCodes]) {
      assert.equal(unwrapR(hex(v.wrapped), c).toString('hex'), v.keyPair.scalar, v.name);
    }
  }
  for (const v of keys.publicKeyTexts) {
    const run = (): Buffer => {
      const m = /^amtb-pub(\d+)-(.*)$/.exec(v.text);
      if (m === null) throw new Fail(FORMAT);
      if (m[1] !== '1') throw new Fail(VERSION);
      const raw = Buffer.from(m[2] ?? '', 'base64url');
      if (raw.toString('base64url') !== m[2] || raw.length !== 33 || (raw[0] !== 2 && raw[0] !== 3))
        throw new Fail(FORMAT);
      try {
        ECDH.convertKey(raw, 'prime256v1', undefined, undefined, 'compressed');
      } catch {
        throw new Fail(FORMAT);
      }
      return raw;
    };
    if (v.error === undefined) assert.equal(run().toString('hex'), v.publicKey, v.text);
    else assert.equal(code(run), v.error, v.text);
  }
});

test('reference: negative key vectors fail with their code', () => {
  for (const v of keys.negative) {
    const data = hex(v.data);
    const got = code(() => {
      switch (v.kind) {
        case 'p256Envelope':
          return unwrapP256(data, hex(v.keyPair?.scalar ?? ''));
        case 'passphraseEnvelope':
          return unwrapPassphrase(data, v.secret ?? '');
        case 'passphrasePrivateKey':
          return unwrapK(data, v.secret ?? '');
        case 'recoveryPrivateKey':
          return unwrapR(data, v.secret ?? '');
      }
    });
    assert.equal(got, v.error, v.name);
  }
});
