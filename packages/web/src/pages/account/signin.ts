import { formFields, hiddenInput, postForm, submitButton } from '../../components/forms.ts';
import { alertBox, link, pageHeading, sectionHeading } from '../../components/ui.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { accountPaths } from '@amtsbote/contracts';
import { paths } from '@amtsbote/contracts';
import type { FieldError, Page, PageContext } from '../../types.ts';
import { newPasswordFields, oidcForm, passkeySection } from './shared.ts';

// Registering, signing in (password, second step, passkey, identity service), password reset.

export interface RegisterPageInput {
  email?: string;
  displayName?: string;
  errors: FieldError[];
  /** Set once a code was mailed: the code form is shown. */
  codeId?: string | undefined;
  next?: string | undefined;
}

export function accountRegisterPage(ctx: PageContext, o: RegisterPageInput): Page {
  const t = messages(ctx.locale).accounts;
  const f = formFields(ctx, 'register', o.codeId === undefined ? o.errors : []);
  const v = formFields(ctx, 'register-verify', o.codeId === undefined ? [] : o.errors);
  return {
    title: t.register.title,
    body: html`${pageHeading(t.register.title)}
      <p class="kern-body">${t.register.intro}</p>
      ${
        o.codeId === undefined
          ? postForm({
              id: 'register',
              action: accountPaths.register,
              ctx,
              body: html`${f.errorSummary(['email', 'displayName'])}
                ${o.next !== undefined && hiddenInput('next', o.next)}
                ${f.input({ name: 'email', type: 'email', label: t.common.email, hint: t.common.emailHint, autocomplete: 'email', value: o.email ?? '', maxlength: 254 })}
                ${f.input({ name: 'displayName', label: t.register.displayName, hint: t.register.displayNameHint, autocomplete: 'name', value: o.displayName ?? '', maxlength: 200, required: false })}
                <p class="kern-body kern-body--small">${t.register.privacy}</p>
                ${submitButton({ label: t.register.submit })}`,
            })
          : html`${alertBox({ kind: 'info', title: t.register.sentTitle, body: html`<p class="kern-body">${t.register.sentText(o.email ?? '')}</p>`, role: 'status', headingLevel: 2 })}
              ${postForm({
                id: 'register-verify',
                action: accountPaths.registerVerify,
                ctx,
                body: html`${v.errorSummary(['code'])} ${hiddenInput('codeId', o.codeId)}
                ${hiddenInput('email', o.email ?? '')} ${hiddenInput('displayName', o.displayName ?? '')}
                ${o.next !== undefined && hiddenInput('next', o.next)}
                ${v.input({ name: 'code', label: t.common.code, hint: t.common.codeHint, autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 })}
                ${submitButton({ label: t.register.verifySubmit })}`,
              })}
              <p class="kern-body">${link(accountPaths.register, t.register.resend)}</p>`
      }
      <p class="kern-body">
        ${t.register.haveAccount}
        ${link(o.next === undefined ? accountPaths.login : `${accountPaths.login}?next=${encodeURIComponent(o.next)}`, t.register.loginLink)}
      </p>`,
  };
}

export interface LoginPageInput {
  email?: string;
  errors: FieldError[];
  next?: string | undefined;
  /** The identity service's name, when one is configured. */
  oidcLabel?: string | undefined;
}

export function accountLoginPage(ctx: PageContext, o: LoginPageInput): Page {
  const t = messages(ctx.locale).accounts;
  const f = formFields(ctx, 'account-login', o.errors);
  const withNext = (p: string) => (o.next === undefined ? p : `${p}?next=${encodeURIComponent(o.next)}`);
  return {
    title: t.login.title,
    body: html`${pageHeading(t.login.title)}
      <p class="kern-body">${t.login.intro}</p>
      <section class="ab-section" aria-labelledby="account-login-heading">
        ${sectionHeading(t.login.passwordHeading, 'account-login-heading')}
        ${postForm({
          id: 'account-login',
          action: accountPaths.login,
          ctx,
          labelledBy: 'account-login-heading',
          body: html`${f.errorSummary(['email', 'password'], 3)}
          ${o.next !== undefined && hiddenInput('next', o.next)}
          ${f.input({ name: 'email', type: 'email', label: t.common.email, hint: t.common.emailHint, autocomplete: 'username', value: o.email ?? '', maxlength: 254 })}
          ${f.input({ name: 'password', type: 'password', label: t.common.password, autocomplete: 'current-password', maxlength: 256 })}
          ${submitButton({ label: t.login.submit })}`,
        })}
        <p class="kern-body">${link(accountPaths.forgot, t.login.forgot)}</p>
      </section>
      ${passkeySection(ctx, { heading: t.login.passkeyHeading, text: t.login.passkeyText, button: t.login.passkeySubmit, mode: 'login', next: o.next })}
      ${
        o.oidcLabel !== undefined &&
        html`<section class="ab-section" aria-labelledby="oidc-heading">
          ${sectionHeading(t.login.oidcHeading(o.oidcLabel), 'oidc-heading')}
          <p class="kern-body">${t.login.oidcText(o.oidcLabel)}</p>
          ${oidcForm(ctx, { purpose: 'citizen', label: t.login.oidcSubmit(o.oidcLabel), next: o.next })}
        </section>`
      }
      <p class="kern-body">
        ${t.login.noAccount} ${link(withNext(accountPaths.register), t.login.registerLink)}
      </p>
      <p class="kern-body">${link(paths.login, t.login.staffLink)}</p>`,
  };
}

export function accountTotpPage(ctx: PageContext, o: { challenge: string; errors: FieldError[] }): Page {
  const t = messages(ctx.locale).accounts.totpStep;
  const f = formFields(ctx, 'account-totp', o.errors);
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.intro}</p>
      ${postForm({
        id: 'account-totp',
        action: accountPaths.loginTotp,
        ctx,
        body: html`${f.errorSummary(['code'])} ${hiddenInput('challenge', o.challenge)}
        ${f.input({ name: 'code', label: t.code, hint: t.codeHint, autocomplete: 'one-time-code', maxlength: 40 })}
        ${submitButton({ label: t.submit })}`,
      })}`,
  };
}

export function accountForgotPage(
  ctx: PageContext,
  o: { email?: string; errors: FieldError[]; sent: boolean },
): Page {
  const t = messages(ctx.locale).accounts;
  const f = formFields(ctx, 'forgot', o.errors);
  return {
    title: t.forgot.title,
    body: html`${pageHeading(t.forgot.title)}
    ${
      o.sent
        ? alertBox({
            kind: 'info',
            title: t.forgot.sentTitle,
            body: html`<p class="kern-body">${t.forgot.sentText}</p>`,
            role: 'status',
            headingLevel: 2,
          })
        : html`<p class="kern-body">${t.forgot.intro}</p>
            ${postForm({
              id: 'forgot',
              action: accountPaths.forgot,
              ctx,
              body: html`${f.errorSummary(['email'])}
              ${f.input({ name: 'email', type: 'email', label: t.common.email, hint: t.common.emailHint, autocomplete: 'email', value: o.email ?? '', maxlength: 254 })}
              ${submitButton({ label: t.forgot.submit })}`,
            })}`
    }`,
  };
}

export function accountResetPage(
  ctx: PageContext,
  o: { token: string; email: string; errors: FieldError[] },
): Page {
  const t = messages(ctx.locale).accounts.reset;
  const f = formFields(ctx, 'reset', o.errors);
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.intro(o.email)}</p>
      ${postForm({
        id: 'reset',
        action: accountPaths.resetSubmit,
        ctx,
        body: html`${f.errorSummary(['password', 'passwordConfirm'])} ${hiddenInput('token', o.token)}
          <input type="hidden" name="username" value="${o.email}" autocomplete="username" />
          ${newPasswordFields(ctx, f)}
          <p class="kern-body kern-body--small">${t.note}</p>
          ${submitButton({ label: t.submit })}`,
      })}`,
  };
}
