import { openText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { Staff } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { contentKeyContext, textContext } from './keys.ts';
import type { ScanStatus } from './scan-status.ts';
import { postboxRows } from './store/postbox-listing.ts';
import type { EndToEnd, TransferRow, TransferStatus } from './store/transfer-rows.ts';
import { threadRows, transferFileRows, transferRow } from './store/transfer-rows.ts';

type Deps = Pick<AppDeps, 'db' | 'keyring' | 'clock'>;

export type { EndToEnd, TransferStatus };

export interface TransferFileView {
  id: string;
  name: string;
  type: string;
  size: number;
  complete: boolean;
  /** The malware scan: only `not_required`, `clean`, `unscanned` and `e2e` files are served. */
  scanStatus: ScanStatus;
  /** What the scanner found, for a quarantined file. */
  scanSignature: string | null;
}

/** A transfer as its sender or a recipient sees it; content absent once it has ended. */
export interface TransferView {
  id: string;
  threadId: string;
  inReplyTo: string | null;
  level: number;
  status: TransferStatus;
  subject: string | undefined;
  message: string | undefined;
  files: TransferFileView[];
  fileCount: number;
  totalSize: number;
  allowReply: boolean;
  notifyOnDownload: boolean;
  createdAt: Date;
  sentAt: Date | null;
  expiresAt: Date;
  endedAt: Date | null;
  senderStaffId: string | null;
  senderRecipientId: string | null;
  toStaffId: string | null;
  e2e: EndToEnd;
}

/** Sent transfers past their expiry count as expired at once, before the sweep has run. */
export function effectiveStatus(row: Pick<TransferRow, 'status' | 'expires_at'>, now: Date): TransferStatus {
  return row.status === 'sent' && row.expires_at.getTime() <= now.getTime() ? 'expired' : row.status;
}

/** Decrypts what may be shown; an ended transfer shows metadata only. */
export async function toView(deps: Deps, tenantId: string, row: TransferRow): Promise<TransferView> {
  const status = effectiveStatus(row, deps.clock.now());
  const key =
    row.content_key !== null && status !== 'expired' && status !== 'revoked'
      ? deps.keyring.unwrap(row.content_key, contentKeyContext(tenantId, row.id))
      : undefined;
  const fileRows = await transferFileRows(deps.db, tenantId, row.id);
  return {
    id: row.id,
    threadId: row.thread_id,
    inReplyTo: row.in_reply_to,
    level: row.level,
    status,
    subject:
      key === undefined || row.subject === null
        ? undefined
        : openText(key, row.subject, textContext(row.id, 'subject')),
    message:
      key === undefined || row.message === null
        ? undefined
        : openText(key, row.message, textContext(row.id, 'message')),
    files:
      key === undefined
        ? []
        : fileRows.map((f) => ({
            id: f.id,
            name: openText(key, f.name, textContext(f.id, 'name')),
            type: openText(key, f.media_type, textContext(f.id, 'type')),
            size: f.size,
            complete: f.completed_at !== null,
            scanStatus: f.scan_status,
            scanSignature: f.scan_signature,
          })),
    fileCount: row.file_count,
    totalSize: row.total_size,
    allowReply: row.allow_reply,
    notifyOnDownload: row.notify_on_download,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    expiresAt: row.expires_at,
    endedAt: row.ended_at,
    senderStaffId: row.sender_staff_id,
    senderRecipientId: row.sender_recipient_id,
    toStaffId: row.to_staff_id,
    e2e: row.e2e,
  };
}

/** Any transfer of the tenant as a view, without authorisation: the caller decides who may see it. */
export async function loadTransferView(
  deps: Deps,
  tenantId: string,
  id: string,
): Promise<TransferView | undefined> {
  const row = await transferRow(deps.db, tenantId, id);
  return row === undefined ? undefined : toView(deps, tenantId, row);
}

/**
 * The transfer as a staff member may see it: one they sent, or a reply addressed to them.
 * Anything else is "not found", so a probe learns nothing about other people's transfers.
 * @throws {AppError} ERR_NOT_FOUND
 */
export async function transferForStaff(
  deps: Deps,
  tenantId: string,
  staff: Staff,
  id: string,
): Promise<TransferView> {
  const row = await transferRow(deps.db, tenantId, id);
  if (row === undefined || (row.sender_staff_id !== staff.id && row.to_staff_id !== staff.id))
    throw new AppError('ERR_NOT_FOUND');
  return toView(deps, tenantId, row);
}

/** The thread around a transfer, for the recipient page: earlier messages and replies. */
export async function threadOf(deps: Deps, tenantId: string, threadId: string): Promise<TransferView[]> {
  const rows = await threadRows(deps.db, tenantId, threadId);
  return Promise.all(rows.map((r) => toView(deps, tenantId, r)));
}

export interface OutboxEntry {
  id: string;
  level: number;
  status: TransferStatus;
  subject: string | undefined;
  direction: 'sent' | 'received';
  counterpart: string;
  fileCount: number;
  totalSize: number;
  createdAt: Date;
  expiresAt: Date;
  opened: number;
  downloaded: number;
  recipients: number;
}

/**
 * The staff member's postbox: transfers they sent and replies addressed to them, newest first.
 * Ended transfers stay as metadata until the tenant's metadata retention runs out.
 */
export async function listPostbox(
  deps: Deps,
  tenant: Tenant,
  staff: Staff,
  opts: { limit?: number; before?: Date } = {},
): Promise<OutboxEntry[]> {
  const rows = await postboxRows(
    deps.db,
    tenant.id,
    staff.id,
    opts.before ?? null,
    Math.min(opts.limit ?? 50, 200),
  );
  const now = deps.clock.now();
  return rows.map((r) => {
    const status = effectiveStatus(r, now);
    const key =
      r.content_key !== null && (status === 'sent' || status === 'draft')
        ? deps.keyring.unwrap(r.content_key, contentKeyContext(tenant.id, r.id))
        : undefined;
    return {
      id: r.id,
      level: r.level,
      status,
      subject:
        key === undefined || r.subject === null
          ? undefined
          : openText(key, r.subject, textContext(r.id, 'subject')),
      direction: r.sender_staff_id === staff.id ? 'sent' : 'received',
      counterpart: r.counterpart ?? '',
      fileCount: r.file_count,
      totalSize: r.total_size,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      opened: r.opened,
      downloaded: r.downloaded,
      recipients: r.recipients,
    };
  });
}
