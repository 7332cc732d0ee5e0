// A second, independent implementation of docs/crypto.md "Fingerprints" and "Key transparency log" on
// node:crypto, sharing no code with src/: it must agree with every committed vector. Proofs are checked
// here with the decomposition of transparency-dev/merkle (inner and border parts of the path), not with
// RFC 9162's step list that src/merkle follows, so the two algorithms check each other.
import assert from 'node:assert/strict';
import { createECDH, createHash, createPublicKey, ECDH, verify } from 'node:crypto';
import { test } from 'node:test';
import fingerprintJson from './vectors/fingerprint.json' with { type: 'json' };
import logJson from './vectors/log.json' with { type: 'json' };
import merkleJson from './vectors/merkle.json' with { type: 'json' };
import type { FingerprintVectors, LogVectors, MerkleVectors } from './vector-types.ts';

const fingerprints = fingerprintJson as FingerprintVectors;
const merkle = merkleJson as MerkleVectors;
const log = logJson as LogVectors;
const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const b64url = (s: string): Buffer => Buffer.from(s, 'base64url');

// ---------------------------------------------------------------- fingerprints

const digits = (digest: Buffer): string => {
  const material = Buffer.concat([digest, sha256(digest)]);
  const groups: string[] = [];
  for (let g = 0; g < 12; g++)
    groups.push((material.readUIntBE(5 * g, 5) % 100000).toString().padStart(5, '0'));
  return groups.join(' ');
};

function fingerprintOf(publicKeyText: string, address: string): string {
  const point = b64url(publicKeyText.trim().slice('amtb-pub1-'.length));
  const input = Buffer.concat([
    Buffer.from('amtsbote fingerprint v1', 'ascii'),
    point,
    Buffer.from(address.trim().toLowerCase(), 'utf8'),
  ]);
  return digits(sha256(input));
}

test('transparency reference: fingerprints and safety numbers', () => {
  for (const v of fingerprints.fingerprints) {
    assert.equal(v.normalizedAddress, v.address.trim().toLowerCase());
    const input = Buffer.concat([
      Buffer.from('amtsbote fingerprint v1', 'ascii'),
      hex(v.publicKey),
      Buffer.from(v.normalizedAddress, 'utf8'),
    ]);
    assert.equal(input.toString('hex'), v.input);
    assert.equal(sha256(input).toString('hex'), v.digest);
    assert.equal(digits(sha256(input)), v.fingerprint);
    assert.equal(fingerprintOf(v.publicKeyText, v.address), v.fingerprint);
  }
  for (const v of fingerprints.safetyNumbers) {
    const pair = [
      fingerprintOf(v.a.publicKeyText, v.a.address),
      fingerprintOf(v.b.publicKeyText, v.b.address),
    ].sort();
    assert.equal(pair.join(' '), v.safetyNumber);
  }
});

// ---------------------------------------------------------------- Merkle trees

const leafHash = (leaf: Buffer): Buffer => sha256(Buffer.from([0]), leaf);
const node = (l: Buffer, r: Buffer): Buffer => sha256(Buffer.from([1]), l, r);
const bitLength = (n: bigint): number => n.toString(2).length - (n === 0n ? 1 : 0);
const ones = (n: bigint): number => n.toString(2).replaceAll('0', '').length;
const trailingZeros = (n: bigint): bigint => {
  let z = 0n;
  while (((n >> z) & 1n) === 0n) z++;
  return z;
};
const EMPTY = Buffer.alloc(0);

/** The root an inclusion path leads to, or undefined when its length is wrong (transparency-dev style). */
function rootFromInclusion(index: bigint, size: bigint, leaf: Buffer, proof: Buffer[]): Buffer | undefined {
  if (index >= size || proof.some((h) => h.length !== 32)) return undefined;
  const inner = bitLength(index ^ (size - 1n));
  const border = ones(index >> BigInt(inner));
  if (proof.length !== inner + border) return undefined;
  let acc = leaf;
  proof.slice(0, inner).forEach((h, i) => (acc = (index >> BigInt(i)) & 1n ? node(h, acc) : node(acc, h)));
  for (const h of proof.slice(inner)) acc = node(h, acc);
  return acc;
}

/** Consistency after transparency-dev/merkle proof.VerifyConsistency. */
function consistent(size1: bigint, size2: bigint, root1: Buffer, root2: Buffer, proof: Buffer[]): boolean {
  if (size2 < size1 || proof.some((h) => h.length !== 32)) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0n) return proof.length === 0 && root1.equals(sha256());
  if (proof.length === 0) return false;
  const inner0 = bitLength((size1 - 1n) ^ (size2 - 1n));
  const shift = trailingZeros(size1);
  const inner = inner0 - Number(shift);
  let seed = proof[0] ?? EMPTY;
  let start = 1;
  if (size1 === 1n << shift) {
    seed = root1;
    start = 0;
  }
  const rest = proof.slice(start);
  const mask = (size1 - 1n) >> shift;
  const border = ones(mask >> BigInt(inner));
  if (rest.length !== inner + border) return false;
  let h1 = seed;
  rest.slice(0, inner).forEach((h, i) => ((mask >> BigInt(i)) & 1n ? (h1 = node(h, h1)) : undefined));
  for (const h of rest.slice(inner)) h1 = node(h, h1);
  let h2 = seed;
  rest.slice(0, inner).forEach((h, i) => (h2 = (mask >> BigInt(i)) & 1n ? node(h, h2) : node(h2, h)));
  for (const h of rest.slice(inner)) h2 = node(h, h2);
  return h1.equals(root1) && h2.equals(root2);
}

function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leafHash(leaves[0] ?? EMPTY);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return node(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

test('transparency reference: Merkle roots and proofs of the reference leaves', () => {
  const leaves = merkle.leaves.map(hex);
  leaves.forEach((l, i) => assert.equal(leafHash(l).toString('hex'), merkle.leafHashes[i]));
  for (let n = 0; n <= leaves.length; n++)
    assert.equal(mth(leaves.slice(0, n)).toString('hex'), merkle.roots[n]);
  for (const v of merkle.inclusion) {
    const root = rootFromInclusion(
      BigInt(v.index),
      BigInt(v.treeSize),
      leafHash(leaves[v.index] ?? EMPTY),
      v.proof.map(hex),
    );
    assert.equal(root?.toString('hex'), merkle.roots[v.treeSize], `inclusion ${v.index}/${v.treeSize}`);
  }
  for (const v of merkle.consistency) {
    const [r1, r2] = [hex(merkle.roots[v.firstSize] ?? ''), hex(merkle.roots[v.secondSize] ?? '')];
    assert.ok(
      consistent(BigInt(v.firstSize), BigInt(v.secondSize), r1, r2, v.proof.map(hex)),
      `${v.firstSize}→${v.secondSize}`,
    );
  }
  for (const v of merkle.negative) {
    if (v.inclusion !== undefined) {
      const { index, treeSize, proof, leafHash: leaf, rootHash } = v.inclusion;
      const root = rootFromInclusion(BigInt(index), BigInt(treeSize), hex(leaf), proof.map(hex));
      assert.ok(root?.equals(hex(rootHash)) !== true, v.name);
    }
    if (v.consistency !== undefined) {
      const { firstSize, secondSize, proof, firstRoot, secondRoot } = v.consistency;
      assert.ok(
        !consistent(BigInt(firstSize), BigInt(secondSize), hex(firstRoot), hex(secondRoot), proof.map(hex)),
        v.name,
      );
    }
  }
});

// ---------------------------------------------------------------- log entries and signed tree heads

const KINDS = ['personal', 'department', 'organisation'];
const ACTIONS = ['publish', 'retire'];

test('transparency reference: log entries parsed from the specification', () => {
  for (const v of log.entries) {
    const e = hex(v.encoded);
    assert.equal(e.subarray(0, 6).toString('hex'), '414d54424c01');
    assert.equal(ACTIONS[(e[6] ?? 0) - 1], v.action);
    assert.equal(KINDS[(e[7] ?? 0) - 1], v.keyKind);
    assert.equal(Number(e.readBigUInt64BE(8)), v.sequence);
    assert.equal(Number(e.readBigUInt64BE(16)), v.timestamp);
    assert.equal(`amtb-pub1-${e.subarray(24, 57).toString('base64url')}`, v.publicKeyText);
    const address = e.subarray(91).toString('utf8');
    assert.equal(e.readUInt16BE(89), e.length - 91);
    assert.equal(address, v.normalizedAddress);
    assert.equal(address, v.address.trim().toLowerCase());
    const fp = sha256(
      Buffer.from('amtsbote fingerprint v1', 'ascii'),
      e.subarray(24, 57),
      Buffer.from(address, 'utf8'),
    );
    assert.equal(e.subarray(57, 89).toString('hex'), fp.toString('hex'));
    assert.equal(fp.toString('hex'), v.fingerprint);
    assert.equal(leafHash(e).toString('hex'), v.leafHash);
  }
  const leaves = log.entries.map((v) => hex(v.encoded));
  for (let n = 0; n <= leaves.length; n++)
    assert.equal(mth(leaves.slice(0, n)).toString('hex'), log.roots[n]);
  for (const v of log.inclusion) {
    const root = rootFromInclusion(
      BigInt(v.index),
      BigInt(v.treeSize),
      leafHash(leaves[v.index] ?? EMPTY),
      v.proof.map(hex),
    );
    assert.equal(root?.toString('hex'), log.roots[v.treeSize]);
  }
  const { firstSize, secondSize, proof } = log.consistency;
  assert.ok(
    consistent(
      BigInt(firstSize),
      BigInt(secondSize),
      hex(log.roots[firstSize] ?? ''),
      hex(log.roots[secondSize] ?? ''),
      proof.map(hex),
    ),
  );
});

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const big = (b: Buffer): bigint => BigInt(`0x${b.toString('hex')}`);
const modPow = (b: bigint, e: bigint, m: bigint): bigint => {
  let r = 1n;
  for (let x = b % m, k = e; k > 0n; k >>= 1n, x = (x * x) % m) if (k & 1n) r = (r * x) % m;
  return r;
};

function logPublicKey(text: string): ReturnType<typeof createPublicKey> {
  const point = b64url(text.slice('amtb-logkey1-'.length));
  const uncompressed = Buffer.from(
    ECDH.convertKey(point, 'prime256v1', undefined, undefined, 'uncompressed'),
  );
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: uncompressed.subarray(1, 33).toString('base64url'),
    y: uncompressed.subarray(33).toString('base64url'),
  };
  return createPublicKey({ key: jwk, format: 'jwk' });
}

test('transparency reference: signed tree heads, reproduced from their nonce and verified with OpenSSL', () => {
  const key = logPublicKey(log.logKey.publicKeyText);
  const d = big(hex(log.logKey.scalar));
  for (const v of log.treeHeads) {
    const id = Buffer.from(v.logId, 'ascii');
    const size = Buffer.alloc(8);
    size.writeBigUInt64BE(BigInt(v.treeSize));
    const time = Buffer.alloc(8);
    time.writeBigUInt64BE(BigInt(v.timestamp));
    const tbs = Buffer.concat([
      hex('414d54424801'),
      Buffer.from([id.length]),
      id,
      size,
      time,
      hex(v.rootHash),
    ]);
    assert.equal(tbs.toString('hex'), v.tbs);
    assert.equal(v.rootHash, log.roots[v.treeSize]);
    const signed = hex(v.signed);
    assert.ok(signed.subarray(0, tbs.length).equals(tbs));
    const signature = signed.subarray(tbs.length);
    assert.equal(signature.length, 64);
    assert.ok(verify('sha256', tbs, { key, dsaEncoding: 'ieee-p1363' }, signature), 'ECDSA P-256/SHA-256');
    // r = x(k·G) mod n (OpenSSL computes k·G as the "public key" of k), s = k⁻¹ (e + r·d) mod n.
    const k = hex(v.k);
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(k);
    const r = big(ecdh.getPublicKey().subarray(1, 33)) % N;
    const s = (modPow(big(k), N - 2n, N) * (big(sha256(tbs)) + r * d)) % N;
    assert.equal(
      signature.toString('hex'),
      r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0'),
    );
  }
  for (const v of log.negativeTreeHeads) {
    const signed = hex(v.signed);
    const n = signed[6] ?? 0;
    const wellFormed =
      signed.length === 119 + n && n > 0 && signed.subarray(0, 6).equals(hex('414d54424801'));
    const ok =
      wellFormed &&
      verify(
        'sha256',
        signed.subarray(0, 55 + n),
        { key, dsaEncoding: 'ieee-p1363' },
        signed.subarray(55 + n),
      );
    const ascii = /^[\x21-\x7e]+$/.test(signed.subarray(7, 7 + n).toString('latin1'));
    const safe = wellFormed && signed.readUInt32BE(7 + n) <= 0x1fffff;
    const sameLog = signed.subarray(7, 7 + n).toString('latin1') === v.logId;
    assert.ok(!(ok && ascii && safe && sameLog), v.name);
  }
});
