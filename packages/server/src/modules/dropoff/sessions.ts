import { HOUR } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import { openText, sealText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { equalBytes } from '../../adapters/secrets.ts';
import { normaliseEmail } from '../staff/service.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

/** Waiting for the code: an hour at most. */
export const UNVERIFIED_LIFETIME_MS = HOUR;
/** After the code: long enough to upload large files, bounded by the visitor's session anyway. */
export const VERIFIED_LIFETIME_MS = 12 * HOUR;

export interface Contact {
  firstName: string;
  lastName: string;
  phone: string;
}

/**
 * A sender on the way in (drop-off, or an upload link): who they are, where it goes, and whether
 * the e-mail code was entered. Bound to the browser's session: the id in a URL opens nothing
 * elsewhere.
 */
export interface InboundSession {
  id: string;
  departmentId: string | null;
  toStaffId: string | null;
  addressedTo: string | null;
  uploadLinkId: string | null;
  email: string;
  contact: Contact;
  locale: 'de' | 'en';
  verified: boolean;
  draftId: string | null;
  transferId: string | null;
  expiresAt: Date;
}

function contactContext(tenantId: string, id: string): string {
  return `inbound-contact:${tenantId}:${id}`;
}

export async function startSession(
  deps: Deps,
  tenantId: string,
  input: {
    departmentId: string | null;
    toStaffId: string | null;
    addressedTo: string | null;
    uploadLinkId: string | null;
    email: string;
    contact: Contact;
    locale: 'de' | 'en';
    browserHash: Buffer;
    verified: boolean;
  },
): Promise<string> {
  const id = deps.secrets.id();
  const now = deps.clock.now();
  const key = deps.keyring.newDataKey(contactContext(tenantId, id));
  await deps.db.query(
    `INSERT INTO dropoff_sessions (tenant_id, id, department_id, to_staff_id, addressed_to, upload_link_id, email, contact_key, contact, locale, browser_hash, verified_at, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      tenantId,
      id,
      input.departmentId,
      input.toStaffId,
      input.addressedTo,
      input.uploadLinkId,
      normaliseEmail(input.email),
      key.wrapped,
      sealText(key.key, JSON.stringify(input.contact), contactContext(tenantId, id)),
      input.locale,
      input.browserHash,
      input.verified ? now : null,
      now,
      new Date(now.getTime() + (input.verified ? VERIFIED_LIFETIME_MS : UNVERIFIED_LIFETIME_MS)),
    ],
  );
  return id;
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

/** The session if it is live and this browser's; undefined otherwise (one answer for all cases). */
export async function loadSession(
  deps: Deps,
  q: Queryable,
  tenantId: string,
  id: string,
  browserHash: Buffer | undefined,
  opts: { forUpdate?: boolean } = {},
): Promise<InboundSession | undefined> {
  if (browserHash === undefined || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const r = await one<Row>(
    q,
    `SELECT * FROM dropoff_sessions WHERE tenant_id = $1 AND id = $2${opts.forUpdate === true ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  );
  if (
    r === undefined ||
    !equalBytes(r.browser_hash, browserHash) ||
    r.expires_at.getTime() <= deps.clock.now().getTime()
  )
    return undefined;
  // Once delivered, the contact data live in the transfer only; the session keeps none.
  const contact: Contact =
    r.contact.length === 0
      ? { firstName: '', lastName: '', phone: '' }
      : (JSON.parse(
          openText(
            deps.keyring.unwrap(r.contact_key, contactContext(tenantId, r.id)),
            r.contact,
            contactContext(tenantId, r.id),
          ),
        ) as Contact);
  return {
    id: r.id,
    departmentId: r.department_id,
    toStaffId: r.to_staff_id,
    addressedTo: r.addressed_to,
    uploadLinkId: r.upload_link_id,
    email: r.email,
    contact,
    locale: r.locale,
    verified: r.verified_at !== null,
    draftId: r.draft_id,
    transferId: r.transfer_id,
    expiresAt: r.expires_at,
  };
}

export async function markVerified(deps: Deps, tenantId: string, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.query(
    `UPDATE dropoff_sessions SET verified_at = $3, expires_at = $4 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, now, new Date(now.getTime() + VERIFIED_LIFETIME_MS)],
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

/** Removes sessions that ran out (the sweep calls this). */
export async function deleteExpiredSessions(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  const rows = await deps.db.query(`DELETE FROM dropoff_sessions WHERE expires_at <= $1 RETURNING 1`, [
    deps.clock.now(),
  ]);
  return rows.length;
}

/** `m***@example.org`. */
export function maskAddress(email: string): string {
  const at = email.indexOf('@');
  return at <= 0 ? '***' : `${email.slice(0, 1)}***${email.slice(at)}`;
}
