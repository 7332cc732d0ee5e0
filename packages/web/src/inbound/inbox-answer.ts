import { inboundPaths } from '@amtsbote/contracts';
import { formFields, postForm, submitButton } from '../components/forms.ts';
import { islandScript } from '../components/islands.ts';
import { descriptionList, link, pageHeading } from '../components/ui.ts';
import { needsJavaScript, uploadProgress } from '../components/upload.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { expiryChoices } from '../pages/compose.ts';
import { levelText } from '../pages/transfer-common.ts';
import type { TransferLimits } from '../pages/transfer-common.ts';
import type { Page, PageContext } from '../types.ts';
import { ti } from './common.ts';
import type { InboxItemView } from './inbox-item.ts';

// ---- The department postbox: answering an item -----------------------------------------------------

export function inboxAnswerPage(
  ctx: PageContext,
  o: { item: InboxItemView; policy: TransferLimits; uploadEndpoint: string },
): Page {
  const m = messages(ctx.locale);
  const t = ti(ctx).answer;
  const c = m.compose;
  const f = formFields(ctx, 'answer', []);
  const subject = o.item.entry.subject ?? '';
  const level1 = levelText(m.transfers, 1);
  const level2 = levelText(m.transfers, 2);
  // A password drop-off may be answered to the same password (islands/lib/password-send.ts).
  const pa = m.passwordAnswer.answer;
  const toPassword = o.item.entry.e2e === 'password' && o.item.envelope !== null;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${link(inboundPaths.item(o.item.transfer.id), ti(ctx).item.back)}</p>
      ${descriptionList([[t.to, o.item.guest.email ?? '']])}
      <p class="kern-body">${t.intro}</p>
      ${needsJavaScript({ title: c.jsTitle, body: html`<p class="kern-body">${c.jsText}</p>` })}
      ${postForm({
        id: 'answer',
        action: inboundPaths.answers(o.item.transfer.id),
        ctx,
        data: {
          'upload-endpoint': o.uploadEndpoint,
          'max-file-size': o.policy.maxFileSize,
          'max-files': o.policy.maxFiles,
          'max-total-size': o.policy.maxTotalSize,
          progress: 'answer-progress',
          item: o.item.transfer.id,
          ...(toPassword ? { envelope: o.item.envelope ?? '' } : {}),
        },
        body: html`<div data-island-errors></div>
          ${f.input({ name: 'subject', label: c.subject, autocomplete: 'off', maxlength: 200, value: subject.startsWith('Re:') ? subject : `Re: ${subject}`.slice(0, 200) })}
          ${f.textarea({ name: 'message', label: c.message, required: false, rows: 8, maxlength: 20000 })}
          ${f.file({ name: 'files', label: c.files, multiple: true, required: false })}
          <p class="kern-body kern-body--small" data-upload-selection></p>
          ${f.radios({
            name: 'level',
            label: c.level,
            hint: c.levelHint,
            value: toPassword ? '4' : '1',
            options: [
              { value: '1', label: level1.label, hint: level1.text },
              { value: '2', label: level2.label, hint: level2.text },
              ...(toPassword ? [{ value: '4', label: pa.option, hint: pa.optionHint }] : []),
            ],
          })}
          ${
            toPassword &&
            html`<div data-password-field>
              ${f.input({ name: 'password', type: 'password', label: pa.password, hint: pa.passwordHint, autocomplete: 'off' })}
              <p class="kern-body kern-body--small">${pa.noReply}</p>
            </div>`
          }
          ${f.select({ name: 'expiresInDays', label: c.expires, value: String(Math.min(o.policy.defaultExpiryDays, o.policy.maxExpiryDays)), options: expiryChoices(o.policy).map((d) => ({ value: String(d), label: m.meta.days(d) })) })}
          ${f.checkbox({ name: 'allowReply', label: c.allowReply, checked: true })}
          ${submitButton({ label: t.submit, disabled: true })}`,
      })}
      ${uploadProgress(ctx, 'answer-progress')} ${islandScript('inbox-answer')}`,
  };
}
