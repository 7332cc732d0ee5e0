import type { Clock } from '../../../adapters/clock.ts';
import { DAY, MINUTE } from '../../../adapters/clock.ts';
import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { Secrets } from '../../../adapters/secrets.ts';
import { hashToken, looksLikeToken } from '../../../adapters/secrets.ts';
import { AppError } from '../../../errors.ts';

export type LinkPurpose = 'login' | 'invitation';

export const LINK_LIFETIME: Record<LinkPurpose, number> = {
  login: 15 * MINUTE,
  invitation: 7 * DAY,
};

/**
 * Issues a one-time link token. Earlier unused links of the same purpose stop working, so only
 * the newest mail counts.
 */
export async function issueLink(
  q: Queryable,
  deps: { clock: Clock; secrets: Secrets },
  input: { tenantId: string; staffId: string; purpose: LinkPurpose; lifetimeMs?: number },
): Promise<string> {
  const token = deps.secrets.token();
  const now = deps.clock.now();
  await q.query(
    `DELETE FROM login_links WHERE tenant_id = $1 AND staff_id = $2 AND purpose = $3 AND used_at IS NULL`,
    [input.tenantId, input.staffId, input.purpose],
  );
  await q.query(
    `INSERT INTO login_links (token_hash, tenant_id, staff_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      hashToken(token),
      input.tenantId,
      input.staffId,
      input.purpose,
      now,
      new Date(now.getTime() + (input.lifetimeMs ?? LINK_LIFETIME[input.purpose])),
    ],
  );
  return token;
}

/** Looks a link up without using it (for the confirmation page). */
export async function peekLink(
  q: Queryable,
  clock: Clock,
  tenantId: string,
  purpose: LinkPurpose,
  token: string,
): Promise<{ staffId: string } | undefined> {
  if (!looksLikeToken(token)) return undefined;
  return one<{ staffId: string }>(
    q,
    `SELECT staff_id AS "staffId" FROM login_links
     WHERE token_hash = $1 AND tenant_id = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4`,
    [hashToken(token), tenantId, purpose, clock.now()],
  );
}

/**
 * Uses a link once: the UPDATE … WHERE used_at IS NULL is atomic, so two requests racing with
 * the same token cannot both succeed.
 * @throws {AppError} ERR_LINK_INVALID for unknown, expired, used or other-tenant tokens alike.
 */
export async function consumeLink(
  q: Queryable,
  clock: Clock,
  tenantId: string,
  purpose: LinkPurpose,
  token: string,
): Promise<{ staffId: string }> {
  if (!looksLikeToken(token)) throw new AppError('ERR_LINK_INVALID');
  const now = clock.now();
  const row = await one<{ staffId: string }>(
    q,
    `UPDATE login_links SET used_at = $4
     WHERE token_hash = $1 AND tenant_id = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $4
     RETURNING staff_id AS "staffId"`,
    [hashToken(token), tenantId, purpose, now],
  );
  if (row === undefined) throw new AppError('ERR_LINK_INVALID');
  return row;
}
