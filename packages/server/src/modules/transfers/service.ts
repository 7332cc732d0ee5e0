import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import { DAY } from '../../adapters/clock.ts';
import { hashToken, looksLikeToken } from '../../adapters/secrets.ts';
import { openText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { tenantBaseUrl } from '../../http/urls.ts';
import { recordAudit } from '../audit/service.ts';
import type { Staff } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';
import { contentKeyContext, textContext } from './keys.ts';
import { replyArrivedMail, transferNotificationMail } from './mails.ts';
import { transferPolicy } from './policy.ts';
import { endPickedTransfers } from './expiry.ts';
import { destroyContent } from './storage.ts';
import { notifyOrganisation } from '../organisations/postbox.ts';
import type { ScanStatus } from './scan-status.ts';
import { queueForScan } from './scan-status.ts';
import { sealEndToEnd } from '../keys/service.ts';
import { sealReply } from '../keys/replies.ts';
import { passwordAnswerMail, sealToPassword } from './password.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'blobs' | 'scanner'>;

export type TransferStatus = 'draft' | 'sent' | 'revoked' | 'expired';

interface TransferRow {
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
  /** End-to-end: to a password (drop-off, and the answer to one), a department key, recipients' keys. */
  e2e: 'password' | 'department' | 'recipients' | null;
}

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
  e2e: 'password' | 'department' | 'recipients' | null;
}

const transferColumns = `id, thread_id, in_reply_to, level, status, sender_staff_id, sender_recipient_id, to_staff_id, content_key,
  subject, message, notify_on_download, allow_reply, file_count, total_size, created_at, sent_at, expires_at, ended_at, e2e`;

/** Sent transfers past their expiry count as expired at once, before the sweep has run. */
export function effectiveStatus(row: Pick<TransferRow, 'status' | 'expires_at'>, now: Date): TransferStatus {
  return row.status === 'sent' && row.expires_at.getTime() <= now.getTime() ? 'expired' : row.status;
}

async function loadRow(q: Queryable, tenantId: string, id: string): Promise<TransferRow | undefined> {
  return one<TransferRow>(q, `SELECT ${transferColumns} FROM transfers WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    id,
  ]);
}

/** Decrypts what may be shown; an ended transfer shows metadata only. */
async function toView(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenantId: string,
  row: TransferRow,
): Promise<TransferView> {
  const status = effectiveStatus(row, deps.clock.now());
  const key =
    row.content_key !== null && status !== 'expired' && status !== 'revoked'
      ? deps.keyring.unwrap(row.content_key, contentKeyContext(tenantId, row.id))
      : undefined;
  const fileRows = await deps.db.query<{
    id: string;
    name: Buffer;
    media_type: Buffer;
    size: number;
    completed_at: Date | null;
    scan_status: ScanStatus;
    scan_signature: string | null;
  }>(
    `SELECT id, name, media_type, size, completed_at, scan_status, scan_signature FROM transfer_files WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY position`,
    [tenantId, row.id],
  );
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
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenantId: string,
  id: string,
): Promise<TransferView | undefined> {
  const row = await loadRow(deps.db, tenantId, id);
  return row === undefined ? undefined : toView(deps, tenantId, row);
}

/**
 * The transfer as a staff member may see it: one they sent, or a reply addressed to them.
 * Anything else is "not found", so a probe learns nothing about other people's transfers.
 * @throws {AppError} ERR_NOT_FOUND
 */
export async function transferForStaff(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenantId: string,
  staff: Staff,
  id: string,
): Promise<TransferView> {
  const row = await loadRow(deps.db, tenantId, id);
  if (row === undefined || (row.sender_staff_id !== staff.id && row.to_staff_id !== staff.id))
    throw new AppError('ERR_NOT_FOUND');
  return toView(deps, tenantId, row);
}

export interface RecipientStatus {
  id: string;
  email: string;
  notifiedAt: Date | null;
  firstOpenedAt: Date | null;
  firstDownloadedAt: Date | null;
  downloads: { fileId: string | null; at: Date }[];
}

/** Per recipient: delivered, opened, downloaded (which file, when). */
export async function recipientStatuses(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<RecipientStatus[]> {
  const recipients = await q.query<{
    id: string;
    email: string;
    notified_at: Date | null;
    first_opened_at: Date | null;
    first_downloaded_at: Date | null;
  }>(
    `SELECT id, email, notified_at, first_opened_at, first_downloaded_at FROM transfer_recipients
     WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY email`,
    [tenantId, transferId],
  );
  const downloads = await q.query<{ recipient_id: string | null; file_id: string | null; at: Date }>(
    `SELECT recipient_id, file_id, at FROM transfer_downloads WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY at`,
    [tenantId, transferId],
  );
  return recipients.map((r) => ({
    id: r.id,
    email: r.email,
    notifiedAt: r.notified_at,
    firstOpenedAt: r.first_opened_at,
    firstDownloadedAt: r.first_downloaded_at,
    downloads: downloads.filter((d) => d.recipient_id === r.id).map((d) => ({ fileId: d.file_id, at: d.at })),
  }));
}

export interface SentRecipient {
  email: string;
  link: string;
}

/**
 * Sends a draft: every file must be complete; the expiry starts now; each recipient gets a
 * link carrying a fresh 256-bit secret (only its hash is stored) in a notification mail. All
 * of it commits together, mails included, so a refused mail leaves the draft unsent.
 * @returns the links, for the CLI and API (shown once; the server cannot show them again).
 * @throws {AppError} ERR_NOT_FOUND (no such draft of this sender), ERR_TRANSFER_INCOMPLETE.
 */
export async function sendDraft(
  deps: Deps,
  tenant: Tenant,
  sender:
    | { kind: 'staff'; staff: Staff }
    | { kind: 'recipient'; recipientId: string; email: string; name?: string | undefined },
  transferId: string,
  ipPrefix: string | undefined,
  /** For an answer to a password drop-off (postbox routes): its P envelope, made in the browser. */
  opts: { passwordEnvelope?: Uint8Array | undefined } = {},
): Promise<{ id: string; recipients: SentRecipient[] }> {
  return deps.db.transaction(async (tx) => {
    const row = await one<TransferRow>(
      tx,
      `SELECT ${transferColumns} FROM transfers WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [tenant.id, transferId],
    );
    const owns =
      row?.status === 'draft' &&
      (sender.kind === 'staff'
        ? row.sender_staff_id === sender.staff.id
        : row.sender_recipient_id === sender.recipientId);
    if (!owns) throw new AppError('ERR_NOT_FOUND');
    const incomplete = await one<{ n: number }>(
      tx,
      `SELECT count(*)::int AS n FROM transfer_files WHERE tenant_id = $1 AND transfer_id = $2 AND completed_at IS NULL`,
      [tenant.id, transferId],
    );
    if ((incomplete?.n ?? 0) > 0) throw new AppError('ERR_TRANSFER_INCOMPLETE');
    // Levels 3 and 4: only ciphertext and envelopes here; the sender's own envelope is a must.
    // A draft marked for a password (an answer to a password drop-off) takes its P envelope instead.
    if (row.level >= 3 && sender.kind === 'staff') {
      if (row.e2e === 'password') await sealToPassword(tx, tenant.id, transferId, opts.passwordEnvelope);
      else await sealEndToEnd(tx, tenant.id, transferId, row.level);
    }
    // A reply at level 3/4 (keys/replies.ts): its envelopes for the addressee and the replier.
    if (row.level >= 3 && sender.kind === 'recipient') await sealReply(tx, tenant, transferId);
    const now = deps.clock.now();
    const chosenMs = row.expires_at.getTime() - row.created_at.getTime();
    const expiresAt = new Date(now.getTime() + chosenMs);
    await tx.query(
      `UPDATE transfers SET status = 'sent', sent_at = $3, expires_at = $4 WHERE tenant_id = $1 AND id = $2`,
      [tenant.id, transferId, now, expiresAt],
    );
    const base = tenantBaseUrl(tenant, deps.config);
    const links: SentRecipient[] = [];
    if (sender.kind === 'staff') {
      const recipients = await tx.query<{
        id: string;
        email: string;
        locale: 'de' | 'en';
        organisation_id: string | null;
      }>(
        `SELECT id, email, locale, organisation_id FROM transfer_recipients WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY email`,
        [tenant.id, transferId],
      );
      const senderName = sender.staff.displayName ?? sender.staff.email;
      for (const r of recipients) {
        if (r.organisation_id !== null) {
          // An organisation's postbox: no link secret; its members open it after signing in.
          await tx.query(`UPDATE transfer_recipients SET notified_at = $3 WHERE tenant_id = $1 AND id = $2`, [
            tenant.id,
            r.id,
            now,
          ]);
          links.push({
            email: r.email,
            link: await notifyOrganisation(tx, deps, tenant, r.organisation_id, r.locale),
          });
          continue;
        }
        const token = deps.secrets.token();
        await tx.query(
          `UPDATE transfer_recipients SET token_hash = $3, notified_at = $4 WHERE tenant_id = $1 AND id = $2`,
          [tenant.id, r.id, hashToken(token), now],
        );
        const link = `${base}/t/${token}`;
        links.push({ email: r.email, link });
        await deps.mailer.send(
          row.e2e === 'password'
            ? passwordAnswerMail(r.email, r.locale, { senderName, tenantName: tenant.name, expiresAt, link })
            : transferNotificationMail(r.email, r.locale, {
                senderName,
                tenantName: tenant.name,
                expiresAt,
                link,
                level: row.level,
              }),
        );
      }
    } else {
      await queueForScan(tx, deps, tenant.id, transferId, { e2e: row.level >= 3 });
    }
    if (sender.kind === 'recipient' && row.to_staff_id !== null) {
      const to = await one<{ email: string }>(
        tx,
        `SELECT email FROM staff WHERE tenant_id = $1 AND id = $2 AND status = 'active'`,
        [tenant.id, row.to_staff_id],
      );
      if (to !== undefined) {
        await deps.mailer.send(
          replyArrivedMail(to.email, tenant.settings.defaultLocale ?? 'de', {
            from: sender.name ?? sender.email,
            tenantName: tenant.name,
            link: `${base}/transfers/${transferId}`,
          }),
        );
      }
    }
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor:
        sender.kind === 'staff'
          ? { kind: 'staff', id: sender.staff.id }
          : { kind: 'guest', id: sender.recipientId },
      action: row.in_reply_to === null ? 'transfer.sent' : 'transfer.replied',
      subject: { kind: 'transfer', id: transferId },
      ipPrefix,
      details: { level: row.level, files: row.file_count, recipients: links.length },
    });
    return { id: transferId, recipients: links };
  });
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

/**
 * The staff member's postbox: transfers they sent and replies addressed to them, newest first.
 * Ended transfers stay as metadata until the tenant's metadata retention runs out.
 */
export async function listPostbox(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenant: Tenant,
  staff: Staff,
  opts: { limit?: number; before?: Date } = {},
): Promise<OutboxEntry[]> {
  const rows = await deps.db.query<
    TransferRow & { counterpart: string | null; opened: number; downloaded: number; recipients: number }
  >(postboxSql, [tenant.id, staff.id, opts.before ?? null, Math.min(opts.limit ?? 50, 200)]);
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

/**
 * Revokes a sent transfer: links stop working at once and the content is destroyed.
 * @throws {AppError} ERR_NOT_FOUND unless the staff member sent it and it is still live.
 */
export async function revokeTransfer(
  deps: Deps,
  tenant: Tenant,
  staff: Staff,
  id: string,
  ipPrefix: string | undefined,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await one<TransferRow>(
      tx,
      `SELECT ${transferColumns} FROM transfers WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [tenant.id, id],
    );
    if (row?.sender_staff_id !== staff.id || row.ended_at !== null || row.status === 'draft')
      throw new AppError('ERR_NOT_FOUND');
    await endTransfer(tx, deps, tenant.id, id, 'revoked');
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: deps.clock.now(),
      actor: { kind: 'staff', id: staff.id },
      action: 'transfer.revoked',
      subject: { kind: 'transfer', id },
      ipPrefix,
    });
  });
  await destroyContent(deps, tenant.id, id);
}

/**
 * Moves the expiry of a live transfer, within the tenant's maximum counted from sending.
 * @throws {AppError} ERR_NOT_FOUND; ERR_EXPIRY_TOO_LONG.
 */
export async function extendTransfer(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenant: Tenant,
  staff: Staff,
  id: string,
  days: number,
  ipPrefix: string | undefined,
): Promise<Date> {
  return deps.db.transaction(async (tx) => {
    const row = await one<TransferRow>(
      tx,
      `SELECT ${transferColumns} FROM transfers WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
      [tenant.id, id],
    );
    const now = deps.clock.now();
    if (row?.sender_staff_id !== staff.id || row.sent_at === null || effectiveStatus(row, now) !== 'sent')
      throw new AppError('ERR_NOT_FOUND');
    const policy = transferPolicy(tenant);
    const until = new Date(now.getTime() + days * DAY);
    if (until.getTime() > row.sent_at.getTime() + policy.maxExpiryDays * DAY) {
      throw new AppError('ERR_EXPIRY_TOO_LONG', { fields: [{ field: 'days', code: 'ERR_EXPIRY_TOO_LONG' }] });
    }
    await tx.query(`UPDATE transfers SET expires_at = $3 WHERE tenant_id = $1 AND id = $2`, [
      tenant.id,
      id,
      until,
    ]);
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor: { kind: 'staff', id: staff.id },
      action: 'transfer.extended',
      subject: { kind: 'transfer', id },
      ipPrefix,
      details: { days },
    });
    return until;
  });
}

/**
 * Ends a transfer: marks it, forgets the content key and file keys (so nothing that survives
 * anywhere can be decrypted), and queues its blobs for deletion. Blob deletion itself happens
 * after commit (destroyContent) and is retried by the sweep until it succeeds.
 */
export async function endTransfer(
  tx: Queryable,
  deps: Pick<Deps, 'clock'>,
  tenantId: string,
  id: string,
  status: 'revoked' | 'expired',
): Promise<void> {
  // The sweep's statement, for one transfer: what an ending destroys is written down once.
  await endPickedTransfers(
    tx,
    `SELECT tenant_id, id FROM transfers WHERE tenant_id = $3 AND id = $4 FOR UPDATE`,
    [deps.clock.now(), status, tenantId, id],
  );
}

/** A recipient link resolved: which recipient of which transfer, whatever its state. */
export interface RecipientAccess {
  recipientId: string;
  email: string;
  accountId: string | null;
  transfer: TransferRow;
}

/**
 * Resolves a recipient link. Unknown, malformed, ended and other-tenant links all come back
 * undefined, so the caller shows one and the same page for all of them.
 */
export async function resolveRecipientLink(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  token: string,
): Promise<RecipientAccess | undefined> {
  if (!looksLikeToken(token)) return undefined;
  const r = await one<{ id: string; email: string; account_id: string | null; transfer_id: string }>(
    deps.db,
    `SELECT id, email, account_id, transfer_id FROM transfer_recipients WHERE token_hash = $1 AND tenant_id = $2`,
    [hashToken(token), tenantId],
  );
  if (r === undefined) return undefined;
  const transfer = await loadRow(deps.db, tenantId, r.transfer_id);
  if (transfer === undefined || effectiveStatus(transfer, deps.clock.now()) !== 'sent') return undefined;
  return { recipientId: r.id, email: r.email, accountId: r.account_id, transfer };
}

/** A recipient row resolved by its id (an organisation's postbox has no link), whatever its state. */
export async function recipientAccessById(
  deps: Pick<Deps, 'db'>,
  tenantId: string,
  recipientId: string,
): Promise<RecipientAccess | undefined> {
  const r = await one<{ id: string; email: string; account_id: string | null; transfer_id: string }>(
    deps.db,
    `SELECT id, email, account_id, transfer_id FROM transfer_recipients WHERE tenant_id = $1 AND id = $2`,
    [tenantId, recipientId],
  );
  if (r === undefined) return undefined;
  const transfer = await loadRow(deps.db, tenantId, r.transfer_id);
  return transfer === undefined
    ? undefined
    : { recipientId: r.id, email: r.email, accountId: r.account_id, transfer };
}

/** The recipient's view of the transfer; marks the first opening (and audits every one). */
export async function openAsRecipient(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring'>,
  tenantId: string,
  access: RecipientAccess,
  ipPrefix: string | undefined,
): Promise<TransferView> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE transfer_recipients SET first_opened_at = coalesce(first_opened_at, $3) WHERE tenant_id = $1 AND id = $2`,
      [tenantId, access.recipientId, now],
    );
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'guest', id: access.recipientId },
      action: 'transfer.opened',
      subject: { kind: 'transfer', id: access.transfer.id },
      ipPrefix,
    });
  });
  return toView(deps, tenantId, access.transfer);
}

/** How a staff sender is named to recipients: display name, else the e-mail address. */
export async function staffNameOf(
  q: Queryable,
  tenantId: string,
  staffId: string | null,
): Promise<string | undefined> {
  if (staffId === null) return undefined;
  const row = await one<{ name: string }>(
    q,
    `SELECT coalesce(display_name, email) AS name FROM staff WHERE tenant_id = $1 AND id = $2`,
    [tenantId, staffId],
  );
  return row?.name;
}

/** The address a reply came from (the recipient who wrote it). */
export async function recipientEmailOf(
  q: Queryable,
  tenantId: string,
  recipientId: string | null,
): Promise<string | undefined> {
  if (recipientId === null) return undefined;
  const row = await one<{ email: string }>(
    q,
    `SELECT email FROM transfer_recipients WHERE tenant_id = $1 AND id = $2`,
    [tenantId, recipientId],
  );
  return row?.email;
}

/** The thread around a transfer, for the recipient page: earlier messages and replies. */
export async function threadOf(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring'>,
  tenantId: string,
  threadId: string,
): Promise<TransferView[]> {
  const rows = await deps.db.query<TransferRow>(
    `SELECT ${transferColumns} FROM transfers WHERE tenant_id = $1 AND thread_id = $2 AND status <> 'draft' ORDER BY created_at`,
    [tenantId, threadId],
  );
  return Promise.all(rows.map((r) => toView(deps, tenantId, r)));
}
