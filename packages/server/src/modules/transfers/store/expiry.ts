import type { Queryable } from '../../../adapters/db/index.ts';

// The set-based statements of the expiry sweep (expiry.ts) and of ending transfers
// (services/lifecycle.ts): each one a single statement, so a crash loses at most the batch in hand.

/**
 * Ends the transfers that `picked` selects (a SELECT of `tenant_id, id` that locks its rows), all
 * in one statement: the same destruction as `endTransfer` in service.ts, row for row — the keys
 * and sealed texts set NULL, end-to-end envelopes and guest contact data deleted, every segment's
 * blob queued for deletion and its row deleted, file keys and sealed names cleared — plus, when
 * `auditAction` is given, one audit event per transfer. In `picked`, `$1` is now and `$2` the new
 * status; further parameters follow. Data-modifying CTEs all run to completion against one
 * snapshot, and each touches a different table, so the statement is exactly the sum of its parts.
 * @returns how many transfers it ended.
 */
export async function endPickedTransfers(
  tx: Queryable,
  picked: string,
  params: readonly unknown[],
  auditAction?: string,
): Promise<number> {
  // Interpolated (a parameter's number would depend on `picked`): only ever a constant name.
  if (auditAction !== undefined && !/^[a-z]+(\.[a-z]+)+$/.test(auditAction))
    throw new Error(`bad audit action ${auditAction}`);
  const audit =
    auditAction === undefined
      ? ''
      : `, audit AS (
           -- writes audit_events (owner: audit): set-based sweep, one event per ended transfer in the same statement as the ending
           INSERT INTO audit_events (tenant_id, at, actor_kind, action, subject_kind, subject_id)
           SELECT tenant_id, $1::timestamptz, 'system', '${auditAction}', 'transfer', id FROM ended)`;
  const rows = await tx.query<{ n: number }>(
    `WITH picked AS (${picked}),
     ended AS (
       UPDATE transfers t SET status = $2::text, ended_at = $1::timestamptz, content_key = NULL, subject = NULL,
         message = NULL, reference = NULL, e2e_envelope = NULL
       FROM picked p WHERE t.tenant_id = p.tenant_id AND t.id = p.id
       RETURNING t.tenant_id, t.id),
     envelopes AS (
       -- an ended transfer keeps no key material
       DELETE FROM transfer_envelopes e USING ended x WHERE e.tenant_id = x.tenant_id AND e.transfer_id = x.id),
     guests AS (
       DELETE FROM transfer_guests g USING ended x WHERE g.tenant_id = x.tenant_id AND g.transfer_id = x.id),
     files AS (
       UPDATE transfer_files f SET file_key = NULL, name = '\\x'::bytea, media_type = '\\x'::bytea
       FROM ended x WHERE f.tenant_id = x.tenant_id AND f.transfer_id = x.id
       RETURNING f.tenant_id, f.id),
     segments AS (
       DELETE FROM file_segments s USING files f WHERE s.tenant_id = f.tenant_id AND s.file_id = f.id
       RETURNING s.blob_key),
     queued AS (
       INSERT INTO blob_deletions (blob_key, queued_at) SELECT blob_key, $1::timestamptz FROM segments
       ON CONFLICT DO NOTHING)${audit}
     SELECT count(*)::int AS n FROM ended`,
    params,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Ends one batch of sent transfers whose time is up (claimed with SKIP LOCKED), one audit event
 * each. @returns how many it ended.
 */
export async function endExpiredBatch(tx: Queryable, now: Date, batch: number): Promise<number> {
  return endPickedTransfers(
    tx,
    `SELECT tenant_id, id FROM transfers WHERE ended_at IS NULL AND status = 'sent' AND expires_at <= $1::timestamptz
         ORDER BY expires_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [now, 'expired', batch],
    'transfer.expired',
  );
}

/**
 * Deletes one batch of drafts nobody sent (created before `createdBefore`); their rows cascade,
 * only their blobs need queueing first. @returns how many it deleted.
 */
export async function deleteAbandonedDraftBatch(
  q: Queryable,
  now: Date,
  createdBefore: Date,
  batch: number,
): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH picked AS (
         SELECT tenant_id, id FROM transfers WHERE status = 'draft' AND created_at <= $2::timestamptz LIMIT $3 FOR UPDATE SKIP LOCKED),
       queued AS (
         INSERT INTO blob_deletions (blob_key, queued_at)
         SELECT s.blob_key, $1::timestamptz FROM picked p
           JOIN transfer_files f ON f.tenant_id = p.tenant_id AND f.transfer_id = p.id
           JOIN file_segments s ON s.tenant_id = f.tenant_id AND s.file_id = f.id
         ON CONFLICT DO NOTHING),
       gone AS (DELETE FROM transfers t USING picked p WHERE t.tenant_id = p.tenant_id AND t.id = p.id RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
    [now, createdBefore, batch],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Deletes one batch of a tenant's transfers that ended before `cutoff`, and records the deletion
 * (rule and count, nothing about whom it concerned) in the same statement, so that a crash cannot
 * separate the two. A thread's first transfer stays while a reply to it is live.
 * @returns how many it deleted.
 */
export async function deleteEndedTransferBatch(
  q: Queryable,
  tenantId: string,
  cutoff: Date,
  now: Date,
  batch: number,
): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH doomed AS (
           SELECT tenant_id, id FROM transfers WHERE tenant_id = $1::uuid AND ended_at IS NOT NULL AND ended_at <= $2::timestamptz
             AND id NOT IN (SELECT in_reply_to FROM transfers WHERE tenant_id = $1::uuid AND in_reply_to IS NOT NULL AND ended_at IS NULL)
           LIMIT $4 FOR UPDATE SKIP LOCKED),
         gone AS (DELETE FROM transfers t USING doomed d WHERE t.tenant_id = d.tenant_id AND t.id = d.id RETURNING 1),
         audit AS (
           -- writes audit_events (owner: audit): set-based sweep, the deletion on record in the same statement
           INSERT INTO audit_events (tenant_id, at, actor_kind, action, details)
           SELECT $1::uuid, $3::timestamptz, 'system', 'retention.deleted', jsonb_build_object('rule', 'transfers.metadata', 'count', count(*))
           FROM gone HAVING count(*) > 0)
         SELECT count(*)::int AS n FROM gone`,
    [tenantId, cutoff, now, batch],
  );
  return rows[0]?.n ?? 0;
}
