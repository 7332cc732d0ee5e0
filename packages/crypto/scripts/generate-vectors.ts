// Generates the committed test vectors in packages/crypto/test/vectors/ (run once; re-running yields the
// same bytes). Every random value comes from a SHA-256 counter DRBG with a fixed seed and is recorded in
// the vectors, so a second implementation can reproduce each encryption, not only check decryption.
// Expected errors of negative vectors are stated here and checked against the implementation before
// anything is written.
//
//   node_modules/.bin/node packages/crypto/scripts/generate-vectors.ts
import { createECDH, createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fromHex, toHex, type Bytes } from '../src/encoding.ts';
import { wrapFileKeyWith } from '../src/envelope.ts';
import { isCryptoError, type CryptoErrorCode } from '../src/errors.ts';
import { compressPoint, exportPublicKey, importKeyPair, importPublicKey } from '../src/keys.ts';
import { unwrapFileKey } from '../src/envelope.ts';
import {
  unwrapFileKeyWithPassphrase,
  wrapFileKeyWithPassphraseWith,
  type Argon2Parameters,
} from '../src/passphrase.ts';
import {
  unwrapPrivateKeyWithPassphrase,
  unwrapPrivateKeyWithRecoveryCode,
  wrapPrivateKeyWithPassphraseWith,
  wrapPrivateKeyWithRecoveryCodeWith,
} from '../src/privatekey.ts';
import { generateRecoveryCodeWith } from '../src/recovery.ts';
import { decryptBytes, encryptBytesWith } from '../src/stream.ts';
import type { RandomSource } from '../src/webcrypto.ts';
import type {
  KeyPairVector,
  KeyVectors,
  NegativeKeyVector,
  NegativeStreamVector,
  PublicKeyTextVector,
  StreamVector,
  StreamVectors,
} from '../test/vector-types.ts';

const outDir = path.resolve(import.meta.dirname, '../test/vectors');

/** Deterministic bytes: SHA-256(seed ‖ counter) blocks. */
function drbg(seed: string): RandomSource {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += 32) {
      const block = createHash('sha256').update(`${seed}/${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, length - at)), at);
    }
    return out;
  };
}

/** A random source that hands out exactly the given bytes and records nothing else. */
function fixed(data: Uint8Array): RandomSource {
  let used = false;
  return (length) => {
    if (used || length !== data.length) throw new Error('unexpected random draw');
    used = true;
    return new Uint8Array(data);
  };
}

const random = drbg('amtsbote crypto test vectors v1');

async function keyPairVector(seed: string): Promise<{ vector: KeyPairVector; pair: CryptoKeyPair }> {
  const scalar = new Uint8Array(createHash('sha256').update(seed).digest());
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(scalar);
  const publicKey = compressPoint(new Uint8Array(ecdh.getPublicKey()));
  const pair = await importKeyPair(scalar, publicKey, true);
  if (pair === undefined) throw new Error('bad key pair');
  const vector = {
    scalar: toHex(scalar),
    publicKey: toHex(publicKey),
    publicKeyText: await exportPublicKey(pair.publicKey),
  };
  return { vector, pair };
}

async function expectError(code: CryptoErrorCode, name: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (isCryptoError(error) && error.code === code) return;
    throw new Error(`${name}: expected ${code}, got ${String(error)}`, { cause: error });
  }
  throw new Error(`${name}: expected ${code}, but it succeeded`);
}

function withByte(data: Uint8Array, offset: number, value: number): Bytes {
  const out = new Uint8Array(data);
  out[offset] = value;
  return out;
}

function flip(data: Uint8Array, byte: number, bit = 0): Bytes {
  const out = new Uint8Array(data);
  out[byte] = (out[byte] ?? 0) ^ (1 << bit);
  return out;
}

// ---------------------------------------------------------------- streams

const fileKey = random(32);
const otherKey = random(32);
const positive: StreamVector[] = [];

async function streamVector(name: string, size: number, chunkSize: number): Promise<StreamVector> {
  const plaintext = random(size);
  const salt = random(16);
  const ciphertext = await encryptBytesWith(fileKey, plaintext, { chunkSize }, fixed(salt));
  const vector: StreamVector = {
    name,
    fileKey: toHex(fileKey),
    chunkSize,
    salt: toHex(salt),
    plaintext: toHex(plaintext),
    ciphertext: toHex(ciphertext),
  };
  positive.push(vector);
  return vector;
}

await streamVector('empty plaintext: one empty final chunk', 0, 64);
await streamVector('one byte', 1, 64);
await streamVector('chunk size minus one', 63, 64);
const exact = await streamVector('exactly one chunk: a full chunk and an empty final chunk', 64, 64);
await streamVector('chunk size plus one', 65, 64);
const three = await streamVector(
  'three chunks and some: 3 full chunks and a final chunk of 17 bytes',
  209,
  64,
);
const other = await streamVector('another stream under the same file key (for splicing)', 209, 64);
await streamVector('1 KiB chunks', 2500, 1024);

const H = 55;
const S = 64 + 16;
const threeCt = fromHex(three.ciphertext);
const otherCt = fromHex(other.ciphertext);
const exactCt = fromHex(exact.ciphertext);
const emptyCt = fromHex(positive[0]?.ciphertext ?? '');
const chunk = (ct: Uint8Array, i: number): Uint8Array =>
  ct.subarray(H + i * S, Math.min(H + (i + 1) * S, ct.length));
const join = (...parts: Uint8Array[]): Bytes => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const negativeStreams: (Omit<NegativeStreamVector, 'fileKey' | 'ciphertext' | 'derivedFrom'> & {
  data: Uint8Array;
  key?: Uint8Array;
  from?: StreamVector;
})[] = [
  { name: 'wrong file key', data: threeCt, key: otherKey, error: 'ERR_CRYPTO_DECRYPTION_FAILED' },
  { name: 'header: salt bit flipped', data: flip(threeCt, 7), error: 'ERR_CRYPTO_DECRYPTION_FAILED' },
  { name: 'header: MAC bit flipped', data: flip(threeCt, 54, 7), error: 'ERR_CRYPTO_DECRYPTION_FAILED' },
  {
    name: 'header: chunk size changed to another allowed value',
    data: flip(threeCt, 6, 0),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'header: chunk size outside the format',
    data: withByte(threeCt, 6, 38),
    error: 'ERR_CRYPTO_INVALID_FORMAT',
  },
  { name: 'header: version 2', data: withByte(threeCt, 5, 2), error: 'ERR_CRYPTO_UNSUPPORTED_VERSION' },
  { name: 'header: magic bit flipped', data: flip(threeCt, 0), error: 'ERR_CRYPTO_INVALID_FORMAT' },
  { name: 'header: type changed', data: flip(threeCt, 4, 1), error: 'ERR_CRYPTO_INVALID_FORMAT' },
  { name: 'header incomplete', data: threeCt.subarray(0, 30), error: 'ERR_CRYPTO_INVALID_FORMAT' },
  { name: 'header only, no chunks', data: threeCt.subarray(0, H), error: 'ERR_CRYPTO_DECRYPTION_FAILED' },
  {
    name: 'header of another stream',
    data: join(otherCt.subarray(0, H), threeCt.subarray(H)),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'chunk 1: ciphertext bit flipped',
    data: flip(threeCt, H + S + 10),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'final chunk: tag bit flipped',
    data: flip(threeCt, threeCt.length - 1, 7),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'chunk 0: tag bit flipped',
    data: flip(threeCt, H + S - 16),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'truncated: final chunk dropped',
    data: threeCt.subarray(0, H + 3 * S),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'truncated: empty final chunk dropped',
    from: exact,
    data: exactCt.subarray(0, H + S),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'truncated: the only (empty) chunk dropped',
    from: positive[0],
    data: emptyCt.subarray(0, H),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'truncated: cut inside the final chunk',
    data: threeCt.subarray(0, threeCt.length - 5),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'truncated: cut inside a full chunk',
    data: threeCt.subarray(0, H + 2 * S + 30),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'reordered: chunks 0 and 1 swapped',
    data: join(threeCt.subarray(0, H), chunk(threeCt, 1), chunk(threeCt, 0), threeCt.subarray(H + 2 * S)),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'spliced: chunk 1 from another stream under the same key',
    data: join(threeCt.subarray(0, H + S), chunk(otherCt, 1), threeCt.subarray(H + 2 * S)),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'spliced: final chunk from another stream under the same key',
    data: join(threeCt.subarray(0, H + 3 * S), chunk(otherCt, 3)),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'trailing byte after the final chunk',
    data: join(threeCt, new Uint8Array([0])),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'trailing copy of the final chunk',
    data: join(threeCt, chunk(threeCt, 3)),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'a full chunk appended to a stream ending in an empty final chunk',
    from: exact,
    data: join(exactCt, chunk(exactCt, 0)),
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
];

const negative: NegativeStreamVector[] = [];
for (const n of negativeStreams) {
  const key = n.key ?? fileKey;
  await expectError(n.error, n.name, () => decryptBytes(key, n.data));
  negative.push({
    name: n.name,
    fileKey: toHex(key),
    ciphertext: toHex(n.data),
    error: n.error,
    derivedFrom: (n.from ?? three).name,
  });
}
// Sanity: every positive vector decrypts.
for (const v of positive) {
  const got = await decryptBytes(fromHex(v.fileKey), fromHex(v.ciphertext));
  if (toHex(got) !== v.plaintext) throw new Error(`${v.name}: round trip failed`);
}

const streams: StreamVectors = {
  description:
    'Amtsbote stream format v1 (docs/crypto.md). Hex. Positive vectors: encrypting plaintext under fileKey with the given chunkSize and salt yields ciphertext. Negative vectors: decrypting must fail with error.',
  positive,
  negative,
};

// ---------------------------------------------------------------- keys

const small: Argon2Parameters = { memoryKiB: 256, iterations: 2, parallelism: 1 };
const lanes: Argon2Parameters = { memoryKiB: 512, iterations: 1, parallelism: 2 };
const recipient = await keyPairVector('amtsbote vectors recipient');
const stranger = await keyPairVector('amtsbote vectors stranger');
const personal = await keyPairVector('amtsbote vectors personal key');

const p256Envelopes = [];
for (const name of ['P-256 envelope', 'P-256 envelope, second ephemeral key']) {
  const ephemeral = await keyPairVector(`amtsbote vectors ${name}`);
  const envelope = await wrapFileKeyWith(fileKey, recipient.pair.publicKey, ephemeral.pair);
  p256Envelopes.push({
    name,
    fileKey: toHex(fileKey),
    recipient: recipient.vector,
    ephemeral: ephemeral.vector,
    envelope: toHex(envelope),
  });
}
const envelopeBytes = fromHex(p256Envelopes[0]?.envelope ?? '');

const passphraseEnvelopes = [];
const passphrases: [string, string, Argon2Parameters, string[]][] = [
  ['passphrase envelope', 'correct horse battery staple', small, []],
  [
    'passphrase envelope, non-ASCII passphrase given in NFC',
    'Grüße aus Köln ✉',
    small,
    ['Grüße aus Köln ✉'.normalize('NFD')],
  ],
  ['passphrase envelope, two lanes', 'Amtsbote', lanes, []],
];
for (const [name, passphrase, params, equivalentPassphrases] of passphrases) {
  const salt = random(16);
  const envelope = await wrapFileKeyWithPassphraseWith(fileKey, passphrase, params, fixed(salt));
  passphraseEnvelopes.push({
    name,
    fileKey: toHex(fileKey),
    passphrase,
    equivalentPassphrases,
    params,
    salt: toHex(salt),
    envelope: toHex(envelope),
  });
}
const passphraseBytes = fromHex(passphraseEnvelopes[0]?.envelope ?? '');

const keySalt = random(16);
const wrappedK = await wrapPrivateKeyWithPassphraseWith(
  personal.pair,
  'mein Schlüssel-Passwort',
  small,
  fixed(keySalt),
);
const passphrasePrivateKeys = [
  {
    name: 'private key under a passphrase',
    keyPair: personal.vector,
    passphrase: 'mein Schlüssel-Passwort',
    params: small,
    salt: toHex(keySalt),
    wrapped: toHex(wrappedK),
  },
];

const recoveryCodes = [];
for (let i = 0; i < 3; i++) {
  const raw = random(17);
  recoveryCodes.push({ random: toHex(raw), recoveryCode: generateRecoveryCodeWith(fixed(raw)) });
}
const code = recoveryCodes[0]?.recoveryCode ?? '';
const recoverySalt = random(16);
const wrappedR = await wrapPrivateKeyWithRecoveryCodeWith(personal.pair, code, fixed(recoverySalt));
const recoveryPrivateKeys = [
  {
    name: 'private key under a recovery code',
    keyPair: personal.vector,
    recoveryCode: code,
    equivalentCodes: [
      code.toLowerCase(),
      code.replace(/-/g, ' '),
      code.replace(/-/g, '').replace(/0/g, 'O').replace(/1/g, 'l'),
    ],
    salt: toHex(recoverySalt),
    wrapped: toHex(wrappedR),
  },
];

// A code that passes its check symbols but is not the right one.
const wrongCode = recoveryCodes[1]?.recoveryCode ?? '';
// A typo: the first symbol changed, which the check symbols catch.
const typo = (code.startsWith('A') ? 'B' : 'A') + code.slice(1);

function withUint32(data: Uint8Array, offset: number, value: number): Bytes {
  const out = new Uint8Array(data);
  new DataView(out.buffer).setUint32(offset, value, false);
  return out;
}

const negativeKeys: NegativeKeyVector[] = [
  {
    name: 'P-256 envelope for another key',
    kind: 'p256Envelope',
    data: toHex(envelopeBytes),
    keyPair: stranger.vector,
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'P-256 envelope: wrapped key bit flipped',
    kind: 'p256Envelope',
    data: toHex(flip(envelopeBytes, 50)),
    keyPair: recipient.vector,
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'P-256 envelope: tag bit flipped',
    kind: 'p256Envelope',
    data: toHex(flip(envelopeBytes, 86, 7)),
    keyPair: recipient.vector,
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'P-256 envelope: ephemeral key bit flipped',
    kind: 'p256Envelope',
    data: toHex(flip(envelopeBytes, 20)),
    keyPair: recipient.vector,
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'P-256 envelope: ephemeral key parity flipped',
    kind: 'p256Envelope',
    data: toHex(flip(envelopeBytes, 6)),
    keyPair: recipient.vector,
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'P-256 envelope truncated',
    kind: 'p256Envelope',
    data: toHex(envelopeBytes.subarray(0, 86)),
    keyPair: recipient.vector,
    error: 'ERR_CRYPTO_INVALID_FORMAT',
  },
  {
    name: 'P-256 envelope version 2',
    kind: 'p256Envelope',
    data: toHex(withByte(envelopeBytes, 5, 2)),
    keyPair: recipient.vector,
    error: 'ERR_CRYPTO_UNSUPPORTED_VERSION',
  },
  {
    name: 'passphrase envelope given as a P-256 envelope',
    kind: 'p256Envelope',
    data: toHex(passphraseBytes),
    keyPair: recipient.vector,
    error: 'ERR_CRYPTO_INVALID_FORMAT',
  },
  {
    name: 'wrong passphrase',
    kind: 'passphraseEnvelope',
    data: toHex(passphraseBytes),
    secret: 'correct horse battery stable',
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'passphrase envelope: salt bit flipped',
    kind: 'passphraseEnvelope',
    data: toHex(flip(passphraseBytes, 20)),
    secret: 'correct horse battery staple',
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'passphrase envelope: wrapped key bit flipped',
    kind: 'passphraseEnvelope',
    data: toHex(flip(passphraseBytes, 40)),
    secret: 'correct horse battery staple',
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'passphrase envelope: iterations changed within bounds',
    kind: 'passphraseEnvelope',
    data: toHex(withUint32(passphraseBytes, 10, 3)),
    secret: 'correct horse battery staple',
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'passphrase envelope: memory 4 GiB (DoS guard)',
    kind: 'passphraseEnvelope',
    data: toHex(withUint32(passphraseBytes, 6, 0x400000)),
    secret: 'correct horse battery staple',
    error: 'ERR_CRYPTO_INVALID_PARAMETERS',
  },
  {
    name: 'passphrase envelope: 1000 iterations (DoS guard)',
    kind: 'passphraseEnvelope',
    data: toHex(withUint32(passphraseBytes, 10, 1000)),
    secret: 'correct horse battery staple',
    error: 'ERR_CRYPTO_INVALID_PARAMETERS',
  },
  {
    name: 'passphrase envelope: parallelism 0',
    kind: 'passphraseEnvelope',
    data: toHex(flip(passphraseBytes, 14, 0)),
    secret: 'correct horse battery staple',
    error: 'ERR_CRYPTO_INVALID_PARAMETERS',
  },
  {
    name: 'passphrase envelope truncated',
    kind: 'passphraseEnvelope',
    data: toHex(passphraseBytes.subarray(0, 78)),
    secret: 'correct horse battery staple',
    error: 'ERR_CRYPTO_INVALID_FORMAT',
  },
  {
    name: 'private key: wrong passphrase',
    kind: 'passphrasePrivateKey',
    data: toHex(wrappedK),
    secret: 'mein Schlüssel-passwort',
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'private key: public key bit flipped',
    kind: 'passphrasePrivateKey',
    data: toHex(flip(wrappedK, 40)),
    secret: 'mein Schlüssel-Passwort',
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'private key: scalar bit flipped',
    kind: 'passphrasePrivateKey',
    data: toHex(flip(wrappedK, 70)),
    secret: 'mein Schlüssel-Passwort',
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'recovery: another valid code',
    kind: 'recoveryPrivateKey',
    data: toHex(wrappedR),
    secret: wrongCode,
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'recovery: mistyped code',
    kind: 'recoveryPrivateKey',
    data: toHex(wrappedR),
    secret: typo,
    error: 'ERR_CRYPTO_INVALID_FORMAT',
  },
  {
    name: 'recovery: public key bit flipped',
    kind: 'recoveryPrivateKey',
    data: toHex(flip(wrappedR, 30)),
    secret: code,
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
  {
    name: 'recovery: tag bit flipped',
    kind: 'recoveryPrivateKey',
    data: toHex(flip(wrappedR, 102)),
    secret: code,
    error: 'ERR_CRYPTO_DECRYPTION_FAILED',
  },
];

async function openKeyVector(v: NegativeKeyVector): Promise<unknown> {
  const data = fromHex(v.data);
  switch (v.kind) {
    case 'p256Envelope': {
      const kp =
        v.keyPair === undefined
          ? undefined
          : await importKeyPair(fromHex(v.keyPair.scalar), fromHex(v.keyPair.publicKey), false);
      if (kp === undefined) throw new Error('bad key pair');
      return unwrapFileKey(data, kp);
    }
    case 'passphraseEnvelope':
      return unwrapFileKeyWithPassphrase(data, v.secret ?? '');
    case 'passphrasePrivateKey':
      return unwrapPrivateKeyWithPassphrase(data, v.secret ?? '');
    case 'recoveryPrivateKey':
      return unwrapPrivateKeyWithRecoveryCode(data, v.secret ?? '');
  }
}
for (const v of negativeKeys) await expectError(v.error, v.name, () => openKeyVector(v));

const publicKeyTexts: PublicKeyTextVector[] = [
  { text: recipient.vector.publicKeyText, publicKey: recipient.vector.publicKey },
  { text: personal.vector.publicKeyText, publicKey: personal.vector.publicKey },
  {
    text: recipient.vector.publicKeyText.replace('amtb-pub1-', 'amtb-pub2-'),
    error: 'ERR_CRYPTO_UNSUPPORTED_VERSION',
  },
  { text: recipient.vector.publicKeyText.replace('amtb-pub1-', 'age1'), error: 'ERR_CRYPTO_INVALID_FORMAT' },
  { text: recipient.vector.publicKeyText.slice(0, -1), error: 'ERR_CRYPTO_INVALID_FORMAT' },
  { text: `${recipient.vector.publicKeyText}=`, error: 'ERR_CRYPTO_INVALID_FORMAT' },
  // Prefix byte 0x00: not a compressed point.
  { text: `amtb-pub1-${'A'.repeat(44)}`, error: 'ERR_CRYPTO_INVALID_FORMAT' },
  // 0x02 ‖ x = 1: no point of P-256 has x = 1 (x^3 - 3x + b is not a square).
  { text: `amtb-pub1-AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB`, error: 'ERR_CRYPTO_INVALID_FORMAT' },
  // 0x04 ‖ 32 bytes: the uncompressed prefix is not accepted in the compressed length.
  { text: `amtb-pub1-BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAF`, error: 'ERR_CRYPTO_INVALID_FORMAT' },
];

for (const v of publicKeyTexts) {
  if (v.error === undefined) {
    const key = await importPublicKey(v.text);
    if (v.publicKey !== toHex(compressPoint(new Uint8Array(await crypto.subtle.exportKey('raw', key))))) {
      throw new Error('public key text mismatch');
    }
  } else {
    const { error } = v;
    await expectError(error, v.text, () => importPublicKey(v.text));
  }
}

const keys: KeyVectors = {
  description:
    'Amtsbote key envelopes and wrapped private keys v1 (docs/crypto.md). Hex. Argon2id parameters are deliberately tiny so the vectors run fast; decoders accept them, encoders refuse them outside tests.',
  p256Envelopes,
  passphraseEnvelopes,
  passphrasePrivateKeys,
  recoveryCodes,
  recoveryPrivateKeys,
  publicKeyTexts,
  negative: negativeKeys,
};

await writeFile(path.join(outDir, 'stream.json'), `${JSON.stringify(streams, null, 2)}\n`);
await writeFile(path.join(outDir, 'keys.json'), `${JSON.stringify(keys, null, 2)}\n`);
console.log(`wrote ${outDir}/stream.json and keys.json`);
