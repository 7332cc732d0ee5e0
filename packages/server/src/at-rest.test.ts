import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { masterKeyring, open, openText, seal, SealError, sealText } from './at-rest.ts';

describe('sealing at rest', () => {
  const key = randomBytes(32);

  it('opens what it sealed, for the same context only', () => {
    const sealed = sealText(key, 'Bauantrag Müller', 'subject:1');
    assert.equal(openText(key, sealed, 'subject:1'), 'Bauantrag Müller');
    assert.throws(() => openText(key, sealed, 'subject:2'), SealError);
    assert.ok(!sealed.includes(Buffer.from('Bauantrag')), 'no plaintext in the sealed bytes');
  });

  it('refuses a flipped bit, a wrong key, a truncated value and another version with one error', () => {
    const sealed = seal(key, Buffer.from('x'.repeat(100)), 'c');
    for (let i = 0; i < sealed.length; i += 7) {
      const bad = Buffer.from(sealed);
      bad[i] = (bad[i] ?? 0) ^ 1;
      assert.throws(() => open(key, bad, 'c'), SealError);
    }
    assert.throws(() => open(randomBytes(32), sealed, 'c'), SealError);
    assert.throws(() => open(key, sealed.subarray(0, 20), 'c'), SealError);
    assert.throws(() => open(key, Buffer.concat([Buffer.of(2), sealed.subarray(1)]), 'c'), SealError);
  });

  it('seals the same text differently every time (random nonce)', () => {
    assert.notDeepEqual(sealText(key, 'a', 'c'), sealText(key, 'a', 'c'));
  });
});

describe('master keyring', () => {
  it('wraps fresh data keys that only the same master key and context unwrap', () => {
    const ring = masterKeyring(randomBytes(32));
    const { key, wrapped } = ring.newDataKey('file:1');
    assert.equal(key.length, 32);
    assert.deepEqual(ring.unwrap(wrapped, 'file:1'), key);
    assert.throws(() => ring.unwrap(wrapped, 'file:2'), SealError);
    assert.throws(() => masterKeyring(randomBytes(32)).unwrap(wrapped, 'file:1'), SealError);
  });

  it('derives separate MAC keys per purpose', () => {
    const ring = masterKeyring(Buffer.alloc(32, 1));
    assert.notDeepEqual(ring.mac('a', 'v'), ring.mac('b', 'v'));
    assert.deepEqual(ring.mac('a', 'v'), masterKeyring(Buffer.alloc(32, 1)).mac('a', 'v'));
  });
});
