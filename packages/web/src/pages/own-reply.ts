import { islandScript } from '../components/islands.ts';
import { table } from '../components/ui.ts';
import { formatBytes } from '../format.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { recipientPaths } from '@amtsbote/contracts';
import type { PageContext } from '../types.ts';
import type { Transfer } from './transfer-common.ts';
import { messageText } from './transfer-common.ts';

/** Where the replier's browser gets its own envelope of a sent level-3/4 reply. */
export function ownReplyEnvelopeUrl(token: string, replyId: string): string {
  return `/api/v1/received/${encodeURIComponent(token)}/replies/${encodeURIComponent(replyId)}/envelope`;
}

/** The ciphertext of one file of the replier's own sent reply. */
export function ownReplyFileUrl(token: string, replyId: string, fileId: string): string {
  return `${recipientPaths.page(token)}/replies/${encodeURIComponent(replyId)}/files/${encodeURIComponent(fileId)}`;
}

/**
 * A level-3/4 reply the recipient sent, inside its thread item: opened on request in the
 * browser with the recipient's own envelope (islands/own-reply.ts, the same markup contract as
 * pages/keys.ts e2eOpenSection). At level 3 the text was sent readable to the server and is
 * shown as it is; at level 4 text and file names appear once decrypted.
 */
export function ownReplyBlock(
  ctx: PageContext,
  o: { token: string; reply: Transfer; index: number; keysHref: string },
): Html {
  const m = messages(ctx.locale);
  const t = m.ownReply;
  const open = m.e2eKeys.open;
  const r = o.reply;
  const level4 = r.level >= 4;
  const placeholder = (i: number, name: string): string => (level4 ? `${String(i + 1)}.` : name);
  return html`<div
    class="ab-own-reply"
    data-own-reply
    data-envelope-url="${ownReplyEnvelopeUrl(o.token, r.id)}"
    data-level="${String(r.level)}"
    data-message="${level4 ? (r.message ?? '') : ''}"
  >
    <p class="kern-body">${t.intro}</p>
    ${
      level4
        ? html`<div data-e2e-message><p class="kern-body">${open.encryptedText}</p></div>`
        : r.message !== undefined && r.message.trim() !== '' && messageText(r.message)
    }
    <p class="kern-body" role="status" aria-live="polite" data-e2e-status></p>
    <p class="kern-body" hidden data-e2e-action>
      <a class="kern-link" href="${o.keysHref}" data-e2e-keys-link></a>
    </p>
    <button type="button" class="kern-btn kern-btn--secondary" disabled data-own-reply-open>
      <span class="kern-label">${t.open}</span>
    </button>
    ${
      r.files.length > 0 &&
      table({
        id: `own-reply-${String(o.index)}-files`,
        caption: t.filesCaption,
        head: [open.name, open.size, open.action],
        rows: r.files.map(
          (f, i) =>
            html`<tr
              class="kern-table__row"
              data-e2e-file="${f.id}"
              data-href="${ownReplyFileUrl(o.token, r.id, f.id)}"
              data-name="${f.name}"
            >
              <th scope="row" class="kern-table__header" data-e2e-name>${placeholder(i, f.name)}</th>
              <td class="kern-table__cell">${formatBytes(f.size, ctx.locale)}</td>
              <td class="kern-table__cell">
                <button type="button" class="kern-btn kern-btn--secondary" disabled data-e2e-save>
                  <span class="kern-label">${open.save(placeholder(i, f.name))}</span>
                </button>
              </td>
            </tr>`,
        ),
      })
    }
    ${islandScript('own-reply')}
  </div>`;
}
