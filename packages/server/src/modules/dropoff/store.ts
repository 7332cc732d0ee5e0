import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';

// The only file with SQL on `dropoff_sessions`: a sender on the way in, from the first form to
// the delivered transfer. The contact data are sealed (sessions.ts seals and opens them).

/** A session row as stored. */
export interface SessionRow {
  id: string;
  departmentId: string | null;
  toStaffId: string | null;
  addressedTo: string | null;
  uploadLinkId: string | null;
  email: string;
  contactKey: Buffer;
  /** Sealed contact data; empty once delivered. */
  contact: Buffer;
  locale: 'de' | 'en';
  browserHash: Buffer;
  verifiedAt: Date | null;
  draftId: string | null;
  transferId: string | null;
  expiresAt: Date;
}

interface Row {
  id: string;
  department_id: string | null;
  to_staff_id: string | null;
  addressed_to: string | null;
  upload_link_id: string | null;
  email: string;
  contact_key: Buffer;
  contact: Buffer;
  locale: 'de' | 'en';
  browser_hash: Buffer;
  verified_at: Date | null;
  draft_id: string | null;
  transfer_id: string | null;
  expires_at: Date;
}

function toSessionRow(r: Row): SessionRow {
  return {
    id: r.id,
    departmentId: r.department_id,
    toStaffId: r.to_staff_id,
    addressedTo: r.addressed_to,
    uploadLinkId: r.upload_link_id,
    email: r.email,
    contactKey: r.contact_key,
    contact: r.contact,
    locale: r.locale,
    browserHash: r.browser_hash,
    verifiedAt: r.verified_at,
    draftId: r.draft_id,
    transferId: r.transfer_id,
    expiresAt: r.expires_at,
  };
}

export interface NewSessionRow {
  tenantId: string;
  id: string;
  departmentId: string | null;
  toStaffId: string | null;
  addressedTo: string | null;
  uploadLinkId: string | null;
  email: string;
  contactKey: Buffer;
  contact: Buffer;
  locale: 'de' | 'en';
  browserHash: Buffer;
  verifiedAt: Date | null;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertSession(q: Queryable, s: NewSessionRow): Promise<void> {
  await q.query(
    `INSERT INTO dropoff_sessions (tenant_id, id, department_id, to_staff_id, addressed_to, upload_link_id, email, contact_key, contact, locale, browser_hash, verified_at, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      s.tenantId,
      s.id,
      s.departmentId,
      s.toStaffId,
      s.addressedTo,
      s.uploadLinkId,
      s.email,
      s.contactKey,
      s.contact,
      s.locale,
      s.browserHash,
      s.verifiedAt,
      s.createdAt,
      s.expiresAt,
    ],
  );
}

/** The row, whoever's and however old (the caller decides); `forUpdate` locks it. */
export async function findSessionRow(
  q: Queryable,
  tenantId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<SessionRow | undefined> {
  const r = await one<Row>(
    q,
    `SELECT * FROM dropoff_sessions WHERE tenant_id = $1 AND id = $2${opts.forUpdate === true ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  );
  return r === undefined ? undefined : toSessionRow(r);
}

export async function setSessionVerified(
  q: Queryable,
  tenantId: string,
  id: string,
  at: Date,
  expiresAt: Date,
): Promise<void> {
  await q.query(
    `UPDATE dropoff_sessions SET verified_at = $3, expires_at = $4 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, at, expiresAt],
  );
}

export async function setSessionDraft(
  q: Queryable,
  tenantId: string,
  id: string,
  draftId: string | null,
): Promise<void> {
  await q.query(`UPDATE dropoff_sessions SET draft_id = $3 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    id,
    draftId,
  ]);
}

/** The sender's data now live in the transfer; the session keeps only the pointer to it. */
export async function setSessionTransfer(
  q: Queryable,
  tenantId: string,
  id: string,
  transferId: string,
): Promise<void> {
  await q.query(
    `UPDATE dropoff_sessions SET transfer_id = $3, draft_id = NULL, contact = '\\x'::bytea WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, transferId],
  );
}

/** Which session a draft belongs to (for the upload endpoint). */
export async function sessionOfDraft(
  q: Queryable,
  tenantId: string,
  draftId: string,
): Promise<{ id: string; browserHash: Buffer; verified: boolean; expiresAt: Date } | undefined> {
  const r = await one<{ id: string; browser_hash: Buffer; verified_at: Date | null; expires_at: Date }>(
    q,
    `SELECT id, browser_hash, verified_at, expires_at FROM dropoff_sessions WHERE tenant_id = $1 AND draft_id = $2`,
    [tenantId, draftId],
  );
  return r === undefined
    ? undefined
    : {
        id: r.id,
        browserHash: Buffer.from(r.browser_hash),
        verified: r.verified_at !== null,
        expiresAt: r.expires_at,
      };
}

/** Removes sessions that ran out before `now` (the sweep calls this). */
export async function deleteSessionsExpiredBy(q: Queryable, now: Date): Promise<number> {
  const rows = await q.query(`DELETE FROM dropoff_sessions WHERE expires_at <= $1 RETURNING 1`, [now]);
  return rows.length;
}

// --- used by the privacy module's erasure of a service account ----------------------------------

/** Drop-offs on the way in from an address (the erased person's). */
export async function deleteSessionsFrom(q: Queryable, tenantId: string, email: string): Promise<void> {
  await q.query(`DELETE FROM dropoff_sessions WHERE tenant_id = $1 AND email = $2`, [tenantId, email]);
}
