import { encode } from 'uqr';
import type { formFields } from '../../components/forms.ts';
import { hiddenInput, postForm, submitButton } from '../../components/forms.ts';
import { islandScript } from '../../components/islands.ts';
import { sectionHeading } from '../../components/ui.ts';
import { needsJavaScript } from '../../components/upload.ts';
import type { Html } from '../../html.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { accountPaths } from '@amtsbote/contracts';
import type { FieldError, PageContext } from '../../types.ts';

// What several account pages share: field errors per form, QR codes, the passkey and
// identity-service forms.

export const errorsFor = (
  errors: readonly FieldError[],
  form: string,
  errorForm: string | undefined,
): FieldError[] => (errorForm === form ? [...errors] : []);

/** A QR code as SVG, drawn from the matrix (no inline style: the CSP forbids it). */
export function qrCode(data: string, label: string): Html {
  const qr = encode(data, { border: 2 });
  let d = '';
  qr.data.forEach((row, y) => {
    row.forEach((on, x) => {
      if (on) d += `M${x},${y}h1v1h-1z`;
    });
  });
  return html`<svg
    class="ab-qr"
    xmlns="http://www.w3.org/2000/svg"
    viewBox="0 0 ${qr.size} ${qr.size}"
    width="220"
    height="220"
    role="img"
    aria-label="${label}"
  >
    <rect width="${qr.size}" height="${qr.size}" fill="#fff"></rect>
    <path d="${d}" fill="#000"></path>
  </svg>`;
}

export function passkeySection(
  ctx: PageContext,
  o: { heading: string; text: string; button: string; mode: 'login' | 'reauth'; next?: string | undefined },
): Html {
  const t = messages(ctx.locale).accounts;
  return html`<section class="ab-section" aria-labelledby="passkey-heading">
    ${sectionHeading(o.heading, 'passkey-heading')}
    <p class="kern-body">${o.text}</p>
    ${needsJavaScript({ title: t.common.jsTitle, body: html`<p class="kern-body">${t.common.jsPasskey}</p>` })}
    <div data-passkey-errors></div>
    <form
      id="passkey-${o.mode}"
      class="ab-form"
      data-passkey="${o.mode}"
      data-next="${o.next ?? ''}"
      novalidate
    >
      <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
      ${submitButton({ label: o.button, variant: 'secondary', disabled: true })}
    </form>
    ${islandScript('passkey')}
  </section>`;
}

export function oidcForm(
  ctx: PageContext,
  o: {
    purpose: 'citizen' | 'link' | 'reauth';
    label: string;
    next?: string | undefined;
    variant?: 'primary' | 'secondary';
  },
): Html {
  return postForm({
    id: `oidc-${o.purpose}`,
    action: accountPaths.oidcStart,
    ctx,
    body: html`${hiddenInput('purpose', o.purpose)} ${o.next !== undefined && hiddenInput('next', o.next)}
    ${submitButton({ label: o.label, variant: o.variant ?? 'secondary' })}`,
  });
}

export function newPasswordFields(ctx: PageContext, f: ReturnType<typeof formFields>): Html {
  const t = messages(ctx.locale).accounts.common;
  return html`${f.input({ name: 'password', type: 'password', label: t.passwordNew, hint: t.passwordRules, autocomplete: 'new-password', maxlength: 256, minlength: 12 })}
  ${f.input({ name: 'passwordConfirm', type: 'password', label: t.passwordConfirm, autocomplete: 'new-password', maxlength: 256 })}`;
}
