import { formFields, hiddenInput, postForm, submitButton } from '../../components/forms.ts';
import { pageHeading, paragraphs, sectionHeading } from '../../components/ui.ts';
import type { Html } from '../../html.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { accountPaths } from '@amtsbote/contracts';
import type { FieldError, Page, PageContext } from '../../types.ts';

// The staff single sign-on settings and the sign-in button for it.

export interface SsoSettingsInput {
  settings:
    | {
        issuer: string;
        clientId: string;
        hasSecret: boolean;
        label: string;
        matchBy: 'email' | 'subject';
        localLogin: boolean;
      }
    | undefined;
  redirectUri: string;
  errors: FieldError[];
}

/** The tenant admin's single sign-on settings. */
export function staffSsoPage(ctx: PageContext, o: SsoSettingsInput): Page {
  const t = messages(ctx.locale).accounts.sso;
  const f = formFields(ctx, 'sso', o.errors);
  const s = o.settings;
  return {
    title: t.title,
    body: html`${pageHeading(t.title)} ${paragraphs([t.intro, t.redirect(o.redirectUri)])}
    ${postForm({
      id: 'sso',
      action: '/admin/sso',
      ctx,
      body: html`${f.errorSummary(['issuer', 'clientId', 'clientSecret', 'label'])}
      ${f.input({ name: 'issuer', label: t.issuer, hint: t.issuerHint, autocomplete: 'off', value: s?.issuer ?? '', maxlength: 500 })}
      ${f.input({ name: 'clientId', label: t.clientId, autocomplete: 'off', value: s?.clientId ?? '', maxlength: 200 })}
      ${f.input({ name: 'clientSecret', type: 'password', label: t.clientSecret, hint: s?.hasSecret === true ? t.clientSecretHint : undefined, autocomplete: 'off', maxlength: 500, required: false })}
      ${f.input({ name: 'label', label: t.label, autocomplete: 'off', value: s?.label ?? '', maxlength: 100 })}
      ${f.radios({
        name: 'matchBy',
        label: t.matchBy,
        value: s?.matchBy ?? 'email',
        options: [
          { value: 'email', label: t.matchEmail },
          { value: 'subject', label: t.matchSubject },
        ],
      })}
      ${f.checkbox({ name: 'localLogin', label: t.localLogin, hint: t.localLoginHint, checked: s?.localLogin ?? true })}
      ${submitButton({ label: t.submit })}`,
    })}
    ${s !== undefined && postForm({ id: 'sso-remove', action: '/admin/sso/remove', ctx, body: submitButton({ label: t.remove, variant: 'secondary' }) })}`,
  };
}

/** The staff sign-in page's single sign-on button (when the tenant has a provider). */
export function staffSsoButton(ctx: PageContext, o: { label: string; next?: string | undefined }): Html {
  const t = messages(ctx.locale).accounts.sso;
  return html`<section class="ab-section" aria-labelledby="sso-heading">
    ${sectionHeading(t.loginHeading, 'sso-heading')}
    ${postForm({
      id: 'sso-login',
      action: accountPaths.ssoStart,
      ctx,
      labelledBy: 'sso-heading',
      body: html`${o.next !== undefined && hiddenInput('next', o.next)}
      ${submitButton({ label: t.loginSubmit(o.label) })}`,
    })}
  </section>`;
}
