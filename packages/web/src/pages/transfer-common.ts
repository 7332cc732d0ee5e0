// What the transfer pages share: the shapes the server fills (structural, so the server passes
// its own objects), and small pieces of markup: status and level words, dates, the file table,
// a message's text.
import { table } from '../components/ui.ts';
import { formatBytes, formatDateTime, formatShortDateTime } from '../format.ts';
import type { Html } from '../html.ts';
import { html, join, trustedHtml } from '../html.ts';
import type { Messages } from '../i18n/index.ts';
import { messages } from '../i18n/index.ts';
import type { Locale } from '@amtsbote/contracts';

export type TransferStatus = 'draft' | 'sent' | 'revoked' | 'expired';

/** One file of a transfer. Ended transfers have none (names are destroyed with the content). */
export interface TransferFile {
  id: string;
  name: string;
  type: string;
  size: number;
  /** Whether every byte has arrived (only a draft has incomplete files). */
  complete: boolean;
}

/** A transfer as the pages show it; subject and message are undefined once it has ended. */
export interface Transfer {
  id: string;
  inReplyTo: string | null;
  level: number;
  status: TransferStatus;
  subject: string | undefined;
  message: string | undefined;
  files: readonly TransferFile[];
  fileCount: number;
  totalSize: number;
  allowReply: boolean;
  notifyOnDownload: boolean;
  createdAt: Date;
  sentAt: Date | null;
  expiresAt: Date;
  endedAt: Date | null;
  /** Set when staff sent it; a recipient's reply has senderRecipientId instead. */
  senderStaffId: string | null;
  senderRecipientId: string | null;
}

/** One recipient of a sent transfer, for its sender: delivered, opened, downloaded. */
export interface RecipientDelivery {
  id: string;
  email: string;
  notifiedAt: Date | null;
  firstOpenedAt: Date | null;
  firstDownloadedAt: Date | null;
  /** Every download: a file, or the ZIP of all files when `fileId` is null. */
  downloads: readonly { fileId: string | null; at: Date }[];
}

/** One row of a staff member's postbox. */
export interface PostboxEntry {
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

/** The tenant's limits for transfers, as far as the pages and islands need them. */
export interface TransferLimits {
  maxFileSize: number;
  maxFiles: number;
  maxTotalSize: number;
  defaultExpiryDays: number;
  maxExpiryDays: number;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether the content is gone: only metadata is left to show. */
export function hasEnded(t: Pick<Transfer, 'status'>): boolean {
  return t.status === 'revoked' || t.status === 'expired';
}

export function statusLabel(t: Messages['transfers'], status: TransferStatus): string {
  switch (status) {
    case 'draft':
      return t.statusDraft;
    case 'sent':
      return t.statusSent;
    case 'revoked':
      return t.statusRevoked;
    case 'expired':
      return t.statusExpired;
  }
}

/** The level's name and its plain-language explanation. */
export function levelText(t: Messages['transfers'], level: number): { label: string; text: string } {
  if (level >= 3) {
    // The end-to-end levels' texts live with the key texts (i18n/e2e-keys.*.ts).
    const e = (t === messages('en').transfers ? messages('en') : messages('de')).e2eKeys;
    return level === 3 ? { label: e.level3, text: e.level3Text } : { label: e.level4, text: e.level4Text };
  }
  return level >= 2 ? { label: t.level2, text: t.level2Text } : { label: t.level1, text: t.level1Text };
}

/** A point in time, readable and machine-readable. */
export function time(date: Date, locale: Locale, short = false): Html {
  return html`<time datetime="${date.toISOString()}"
    >${short ? formatShortDateTime(date, locale) : formatDateTime(date, locale)}</time
  >`;
}

/**
 * A message's text as people wrote it: blank lines make paragraphs, single line breaks stay.
 * Everything escaped; no markup from the text survives.
 */
export function messageText(text: string): Html {
  const paras = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.replace(/^\n+|\n+$/g, ''))
    .filter((p) => p.trim() !== '');
  return join(
    paras.map((p) => html`<p class="kern-body ab-message">${join(p.split('\n'), trustedHtml('<br>'))}</p>`),
  );
}

/** The media type as people know it: a file ending, else the type, else "unknown". */
export function typeLabel(t: Messages['transfers'], file: Pick<TransferFile, 'name' | 'type'>): string {
  const dot = file.name.lastIndexOf('.');
  const ext = dot > 0 && dot < file.name.length - 1 ? file.name.slice(dot + 1).toUpperCase() : '';
  if (ext !== '' && ext.length <= 8) return ext;
  return file.type === '' || file.type === 'application/octet-stream' ? t.unknownType : file.type;
}

/**
 * The files of a transfer as a table: the name is the download link (so every link says what
 * it downloads), then type and size; then one link for all files as a ZIP.
 */
export function fileTable(
  locale: Locale,
  o: {
    id: string;
    caption: string;
    files: readonly TransferFile[];
    fileHref: (fileId: string) => string;
    zipHref: string;
  },
): Html {
  const t = messages(locale).transfers;
  if (o.files.length === 0) return html`<p class="kern-body">${t.noFiles}</p>`;
  const complete = o.files.filter((f) => f.complete);
  const total = complete.reduce((s, f) => s + f.size, 0);
  return html`${table({
    id: o.id,
    caption: o.caption,
    captionHidden: true,
    head: [t.colName, t.colType, t.colSize],
    rows: o.files.map(
      (f) =>
        html`<tr class="kern-table__row">
          <th scope="row" class="kern-table__header">
            ${
              f.complete
                ? html`<a class="kern-link" href="${o.fileHref(f.id)}" download>${f.name}</a>`
                : html`${f.name} <span class="kern-body--small">(${t.notUploaded})</span>`
            }
          </th>
          <td class="kern-table__cell">${typeLabel(t, f)}</td>
          <td class="kern-table__cell kern-table__cell--numeric">${formatBytes(f.size, locale)}</td>
        </tr>`,
    ),
  })}
  ${
    complete.length > 0 &&
    html`<p class="kern-body">
        <a class="kern-link" href="${o.zipHref}" download>${t.zip(formatBytes(total, locale))}</a>
      </p>
      <p class="kern-body kern-body--small">${t.zipHint}</p>`
  }`;
}
