import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

export async function insertDownload(
  q: Queryable,
  tenantId: string,
  d: { transferId: string; recipientId: string | null; fileId: string | null; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO transfer_downloads (tenant_id, transfer_id, recipient_id, file_id, at) VALUES ($1, $2, $3, $4, $5)`,
    [tenantId, d.transferId, d.recipientId, d.fileId, d.at],
  );
}

/** The recipient's first download; their address then, undefined when they had downloaded before. */
export async function markFirstDownload(
  q: Queryable,
  tenantId: string,
  recipientId: string,
  at: Date,
): Promise<string | undefined> {
  const rows = await q.query<{ email: string }>(
    `UPDATE transfer_recipients SET first_downloaded_at = $3 WHERE tenant_id = $1 AND id = $2 AND first_downloaded_at IS NULL RETURNING email`,
    [tenantId, recipientId, at],
  );
  return rows[0]?.email;
}

/** The staff sender of a transfer that asked to be told of downloads, if there is one. */
export async function senderToNotify(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<{ staffId: string } | undefined> {
  const row = await one<{ sender_staff_id: string }>(
    q,
    `SELECT sender_staff_id FROM transfers WHERE tenant_id = $1 AND id = $2 AND notify_on_download AND sender_staff_id IS NOT NULL`,
    [tenantId, transferId],
  );
  return row === undefined ? undefined : { staffId: row.sender_staff_id };
}
