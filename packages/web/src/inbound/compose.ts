import { inboundPaths, typeList } from '@amtsbote/contracts';
import { formFields, hiddenInput, postForm, submitButton } from '../components/forms.ts';
import { islandScript } from '../components/islands.ts';
import { alertBox, descriptionList, pageHeading } from '../components/ui.ts';
import { needsJavaScript, uploadProgress } from '../components/upload.ts';
import { formatBytes } from '../format.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { levelText } from '../pages/transfer-common.ts';
import type { FieldError, Page, PageContext } from '../types.ts';
import { requestFacts, ti } from './common.ts';
import type { UploadRequestView } from './common.ts';

// ---- Step 3: message and files -------------------------------------------------------------------

export type ComposeTargetView =
  | { kind: 'department'; name: string; hint: string | null }
  | { kind: 'direct'; address: string }
  | { kind: 'upload'; link: UploadRequestView };

export interface InboundComposeInput {
  sessionId: string;
  target: ComposeTargetView;
  senderEmail: string;
  allowedTypes: readonly string[];
  accept: string;
  limits: { maxFileSize: number; maxFiles: number; maxTotalSize: number };
  expiry: { choices: readonly number[]; value: number; max: number };
  passwordAllowed: boolean;
  /** Level 3/4 upload link: the department's public key (`amtb-pub1-…`). */
  publicKey: string | null;
  e2eMessage: boolean;
  uploadEndpoint: string;
  values: Record<string, string>;
  errors: readonly FieldError[];
}

export const INBOUND_FORM_ID = 'inbound';

export function inboundComposePage(ctx: PageContext, o: InboundComposeInput): Page {
  const m = messages(ctx.locale);
  const t = ti(ctx).compose;
  const f = formFields(ctx, INBOUND_FORM_ID, o.errors);
  const types = typeList(o.allowedTypes);
  const target = o.target;
  const to =
    target.kind === 'department'
      ? target.name
      : target.kind === 'direct'
        ? t.toDirect(target.address)
        : `${target.link.requester}, ${target.link.departmentName}`;
  const e2eDepartment = o.publicKey !== null;
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body"><strong>${t.step}</strong></p>
      ${descriptionList([
        [t.to, to],
        [t.from, o.senderEmail],
      ])}
      ${target.kind === 'department' && target.hint !== null && target.hint !== '' && alertBox({ kind: 'info', title: t.hintHeading, body: html`<p class="kern-body">${target.hint}</p>`, headingLevel: 2 })}
      ${target.kind === 'upload' && requestFacts(ctx, target.link)}
      ${
        e2eDepartment &&
        alertBox({
          kind: 'info',
          title: levelText(m.transfers, 3).label,
          body: html`<p class="kern-body">${t.e2eDepartment}</p>
            ${o.e2eMessage && html`<p class="kern-body">${t.e2eDepartmentText}</p>`}`,
          headingLevel: 2,
        })
      }
      ${needsJavaScript({ title: t.jsTitle, body: html`<p class="kern-body">${e2eDepartment ? t.jsNeededE2e : t.jsText}</p>` })}
      ${postForm({
        id: INBOUND_FORM_ID,
        action: inboundPaths.session(o.sessionId),
        ctx,
        data: {
          'upload-endpoint': o.uploadEndpoint,
          'max-file-size': o.limits.maxFileSize,
          'max-files': o.limits.maxFiles,
          'max-total-size': o.limits.maxTotalSize,
          progress: `${INBOUND_FORM_ID}-progress`,
          session: o.sessionId,
          types: o.allowedTypes.join(','),
          'public-key': o.publicKey ?? '',
          'e2e-message': o.e2eMessage ? '1' : '0',
        },
        body: html`<div data-island-errors></div>
          ${f.errorSummary(['subject', 'reference', 'message', 'password'])}
          ${f.input({ name: 'subject', label: t.subject, hint: t.subjectHint, autocomplete: 'off', maxlength: 200, value: o.values.subject ?? (target.kind === 'upload' ? target.link.title : '') })}
          ${f.input({ name: 'reference', label: t.reference, hint: t.referenceHint, autocomplete: 'off', maxlength: 100, required: false, value: o.values.reference ?? (target.kind === 'upload' ? target.link.reference : '') })}
          ${f.textarea({ name: 'message', label: t.message, required: false, rows: 8, maxlength: 20000, value: o.values.message ?? '' })}
          ${f.file({ name: 'files', label: t.files, hint: t.filesHint(types, formatBytes(o.limits.maxFileSize, ctx.locale), o.limits.maxFiles), multiple: true, required: false })}
          <p class="kern-body kern-body--small" data-upload-selection></p>
          <fieldset class="kern-fieldset">
            <legend class="kern-label">${t.optionsHeading}</legend>
            <div class="kern-fieldset__body">
              ${
                target.kind === 'upload'
                  ? hiddenInput('expiresInDays', String(o.expiry.value))
                  : f.select({
                      name: 'expiresInDays',
                      label: t.expires,
                      hint: t.expiresHint(m.meta.days(o.expiry.max)),
                      value: String(o.expiry.value),
                      options: o.expiry.choices.map((d) => ({ value: String(d), label: m.meta.days(d) })),
                    })
              }
              ${f.checkbox({ name: 'notify', label: t.notify, checked: o.values.notify === undefined || o.values.notify !== '' })}
            </div>
          </fieldset>
          ${
            o.passwordAllowed &&
            html`<fieldset class="kern-fieldset" data-password-options>
              <legend class="kern-label">${t.passwordHeading}</legend>
              <div class="kern-fieldset__body">
                <p class="kern-body">${t.passwordIntro}</p>
                ${alertBox({ kind: 'warning', title: t.passwordWarning, body: html`<p class="kern-body">${t.passwordWarningText}</p>`, headingLevel: 3 })}
                ${f.input({ name: 'password', type: 'password', label: t.password, hint: t.passwordHint, autocomplete: 'new-password', required: false, maxlength: 1024 })}
                ${f.input({ name: 'passwordConfirm', type: 'password', label: t.passwordConfirm, autocomplete: 'new-password', required: false, maxlength: 1024 })}
                ${f.checkbox({ name: 'passwordKept', label: t.passwordKept, checked: false })}
              </div>
            </fieldset>`
          }
          ${submitButton({ label: t.submit, disabled: e2eDepartment })}`,
      })}
      ${uploadProgress(ctx, `${INBOUND_FORM_ID}-progress`)} ${islandScript('inbound-compose')}`,
  };
}
