import { formFields, hiddenInput, postForm, submitButton } from '../components/forms.ts';
import { islandScript } from '../components/islands.ts';
import { bulletList, descriptionList, pageHeading, sectionHeading, subHeading } from '../components/ui.ts';
import { needsJavaScript, uploadProgress } from '../components/upload.ts';
import { formatBytes, formatDay } from '../format.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { recipientPaths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../types.ts';
import type { Transfer, TransferLimits } from './transfer-common.ts';
import { fileTable, hasEnded, levelText, messageText, time } from './transfer-common.ts';
import { e2eOpenSection } from './keys.ts';
import { passwordLevelText, passwordOpenSection } from './password-open.ts';
import { ownReplyBlock } from './own-reply.ts';

/** The reply form's id; its fields are `reply-<name>` (the reply island relies on both). */
export const REPLY_FORM_ID = 'reply';

/** See {@link recipientTransferPage}. */
export interface RecipientTransferInput {
  /** The secret from the link: every path on the page is below `/t/<token>`. */
  token: string;
  transfer: Transfer;
  /** The other messages of the same conversation (e.g. the recipient's earlier reply). */
  thread: readonly Transfer[];
  /** The recipient's address (their reply is sent with it). */
  email: string;
  uploadEndpoint: string;
  /** The staff member who sent it, when the server names them. */
  senderName?: string | undefined;
  /** The tenant's limits, so the reply island can refuse too-large files before uploading. */
  policy?: Pick<TransferLimits, 'maxFileSize' | 'maxFiles' | 'maxTotalSize'> | undefined;
  /** An answer to a password drop-off: its P envelope; the sender's password opens it here. */
  passwordEnvelope?: string | undefined;
}

function threadItem(ctx: PageContext, o: RecipientTransferInput, item: Transfer, index: number): Html {
  const m = messages(ctx.locale);
  const t = m.recipient;
  const tt = m.transfers;
  const who = item.senderStaffId !== null ? t.threadFrom(o.senderName ?? ctx.tenant.name) : t.threadFromYou;
  const headingId = `thread-${index}`;
  return html`<article class="ab-thread-item" aria-labelledby="${headingId}">
    ${subHeading(item.subject ?? tt.contentDeleted, headingId)}
    <p class="kern-body kern-body--small">${who}, ${time(item.sentAt ?? item.createdAt, ctx.locale)}</p>
    ${
      hasEnded(item) || item.subject === undefined
        ? html`<p class="kern-body">${t.threadDeleted}</p>`
        : item.level >= 3 && item.senderRecipientId !== null && o.passwordEnvelope === undefined
          ? // The recipient's own sent reply: its own envelope opens it here.
            ownReplyBlock(ctx, {
              token: o.token,
              reply: item,
              index,
              keysHref: `/keys?next=${encodeURIComponent(recipientPaths.page(o.token))}`,
            })
          : item.level >= 3
            ? html`<p class="kern-body">${m.e2eReply.threadEncrypted}</p>`
            : html`${item.message !== undefined && item.message.trim() !== '' && messageText(item.message)}
              ${
                item.files.length > 0 &&
                html`<p class="kern-body">${t.threadFiles}</p>
                  ${bulletList(item.files.map((f) => `${f.name} (${formatBytes(f.size, ctx.locale)})`))}`
              }`
    }
  </article>`;
}

function replySection(ctx: PageContext, o: RecipientTransferInput): Html {
  const m = messages(ctx.locale);
  const t = m.recipient;
  const f = formFields(ctx, REPLY_FORM_ID, []);
  const subject = o.transfer.subject ?? '';
  const limits: Record<string, number> =
    o.policy === undefined
      ? {}
      : {
          'max-file-size': o.policy.maxFileSize,
          'max-files': o.policy.maxFiles,
          'max-total-size': o.policy.maxTotalSize,
        };
  // Levels 3 and 4: the reply goes at the same level, encrypted in the browser (islands/reply.ts).
  const e2eLevel = o.passwordEnvelope === undefined && o.transfer.level >= 3 ? o.transfer.level : undefined;
  const e2e: Record<string, string> =
    e2eLevel === undefined
      ? {}
      : {
          'e2e-level': String(e2eLevel),
          'reply-keys-url': `/api/v1/received/${encodeURIComponent(o.token)}/reply-keys`,
        };
  return html`<section class="ab-section" aria-labelledby="recipient-reply">
    ${sectionHeading(t.replyHeading, 'recipient-reply')}
    <p class="kern-body">${t.replyIntro(ctx.tenant.name)}</p>
    <p class="kern-body">${t.replyAs(o.email)}</p>
    ${
      e2eLevel !== undefined &&
      html`<p class="kern-body">${e2eLevel === 4 ? m.e2eReply.intro4 : m.e2eReply.intro3}</p>
        <p class="kern-body" role="status" data-e2e-reply-status></p>`
    }
    ${needsJavaScript({ title: t.jsTitle, body: html`<p class="kern-body">${t.jsText}</p>` })}
    ${postForm({
      id: REPLY_FORM_ID,
      action: recipientPaths.replies(o.token),
      ctx,
      labelledBy: 'recipient-reply',
      data: {
        'upload-endpoint': o.uploadEndpoint,
        'link-token': o.token,
        progress: `${REPLY_FORM_ID}-progress`,
        ...limits,
        ...e2e,
      },
      body: html`<div data-island-errors></div>
        ${f.input({ name: 'subject', label: t.replySubject, autocomplete: 'off', maxlength: 200, value: subject.startsWith(t.replyPrefix) ? subject : `${t.replyPrefix} ${subject}`.slice(0, 200) })}
        ${f.textarea({ name: 'message', label: t.replyMessage, rows: 6, maxlength: 20000, required: false })}
        ${f.file({ name: 'files', label: t.replyFiles, hint: t.replyFilesHint, multiple: true, required: false })}
        ${e2eLevel !== undefined && html`<div data-e2e-fallback hidden>${f.checkbox({ name: 'fallbackLevel2', label: m.e2eReply.fallback, hint: m.e2eReply.fallbackHint, checked: false })}</div>`}
        <p class="kern-body kern-body--small" data-upload-selection></p>
        ${submitButton({ label: t.replySubmit, disabled: true })}`,
    })}
    ${uploadProgress(ctx, `${REPLY_FORM_ID}-progress`)} ${islandScript('reply')}
  </section>`;
}

/**
 * What a citizen sees behind the link in the mail (often on a phone): who sent it and until
 * when it is there, the text, the files (each, or all as one ZIP), the conversation so far,
 * and — when the sender allows it — a form to reply with files.
 */
export function recipientTransferPage(ctx: PageContext, o: RecipientTransferInput): Page {
  const m = messages(ctx.locale);
  const t = m.recipient;
  const tt = m.transfers;
  const tr = o.transfer;
  const title = tr.subject ?? tt.contentDeleted;
  const level = o.passwordEnvelope === undefined ? levelText(tt, tr.level) : passwordLevelText(ctx);
  return {
    title,
    body: html`${pageHeading(title)}
      <p class="kern-body">${t.intro(ctx.tenant.name)}</p>
      ${descriptionList([
        [t.from, o.senderName === undefined ? ctx.tenant.name : `${o.senderName}, ${ctx.tenant.name}`],
        [t.expires, time(tr.expiresAt, ctx.locale)],
        [t.level, html`${level.label}<br /><span class="kern-body--small">${level.text}</span>`],
      ])}
      ${
        o.passwordEnvelope !== undefined && !hasEnded(tr)
          ? passwordOpenSection(ctx, {
              envelope: o.passwordEnvelope,
              message: tr.message,
              files: tr.files.map((f) => ({
                id: f.id,
                name: f.name,
                size: f.size,
                href: recipientPaths.file(o.token, f.id),
              })),
            })
          : tr.level >= 3 && !hasEnded(tr)
            ? html`${
                tr.level === 3 &&
                html`<section class="ab-section" aria-labelledby="recipient-message">
                  ${sectionHeading(t.messageHeading, 'recipient-message')}
                  ${tr.message === undefined || tr.message.trim() === '' ? html`<p class="kern-body">${tt.noMessage}</p>` : messageText(tr.message)}
                </section>`
              }
              ${e2eOpenSection(ctx, {
                level: tr.level,
                envelopeUrl: `/api/v1/received/${encodeURIComponent(o.token)}/envelope`,
                message: tr.message,
                files: tr.files.map((f) => ({
                  id: f.id,
                  name: f.name,
                  size: f.size,
                  href: recipientPaths.file(o.token, f.id),
                })),
                keysHref: `/keys?next=${encodeURIComponent(recipientPaths.page(o.token))}`,
              })}`
            : html`<section class="ab-section" aria-labelledby="recipient-message">
                  ${sectionHeading(t.messageHeading, 'recipient-message')}
                  ${tr.message === undefined || tr.message.trim() === '' ? html`<p class="kern-body">${tt.noMessage}</p>` : messageText(tr.message)}
                </section>
                <section class="ab-section" aria-labelledby="recipient-files">
                  ${sectionHeading(t.filesHeading, 'recipient-files')}
                  ${fileTable(ctx.locale, {
                    id: 'files',
                    caption: t.filesCaption,
                    files: tr.files,
                    fileHref: (fileId) => recipientPaths.file(o.token, fileId),
                    zipHref: recipientPaths.zip(o.token),
                  })}
                  ${tr.files.length > 0 && html`<p class="kern-body">${t.saveHint(formatDay(tr.expiresAt, ctx.locale))}</p>`}
                </section>`
      }
      ${
        o.thread.length > 0 &&
        html`<section class="ab-section" aria-labelledby="recipient-thread">
          ${sectionHeading(t.threadHeading, 'recipient-thread')}
          ${o.thread.map((item, i) => threadItem(ctx, o, item, i))}
        </section>`
      }
      ${tr.allowReply && replySection(ctx, o)}
      <p class="kern-body kern-body--small">${tt.mailNote}</p>`,
  };
}

/** See {@link recipientVerifyPage}. */
export interface RecipientVerifyInput {
  token: string;
  /** The recipient's address, masked (`i***@example.org`). */
  maskedEmail: string;
  /** Set once a code was sent: the form to enter it is shown. */
  codeId: string | undefined;
  /** A ready message (wrong code, too many tries …), shown in the summary and at the field. */
  error: string | undefined;
}

/**
 * Level 2: the link alone opens nothing. The recipient asks for a code (mailed to the address
 * on file at that moment), enters it, and the message opens for them only. Rendered for the
 * link (GET) and as the answer to both POSTs, with the code form once a code was sent.
 */
export function recipientVerifyPage(ctx: PageContext, o: RecipientVerifyInput): Page {
  const t = messages(ctx.locale).verify;
  const errors =
    o.error === undefined ? [] : [{ field: o.codeId === undefined ? 'request' : 'code', message: o.error }];
  const request = formFields(ctx, 'verify-request', o.codeId === undefined ? errors : []);
  const enter = formFields(ctx, 'verify', o.codeId === undefined ? [] : errors);
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.intro(o.maskedEmail)}</p>
      ${
        o.codeId === undefined
          ? html`<p class="kern-body">${t.how}</p>
              <ol class="kern-list kern-list--number">
                ${t.steps.map((s) => html`<li>${s}</li>`)}
              </ol>
              <p class="kern-body">${t.why}</p>
              <p class="kern-body">${t.account}</p>
              <section class="ab-section" aria-labelledby="verify-request-heading">
                ${sectionHeading(t.requestHeading, 'verify-request-heading')}
                ${postForm({
                  id: 'verify-request',
                  action: recipientPaths.code(o.token),
                  ctx,
                  labelledBy: 'verify-request-heading',
                  body: html`${request.errorSummary([], 3)} ${submitButton({ label: t.requestSubmit })}`,
                })}
              </section>`
          : html`<p class="kern-body">${t.sentText(o.maskedEmail)}</p>
              <section class="ab-section" aria-labelledby="verify-heading">
                ${sectionHeading(t.enterHeading, 'verify-heading')}
                ${postForm({
                  id: 'verify',
                  action: recipientPaths.verify(o.token),
                  ctx,
                  labelledBy: 'verify-heading',
                  body: html`${enter.errorSummary(['code'], 3)} ${hiddenInput('codeId', o.codeId)}
                  ${enter.input({ name: 'code', label: t.code, hint: t.codeHint, autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 })}
                  ${submitButton({ label: t.verifySubmit })}`,
                })}
              </section>
              <section class="ab-section" aria-labelledby="verify-resend-heading">
                ${sectionHeading(t.resendHeading, 'verify-resend-heading')}
                ${postForm({
                  id: 'verify-resend',
                  action: recipientPaths.code(o.token),
                  ctx,
                  labelledBy: 'verify-resend-heading',
                  body: submitButton({ label: t.resendSubmit, variant: 'secondary' }),
                })}
              </section>`
      }`,
  };
}
