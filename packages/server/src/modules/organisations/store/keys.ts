import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// organisation_keys and organisation_key_shares: the organisation's public key and its members'
// wraps of the private key. A share is bound to the member's personal key it was made for, so
// these statements read personal_keys (owner: keys), which this module may not import (keys
// comes later and builds on organisations).

/**
 * A share that still opens: made for the member's current personal key (or recorded before the
 * key was, migration 011). `s` is the share, `m` the membership.
 */
const CURRENT_SHARE = `(s.personal_key_id IS NULL OR s.personal_key_id = (SELECT c.id FROM personal_keys c WHERE c.tenant_id = s.tenant_id AND c.account_id = s.account_id AND c.retired_at IS NULL))`;

/**
 * Per member (`m`): the current personal key `k` and "no share that still opens", each as a
 * subquery fenced with OFFSET 0 so it runs as a lookup on its own index per member. PGlite never
 * gathers statistics, and without them the planner joined 2 000 members to 2 000 keys (and
 * shares) by scanning all of them for each member: 2.3 s for the once-a-minute poll instead of
 * 25 ms (bench/org-keys.notes.md).
 */
const CURRENT_KEY = `LATERAL (SELECT c.id, c.public_key FROM personal_keys c WHERE c.tenant_id = m.tenant_id AND c.account_id = m.account_id AND c.retired_at IS NULL OFFSET 0) k`;
const NO_CURRENT_SHARE = `NOT EXISTS (SELECT 1 FROM organisation_key_shares s WHERE s.tenant_id = m.tenant_id AND s.organisation_id = m.organisation_id AND s.account_id = m.account_id AND (s.personal_key_id IS NULL OR s.personal_key_id = k.id) OFFSET 0)`;

/** Confirmed members without a wrap (for their current personal key) who have a key to wrap for. */
export async function shareableMembers(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<{ accountId: string; publicKey: string }[]> {
  return q.query<{ accountId: string; publicKey: string }>(
    `-- reads personal_keys (owner: keys): the current key of each member, one query for all
     SELECT m.account_id AS "accountId", k.public_key AS "publicKey" FROM organisation_members m CROSS JOIN ${CURRENT_KEY}
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND ${NO_CURRENT_SHARE}
       AND EXISTS (SELECT 1 FROM organisation_keys o WHERE o.tenant_id = $1 AND o.organisation_id = $2)
     ORDER BY m.account_id`,
    [tenantId, organisationId],
  );
}

/** The organisation's public key, or undefined while it has none. */
export async function organisationPublicKey(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<string | undefined> {
  const key = await one<{ public_key: string }>(
    q,
    `SELECT public_key FROM organisation_keys WHERE tenant_id = $1 AND organisation_id = $2`,
    [tenantId, organisationId],
  );
  return key?.public_key;
}

/** The member's own wrap of the private key, if it still opens (made for the current personal key). */
export async function currentShareOf(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string,
): Promise<Buffer | undefined> {
  const mine = await one<{ w: Buffer }>(
    q,
    `SELECT wrapped_private_key AS w FROM organisation_key_shares s WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3 AND ${CURRENT_SHARE}`,
    [tenantId, organisationId, accountId],
  );
  return mine?.w;
}

/** Confirmed members without a share that still opens (with or without a personal key). */
export async function membersWithoutShare(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<string[]> {
  const rows = await q.query<{ account_id: string }>(
    `SELECT m.account_id FROM organisation_members m LEFT JOIN ${CURRENT_KEY} ON true
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND ${NO_CURRENT_SHARE}
     ORDER BY m.account_id`,
    [tenantId, organisationId],
  );
  return rows.map((r) => r.account_id);
}

/** Sets the organisation's public key. @returns false when it has one already. */
export async function insertOrganisationKey(
  q: Queryable,
  k: { tenantId: string; organisationId: string; publicKey: string; at: Date; by: string },
): Promise<boolean> {
  const inserted = await q.query(
    `INSERT INTO organisation_keys (tenant_id, organisation_id, public_key, created_at, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING organisation_id`,
    [k.tenantId, k.organisationId, k.publicKey, k.at, k.by],
  );
  return inserted.length > 0;
}

/** The creating administrator's own share, bound to their current personal key. */
export async function insertOwnShare(
  q: Queryable,
  s: { tenantId: string; organisationId: string; accountId: string; envelope: Buffer; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO organisation_key_shares (tenant_id, organisation_id, account_id, wrapped_private_key, created_at, created_by, personal_key_id)
     VALUES ($1, $2, $3, $4, $5, $3, (SELECT id FROM personal_keys WHERE tenant_id = $1 AND account_id = $3 AND retired_at IS NULL))`,
    [s.tenantId, s.organisationId, s.accountId, s.envelope, s.at],
  );
}

/** A member's current personal key, or undefined when the account is no member. */
export async function memberPersonalKey(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  accountId: string,
): Promise<{ keyId: string | null; publicKey: string | null } | undefined> {
  return one<{ keyId: string | null; publicKey: string | null }>(
    q,
    `-- reads personal_keys (owner: keys): which key a share is made for, in the same lookup as the membership
     SELECT k.id AS "keyId", k.public_key AS "publicKey" FROM organisation_members m
       LEFT JOIN personal_keys k ON k.tenant_id = m.tenant_id AND k.account_id = m.account_id AND k.retired_at IS NULL
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND m.account_id = $3`,
    [tenantId, organisationId, accountId],
  );
}

/** Stores (or replaces) a member's share. */
export async function upsertShare(
  q: Queryable,
  s: {
    tenantId: string;
    organisationId: string;
    accountId: string;
    envelope: Buffer;
    at: Date;
    by: string;
    personalKeyId: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO organisation_key_shares (tenant_id, organisation_id, account_id, wrapped_private_key, created_at, created_by, personal_key_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, organisation_id, account_id) DO UPDATE SET wrapped_private_key = $4, created_at = $5, created_by = $6, personal_key_id = $7`,
    [s.tenantId, s.organisationId, s.accountId, s.envelope, s.at, s.by, s.personalKeyId],
  );
}

/** The organisations where this account holds a share that still opens, with their public keys. */
export async function sharesHeldBy(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<{ organisationId: string; publicKey: string; wrap: Buffer }[]> {
  return q.query<{ organisationId: string; publicKey: string; wrap: Buffer }>(
    `SELECT s.organisation_id AS "organisationId", k.public_key AS "publicKey", s.wrapped_private_key AS wrap FROM organisation_key_shares s
       JOIN organisation_keys k ON k.tenant_id = s.tenant_id AND k.organisation_id = s.organisation_id
     WHERE s.tenant_id = $1 AND s.account_id = $2 AND ${CURRENT_SHARE} ORDER BY s.organisation_id`,
    [tenantId, accountId],
  );
}
