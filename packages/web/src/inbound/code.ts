import { inboundPaths } from '@amtsbote/contracts';
import { formFields, postForm, submitButton } from '../components/forms.ts';
import { alertBox, pageHeading, sectionHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import type { Page, PageContext } from '../types.ts';
import { ti } from './common.ts';

// ---- Step 2: the code ------------------------------------------------------------------------------

export function inboundCodePage(
  ctx: PageContext,
  o: { sessionId: string; maskedEmail: string; error: string | undefined; resent: boolean },
): Page {
  const t = ti(ctx).code;
  const errors = o.error === undefined ? [] : [{ field: 'code', message: o.error }];
  const f = formFields(ctx, 'code', errors);
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body"><strong>${t.step}</strong></p>
      ${o.resent && alertBox({ kind: 'success', title: t.resent, role: 'status' })}
      <p class="kern-body">${t.sent(o.maskedEmail)}</p>
      ${postForm({
        id: 'code',
        action: inboundPaths.verify(o.sessionId),
        ctx,
        body: html`${f.errorSummary(['code'])}
        ${f.input({ name: 'code', label: t.code, hint: t.codeHint, autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 })}
        ${submitButton({ label: t.submit })}`,
      })}
      <section class="ab-section" aria-labelledby="code-resend">
        ${sectionHeading(t.resendHeading, 'code-resend')}
        <p class="kern-body">${t.resendText}</p>
        ${postForm({ id: 'code-resend-form', action: inboundPaths.resend(o.sessionId), ctx, labelledBy: 'code-resend', body: submitButton({ label: t.resendSubmit, variant: 'secondary' }) })}
      </section>`,
  };
}
