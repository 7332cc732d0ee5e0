import { link, pageHeading, table } from '../components/ui.ts';
import { formatBytes } from '../format.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { paths, transferPaths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../types.ts';
import type { PostboxEntry } from './transfer-common.ts';
import { statusLabel, time } from './transfer-common.ts';

/** How many rows the server shows at most; a full page offers the link to older ones. */
export const POSTBOX_PAGE_SIZE = 50;

/**
 * A staff member's postbox: transfers they sent and replies they received, newest first, each
 * row leading to the transfer. Ended transfers stay as metadata ("content deleted").
 */
export function postboxPage(ctx: PageContext, o: { entries: readonly PostboxEntry[] }): Page {
  const m = messages(ctx.locale);
  const t = m.postbox;
  const tt = m.transfers;
  const last = o.entries.at(-1);
  const countOf = (n: number, of: number): string => (of === 0 ? t.notApplicable : t.countOf(n, of));
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${t.intro}</p>
      <p class="kern-body">${link(paths.compose, t.compose)}</p>
      ${
        o.entries.length === 0
          ? html`<p class="kern-body">${t.empty}</p>`
          : table({
              id: 'postbox',
              caption: t.caption,
              head: [
                t.colSubject,
                t.colDirection,
                t.colCounterpart,
                t.colLevel,
                t.colStatus,
                t.colFiles,
                t.colCreated,
                t.colExpires,
                t.colOpened,
                t.colDownloaded,
              ],
              rows: o.entries.map(
                (e) =>
                  html`<tr class="kern-table__row">
                    <th scope="row" class="kern-table__header">
                      <a class="kern-link" href="${transferPaths.page(e.id)}"
                        >${e.subject ?? tt.contentDeleted}</a
                      >
                    </th>
                    <td class="kern-table__cell">${e.direction === 'sent' ? t.sent : t.received}</td>
                    <td class="kern-table__cell">${e.counterpart}</td>
                    <td class="kern-table__cell">${tt.levelShort(e.level)}</td>
                    <td class="kern-table__cell">${statusLabel(tt, e.status)}</td>
                    <td class="kern-table__cell">
                      ${tt.filesAndSize(tt.fileCount(e.fileCount), formatBytes(e.totalSize, ctx.locale))}
                    </td>
                    <td class="kern-table__cell">${time(e.createdAt, ctx.locale, true)}</td>
                    <td class="kern-table__cell">${time(e.expiresAt, ctx.locale, true)}</td>
                    <td class="kern-table__cell">${countOf(e.opened, e.recipients)}</td>
                    <td class="kern-table__cell">${countOf(e.downloaded, e.recipients)}</td>
                  </tr>`,
              ),
            })
      }
      ${
        o.entries.length >= POSTBOX_PAGE_SIZE &&
        last !== undefined &&
        html`<p class="kern-body">
          ${link(`${paths.postbox}?before=${encodeURIComponent(last.createdAt.toISOString())}`, t.older)}
        </p>`
      }`,
  };
}
