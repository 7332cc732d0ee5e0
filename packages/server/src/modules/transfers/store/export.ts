import type { Queryable } from '../../../adapters/db/index.ts';
import type { ScanStatus } from '../scan-status.ts';
import type { TransferStatus } from './transfer-rows.ts';

// What the privacy module's data export (Art. 15/20 GDPR) reads of transfers: rows tied to one
// account id or one exact address, of one tenant.

export interface ReceivedRow {
  recipient_id: string;
  transfer_id: string;
  level: number;
  status: TransferStatus;
  content_key: Buffer | null;
  subject: Buffer | null;
  message: Buffer | null;
  sender: string | null;
  department: string | null;
  file_count: number;
  total_size: number;
  sent_at: Date | null;
  expires_at: Date;
  ended_at: Date | null;
  notified_at: Date | null;
  first_opened_at: Date | null;
  first_downloaded_at: Date | null;
}

/** Messages addressed to a person: bound to the account, or sent to the (proven) address. */
export async function receivedBy(
  q: Queryable,
  tenantId: string,
  accountId: string | null,
  email: string,
): Promise<ReceivedRow[]> {
  return q.query<ReceivedRow>(
    `-- reads staff (owner: staff), departments (owner: tenants): who it came from, in one query
     SELECT r.id AS recipient_id, t.id AS transfer_id, t.level, t.status, t.content_key, t.subject, t.message,
       coalesce(s.display_name, s.email) AS sender, d.name AS department, t.file_count, t.total_size, t.sent_at, t.expires_at, t.ended_at,
       r.notified_at, r.first_opened_at, r.first_downloaded_at
     FROM transfer_recipients r JOIN transfers t ON t.tenant_id = r.tenant_id AND t.id = r.transfer_id
     LEFT JOIN staff s ON s.tenant_id = t.tenant_id AND s.id = t.sender_staff_id
     LEFT JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.to_department_id
     WHERE r.tenant_id = $1 AND t.status <> 'draft' AND (r.account_id = $2 OR r.email = $3) ORDER BY t.sent_at NULLS LAST, t.id`,
    [tenantId, accountId, email],
  );
}

export interface SentRow {
  transfer_id: string;
  level: number;
  status: TransferStatus;
  content_key: Buffer | null;
  subject: Buffer | null;
  message: Buffer | null;
  file_count: number;
  total_size: number;
  sent_at: Date | null;
  expires_at: Date;
  ended_at: Date | null;
  in_reply_to: string | null;
}

/** Messages a person sent: replies by link or account, and replies in an organisation's name. */
export async function sentBy(
  q: Queryable,
  tenantId: string,
  accountId: string | null,
  email: string,
): Promise<SentRow[]> {
  return q.query<SentRow>(
    `SELECT t.id AS transfer_id, t.level, t.status, t.content_key, t.subject, t.message, t.file_count, t.total_size, t.sent_at, t.expires_at, t.ended_at, t.in_reply_to
     FROM transfers t LEFT JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.id = t.sender_recipient_id
     WHERE t.tenant_id = $1 AND t.status <> 'draft' AND (t.sender_account_id = $2 OR r.account_id = $2 OR r.email = $3) ORDER BY t.sent_at NULLS LAST, t.id`,
    [tenantId, accountId, email],
  );
}

export interface GuestRow {
  transfer_id: string;
  inbound: string | null;
  department: string | null;
  status: TransferStatus;
  content_key: Buffer | null;
  subject: Buffer | null;
  message: Buffer | null;
  name: Buffer;
  phone: Buffer | null;
  verified: boolean;
  file_count: number;
  total_size: number;
  sent_at: Date | null;
  expires_at: Date;
  ended_at: Date | null;
}

/** Drop-offs and uploads sent from an address without an account. */
export async function guestDeliveriesFrom(
  q: Queryable,
  tenantId: string,
  email: string,
): Promise<GuestRow[]> {
  return q.query<GuestRow>(
    `-- reads departments (owner: tenants): where it went, in one query
     SELECT t.id AS transfer_id, t.inbound, d.name AS department, t.status, t.content_key, t.subject, t.message, g.name, g.phone, g.verified, t.file_count, t.total_size, t.sent_at, t.expires_at, t.ended_at
     FROM transfer_guests g JOIN transfers t ON t.tenant_id = g.tenant_id AND t.id = g.transfer_id
     LEFT JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.to_department_id
     WHERE g.tenant_id = $1 AND g.email = $2 AND t.status <> 'draft' ORDER BY t.sent_at NULLS LAST, t.id`,
    [tenantId, email],
  );
}

export interface ExportFileRow {
  id: string;
  name: Buffer;
  size: number;
  completed_at: Date | null;
  scan_status: ScanStatus;
}

/** A transfer's files, in order. */
export async function exportFileRows(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<ExportFileRow[]> {
  return q.query<ExportFileRow>(
    `SELECT id, name, size, completed_at, scan_status FROM transfer_files WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY position`,
    [tenantId, transferId],
  );
}

export interface DownloadRow {
  at: Date;
  file_id: string | null;
}

/** A recipient's downloads (file id, or null for the ZIP of all). */
export async function downloadsBy(
  q: Queryable,
  tenantId: string,
  recipientId: string,
): Promise<DownloadRow[]> {
  return q.query<DownloadRow>(
    `SELECT at, file_id FROM transfer_downloads WHERE tenant_id = $1 AND recipient_id = $2 ORDER BY at`,
    [tenantId, recipientId],
  );
}
