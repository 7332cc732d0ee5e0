import { formFields, hiddenInput, postForm, submitButton } from '../components/forms.ts';
import { alertBox, pageHeading, sectionHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { paths } from '@amtsbote/contracts';
import type { FieldError, Page, PageContext } from '../types.ts';
import { staffSsoButton } from './accounts.ts';

/**
 * Staff sign-in: a password form and a "send me a link" form. Both have an e-mail field; the
 * errors belong to the form that was posted, which the request path tells (/login/link for the
 * link form). After a link request the page says the same whether or not the address exists.
 */
export function loginPage(
  ctx: PageContext,
  o: {
    email?: string;
    errors: FieldError[];
    next?: string | undefined;
    linkRequested?: boolean;
    /** The tenant's single sign-on: its button first, and the local forms only while allowed. */
    sso?: { label: string; localLogin: boolean } | undefined;
  },
): Page {
  const t = messages(ctx.locale).login;
  const linkPosted = ctx.path === paths.loginLink;
  const pw = formFields(ctx, 'login', linkPosted ? [] : o.errors);
  const ln = formFields(ctx, 'login-link', linkPosted ? o.errors : []);
  const email = o.email ?? '';
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${t.intro}</p>
      ${
        o.linkRequested === true &&
        alertBox({
          kind: 'info',
          title: t.linkRequestedTitle,
          body: html`<p class="kern-body">${t.linkRequestedText}</p>`,
          headingLevel: 2,
        })
      }
      ${o.sso !== undefined && staffSsoButton(ctx, { label: o.sso.label, next: o.next })}
      ${
        o.sso?.localLogin !== false &&
        html`<section class="ab-section" aria-labelledby="login-heading">
            ${sectionHeading(t.passwordHeading, 'login-heading')}
            ${postForm({
              id: 'login',
              action: paths.login,
              ctx,
              labelledBy: 'login-heading',
              body: html`${pw.errorSummary(['email', 'password'], 3)}
              ${o.next !== undefined && hiddenInput('next', o.next)}
              ${pw.input({ name: 'email', type: 'email', label: t.email, hint: t.emailHint, autocomplete: 'username', value: linkPosted ? '' : email, maxlength: 254 })}
              ${pw.input({ name: 'password', type: 'password', label: t.password, autocomplete: 'current-password', maxlength: 256 })}
              ${submitButton({ label: t.submit })}`,
            })}
          </section>
          <section class="ab-section" aria-labelledby="login-link-heading">
            ${sectionHeading(t.linkHeading, 'login-link-heading')}
            <p class="kern-body">${t.linkText}</p>
            ${postForm({
              id: 'login-link',
              action: paths.loginLink,
              ctx,
              labelledBy: 'login-link-heading',
              body: html`${ln.errorSummary(['email'], 3)}
              ${ln.input({ name: 'email', type: 'email', label: t.email, hint: t.emailHint, autocomplete: 'email', value: linkPosted ? email : '', maxlength: 254 })}
              ${submitButton({ label: t.linkSubmit, variant: 'secondary' })}`,
            })}
          </section>`
      }`,
  };
}

/**
 * Shown when a login link is opened. Only the button's POST uses the link up: mail scanners
 * that follow links with GET must not sign anyone in or burn the link.
 */
export function loginLinkConfirmPage(ctx: PageContext, o: { token: string }): Page {
  const t = messages(ctx.locale).linkConfirm;
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.text}</p>
      ${postForm({
        id: 'login-link-confirm',
        action: paths.loginLinkConfirm,
        ctx,
        body: html`${hiddenInput('token', o.token)} ${submitButton({ label: t.submit })}`,
      })}
      <p class="kern-body kern-body--small">${t.why}</p>`,
  };
}
