import { formFields, postForm, submitButton } from '../components/forms.ts';
import { islandScript } from '../components/islands.ts';
import { pageHeading } from '../components/ui.ts';
import { needsJavaScript, uploadProgress } from '../components/upload.ts';
import { formatBytes } from '../format.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { paths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../types.ts';
import type { TransferLimits } from './transfer-common.ts';
import { levelText } from './transfer-common.ts';

/** The compose form's id; its fields are `compose-<name>` (the island relies on both). */
export const COMPOSE_FORM_ID = 'compose';

const EXPIRY_STEPS = [1, 3, 7, 14, 30, 60, 90, 180, 365];

/** Choices for "available for": the usual steps up to the tenant's maximum, plus default and maximum. */
export function expiryChoices(policy: Pick<TransferLimits, 'defaultExpiryDays' | 'maxExpiryDays'>): number[] {
  const max = Math.max(1, policy.maxExpiryDays);
  const all = new Set([
    ...EXPIRY_STEPS.filter((d) => d <= max),
    Math.min(policy.defaultExpiryDays, max),
    max,
  ]);
  return [...all].filter((d) => d >= 1).sort((a, b) => a - b);
}

/**
 * Compose a transfer (staff). The form only works with the `compose` island, which checks the
 * limits, creates the draft through the API, uploads the files over tus and sends; without
 * JavaScript the page says so and points to the `amtsbote send` command.
 */
export function transferComposePage(
  ctx: PageContext,
  o: { policy: TransferLimits; uploadEndpoint: string },
): Page {
  const m = messages(ctx.locale);
  const t = m.compose;
  const tt = m.transfers;
  const f = formFields(ctx, COMPOSE_FORM_ID, []);
  const size = (n: number): string => formatBytes(n, ctx.locale);
  const level1 = levelText(tt, 1);
  const level2 = levelText(tt, 2);
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${t.intro}</p>
      ${needsJavaScript({
        title: t.jsTitle,
        body: html`<p class="kern-body">${t.jsText}</p>
          <code class="ab-code">${t.jsExample}</code>`,
      })}
      ${postForm({
        id: COMPOSE_FORM_ID,
        action: paths.compose,
        ctx,
        data: {
          'upload-endpoint': o.uploadEndpoint,
          'max-file-size': o.policy.maxFileSize,
          'max-files': o.policy.maxFiles,
          'max-total-size': o.policy.maxTotalSize,
          progress: `${COMPOSE_FORM_ID}-progress`,
        },
        body: html`<div data-island-errors></div>
          ${f.textarea({ name: 'recipients', label: t.recipients, hint: t.recipientsHint, rows: 3, maxlength: 13000, autocomplete: 'off', spellcheck: false })}
          ${f.input({ name: 'organisation', label: m.orgKeys.picker.label, hint: m.orgKeys.picker.hint, autocomplete: 'off', maxlength: 250, required: false })}
          <datalist id="${COMPOSE_FORM_ID}-organisation-list" data-org-picker></datalist>
          <p class="ab-sr-only" role="status" aria-live="polite" data-org-picker-status></p>
          ${f.input({ name: 'subject', label: t.subject, hint: t.subjectHint, autocomplete: 'off', maxlength: 200 })}
          ${f.textarea({ name: 'message', label: t.message, required: false, rows: 8, maxlength: 20000 })}
          ${f.file({ name: 'files', label: t.files, hint: t.filesHint(o.policy.maxFiles, size(o.policy.maxFileSize), size(o.policy.maxTotalSize)), multiple: true, required: false })}
          <p class="kern-body kern-body--small" data-upload-selection></p>
          ${f.radios({
            name: 'level',
            label: t.level,
            hint: t.levelHint,
            value: '1',
            options: [
              { value: '1', label: level1.label, hint: level1.text },
              { value: '2', label: level2.label, hint: level2.text },
              { value: '3', label: levelText(tt, 3).label, hint: levelText(tt, 3).text },
              { value: '4', label: levelText(tt, 4).label, hint: levelText(tt, 4).text },
            ],
          })}
          ${f.select({
            name: 'expiresInDays',
            label: t.expires,
            hint: t.expiresHint(m.meta.days(o.policy.maxExpiryDays)),
            value: String(Math.min(o.policy.defaultExpiryDays, o.policy.maxExpiryDays)),
            options: expiryChoices(o.policy).map((d) => ({ value: String(d), label: m.meta.days(d) })),
          })}
          <fieldset class="kern-fieldset">
            <legend class="kern-label">${t.options}</legend>
            <div class="kern-fieldset__body">
              ${f.checkbox({ name: 'notifyOnDownload', label: t.notify, checked: true })}
              ${f.checkbox({ name: 'allowReply', label: t.allowReply, checked: false })}
            </div>
          </fieldset>
          ${submitButton({ label: t.submit, disabled: true })}`,
      })}
      ${uploadProgress(ctx, `${COMPOSE_FORM_ID}-progress`)} ${islandScript('compose')}`,
  };
}
