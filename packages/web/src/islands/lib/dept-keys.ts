// Department keys in the browser (docs/crypto.md, "Department keys"): a member with an unlocked
// personal key gives members who have no share yet (a late personal key, a new member) their
// share in the background, and re-wraps file keys reached through a department envelope. The
// department's private scalar is unwrapped here only for the moment it takes to wrap it again.
import { fromBase64Url, toBase64Url } from '@amtsbote/crypto';
import { openGroupKey, openGroupScalar, wrapGroupScalar } from './group-key.ts';
import { fetchWorkList, sendKeyWork } from './keystore.ts';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * Wraps the department keys the caller holds for members of their departments who have a
 * personal key but no share for it (the server lists them). Returns how many were stored.
 */
export async function runDepartmentShares(personal: CryptoKeyPair): Promise<number> {
  const items = await fetchWorkList('/api/v1/department-keys/pending');
  let done = 0;
  for (const item of items) {
    if (
      !isRecord(item) ||
      typeof item.keyId !== 'string' ||
      typeof item.staffId !== 'string' ||
      typeof item.publicKey !== 'string' ||
      typeof item.wrappedPrivateKey !== 'string'
    )
      continue;
    try {
      const scalar = await openGroupScalar(fromBase64Url(item.wrappedPrivateKey), personal);
      const share = await wrapGroupScalar(scalar, item.publicKey);
      scalar.fill(0);
      const put = await sendKeyWork('/api/v1/department-keys/shares', {
        keyId: item.keyId,
        staffId: item.staffId,
        publicKey: item.publicKey,
        wrappedPrivateKey: toBase64Url(share),
      });
      if (put.ok) done++;
    } catch {
      // A share that does not open with this key (replaced meanwhile) is left for another member.
    }
  }
  return done;
}

/**
 * The key pair that opens an envelope: the personal key itself, or — for an envelope made for a
 * department key — that department key, opened from the caller's share.
 */
export async function holderKey(
  personal: CryptoKeyPair,
  body: { wrappedDepartmentKey?: unknown; departmentPublicKey?: unknown },
): Promise<CryptoKeyPair> {
  if (typeof body.wrappedDepartmentKey === 'string' && typeof body.departmentPublicKey === 'string') {
    return openGroupKey(fromBase64Url(body.wrappedDepartmentKey), personal, body.departmentPublicKey);
  }
  return personal;
}
