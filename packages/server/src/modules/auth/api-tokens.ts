import type { Clock } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import type { Secrets } from '../../adapters/secrets.ts';
import { hashToken } from '../../adapters/secrets.ts';
import type { Staff } from '../staff/service.ts';

// A recognisable prefix lets secret scanners find leaked tokens in repositories and logs.
const PREFIX = 'amtb_';

/**
 * A new bearer secret of one kind: the prefix names the kind (staff `amtb_`, account `amta_`), the
 * rest is 256 random bits. Returns the secret for the one-time display and the hash to store.
 */
export function mintBearerToken(secrets: Secrets, prefix: string): { token: string; hash: Buffer } {
  const token = `${prefix}${secrets.token()}`;
  return { token, hash: hashToken(token) };
}

/** Whether a presented bearer value can be a token of this kind at all (checked before any query). */
export function hasTokenShape(token: string, prefix: string): boolean {
  return token.startsWith(prefix) && token.length <= 200;
}

/** Creates an API token for a staff member; the token is returned once and stored hashed. */
export async function createApiToken(
  q: Queryable,
  deps: { clock: Clock; secrets: Secrets },
  input: { tenantId: string; staffId: string; label?: string; expiresAt?: Date },
): Promise<{ id: string; token: string }> {
  const id = deps.secrets.id();
  const { token, hash } = mintBearerToken(deps.secrets, PREFIX);
  await q.query(
    `INSERT INTO api_tokens (id, token_hash, tenant_id, staff_id, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, hash, input.tenantId, input.staffId, input.label ?? null, deps.clock.now(), input.expiresAt ?? null],
  );
  return { id, token };
}

const LAST_USED_EVERY_MS = 60_000;

/** The active staff member behind a bearer token, or undefined. */
export async function authenticateApiToken(
  q: Queryable,
  clock: Clock,
  token: string,
): Promise<Staff | undefined> {
  if (!hasTokenShape(token, PREFIX)) return undefined;
  const now = clock.now();
  const row = await one<Staff & { token_id: string; last_used_at: Date | null }>(
    q,
    `SELECT s.id, s.tenant_id AS "tenantId", s.email, s.display_name AS "displayName",
       s.is_tenant_admin AS "isTenantAdmin", s.status, t.id AS token_id, t.last_used_at
     FROM api_tokens t JOIN staff s ON s.tenant_id = t.tenant_id AND s.id = t.staff_id
     WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2) AND s.status = 'active'`,
    [hashToken(token), now],
  );
  if (row === undefined) return undefined;
  // Noted at most once a minute: a write (and its WAL flush) on every API request made a busy
  // script's requests wait on the disk (measured in bench/api-load.notes.md).
  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() >= LAST_USED_EVERY_MS) {
    await q.query(`UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, [row.token_id, now]);
  }
  return {
    id: row.id,
    tenantId: row.tenantId,
    email: row.email,
    displayName: row.displayName,
    isTenantAdmin: row.isTenantAdmin,
    status: row.status,
  };
}
