// The organisation's key pair in the browser (server: modules/organisations/keys.ts): an
// administrator's browser makes it and keeps only a share wrapped to the own personal key; any
// member holding it wraps it for confirmed members still waiting (in the background, from
// key-session.ts); a member opens a level-3/4 message of the postbox with the share. The private
// scalar exists here only for the moment it takes to wrap it; the server never sees it.
import { fromBase64Url, toBase64Url } from '@amtsbote/crypto';
import { newGroupKey, openGroupKey, openGroupScalar, wrapGroupScalar } from './group-key.ts';
import { fetchWorkList, sendKeyWork } from './keystore.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

async function put(url: string, body: unknown): Promise<Response> {
  return sendKeyWork(url, body, 'PUT');
}

/**
 * Makes the organisation's key pair and stores it with the administrator's own share.
 * @throws {Error} when the server refuses it (not an administrator, a key exists already).
 */
export async function createOrganisationKey(organisationId: string, ownPublicKey: string): Promise<void> {
  const key = await newGroupKey();
  try {
    const share = await wrapGroupScalar(key.scalar, ownPublicKey);
    const res = await put(`/api/v1/organisations/${encodeURIComponent(organisationId)}/keys`, {
      publicKey: key.publicKey,
      wrappedPrivateKey: toBase64Url(share),
    });
    if (!res.ok) throw new Error(`organisation key refused: ${String(res.status)}`);
  } finally {
    key.scalar.fill(0);
  }
}

/**
 * Wraps the organisation keys the caller holds for confirmed members who have a personal key
 * but no share yet (the server lists them). Returns how many were stored.
 */
export async function runOrganisationShares(personal: CryptoKeyPair): Promise<number> {
  const items = await fetchWorkList('/api/v1/organisations/key-shares');
  let done = 0;
  for (const item of items) {
    if (
      !isRecord(item) ||
      typeof item.organisationId !== 'string' ||
      typeof item.wrappedPrivateKey !== 'string' ||
      !Array.isArray(item.members)
    )
      continue;
    let scalar: Uint8Array;
    try {
      scalar = await openGroupScalar(fromBase64Url(item.wrappedPrivateKey), personal);
    } catch {
      // A share made for an earlier personal key: another member will do it.
      continue;
    }
    try {
      for (const m of item.members) {
        if (!isRecord(m) || typeof m.accountId !== 'string' || typeof m.publicKey !== 'string') continue;
        const share = await wrapGroupScalar(scalar, m.publicKey);
        const stored = await put(
          `/api/v1/organisations/${encodeURIComponent(item.organisationId)}/keys/shares/${encodeURIComponent(m.accountId)}`,
          { wrappedPrivateKey: toBase64Url(share), publicKey: m.publicKey },
        );
        if (stored.ok) done++;
      }
    } finally {
      scalar.fill(0);
    }
  }
  return done;
}

/**
 * The key pair that opens a message of the organisation's postbox: the organisation's key from
 * the member's share, or undefined when the answer carries none (a personal envelope).
 */
export async function organisationHolderKey(
  personal: CryptoKeyPair,
  body: { wrappedOrganisationKey?: unknown; organisationPublicKey?: unknown },
): Promise<CryptoKeyPair | undefined> {
  if (typeof body.wrappedOrganisationKey !== 'string' || typeof body.organisationPublicKey !== 'string')
    return undefined;
  return openGroupKey(fromBase64Url(body.wrappedOrganisationKey), personal, body.organisationPublicKey);
}
