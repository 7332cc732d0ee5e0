import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';

// SQL on `retention_notices`. The inactivity sweeps join it with the tables of the subjects they
// watch (accounts; organisations with their members' sign-ins), one set-based statement each:
// split by owner, every batch would cost a query per subject, and the claim of a notice could no
// longer copy its anchor from the subject's row inside the database (it must compare equal to the
// column exactly).

/** A subject's pending notices, when the subject itself goes. */
export async function deleteNoticesOf(q: Queryable, tenantId: string, subjectId: string): Promise<void> {
  await q.query(`DELETE FROM retention_notices WHERE tenant_id = $1 AND subject_id = $2`, [
    tenantId,
    subjectId,
  ]);
}

/** One rule's notice about one subject (the stop link was used). */
export async function deleteNotice(
  q: Queryable,
  tenantId: string,
  rule: string,
  subjectId: string,
): Promise<void> {
  await q.query(`DELETE FROM retention_notices WHERE tenant_id = $1 AND rule = $2 AND subject_id = $3`, [
    tenantId,
    rule,
    subjectId,
  ]);
}

// --- service accounts ----------------------------------------------------------------------------

/** Notices void because the account was active after them; returns how many went. */
export async function voidAccountNotices(q: Queryable, tenantId: string, rule: string): Promise<number> {
  const rows = await q.query(
    `DELETE FROM retention_notices n USING accounts a
     WHERE n.tenant_id = $1 AND n.rule = $2 AND a.tenant_id = n.tenant_id AND a.id = n.subject_id AND a.last_active_at > n.anchor RETURNING 1
     -- reads accounts (owner: accounts): set-based sweep of one tenant's notices`,
    [tenantId, rule],
  );
  return rows.length;
}

/** Accounts whose notice is due and that stayed inactive since, longest inactive first. */
export async function accountsDue(
  q: Queryable,
  tenantId: string,
  rule: string,
  now: Date,
  inactiveSince: Date,
  limit: number,
): Promise<{ id: string }[]> {
  return q.query<{ id: string }>(
    `SELECT a.id FROM accounts a JOIN retention_notices n ON n.tenant_id = a.tenant_id AND n.rule = $2 AND n.subject_id = a.id
     WHERE a.tenant_id = $1 AND n.anchor = a.last_active_at AND n.due_at <= $3 AND a.last_active_at <= $4
     ORDER BY a.last_active_at LIMIT $5
     -- reads accounts (owner: accounts): set-based sweep of one tenant's notices`,
    [tenantId, rule, now, inactiveSince, limit],
  );
}

/**
 * Locks the account (skipping one another transaction holds) while its notice still stands:
 * a sign-in a moment ago keeps it.
 */
export async function lockAccountStillDue(
  q: Queryable,
  tenantId: string,
  accountId: string,
  rule: string,
): Promise<boolean> {
  const row = await one(
    q,
    `SELECT 1 AS x FROM accounts a JOIN retention_notices n ON n.tenant_id = a.tenant_id AND n.rule = $3 AND n.subject_id = a.id
     WHERE a.tenant_id = $1 AND a.id = $2 AND n.anchor = a.last_active_at FOR UPDATE OF a SKIP LOCKED
     -- writes accounts (owner: accounts): the row lock of the erasure that follows, with the notice`,
    [tenantId, accountId, rule],
  );
  return row !== undefined;
}

/** An account inactive since `lastActive`, with no notice about that stretch of inactivity yet. */
export interface AccountToWarn {
  id: string;
  lastActive: Date;
  email: string;
  locale: 'de' | 'en' | null;
}

export async function accountsToWarn(
  q: Queryable,
  tenantId: string,
  inactiveSince: Date,
  rule: string,
  limit: number,
): Promise<AccountToWarn[]> {
  return q.query<AccountToWarn>(
    `SELECT a.id, a.last_active_at AS "lastActive", a.email, a.locale FROM accounts a
     WHERE a.tenant_id = $1 AND a.last_active_at <= $2
       AND NOT EXISTS (SELECT 1 FROM retention_notices n WHERE n.tenant_id = a.tenant_id AND n.rule = $3 AND n.subject_id = a.id AND n.anchor = a.last_active_at)
     ORDER BY a.last_active_at LIMIT $4
     -- reads accounts (owner: accounts): set-based sweep of one tenant's accounts against their notices`,
    [tenantId, inactiveSince, rule, limit],
  );
}

/**
 * Records the warning about the account's current stretch of inactivity; the anchor is copied
 * inside the database, so it compares equal to the column exactly.
 * @returns false when a notice about this stretch exists already (another node sent it)
 */
export async function claimAccountNotice(
  q: Queryable,
  input: { tenantId: string; rule: string; accountId: string; now: Date; dueAt: Date },
): Promise<boolean> {
  const claimed = await q.query(
    `INSERT INTO retention_notices (tenant_id, rule, subject_id, anchor, notified_at, due_at)
     SELECT a.tenant_id, $2, a.id, a.last_active_at, $4, $5 FROM accounts a WHERE a.tenant_id = $1 AND a.id = $3
     ON CONFLICT (tenant_id, rule, subject_id) DO UPDATE SET anchor = EXCLUDED.anchor, notified_at = EXCLUDED.notified_at, due_at = EXCLUDED.due_at
     WHERE retention_notices.anchor <> EXCLUDED.anchor RETURNING 1
     -- reads accounts (owner: accounts): the anchor, copied from the account's row`,
    [input.tenantId, input.rule, input.accountId, input.now, input.dueAt],
  );
  return claimed.length > 0;
}

// --- organisations -------------------------------------------------------------------------------

/**
 * The last activity of an organisation: its own (created, stop link) or any member's sign-in.
 * Reads organisation_members (owner: organisations) and accounts (owner: accounts).
 */
const orgActivity = `greatest(o.last_active_at, (SELECT max(a.last_active_at) FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
  WHERE m.tenant_id = o.tenant_id AND m.organisation_id = o.id))`;

/** Notices void because the organisation or a member was active after them; returns how many went. */
export async function voidOrganisationNotices(q: Queryable, tenantId: string, rule: string): Promise<number> {
  const rows = await q.query(
    `DELETE FROM retention_notices n USING organisations o
     WHERE n.tenant_id = $1 AND n.rule = $2 AND o.tenant_id = n.tenant_id AND o.id = n.subject_id AND ${orgActivity} > n.anchor RETURNING 1
     -- reads organisations and their members (owner: organisations), accounts (owner: accounts): set-based sweep of one tenant's notices`,
    [tenantId, rule],
  );
  return rows.length;
}

/** Organisations whose announcement is due and that stayed inactive since. */
export async function organisationsDue(
  q: Queryable,
  tenantId: string,
  rule: string,
  now: Date,
  inactiveSince: Date,
): Promise<{ id: string }[]> {
  return q.query<{ id: string }>(
    `SELECT o.id FROM organisations o JOIN retention_notices n ON n.tenant_id = o.tenant_id AND n.rule = $2 AND n.subject_id = o.id
     WHERE o.tenant_id = $1 AND n.due_at <= $3 AND ${orgActivity} = n.anchor AND ${orgActivity} <= $4
     -- reads organisations and their members (owner: organisations), accounts (owner: accounts): set-based sweep of one tenant's notices`,
    [tenantId, rule, now, inactiveSince],
  );
}

/** Whether the organisation's announcement still stands (no activity since). */
export async function organisationStillDue(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  rule: string,
): Promise<boolean> {
  const row = await one(
    q,
    `SELECT 1 AS x FROM organisations o JOIN retention_notices n ON n.tenant_id = o.tenant_id AND n.rule = $3 AND n.subject_id = o.id
     WHERE o.tenant_id = $1 AND o.id = $2 AND ${orgActivity} = n.anchor
     -- reads organisations and their members (owner: organisations), accounts (owner: accounts): the activity against the notice`,
    [tenantId, organisationId, rule],
  );
  return row !== undefined;
}

/** An organisation inactive since `lastActive`, not yet announced for that stretch. */
export interface OrganisationToAnnounce {
  id: string;
  name: string;
  contactEmail: string;
  lastActive: Date;
}

export async function organisationsToAnnounce(
  q: Queryable,
  tenantId: string,
  inactiveSince: Date,
  rule: string,
  limit: number,
): Promise<OrganisationToAnnounce[]> {
  return q.query<OrganisationToAnnounce>(
    `SELECT o.id, o.name, o.contact_email AS "contactEmail", ${orgActivity} AS "lastActive" FROM organisations o
     WHERE o.tenant_id = $1 AND ${orgActivity} <= $2
       AND NOT EXISTS (SELECT 1 FROM retention_notices n WHERE n.tenant_id = o.tenant_id AND n.rule = $3 AND n.subject_id = o.id AND n.anchor = ${orgActivity})
     ORDER BY o.id LIMIT $4
     -- reads organisations and their members (owner: organisations), accounts (owner: accounts): set-based sweep of one tenant's organisations against their notices`,
    [tenantId, inactiveSince, rule, limit],
  );
}

/**
 * Records the announcement about the organisation's current stretch of inactivity, with the
 * hash of its stop link; the anchor is computed inside the database, as the sweeps compare it.
 * @returns false when an announcement about this stretch exists already (another node sent it)
 */
export async function claimOrganisationNotice(
  q: Queryable,
  input: {
    tenantId: string;
    rule: string;
    organisationId: string;
    now: Date;
    dueAt: Date;
    stopTokenHash: Buffer;
  },
): Promise<boolean> {
  const claimed = await q.query(
    `INSERT INTO retention_notices (tenant_id, rule, subject_id, anchor, notified_at, due_at, stop_token_hash)
     SELECT o.tenant_id, $2, o.id, ${orgActivity}, $4, $5, $6 FROM organisations o WHERE o.tenant_id = $1 AND o.id = $3
     ON CONFLICT (tenant_id, rule, subject_id) DO UPDATE SET anchor = EXCLUDED.anchor, notified_at = EXCLUDED.notified_at, due_at = EXCLUDED.due_at, stop_token_hash = EXCLUDED.stop_token_hash
     WHERE retention_notices.anchor <> EXCLUDED.anchor RETURNING 1
     -- reads organisations and their members (owner: organisations), accounts (owner: accounts): the anchor, computed from their rows`,
    [input.tenantId, input.rule, input.organisationId, input.now, input.dueAt, input.stopTokenHash],
  );
  return claimed.length > 0;
}

/** The organisation a stop link is for, with its name for the page. */
export async function organisationOfStopLink(
  q: Queryable,
  tenantId: string,
  rule: string,
  stopTokenHash: Buffer,
): Promise<{ subjectId: string; name: string } | undefined> {
  return one<{ subjectId: string; name: string }>(
    q,
    `SELECT n.subject_id AS "subjectId", o.name FROM retention_notices n JOIN organisations o ON o.tenant_id = n.tenant_id AND o.id = n.subject_id
     WHERE n.tenant_id = $1 AND n.rule = $2 AND n.stop_token_hash = $3
     -- reads organisations (owner: organisations): the name the stop page shows, in the same query`,
    [tenantId, rule, stopTokenHash],
  );
}
