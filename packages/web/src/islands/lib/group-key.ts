// Key pairs shared by a group (a department, an organisation): the private key travels only as a
// type-E envelope (docs/crypto.md) around its 32-byte scalar, wrapped to one member's personal
// key, exactly like a file key. These helpers make such a pair, wrap it for a member, and turn a
// member's share back into a usable, non-extractable key pair. Shared by the department and
// organisation islands.
import {
  exportPublicKey,
  fromBase64Url,
  generateKeyPair,
  importPublicKey,
  toBase64Url,
  unwrapFileKey,
  wrapFileKey,
} from '@amtsbote/crypto';

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** A new group key pair: its public key text and private scalar (zero it after wrapping). */
export async function newGroupKey(): Promise<{ publicKey: string; scalar: Uint8Array }> {
  const pair = await generateKeyPair({ extractable: true });
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  if (jwk.d === undefined) throw new Error('no private scalar');
  return { publicKey: await exportPublicKey(pair.publicKey), scalar: fromBase64Url(jwk.d) };
}

/** The group's private scalar wrapped for one member's personal public key (`amtb-pub1-…`). */
export async function wrapGroupScalar(scalar: Uint8Array, memberPublicKey: string): Promise<Uint8Array> {
  return wrapFileKey(scalar, await importPublicKey(memberPublicKey));
}

/** The private scalar inside a member's share, opened with their unlocked personal key. */
export async function openGroupScalar(share: Uint8Array, personal: CryptoKeyPair): Promise<Uint8Array> {
  return unwrapFileKey(share, personal);
}

/**
 * A member's share as a non-extractable key pair for the group's public key. Refuses a scalar
 * that does not belong to that public key (a server handing out a swapped key would be caught
 * here): both sides of an ECDH with a throwaway key must agree.
 */
export async function openGroupKey(
  share: Uint8Array,
  personal: CryptoKeyPair,
  groupPublicKey: string,
): Promise<CryptoKeyPair> {
  const scalar = await openGroupScalar(share, personal);
  try {
    const publicKey = await importPublicKey(groupPublicKey);
    const { x, y } = await crypto.subtle.exportKey('jwk', publicKey);
    const privateKey = await crypto.subtle.importKey(
      'jwk',
      {
        kty: 'EC',
        crv: 'P-256',
        x,
        y,
        d: toBase64Url(scalar),
        ext: false,
      },
      ECDH,
      false,
      ['deriveBits'],
    );
    const probe = await crypto.subtle.generateKey(ECDH, false, ['deriveBits']);
    const [a, b] = await Promise.all([
      crypto.subtle.deriveBits({ name: 'ECDH', public: probe.publicKey }, privateKey, 256),
      crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, probe.privateKey, 256),
    ]);
    const u = new Uint8Array(a);
    const v = new Uint8Array(b);
    let diff = u.length ^ v.length;
    for (let i = 0; i < u.length; i++) diff |= (u[i] ?? 0) ^ (v[i] ?? 0);
    if (diff !== 0) throw new Error('the share does not belong to this key');
    return { privateKey, publicKey };
  } finally {
    scalar.fill(0);
  }
}
