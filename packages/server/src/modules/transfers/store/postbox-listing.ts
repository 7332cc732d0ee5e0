import type { Queryable } from '../../../adapters/db/index.ts';
import type { TransferRow } from './transfer-rows.ts';

const postboxColumns = `t.tenant_id, t.id, t.thread_id, t.in_reply_to, t.level, t.status, t.sender_staff_id, t.sender_recipient_id,
  t.to_staff_id, t.content_key, t.subject, t.file_count, t.total_size, t.created_at, t.sent_at, t.expires_at, t.ended_at`;

/**
 * The postbox page: what the staff member sent and what was sent to them, each branch walking its
 * own index (transfers_sender, transfers_to_staff) newest first and stopping after one page, so the
 * cost is one page whoever holds how many transfers (an OR of the two would need a scan of all of
 * them, or an index on the tenant's whole timeline). The recipients are read once per listed
 * transfer, after the page is cut. The second branch leaves out what the first one has.
 */
export const postboxSql = `SELECT p.*,
       CASE WHEN p.sender_staff_id = $2 THEN rs.emails
            ELSE (SELECT r.email FROM transfer_recipients r WHERE r.tenant_id = p.tenant_id AND r.id = p.sender_recipient_id) END AS counterpart,
       coalesce(rs.opened, 0) AS opened, coalesce(rs.downloaded, 0) AS downloaded, coalesce(rs.recipients, 0) AS recipients
     FROM (
       SELECT * FROM (
         (SELECT ${postboxColumns} FROM transfers t
          WHERE t.tenant_id = $1 AND t.sender_staff_id = $2 AND t.status <> 'draft' AND ($3::timestamptz IS NULL OR t.created_at < $3)
          ORDER BY t.created_at DESC LIMIT $4)
         UNION ALL
         (SELECT ${postboxColumns} FROM transfers t
          WHERE t.tenant_id = $1 AND t.to_staff_id = $2 AND t.sender_staff_id IS DISTINCT FROM $2 AND t.status <> 'draft'
            AND ($3::timestamptz IS NULL OR t.created_at < $3)
          ORDER BY t.created_at DESC LIMIT $4)
       ) branches ORDER BY created_at DESC LIMIT $4
     ) p
     LEFT JOIN LATERAL (
       SELECT string_agg(r.email, ', ' ORDER BY r.email) AS emails, count(*)::int AS recipients,
         (count(*) FILTER (WHERE r.first_opened_at IS NOT NULL))::int AS opened,
         (count(*) FILTER (WHERE r.first_downloaded_at IS NOT NULL))::int AS downloaded
       FROM transfer_recipients r WHERE r.tenant_id = p.tenant_id AND r.transfer_id = p.id
     ) rs ON true
     ORDER BY p.created_at DESC`;

export type PostboxRow = TransferRow & {
  counterpart: string | null;
  opened: number;
  downloaded: number;
  recipients: number;
};

/** One page of a staff member's postbox, newest first, before `before` when given. */
export async function postboxRows(
  q: Queryable,
  tenantId: string,
  staffId: string,
  before: Date | null,
  limit: number,
): Promise<PostboxRow[]> {
  return q.query<PostboxRow>(postboxSql, [tenantId, staffId, before, limit]);
}
