import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { Locale } from '@amtsbote/contracts';

// A draft's rows as createDraft writes them: the transfer, its guest (inbound), its files and
// its recipients. Texts arrive sealed; this file only stores them.

export interface NewTransferRow {
  id: string;
  threadId: string;
  inReplyTo: string | null;
  level: number;
  senderStaffId: string | null;
  senderRecipientId: string | null;
  toStaffId: string | null;
  contentKey: Buffer;
  subject: Buffer;
  message: Buffer;
  notifyOnDownload: boolean;
  allowReply: boolean;
  fileCount: number;
  totalSize: number;
  createdAt: Date;
  expiresAt: Date;
  toDepartmentId: string | null;
  uploadLinkId: string | null;
  inbound: 'dropoff' | 'upload' | null;
  reference: Buffer | null;
  e2e: 'password' | 'department' | null;
  e2eMessage: boolean;
  departmentKeyId: string | null;
}

export async function insertDraftTransfer(q: Queryable, tenantId: string, t: NewTransferRow): Promise<void> {
  await q.query(
    `INSERT INTO transfers (tenant_id, id, thread_id, in_reply_to, level, status, sender_staff_id, sender_recipient_id, to_staff_id,
       content_key, subject, message, notify_on_download, allow_reply, file_count, total_size, created_at, expires_at,
       to_department_id, upload_link_id, inbound, reference, e2e, e2e_message, department_key_id)
     VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)`,
    [
      tenantId,
      t.id,
      t.threadId,
      t.inReplyTo,
      t.level,
      t.senderStaffId,
      t.senderRecipientId,
      t.toStaffId,
      t.contentKey,
      t.subject,
      t.message,
      t.notifyOnDownload,
      t.allowReply,
      t.fileCount,
      t.totalSize,
      t.createdAt,
      t.expiresAt,
      t.toDepartmentId,
      t.uploadLinkId,
      t.inbound,
      t.reference,
      t.e2e,
      t.e2eMessage,
      t.departmentKeyId,
    ],
  );
}

export async function insertGuest(
  q: Queryable,
  tenantId: string,
  transferId: string,
  g: {
    email: string;
    name: Buffer;
    phone: Buffer | null;
    locale: Locale;
    verified: boolean;
    addressedTo: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO transfer_guests (tenant_id, transfer_id, email, name, phone, locale, verified, addressed_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [tenantId, transferId, g.email, g.name, g.phone, g.locale, g.verified, g.addressedTo],
  );
}

export async function insertDraftFile(
  q: Queryable,
  tenantId: string,
  f: {
    id: string;
    transferId: string;
    position: number;
    name: Buffer;
    mediaType: Buffer;
    size: number;
    fileKey: Buffer;
    completedAt: Date | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO transfer_files (tenant_id, id, transfer_id, position, name, media_type, size, file_key, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [tenantId, f.id, f.transferId, f.position, f.name, f.mediaType, f.size, f.fileKey, f.completedAt],
  );
}

/** An addressee; an organisation's contact address (exactly one organisation) addresses its postbox. */
export async function insertRecipient(
  q: Queryable,
  tenantId: string,
  r: { id: string; transferId: string; email: string; locale: Locale },
): Promise<void> {
  await q.query(
    `INSERT INTO transfer_recipients (tenant_id, id, transfer_id, email, locale, organisation_id)
     SELECT $1, $2, $3, $4, $5, (
       -- reads organisations (owner: organisations): which postbox an address stands for, in the insert itself
       SELECT CASE WHEN count(*) = 1 THEN (array_agg(o.id))[1] END FROM organisations o WHERE o.tenant_id = $1 AND o.contact_email = $4)`,
    [tenantId, r.id, r.transferId, r.email, r.locale],
  );
}

/** The draft a file belongs to, with who composed it; undefined unless it is a draft's. */
export async function uploadableFile(
  q: Queryable,
  tenantId: string,
  fileId: string,
): Promise<
  | {
      transferId: string;
      size: number;
      received: number;
      senderStaffId: string | null;
      senderRecipientId: string | null;
    }
  | undefined
> {
  return one(
    q,
    `SELECT f.transfer_id AS "transferId", f.size, f.received, t.sender_staff_id AS "senderStaffId", t.sender_recipient_id AS "senderRecipientId"
     FROM transfer_files f JOIN transfers t ON t.tenant_id = f.tenant_id AND t.id = f.transfer_id
     WHERE f.tenant_id = $1 AND f.id = $2 AND t.status = 'draft'`,
    [tenantId, fileId],
  );
}
