import type { Queryable } from '../../../adapters/db/index.ts';

// Added for the retention module's sign-in sweep (`retention.sign-in`): sign-in state that ran
// out, across every tenant at once (each row is dead for everyone). Each returns how many went.

/** Mailed codes that expired at or before `before`. */
export async function deleteExpiredEmailCodes(q: Queryable, before: Date): Promise<number> {
  return (await q.query(`DELETE FROM email_codes WHERE expires_at <= $1 RETURNING 1`, [before])).length;
}

/** Staff sign-in and reset links that expired at or before `before`. */
export async function deleteExpiredLoginLinks(q: Queryable, before: Date): Promise<number> {
  return (await q.query(`DELETE FROM login_links WHERE expires_at <= $1 RETURNING 1`, [before])).length;
}

/** OpenID Connect round trips that expired at or before `before`. */
export async function deleteExpiredOidcLogins(q: Queryable, before: Date): Promise<number> {
  return (await q.query(`DELETE FROM oidc_logins WHERE expires_at <= $1 RETURNING 1`, [before])).length;
}

/** Rate-limit counters whose window began at or before `before`. */
export async function deleteStaleRateLimits(q: Queryable, before: Date): Promise<number> {
  return (await q.query(`DELETE FROM rate_limits WHERE window_start <= $1 RETURNING 1`, [before])).length;
}

/** Staff access tokens that expired at or before `before`. */
export async function deleteExpiredApiTokens(q: Queryable, before: Date): Promise<number> {
  return (await q.query(`DELETE FROM api_tokens WHERE expires_at <= $1 RETURNING 1`, [before])).length;
}
