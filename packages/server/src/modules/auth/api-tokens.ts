import type { Clock } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import type { Secrets } from '../../adapters/secrets.ts';
import { hashToken } from '../../adapters/secrets.ts';
import type { Staff } from '../staff/index.ts';
import { findLiveApiToken, insertApiToken, noteApiTokenUsed } from './store/api-tokens.ts';

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
  await insertApiToken(q, {
    id,
    hash,
    tenantId: input.tenantId,
    staffId: input.staffId,
    label: input.label ?? null,
    createdAt: deps.clock.now(),
    expiresAt: input.expiresAt ?? null,
  });
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
  const row = await findLiveApiToken(q, hashToken(token), now);
  if (row === undefined) return undefined;
  // Noted at most once a minute: a write (and its WAL flush) on every API request made a busy
  // script's requests wait on the disk (measured in bench/api-load.notes.md).
  if (row.last_used_at === null || now.getTime() - row.last_used_at.getTime() >= LAST_USED_EVERY_MS) {
    await noteApiTokenUsed(q, row.token_id, now);
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
