import { formFields, postForm, submitButton } from '../../components/forms.ts';
import { islandScript } from '../../components/islands.ts';
import { bulletList, descriptionList, subHeading } from '../../components/ui.ts';
import { needsJavaScript, uploadProgress } from '../../components/upload.ts';
import { formatBytes } from '../../format.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { organisationPaths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../../types.ts';
import type { Transfer, TransferLimits } from '../transfer-common.ts';
import { fileTable, hasEnded, levelText, messageText, time } from '../transfer-common.ts';
import { e2eOpenSection } from '../keys.ts';
import type { OrganisationRole } from './common.ts';
import { orgHeader } from './common.ts';

// One message of the organisation's postbox, with its conversation and the reply form.

export interface OrganisationTransferInput {
  org: { id: string; name: string };
  role: OrganisationRole;
  transfer: Transfer;
  direction: 'received' | 'sent';
  thread: readonly (Transfer & { author: string | undefined })[];
  senderName: string | undefined;
  canReply: boolean;
  uploadEndpoint: string;
  policy?: Pick<TransferLimits, 'maxFileSize' | 'maxFiles' | 'maxTotalSize'> | undefined;
}

export function organisationTransferPage(ctx: PageContext, o: OrganisationTransferInput): Page {
  const m = messages(ctx.locale);
  const t = m.accounts.org;
  const tt = m.transfers;
  const r = m.recipient;
  const tr = o.transfer;
  const title = tr.subject ?? tt.contentDeleted;
  const level = levelText(tt, tr.level);
  const f = formFields(ctx, 'reply', []);
  const limits: Record<string, number> =
    o.policy === undefined
      ? {}
      : {
          'max-file-size': o.policy.maxFileSize,
          'max-files': o.policy.maxFiles,
          'max-total-size': o.policy.maxTotalSize,
        };
  return {
    title,
    body: html`${orgHeader(ctx, o.org, o.role, 'none')}
      <h2 class="kern-heading-large">${title}</h2>
      ${descriptionList([
        [
          t.transferFrom,
          o.direction === 'sent'
            ? o.org.name
            : o.senderName === undefined
              ? ctx.tenant.name
              : `${o.senderName}, ${ctx.tenant.name}`,
        ],
        [t.transferExpires, time(tr.expiresAt, ctx.locale)],
        [r.level, html`${level.label}<br /><span class="kern-body--small">${level.text}</span>`],
      ])}
      ${
        // Levels 3 and 4: opened in the member's browser with the organisation's key; a reply
        // sent in the organisation's name with its own copy, also wrapped for that key.
        tr.level >= 3 && !hasEnded(tr)
          ? html`${
              tr.level === 3 &&
              html`<section class="ab-section" aria-labelledby="org-message">
                ${subHeading(t.messageHeading, 'org-message')}
                ${tr.message === undefined || tr.message.trim() === '' ? html`<p class="kern-body">${tt.noMessage}</p>` : messageText(tr.message)}
              </section>`
            }
            ${e2eOpenSection(ctx, {
              level: tr.level,
              envelopeUrl: `/api/v1/organisations/${encodeURIComponent(o.org.id)}/postbox/${encodeURIComponent(tr.id)}/envelope`,
              message: tr.message,
              files: tr.files.map((file) => ({
                id: file.id,
                name: file.name,
                size: file.size,
                href: organisationPaths.file(o.org.id, tr.id, file.id),
              })),
              keysHref: `/keys?next=${encodeURIComponent(organisationPaths.transfer(o.org.id, tr.id))}`,
            })}`
          : html`<section class="ab-section" aria-labelledby="org-message">
                ${subHeading(t.messageHeading, 'org-message')}
                ${tr.message === undefined || tr.message.trim() === '' ? html`<p class="kern-body">${tt.noMessage}</p>` : messageText(tr.message)}
              </section>
              <section class="ab-section" aria-labelledby="org-files">
                ${subHeading(t.filesHeading, 'org-files')}
                ${fileTable(ctx.locale, { id: 'files', caption: t.filesCaption, files: tr.files, fileHref: (fileId) => organisationPaths.file(o.org.id, tr.id, fileId), zipHref: organisationPaths.zip(o.org.id, tr.id) })}
              </section>`
      }
      ${
        o.thread.length > 0 &&
        html`<section class="ab-section" aria-labelledby="org-thread">
          ${subHeading(t.threadHeading, 'org-thread')}
          ${o.thread.map(
            (item, i) =>
              html`<article class="ab-thread-item" aria-labelledby="thread-${i}">
                <h4 class="kern-heading-small" id="thread-${i}">${item.subject ?? tt.contentDeleted}</h4>
                <p class="kern-body kern-body--small">
                  ${item.senderStaffId !== null ? r.threadFrom(o.senderName ?? ctx.tenant.name) : t.threadFromOrg}${item.author !== undefined && html`, ${t.threadBy(item.author)}`},
                  ${time(item.sentAt ?? item.createdAt, ctx.locale)}
                </p>
                ${
                  hasEnded(item) || item.subject === undefined
                    ? html`<p class="kern-body">${r.threadDeleted}</p>`
                    : item.level >= 3
                      ? html`<p class="kern-body">${m.e2eReply.threadEncrypted}</p>
                          ${
                            // A reply sent in the organisation's name opens on its own page.
                            item.senderStaffId === null &&
                            html`<p class="kern-body">
                              <a class="kern-link" href="${organisationPaths.transfer(o.org.id, item.id)}"
                                >${m.ownReply.orgOpen}</a
                              >
                            </p>`
                          }`
                      : html`${item.message !== undefined && item.message.trim() !== '' && messageText(item.message)}
                        ${item.files.length > 0 && bulletList(item.files.map((file) => `${file.name} (${formatBytes(file.size, ctx.locale)})`))}`
                }
              </article>`,
          )}
        </section>`
      }
      ${
        o.canReply &&
        html`<section class="ab-section" aria-labelledby="org-reply">
          ${subHeading(t.replyHeading, 'org-reply')}
          <p class="kern-body">${t.replyIntro(o.org.name)}</p>
          ${
            tr.level >= 3 &&
            html`<p class="kern-body">${tr.level === 4 ? m.e2eReply.orgIntro4 : m.e2eReply.orgIntro3}</p>
              <p class="kern-body" role="status" data-e2e-reply-status></p>`
          }
          ${needsJavaScript({ title: r.jsTitle, body: html`<p class="kern-body">${r.jsText}</p>` })}
          ${postForm({
            id: 'reply',
            action: organisationPaths.replies(o.org.id, tr.id),
            ctx,
            labelledBy: 'org-reply',
            data: {
              'upload-endpoint': o.uploadEndpoint,
              'org-id': o.org.id,
              'transfer-id': tr.id,
              progress: 'reply-progress',
              ...limits,
              // Levels 3 and 4: the reply goes at the same level, encrypted here (islands/org-reply.ts).
              ...(tr.level >= 3
                ? {
                    'e2e-level': String(tr.level),
                    'reply-keys-url': `/api/v1/organisations/${encodeURIComponent(o.org.id)}/postbox/${encodeURIComponent(tr.id)}/reply-keys`,
                  }
                : {}),
            },
            body: html`<div data-island-errors></div>
              ${f.input({ name: 'subject', label: r.replySubject, autocomplete: 'off', maxlength: 200, value: (tr.subject ?? '').startsWith(r.replyPrefix) ? (tr.subject ?? '') : `${r.replyPrefix} ${tr.subject ?? ''}`.slice(0, 200) })}
              ${f.textarea({ name: 'message', label: r.replyMessage, rows: 6, maxlength: 20000, required: false })}
              ${f.file({ name: 'files', label: r.replyFiles, hint: r.replyFilesHint, multiple: true, required: false })}
              ${tr.level >= 3 && html`<div data-e2e-fallback hidden>${f.checkbox({ name: 'fallbackLevel2', label: m.e2eReply.fallback, hint: m.e2eReply.fallbackHint, checked: false })}</div>`}
              <p class="kern-body kern-body--small" data-upload-selection></p>
              ${submitButton({ label: r.replySubmit, disabled: true })}`,
          })}
          ${uploadProgress(ctx, 'reply-progress')} ${islandScript('org-reply')}
        </section>`
      }`,
  };
}
