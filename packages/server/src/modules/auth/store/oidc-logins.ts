import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

/** The oidc_logins table: a started OpenID sign-in, by the hash of its state, bound to a session. */

/** What a sign-in is for: a citizen's, linking an identity, re-authentication, or staff SSO. */
export type OidcPurpose = 'citizen' | 'link' | 'reauth' | 'staff';

export interface OidcLoginRow {
  purpose: OidcPurpose;
  account_id: string | null;
  next: string | null;
  code_verifier: string;
  nonce: string;
}

/** Writes a started sign-in, after removing the expired ones. */
export async function insertOidcLogin(
  q: Queryable,
  row: {
    stateHash: Buffer;
    tenantId: string;
    purpose: OidcPurpose;
    verifier: string;
    nonce: string;
    sessionHash: Buffer;
    accountId: string | null;
    next: string | null;
    now: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await q.query(`DELETE FROM oidc_logins WHERE expires_at <= $1`, [row.now]);
  await q.query(
    `INSERT INTO oidc_logins (state_hash, tenant_id, purpose, code_verifier, nonce, session_hash, account_id, next, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      row.stateHash,
      row.tenantId,
      row.purpose,
      row.verifier,
      row.nonce,
      row.sessionHash,
      row.accountId,
      row.next,
      row.now,
      row.expiresAt,
    ],
  );
}

/** Uses a live state of this session once; undefined for unknown, used, expired or foreign ones. */
export async function useOidcLogin(
  q: Queryable,
  input: { stateHash: Buffer; tenantId: string; sessionHash: Buffer; now: Date },
): Promise<OidcLoginRow | undefined> {
  return one<OidcLoginRow>(
    q,
    `UPDATE oidc_logins SET used_at = $4 WHERE state_hash = $1 AND tenant_id = $2 AND session_hash = $3 AND used_at IS NULL AND expires_at > $4
     RETURNING purpose, account_id, next, code_verifier, nonce`,
    [input.stateHash, input.tenantId, input.sessionHash, input.now],
  );
}
