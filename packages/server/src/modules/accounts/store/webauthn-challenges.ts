import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Open WebAuthn challenges, each bound to the browser session that asked for it.

/**
 * Deletes the expired challenges before a new one is written (the housekeeping job's counting
 * sweep is expiry.ts's).
 */
export async function dropExpiredWebauthnChallenges(q: Queryable, now: Date): Promise<void> {
  await q.query(`DELETE FROM webauthn_challenges WHERE expires_at <= $1`, [now]);
}

export type ChallengePurpose = 'register' | 'login' | 'reauth';

export async function insertWebauthnChallenge(
  q: Queryable,
  input: {
    challenge: string;
    tenantId: string;
    purpose: ChallengePurpose;
    accountId: string | null;
    sessionHash: Buffer;
    at: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO webauthn_challenges (challenge, tenant_id, purpose, account_id, session_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      input.challenge,
      input.tenantId,
      input.purpose,
      input.accountId,
      input.sessionHash,
      input.at,
      input.expiresAt,
    ],
  );
}

/** Deletes the live challenge of this purpose and session; undefined when there is none. */
export async function takeWebauthnChallenge(
  q: Queryable,
  input: { challenge: string; tenantId: string; purpose: ChallengePurpose; sessionHash: Buffer; now: Date },
): Promise<{ accountId: string | null } | undefined> {
  return one<{ accountId: string | null }>(
    q,
    `DELETE FROM webauthn_challenges WHERE challenge = $1 AND tenant_id = $2 AND purpose = $3 AND session_hash = $4 AND expires_at > $5
     RETURNING account_id AS "accountId"`,
    [input.challenge, input.tenantId, input.purpose, input.sessionHash, input.now],
  );
}
