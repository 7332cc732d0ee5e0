import { oidcEmailPaths } from '@amtsbote/contracts';
import { formFields, hiddenInput, postForm, submitButton } from '../components/forms.ts';
import { alertBox, pageHeading, sectionHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { FieldError, Page, PageContext } from '../types.ts';

// The step after a first sign-in through an identity service that sent no confirmed address:
// the person names an address, gets a code, and confirms it. One URL for the page and both
// forms, so the language switch always leads back here.

export interface OidcEmailPageInput {
  /** The name the identity service gave, if any (shown so the person sees who signed in). */
  name?: string | undefined;
  /** The address a code went to: the code form is shown. */
  sentTo?: string | undefined;
  /** What the address field shows after a mistake. */
  email?: string | undefined;
  errors: FieldError[];
}

export function oidcEmailPage(ctx: PageContext, o: OidcEmailPageInput): Page {
  const t = messages(ctx.locale).oidcEmail;
  const f = formFields(ctx, 'oidc-email', o.sentTo === undefined ? o.errors : []);
  const v = formFields(ctx, 'oidc-email-code', o.sentTo === undefined ? [] : o.errors);
  const emailForm = (id: string, fields: typeof f, value: string) =>
    postForm({
      id,
      action: oidcEmailPaths.page,
      ctx,
      body: html`${fields.errorSummary(['email'])} ${hiddenInput('step', 'send')}
      ${fields.input({ name: 'email', type: 'email', label: t.email, hint: t.emailHint, autocomplete: 'email', value, maxlength: 254 })}
      ${submitButton({ label: t.send, variant: o.sentTo === undefined ? 'primary' : 'secondary' })}`,
    });
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.intro(o.name)}</p>
      <p class="kern-body">${t.why}</p>
      <p class="kern-body">${t.existing}</p>
      ${
        o.sentTo === undefined
          ? emailForm('oidc-email', f, o.email ?? '')
          : html`${alertBox({ kind: 'info', title: t.sentTitle, body: html`<p class="kern-body">${t.sentText(o.sentTo)}</p>`, role: 'status', headingLevel: 2 })}
              ${postForm({
                id: 'oidc-email-code',
                action: oidcEmailPaths.page,
                ctx,
                body: html`${v.errorSummary(['code'])} ${hiddenInput('step', 'verify')}
                ${v.input({ name: 'code', label: t.code, hint: t.codeHint, autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 })}
                ${submitButton({ label: t.confirm })}`,
              })}
              <section class="ab-section" aria-labelledby="oidc-email-resend-heading">
                ${sectionHeading(t.resendHeading, 'oidc-email-resend-heading')}
                <p class="kern-body">${t.otherAddress}</p>
                ${emailForm('oidc-email-resend', formFields(ctx, 'oidc-email-resend', []), o.sentTo)}
              </section>`
      }
      <p class="kern-body kern-body--small">${t.timeLimit}</p>`,
  };
}
