import { inboundPaths } from '@amtsbote/contracts';
import { formFields, postForm, submitButton } from '../components/forms.ts';
import { islandScript } from '../components/islands.ts';
import { alertBox, descriptionList, link, pageHeading, sectionHeading, table } from '../components/ui.ts';
import { formatBytes } from '../format.ts';
import { html } from '../html.ts';
import type { Interpolation } from '../html.ts';
import type { InboundMessages } from '../i18n/inbound.de.ts';
import { messages } from '../i18n/index.ts';
import { e2eOpenSection } from '../pages/keys.ts';
import { messageText, time } from '../pages/transfer-common.ts';
import type { TransferFile } from '../pages/transfer-common.ts';
import type { Page, PageContext } from '../types.ts';
import { ti } from './common.ts';
import type { InboxEntryView } from './inbox.ts';
import { stateLabel } from './inbox.ts';

// ---- The department postbox: one item ------------------------------------------------------------

export interface InboxFileView extends TransferFile {
  scanStatus: 'not_required' | 'pending' | 'clean' | 'infected' | 'failed' | 'unscanned' | 'e2e';
  scanSignature: string | null;
}

export interface InboxItemView {
  entry: InboxEntryView;
  transfer: { id: string; message: string | undefined; files: readonly InboxFileView[]; threadId: string };
  guest: {
    name: string | undefined;
    email: string | undefined;
    phone: string | undefined;
    verified: boolean;
    addressedTo: string | null;
  };
  envelope: string | null;
  e2eMessage: boolean;
  uploadLinkId: string | null;
  firstOpenedAt: Date | null;
  answeredAt: Date | null;
}

function fileScanText(t: InboundMessages['item'], f: InboxFileView): string {
  switch (f.scanStatus) {
    case 'pending':
      return t.scanPending;
    case 'clean':
      return t.scanClean;
    case 'infected':
      return t.scanInfected(f.scanSignature ?? '');
    case 'failed':
      return t.scanFailed;
    case 'e2e':
      return t.scanE2e;
    case 'unscanned':
      return t.scanUnscanned;
    case 'not_required':
      return t.scanNotRequired;
  }
}

const SERVABLE = new Set(['not_required', 'clean', 'unscanned', 'e2e']);

export function inboxItemPage(
  ctx: PageContext,
  o: { item: InboxItemView; colleagues: readonly { id: string; name: string }[]; now: Date },
): Page {
  const all = ti(ctx);
  const t = all.item;
  const ti_ = all.inbox;
  const { item } = o;
  const e = item.entry;
  const ended = e.status !== 'sent';
  const title = e.subject ?? ti_.contentDeleted;
  const facts: [Interpolation, Interpolation][] = [
    [t.number, e.number],
    [
      t.from,
      html`${item.guest.name ?? ''}${item.guest.email !== undefined && html` &lt;${item.guest.email}&gt;`}${item.guest.email !== undefined && html`<br /><span class="kern-body--small">${item.guest.verified ? t.verified : t.notVerified}</span>`}`,
    ],
  ];
  if (item.guest.phone !== undefined) facts.push([t.phone, item.guest.phone]);
  if (item.guest.addressedTo !== null) facts.push([t.addressedTo, item.guest.addressedTo]);
  facts.push([t.department, e.department]);
  if (e.reference !== undefined && e.reference !== '') facts.push([t.reference, e.reference]);
  if (e.sentAt !== null) facts.push([t.received, time(e.sentAt, ctx.locale)]);
  facts.push([t.expires, time(e.expiresAt, ctx.locale)]);
  facts.push([t.state, stateLabel(ti_, e.state)]);
  facts.push([
    t.protection,
    e.e2e === 'password'
      ? t.protectionPassword
      : e.e2e === 'department'
        ? t.protectionDepartment
        : t.protectionServer,
  ]);
  if (item.answeredAt !== null) facts.push([t.answered, time(item.answeredAt, ctx.locale)]);
  const files = item.transfer.files;
  const encrypted = e.e2e !== null;
  return {
    title,
    body: html`${pageHeading(title)}
      <p class="kern-body">${link(inboundPaths.inbox, t.back)}</p>
      ${ended && alertBox({ kind: 'info', title: t.ended, headingLevel: 2 })} ${descriptionList(facts)}
      ${
        !ended &&
        html`<section class="ab-section" aria-labelledby="item-message">
            ${sectionHeading(t.messageHeading, 'item-message')}
            ${
              item.e2eMessage
                ? html`<p class="kern-body" data-encrypted-message>${t.messageEncrypted}</p>`
                : item.transfer.message === undefined || item.transfer.message.trim() === ''
                  ? html`<p class="kern-body">${messages(ctx.locale).transfers.noMessage}</p>`
                  : messageText(item.transfer.message)
            }
            <div data-decrypted-message hidden></div>
          </section>
          <section class="ab-section" aria-labelledby="item-files">
            ${sectionHeading(t.filesHeading, 'item-files')}
            ${encrypted && alertBox({ kind: 'warning', title: ti_.scanE2e, body: html`<p class="kern-body">${t.e2eNote}</p>` })}
            ${
              files.length === 0
                ? html`<p class="kern-body">${t.noFiles}</p>`
                : table({
                    id: 'item-files-table',
                    caption: t.filesCaption,
                    captionHidden: true,
                    head: [t.colName, t.colSize, t.colScan],
                    rows: files.map(
                      (f) =>
                        html`<tr class="kern-table__row" data-file-id="${f.id}" data-file-name="${f.name}">
                          <th scope="row" class="kern-table__header">
                            ${
                              f.complete && SERVABLE.has(f.scanStatus)
                                ? html`<a
                                      class="kern-link"
                                      href="${inboundPaths.itemFile(item.transfer.id, f.id)}"
                                      download
                                      >${f.name}</a
                                    >${encrypted && html` <span class="kern-body--small">(${t.encryptedFile})</span>`}`
                                : f.name
                            }
                          </th>
                          <td class="kern-table__cell kern-table__cell--numeric">
                            ${formatBytes(f.size, ctx.locale)}
                          </td>
                          <td class="kern-table__cell">${fileScanText(t, f)}</td>
                        </tr>`,
                    ),
                  })
            }
            ${!encrypted && files.some((f) => f.complete && SERVABLE.has(f.scanStatus)) && html`<p class="kern-body"><a class="kern-link" href="${inboundPaths.itemZip(item.transfer.id)}" download>${t.zip}</a></p>`}
          </section>
          ${
            e.e2e === 'password' &&
            item.envelope !== null &&
            html`<section class="ab-section" aria-labelledby="item-unlock">
              ${sectionHeading(t.unlockHeading, 'item-unlock')}
              <p class="kern-body">${t.unlockText}</p>
              <form
                id="unlock"
                class="ab-form"
                novalidate
                data-envelope="${item.envelope}"
                data-transfer="${item.transfer.id}"
                data-message="${item.e2eMessage ? (item.transfer.message ?? '') : ''}"
              >
                <div data-island-errors></div>
                <div class="kern-form-input">
                  <label class="kern-label" for="unlock-password">${t.unlockPassword}</label>
                  <input
                    class="kern-form-input__input"
                    id="unlock-password"
                    name="password"
                    type="password"
                    autocomplete="off"
                    required
                  />
                </div>
                ${submitButton({ label: t.unlockSubmit, disabled: true })}
                <p class="kern-body" role="status" data-unlock-status></p>
                <ul class="kern-list ab-link-list" data-unlock-files></ul>
              </form>
              ${islandScript('inbox-unlock')}
            </section>`
          }
          ${
            e.e2e === 'department' &&
            // The envelope is here for the browser that will open it with the member's key.
            html`<section
              class="ab-section"
              aria-labelledby="item-key"
              id="item-key-section"
              data-envelope="${item.envelope ?? ''}"
            >
              ${sectionHeading(t.departmentKeyHeading, 'item-key')}
              <p class="kern-body">${t.departmentKeyText}</p>
              ${e2eOpenSection(ctx, {
                level: item.e2eMessage ? 4 : 3,
                envelopeUrl: `/api/v1/inbox/${encodeURIComponent(item.transfer.id)}/envelope`,
                message: item.e2eMessage ? item.transfer.message : undefined,
                files: files
                  .filter((f) => f.complete && SERVABLE.has(f.scanStatus))
                  .map((f) => ({
                    id: f.id,
                    name: f.name,
                    size: f.size,
                    href: inboundPaths.itemFile(item.transfer.id, f.id),
                  })),
                keysHref: `/keys?next=${encodeURIComponent(inboundPaths.item(item.transfer.id))}`,
                holder: 'department',
              })}
            </section>`
          }
          <section class="ab-section" aria-labelledby="item-actions">
            ${sectionHeading(t.actionsHeading, 'item-actions')}
            ${
              item.guest.email !== undefined &&
              html`<p class="kern-body">${t.answerText}</p>
                <p class="kern-body">
                  <a class="kern-btn kern-btn--primary" href="${inboundPaths.answer(item.transfer.id)}"
                    ><span class="kern-label">${t.answer}</span></a
                  >
                </p>`
            }
            ${
              o.colleagues.length > 0 &&
              postForm({
                id: 'assign',
                action: inboundPaths.itemAssign(item.transfer.id),
                ctx,
                body: html`${formFields(ctx, 'assign', []).select({
                  name: 'assignee',
                  label: t.assign,
                  value: e.assigneeId ?? '',
                  options: [
                    { value: '', label: t.assignNobody },
                    ...o.colleagues.map((c) => ({ value: c.id, label: c.name })),
                  ],
                })}
                ${submitButton({ label: t.assignSubmit, variant: 'secondary' })}`,
              })
            }
            ${postForm({
              id: 'item-state',
              action: inboundPaths.itemState(item.transfer.id),
              ctx,
              body:
                e.state === 'done'
                  ? submitButton({ label: t.reopen, variant: 'secondary', name: 'state', value: 'opened' })
                  : submitButton({ label: t.done, variant: 'secondary', name: 'state', value: 'done' }),
            })}
          </section>`
      }`,
  };
}
