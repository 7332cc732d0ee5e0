import { formFields, postForm, submitButton } from '../components/forms.ts';
import { alertBox, descriptionList, link, pageHeading, sectionHeading, table } from '../components/ui.ts';
import { formatBytes, formatDay } from '../format.ts';
import type { Html, Interpolation } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { paths, transferPaths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../types.ts';
import type { RecipientDelivery, Transfer, TransferLimits } from './transfer-common.ts';
import { DAY_MS, fileTable, hasEnded, levelText, messageText, statusLabel, time } from './transfer-common.ts';
import { e2eOpenSection } from './keys.ts';
import { passwordLevelText, passwordOpenSection } from './password-open.ts';

/** See {@link transferDetailPage}. */
export interface TransferDetailInput {
  transfer: Transfer;
  /** Per recipient; only for the sender (empty otherwise). */
  recipients: readonly RecipientDelivery[];
  policy: Pick<TransferLimits, 'maxExpiryDays'>;
  /** The staff member sent it; false for a reply addressed to them. */
  isSender: boolean;
  /** Who wrote a received reply (the recipient's e-mail address), when the server knows it. */
  from?: string | undefined;
  /** The time the page is rendered for (the server's clock); defaults to now. */
  now?: Date | undefined;
  /** An answer to a password drop-off: its P envelope; the message's password opens it here. */
  passwordEnvelope?: string | undefined;
}

const EXTEND_STEPS = [1, 3, 7, 14, 30, 60, 90, 180, 365];

/**
 * How many days from now the expiry may be moved to: the tenant's maximum counts from sending.
 * Whole days only, rounded down, so every offered choice is accepted by the server.
 */
export function extendChoices(sentAt: Date, maxExpiryDays: number, now: Date): number[] {
  const latest = sentAt.getTime() + maxExpiryDays * DAY_MS;
  const maxDays = Math.floor((latest - now.getTime()) / DAY_MS);
  if (maxDays < 1) return [];
  return [...new Set([...EXTEND_STEPS.filter((d) => d < maxDays), maxDays])];
}

function recipientsSection(ctx: PageContext, o: TransferDetailInput): Html {
  const t = messages(ctx.locale).detail;
  const names = new Map(o.transfer.files.map((f) => [f.id, f.name]));
  const when = (d: Date | null): Interpolation => (d === null ? t.notYet : time(d, ctx.locale, true));
  return html`<section class="ab-section" aria-labelledby="detail-recipients">
    ${sectionHeading(t.recipientsHeading, 'detail-recipients')}
    ${
      o.recipients.length === 0
        ? html`<p class="kern-body">${t.noRecipients}</p>`
        : table({
            id: 'recipients',
            caption: t.recipientsCaption,
            captionHidden: true,
            head: [t.colRecipient, t.colNotified, t.colOpened, t.colDownloaded, t.colDownloads],
            rows: o.recipients.map(
              (r) =>
                html`<tr class="kern-table__row">
                  <th scope="row" class="kern-table__header">${r.email}</th>
                  <td class="kern-table__cell">${when(r.notifiedAt)}</td>
                  <td class="kern-table__cell">${when(r.firstOpenedAt)}</td>
                  <td class="kern-table__cell">
                    ${
                      r.firstDownloadedAt === null
                        ? t.notYet
                        : html`${t.downloadedOn} ${time(r.firstDownloadedAt, ctx.locale, true)}`
                    }
                  </td>
                  <td class="kern-table__cell">
                    ${
                      r.downloads.length === 0
                        ? t.notYet
                        : html`<ul class="kern-list ab-plain-list">
                            ${r.downloads.map(
                              (d) =>
                                html`<li>
                                  ${d.fileId === null ? t.zipDownload : (names.get(d.fileId) ?? t.someFile)}:
                                  ${time(d.at, ctx.locale, true)}
                                </li>`,
                            )}
                          </ul>`
                    }
                  </td>
                </tr>`,
            ),
          })
    }
  </section>`;
}

function extendSection(ctx: PageContext, o: TransferDetailInput, sentAt: Date, now: Date): Html {
  const m = messages(ctx.locale);
  const t = m.detail;
  const choices = extendChoices(sentAt, o.policy.maxExpiryDays, now);
  const latest = new Date(sentAt.getTime() + o.policy.maxExpiryDays * DAY_MS);
  const f = formFields(ctx, 'extend', []);
  return html`<section class="ab-section" aria-labelledby="detail-extend">
    ${sectionHeading(t.extendHeading, 'detail-extend')}
    ${
      choices.length === 0
        ? html`<p class="kern-body">${t.extendNotPossible}</p>`
        : html`<p class="kern-body">${t.extendText(formatDay(latest, ctx.locale))}</p>
            ${postForm({
              id: 'extend',
              action: transferPaths.extend(o.transfer.id),
              ctx,
              labelledBy: 'detail-extend',
              body: html`${f.select({
                name: 'days',
                label: t.extendLabel,
                value: String(choices.at(-1) ?? ''),
                options: choices.map((d) => ({
                  value: String(d),
                  label: t.extendOption(
                    m.meta.days(d),
                    formatDay(new Date(now.getTime() + d * DAY_MS), ctx.locale),
                  ),
                })),
              })}
              ${submitButton({ label: t.extendSubmit, variant: 'secondary' })}`,
            })}`
    }
  </section>`;
}

function revokeSection(ctx: PageContext, o: TransferDetailInput): Html {
  const t = messages(ctx.locale).detail;
  return html`<section class="ab-section" aria-labelledby="detail-revoke">
    ${sectionHeading(t.revokeHeading, 'detail-revoke')}
    ${alertBox({ kind: 'warning', title: t.revokeWarning, body: html`<p class="kern-body">${t.revokeText}</p>` })}
    ${postForm({
      id: 'revoke',
      action: transferPaths.revoke(o.transfer.id),
      ctx,
      labelledBy: 'detail-revoke',
      body: submitButton({ label: t.revokeSubmit, variant: 'secondary' }),
    })}
  </section>`;
}

/**
 * One transfer for staff. The sender sees text, files, and per recipient what was delivered,
 * opened and downloaded, and may revoke it or move its expiry. A received reply shows who wrote
 * it, its text and files. Once ended, only the metadata is left, and the page says so.
 */
export function transferDetailPage(ctx: PageContext, o: TransferDetailInput): Page {
  const m = messages(ctx.locale);
  const t = m.detail;
  const tt = m.transfers;
  const tr = o.transfer;
  const ended = hasEnded(tr);
  const now = o.now ?? new Date();
  const level = o.passwordEnvelope === undefined ? levelText(tt, tr.level) : passwordLevelText(ctx, true);
  const title = tr.subject ?? (ended ? tt.contentDeleted : t.titleFallback);
  const facts: [Interpolation, Interpolation][] = [
    [t.status, statusLabel(tt, tr.status)],
    [t.level, html`${level.label}<br /><span class="kern-body--small">${level.text}</span>`],
    [t.created, time(tr.createdAt, ctx.locale)],
  ];
  if (tr.sentAt !== null) facts.push([t.sent, time(tr.sentAt, ctx.locale)]);
  if (ended && tr.endedAt !== null)
    facts.push([tr.status === 'revoked' ? t.revokedAt : t.expiredAt, time(tr.endedAt, ctx.locale)]);
  else if (!ended) facts.push([t.expires, time(tr.expiresAt, ctx.locale)]);
  facts.push([t.files, tt.filesAndSize(tt.fileCount(tr.fileCount), formatBytes(tr.totalSize, ctx.locale))]);
  if (o.isSender) {
    facts.push([t.notify, tr.notifyOnDownload ? t.yes : t.no]);
    facts.push([t.allowReply, tr.allowReply ? t.yes : t.no]);
  }
  return {
    title,
    body: html`${pageHeading(title)}
      <p class="kern-body">${link(paths.postbox, t.back)}</p>
      ${
        !o.isSender &&
        html`<p class="kern-body">
          ${o.from === undefined ? t.replyTo : t.replyFrom(o.from)}
          ${tr.inReplyTo !== null && link(transferPaths.page(tr.inReplyTo), t.replyToLink)}
        </p>`
      }
      ${
        ended &&
        alertBox({
          kind: 'info',
          title: t.endedTitle,
          body: html`<p class="kern-body">${tr.status === 'revoked' ? t.endedRevoked : t.endedExpired}</p>`,
          headingLevel: 2,
        })
      }
      ${descriptionList(facts)}
      ${
        !ended &&
        tr.level >= 3 &&
        html`${
          tr.level === 3 &&
          html`<section class="ab-section" aria-labelledby="detail-message">
            ${sectionHeading(t.messageHeading, 'detail-message')}
            ${tr.message === undefined || tr.message.trim() === '' ? html`<p class="kern-body">${tt.noMessage}</p>` : messageText(tr.message)}
          </section>`
        }
        ${
          o.passwordEnvelope !== undefined
            ? passwordOpenSection(ctx, {
                envelope: o.passwordEnvelope,
                message: tr.message,
                files: tr.files.map((f) => ({
                  id: f.id,
                  name: f.name,
                  size: f.size,
                  href: transferPaths.file(tr.id, f.id),
                })),
                forSender: true,
              })
            : e2eOpenSection(ctx, {
                level: tr.level,
                envelopeUrl: `/api/v1/transfers/${encodeURIComponent(tr.id)}/envelope`,
                message: tr.message,
                files: tr.files.map((f) => ({
                  id: f.id,
                  name: f.name,
                  size: f.size,
                  href: transferPaths.file(tr.id, f.id),
                })),
                keysHref: `/keys?next=${encodeURIComponent(transferPaths.page(tr.id))}`,
              })
        }`
      }
      ${
        !ended &&
        tr.level < 3 &&
        html`<section class="ab-section" aria-labelledby="detail-message">
            ${sectionHeading(t.messageHeading, 'detail-message')}
            ${tr.message === undefined || tr.message.trim() === '' ? html`<p class="kern-body">${tt.noMessage}</p>` : messageText(tr.message)}
          </section>
          <section class="ab-section" aria-labelledby="detail-files">
            ${sectionHeading(t.filesHeading, 'detail-files')}
            ${fileTable(ctx.locale, {
              id: 'files',
              caption: t.filesCaption,
              files: tr.files,
              fileHref: (fileId) => transferPaths.file(tr.id, fileId),
              zipHref: transferPaths.zip(tr.id),
            })}
          </section>`
      }
      ${o.isSender && recipientsSection(ctx, o)}
      ${o.isSender && tr.status === 'sent' && tr.sentAt !== null && extendSection(ctx, o, tr.sentAt, now)}
      ${o.isSender && tr.status === 'sent' && revokeSection(ctx, o)}`,
  };
}
