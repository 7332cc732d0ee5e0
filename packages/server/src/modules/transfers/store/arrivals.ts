import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// What the department postbox asks of `transfers` when an incoming transfer (drop-off, upload
// link) is submitted, checked and delivered.

export interface InboundDraftRow {
  status: string;
  inbound: string | null;
  expires_at: Date;
  created_at: Date;
  upload_link_id: string | null;
  to_department_id: string | null;
}

export async function inboundDraftRow(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<InboundDraftRow | undefined> {
  return one<InboundDraftRow>(
    q,
    `SELECT status, inbound, expires_at, created_at, upload_link_id, to_department_id FROM transfers WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
}

/** The draft's status and chosen duration, locked for the rest of the transaction. */
export async function lockDraftTiming(
  tx: Queryable,
  tenantId: string,
  id: string,
): Promise<{ status: string; expires_at: Date; created_at: Date } | undefined> {
  return one(
    tx,
    `SELECT status, expires_at, created_at FROM transfers WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, id],
  );
}

/** The transfer's status, locked for the rest of the transaction. */
export async function lockTransferStatus(
  tx: Queryable,
  tenantId: string,
  id: string,
): Promise<string | undefined> {
  const row = await one<{ status: string }>(
    tx,
    `SELECT status FROM transfers WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, id],
  );
  return row?.status;
}

/** A transfer's files in their order, with how far each is uploaded. */
export async function fileUploadRows(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<{ id: string; size: number; completed_at: Date | null; name: Buffer }[]> {
  return q.query(
    `SELECT id, size, completed_at, name FROM transfer_files WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY position`,
    [tenantId, transferId],
  );
}

/** An incoming transfer delivered: sent now, until `expiresAt`, with its envelope (end-to-end). */
export async function markInboundSent(
  tx: Queryable,
  tenantId: string,
  id: string,
  sentAt: Date,
  expiresAt: Date,
  envelope: Uint8Array | undefined,
): Promise<void> {
  await tx.query(
    `UPDATE transfers SET status = 'sent', sent_at = $3, expires_at = $4, e2e_envelope = $5 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, sentAt, expiresAt, envelope === undefined ? null : Buffer.from(envelope)],
  );
}

/** What the file's content was found to be (the authoritative type check). */
export async function recordDetectedType(
  q: Queryable,
  tenantId: string,
  fileId: string,
  type: string,
): Promise<void> {
  await q.query(`UPDATE transfer_files SET detected_type = $3 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    fileId,
    type,
  ]);
}

/** Whom the arrival of an incoming transfer is told, and in what words. */
export interface ArrivalNotice {
  department: string;
  guest_email: string | null;
  guest_locale: 'de' | 'en' | null;
  notify: boolean;
  staff_email: string | null;
}

export async function arrivalNotice(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<ArrivalNotice | undefined> {
  return one<ArrivalNotice>(
    q,
    `SELECT d.name AS department, g.email AS guest_email, g.locale AS guest_locale, t.notify_on_download AS notify, s.email AS staff_email
     FROM transfers t
     -- reads departments (owner: tenants) and staff (owner: staff): the names for one mail, one join not two queries
     JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.to_department_id
     LEFT JOIN transfer_guests g ON g.tenant_id = t.tenant_id AND g.transfer_id = t.id
     LEFT JOIN staff s ON s.tenant_id = t.tenant_id AND s.id = t.to_staff_id AND s.status = 'active'
     WHERE t.tenant_id = $1 AND t.id = $2`,
    [tenantId, transferId],
  );
}

/** The file-key envelope of an incoming transfer encrypted to a department key, and that key's id. */
export async function departmentEnvelopeOf(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<{ envelope: Buffer | null; keyId: string | null } | undefined> {
  return one(
    q,
    `SELECT e2e_envelope AS envelope, department_key_id AS "keyId" FROM transfers WHERE tenant_id = $1 AND id = $2 AND e2e = 'department'`,
    [tenantId, transferId],
  );
}
