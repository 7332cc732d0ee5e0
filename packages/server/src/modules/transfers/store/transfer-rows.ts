import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { ScanStatus } from '../scan-status.ts';

export type TransferStatus = 'draft' | 'sent' | 'revoked' | 'expired';

/** End-to-end: to a password (drop-off, and the answer to one), a department key, recipients' keys. */
export type EndToEnd = 'password' | 'department' | 'recipients' | null;

export interface TransferRow {
  id: string;
  thread_id: string;
  in_reply_to: string | null;
  level: number;
  status: TransferStatus;
  sender_staff_id: string | null;
  sender_recipient_id: string | null;
  to_staff_id: string | null;
  content_key: Buffer | null;
  subject: Buffer | null;
  message: Buffer | null;
  notify_on_download: boolean;
  allow_reply: boolean;
  file_count: number;
  total_size: number;
  created_at: Date;
  sent_at: Date | null;
  expires_at: Date;
  ended_at: Date | null;
  e2e: EndToEnd;
}

export interface TransferFileRow {
  id: string;
  name: Buffer;
  media_type: Buffer;
  size: number;
  completed_at: Date | null;
  scan_status: ScanStatus;
  scan_signature: string | null;
}

const transferColumns = `id, thread_id, in_reply_to, level, status, sender_staff_id, sender_recipient_id, to_staff_id, content_key,
  subject, message, notify_on_download, allow_reply, file_count, total_size, created_at, sent_at, expires_at, ended_at, e2e`;

export async function transferRow(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<TransferRow | undefined> {
  return one<TransferRow>(q, `SELECT ${transferColumns} FROM transfers WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    id,
  ]);
}

/** The row, locked for the rest of the transaction. */
export async function lockTransferRow(
  tx: Queryable,
  tenantId: string,
  id: string,
): Promise<TransferRow | undefined> {
  return one<TransferRow>(
    tx,
    `SELECT ${transferColumns} FROM transfers WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, id],
  );
}

/** A thread's sent messages (drafts left out), oldest first. */
export async function threadRows(q: Queryable, tenantId: string, threadId: string): Promise<TransferRow[]> {
  return q.query<TransferRow>(
    `SELECT ${transferColumns} FROM transfers WHERE tenant_id = $1 AND thread_id = $2 AND status <> 'draft' ORDER BY created_at`,
    [tenantId, threadId],
  );
}

/** A transfer's files in their order. */
export async function transferFileRows(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<TransferFileRow[]> {
  return q.query<TransferFileRow>(
    `SELECT id, name, media_type, size, completed_at, scan_status, scan_signature FROM transfer_files WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY position`,
    [tenantId, transferId],
  );
}

/** How many of a transfer's files are not fully uploaded yet. */
export async function incompleteFileCount(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<number> {
  const row = await one<{ n: number }>(
    q,
    `SELECT count(*)::int AS n FROM transfer_files WHERE tenant_id = $1 AND transfer_id = $2 AND completed_at IS NULL`,
    [tenantId, transferId],
  );
  return row?.n ?? 0;
}

export async function markTransferSent(
  q: Queryable,
  tenantId: string,
  id: string,
  sentAt: Date,
  expiresAt: Date,
): Promise<void> {
  await q.query(
    `UPDATE transfers SET status = 'sent', sent_at = $3, expires_at = $4 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, sentAt, expiresAt],
  );
}

export async function setTransferExpiry(
  q: Queryable,
  tenantId: string,
  id: string,
  until: Date,
): Promise<void> {
  await q.query(`UPDATE transfers SET expires_at = $3 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    id,
    until,
  ]);
}

/** A password transfer's P envelope; its files cannot be scanned by the server. */
export async function storePasswordEnvelope(
  q: Queryable,
  tenantId: string,
  id: string,
  envelope: Uint8Array,
): Promise<void> {
  await q.query(
    `UPDATE transfers SET e2e_envelope = $3, e2e_message = true WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, Buffer.from(envelope)],
  );
  await markFilesEndToEnd(q, tenantId, id);
}

/** Files of an end-to-end transfer: ciphertext only, "not scanned (end-to-end encrypted)". */
export async function markFilesEndToEnd(q: Queryable, tenantId: string, transferId: string): Promise<void> {
  await q.query(`UPDATE transfer_files SET scan_status = 'e2e' WHERE tenant_id = $1 AND transfer_id = $2`, [
    tenantId,
    transferId,
  ]);
}

/** The P envelope of a password transfer, when it is one. */
export async function passwordEnvelopeBytes(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<Uint8Array | undefined> {
  const rows = await q.query<{ e2e_envelope: Uint8Array | null }>(
    `SELECT e2e_envelope FROM transfers WHERE tenant_id = $1 AND id = $2 AND e2e = 'password'`,
    [tenantId, transferId],
  );
  return rows[0]?.e2e_envelope ?? undefined;
}
