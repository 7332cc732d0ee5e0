import type { Queryable } from '../../../adapters/db/index.ts';

// Added for the retention module's sign-in sweep (`retention.sign-in`): sign-in state of service
// accounts that ran out, across every tenant at once (each row is dead for everyone). Each
// returns how many went.

/** One-time account links (password reset) that expired at or before `before`. */
export async function deleteExpiredAccountLinks(q: Queryable, before: Date): Promise<number> {
  return (await q.query(`DELETE FROM account_links WHERE expires_at <= $1 RETURNING 1`, [before])).length;
}

/** Sign-ins waiting for their second factor that expired at or before `before`. */
export async function deleteExpiredLoginChallenges(q: Queryable, before: Date): Promise<number> {
  return (await q.query(`DELETE FROM login_challenges WHERE expires_at <= $1 RETURNING 1`, [before])).length;
}

/** Passkey challenges that expired at or before `before`. */
export async function deleteExpiredWebauthnChallenges(q: Queryable, before: Date): Promise<number> {
  return (await q.query(`DELETE FROM webauthn_challenges WHERE expires_at <= $1 RETURNING 1`, [before]))
    .length;
}

/** OpenID Connect identities waiting for a verified address that expired at or before `before`. */
export async function deleteExpiredOidcPendingIdentities(q: Queryable, before: Date): Promise<number> {
  return (await q.query(`DELETE FROM oidc_pending_identities WHERE expires_at <= $1 RETURNING 1`, [before]))
    .length;
}

/** Account access tokens that expired at or before `before`. */
export async function deleteExpiredAccountTokens(q: Queryable, before: Date): Promise<number> {
  return (await q.query(`DELETE FROM account_tokens WHERE expires_at <= $1 RETURNING 1`, [before])).length;
}
