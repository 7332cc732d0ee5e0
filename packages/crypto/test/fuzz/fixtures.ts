/**
 * Fixed key material for the fuzz cases, from the committed vectors, so that every run is determined by
 * its seed alone (fresh WebCrypto keys would make a failure impossible to replay).
 */
import { fromHex } from '../../src/encoding.ts';
import { importKeyPair } from '../../src/keys.ts';
import { AssertionError } from '../assert.ts';
import type { KeyVectors } from '../vector-types.ts';
import vectorsJson from '../vectors/keys.json' with { type: 'json' };

const vectors = vectorsJson as KeyVectors;

/** A P-256 key pair with its SEC 1 compressed public key and its text form. */
export interface PoolKey {
  readonly pair: CryptoKeyPair;
  readonly compressed: Uint8Array;
  readonly text: string;
}

let pool: Promise<PoolKey[]> | undefined;

/** The distinct key pairs of the key vectors, extractable (to wrap them). At least three. */
export function keyPool(): Promise<PoolKey[]> {
  pool ??= (async () => {
    const seen = new Map<string, { scalar: string; publicKey: string; publicKeyText: string }>();
    for (const v of vectors.p256Envelopes) {
      for (const k of [v.recipient, v.ephemeral]) seen.set(k.publicKey, k);
    }
    for (const v of vectors.passphrasePrivateKeys) seen.set(v.keyPair.publicKey, v.keyPair);
    const keys: PoolKey[] = [];
    for (const k of seen.values()) {
      const pair = await importKeyPair(fromHex(k.scalar), fromHex(k.publicKey), true);
      if (pair === undefined) throw new AssertionError('a vector key pair does not import');
      keys.push({ pair, compressed: fromHex(k.publicKey), text: k.publicKeyText });
    }
    if (keys.length < 3) throw new AssertionError('the key vectors hold fewer than three key pairs');
    return keys;
  })();
  return pool;
}

/** The i-th key of the pool (modulo its size). */
export function poolKey(keys: readonly PoolKey[], i: number): PoolKey {
  const key = keys[i % keys.length];
  if (key === undefined) throw new AssertionError('empty key pool');
  return key;
}
