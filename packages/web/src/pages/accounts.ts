import { encode } from 'uqr';
import { formFields, hiddenInput, postForm, submitButton } from '../components/forms.ts';
import { islandScript } from '../components/islands.ts';
import {
  alertBox,
  bulletList,
  descriptionList,
  link,
  pageHeading,
  paragraphs,
  sectionHeading,
  table,
} from '../components/ui.ts';
import { needsJavaScript } from '../components/upload.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { accountPaths, organisationPaths } from '../account-routes.ts';
import { paths } from '../routes.ts';
import type { FieldError, Page, PageContext } from '../types.ts';

// The service account's own pages: register, sign in (password, second step, passkey, identity
// service), password reset, settings, authenticator app, recovery codes, sessions, confirming
// it is you, and deleting the account. Plus the staff single sign-on settings.

const errorsFor = (
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

function passkeySection(
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

function oidcForm(
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

function newPasswordFields(ctx: PageContext, f: ReturnType<typeof formFields>): Html {
  const t = messages(ctx.locale).accounts.common;
  return html`${f.input({ name: 'password', type: 'password', label: t.passwordNew, hint: t.passwordRules, autocomplete: 'new-password', maxlength: 256, minlength: 12 })}
  ${f.input({ name: 'passwordConfirm', type: 'password', label: t.passwordConfirm, autocomplete: 'new-password', maxlength: 256 })}`;
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

/** What the settings page shows about the account. */
export interface AccountHomeInput {
  email: string;
  displayName: string | null;
  createdAt: Date;
  hasPassword: boolean;
  totpEnabled: boolean;
  recoveryCodesLeft: number;
  passkeys: readonly { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
  identities: readonly { id: string; issuer: string; acr: string | null; linkedAt: Date }[];
  oidcLabel: string | undefined;
  invitationsWaiting: number;
  errors: FieldError[];
  /** Which form the errors belong to (its id). */
  errorForm?: string | undefined;
  /** An e-mail change waiting for its code. */
  emailChange?: { email: string; codeId: string } | undefined;
}

export function accountHomePage(ctx: PageContext, o: AccountHomeInput): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.home;
  const dt = m.common.dateTime;
  const name = formFields(ctx, 'profile', errorsFor(o.errors, 'profile', o.errorForm));
  const mail = formFields(ctx, 'email', errorsFor(o.errors, 'email', o.errorForm));
  const mailCode = formFields(ctx, 'email-verify', errorsFor(o.errors, 'email-verify', o.errorForm));
  const pw = formFields(ctx, 'password', errorsFor(o.errors, 'password', o.errorForm));
  const pk = formFields(ctx, 'passkey-add', errorsFor(o.errors, 'passkey-add', o.errorForm));
  const totpOff = formFields(ctx, 'totp-disable', errorsFor(o.errors, 'totp-disable', o.errorForm));
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.intro}</p>
      ${o.invitationsWaiting > 0 && alertBox({ kind: 'info', title: t.invitationsWaiting(o.invitationsWaiting), body: html`<p class="kern-body">${link(organisationPaths.list, t.orgLink)}</p>`, headingLevel: 2 })}
      <section class="ab-section" aria-labelledby="profile-heading">
        ${sectionHeading(t.profileHeading, 'profile-heading')}
        ${descriptionList([
          [t.emailLabel, o.email],
          [t.nameLabel, o.displayName ?? t.noName],
          [t.createdLabel, dt(o.createdAt)],
        ])}
        ${postForm({
          id: 'profile',
          action: accountPaths.profile,
          ctx,
          body: html`${name.errorSummary(['displayName'], 3)}
          ${name.input({ name: 'displayName', label: m.register.displayName, hint: m.register.displayNameHint, autocomplete: 'name', value: o.displayName ?? '', maxlength: 200, required: false })}
          ${submitButton({ label: t.nameSubmit, variant: 'secondary' })}`,
        })}
      </section>
      <section class="ab-section" aria-labelledby="email-heading">
        ${sectionHeading(t.emailHeading, 'email-heading')}
        <p class="kern-body">${t.emailText}</p>
        ${
          o.emailChange === undefined
            ? postForm({
                id: 'email',
                action: accountPaths.email,
                ctx,
                body: html`${mail.errorSummary(['email'], 3)}
                ${mail.input({ name: 'email', type: 'email', label: t.emailNew, autocomplete: 'email', maxlength: 254 })}
                ${submitButton({ label: t.emailSubmit, variant: 'secondary' })}`,
              })
            : html`<p class="kern-body" role="status">${t.emailSent(o.emailChange.email)}</p>
                ${postForm({
                  id: 'email-verify',
                  action: accountPaths.emailVerify,
                  ctx,
                  body: html`${mailCode.errorSummary(['code'], 3)}
                  ${hiddenInput('codeId', o.emailChange.codeId)} ${hiddenInput('email', o.emailChange.email)}
                  ${mailCode.input({ name: 'code', label: m.common.code, hint: m.common.codeHint, autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 })}
                  ${submitButton({ label: t.emailVerifySubmit, variant: 'secondary' })}`,
                })}`
        }
      </section>
      <section class="ab-section" aria-labelledby="password-heading">
        ${sectionHeading(t.passwordHeading, 'password-heading')}
        ${!o.hasPassword && html`<p class="kern-body">${t.passwordNone}</p>`}
        ${postForm({
          id: 'password',
          action: accountPaths.password,
          ctx,
          body: html`${pw.errorSummary(['current', 'password', 'passwordConfirm'], 3)}
            <input type="hidden" name="username" value="${o.email}" autocomplete="username" />
            ${o.hasPassword && pw.input({ name: 'current', type: 'password', label: t.passwordCurrent, autocomplete: 'current-password', maxlength: 256 })}
            ${newPasswordFields(ctx, pw)} ${submitButton({ label: t.passwordSubmit, variant: 'secondary' })}`,
        })}
      </section>
      <section class="ab-section" aria-labelledby="passkeys-heading">
        ${sectionHeading(t.passkeysHeading, 'passkeys-heading')}
        <p class="kern-body">${t.passkeysText}</p>
        ${
          o.passkeys.length === 0
            ? html`<p class="kern-body">${t.passkeysNone}</p>`
            : table({
                id: 'passkeys',
                caption: t.passkeysCaption,
                captionHidden: true,
                head: [t.passkeyName, t.passkeyCreated, t.passkeyUsed, t.passkeyAction],
                rows: o.passkeys.map(
                  (p) =>
                    html`<tr class="kern-table__row">
                      <th scope="row" class="kern-table__header">${p.name}</th>
                      <td class="kern-table__cell">${dt(p.createdAt)}</td>
                      <td class="kern-table__cell">
                        ${p.lastUsedAt === null ? m.common.never : dt(p.lastUsedAt)}
                      </td>
                      <td class="kern-table__cell">
                        ${postForm({ id: `passkey-delete-${p.id}`, action: accountPaths.passkeyDelete(p.id), ctx, className: 'ab-inline-form', body: submitButton({ label: t.passkeyDelete, variant: 'tertiary', hiddenSuffix: p.name }) })}
                      </td>
                    </tr>`,
                ),
              })
        }
        ${needsJavaScript({ title: m.common.jsTitle, body: html`<p class="kern-body">${m.common.jsPasskey}</p>` })}
        <div data-passkey-errors></div>
        <form id="passkey-add" class="ab-form" data-passkey="register" novalidate>
          <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
          ${pk.input({ name: 'name', label: t.passkeyNameField, hint: t.passkeyNameHint, autocomplete: 'off', maxlength: 100, required: false })}
          ${submitButton({ label: t.passkeyAdd, variant: 'secondary', disabled: true })}
        </form>
        ${islandScript('passkey')}
      </section>
      <section class="ab-section" aria-labelledby="totp-heading">
        ${sectionHeading(t.totpHeading, 'totp-heading')}
        ${
          o.totpEnabled
            ? html`<p class="kern-body">${t.totpOn(o.recoveryCodesLeft)}</p>
                ${postForm({
                  id: 'totp-disable',
                  action: accountPaths.totpDisable,
                  ctx,
                  body: html`${totpOff.errorSummary(['code'], 3)}
                  ${totpOff.input({ name: 'code', label: t.totpDisableCode, autocomplete: 'one-time-code', maxlength: 40 })}
                  ${submitButton({ label: t.totpDisable, variant: 'secondary' })}`,
                })}
                ${postForm({ id: 'recovery-renew', action: accountPaths.recoveryCodes, ctx, body: submitButton({ label: t.recoveryRenew, variant: 'tertiary' }) })}`
            : html`<p class="kern-body">${t.totpOff}</p>
                <p class="kern-body">${link(accountPaths.totp, t.totpSetup)}</p>`
        }
      </section>
      ${
        (o.oidcLabel !== undefined || o.identities.length > 0) &&
        html`<section class="ab-section" aria-labelledby="identities-heading">
          ${sectionHeading(t.identitiesHeading, 'identities-heading')}
          ${o.oidcLabel !== undefined && html`<p class="kern-body">${t.identitiesText(o.oidcLabel)}</p>`}
          ${
            o.identities.length === 0
              ? html`<p class="kern-body">${t.identitiesNone}</p>`
              : html`<ul class="kern-list">
                  ${o.identities.map(
                    (i) =>
                      html`<li>
                        <p class="kern-body">${t.identityLinked(i.issuer, dt(i.linkedAt))}</p>
                        ${i.acr !== null && html`<p class="kern-body kern-body--small">${t.identityAcr(i.acr)}</p>`}
                        ${postForm({ id: `identity-delete-${i.id}`, action: accountPaths.identityDelete(i.id), ctx, className: 'ab-inline-form', body: submitButton({ label: t.identityRemove, variant: 'tertiary', hiddenSuffix: i.issuer }) })}
                      </li>`,
                  )}
                </ul>`
          }
          ${o.oidcLabel !== undefined && oidcForm(ctx, { purpose: 'link', label: t.identityConnect(o.oidcLabel) })}
        </section>`
      }
      <section class="ab-section" aria-labelledby="org-heading">
        ${sectionHeading(t.orgHeading, 'org-heading')}
        <p class="kern-body">${t.orgText}</p>
        <p class="kern-body">${link(organisationPaths.list, t.orgLink)}</p>
      </section>
      <section class="ab-section" aria-labelledby="sessions-heading">
        ${sectionHeading(t.sessionsHeading, 'sessions-heading')}
        <p class="kern-body">${link(accountPaths.sessions, t.sessionsLink)}</p>
      </section>
      <section class="ab-section" aria-labelledby="delete-heading">
        ${sectionHeading(t.deleteHeading, 'delete-heading')}
        <p class="kern-body">${t.deleteText}</p>
        <p class="kern-body">${link(accountPaths.delete, t.deleteLink)}</p>
      </section>`,
  };
}

export function totpSetupPage(
  ctx: PageContext,
  o: { uri: string; secret: string; errors: FieldError[] },
): Page {
  const t = messages(ctx.locale).accounts.totpSetup;
  const f = formFields(ctx, 'totp', o.errors);
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <ol class="kern-list kern-list--number">
        ${t.steps.map((s) => html`<li>${s}</li>`)}
      </ol>
      <figure class="ab-qr-figure">${qrCode(o.uri, t.qrLabel)}</figure>
      ${descriptionList([[t.secretLabel, html`<code class="ab-secret">${o.secret}</code>`]])}
      ${postForm({
        id: 'totp',
        action: accountPaths.totpConfirm,
        ctx,
        body: html`${f.errorSummary(['code'])}
        ${f.input({ name: 'code', label: t.code, hint: t.codeHint, autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 })}
        ${submitButton({ label: t.submit })}`,
      })}`,
  };
}

export function recoveryCodesPage(ctx: PageContext, o: { codes: readonly string[] }): Page {
  const t = messages(ctx.locale).accounts.recovery;
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      ${alertBox({ kind: 'warning', title: t.title, body: html`<p class="kern-body">${t.intro}</p>`, headingLevel: 2 })}
      <ul class="kern-list ab-recovery-codes" aria-label="${t.caption}">
        ${o.codes.map((c) => html`<li><code>${c}</code></li>`)}
      </ul>
      <p class="kern-body">${link(accountPaths.home, t.done)}</p>`,
  };
}

export interface SessionRow {
  handle: string;
  userAgent: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  ipPrefix: string | null;
  method: string | null;
  current: boolean;
}

/** "Firefox on Windows" from a User-Agent, or undefined: a rough guess, for recognising a device. */
export function deviceName(userAgent: string | null): string | undefined {
  if (userAgent === null || userAgent === '') return undefined;
  const browser = userAgent.includes('Edg/')
    ? 'Edge'
    : userAgent.includes('Firefox/')
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : userAgent.includes('Safari/')
          ? 'Safari'
          : undefined;
  const os = userAgent.includes('Android')
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : userAgent.includes('Windows')
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : userAgent.includes('Linux')
            ? 'Linux'
            : undefined;
  if (browser === undefined && os === undefined) return userAgent.slice(0, 60);
  return [browser, os].filter((x) => x !== undefined).join(' · ');
}

export function sessionsPage(ctx: PageContext, o: { sessions: readonly SessionRow[] }): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.sessions;
  const dt = m.common.dateTime;
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.intro}</p>
      ${table({
        id: 'sessions',
        caption: t.caption,
        head: [t.device, t.since, t.lastSeen, t.network, t.method, t.action],
        rows: o.sessions.map((s) => {
          const device = deviceName(s.userAgent) ?? t.unknownDevice;
          return html`<tr class="kern-table__row">
            <th scope="row" class="kern-table__header">
              ${device} ${s.current && html`<strong>${t.thisDevice}</strong>`}
            </th>
            <td class="kern-table__cell">${dt(s.createdAt)}</td>
            <td class="kern-table__cell">${dt(s.lastSeenAt)}</td>
            <td class="kern-table__cell">${s.ipPrefix ?? '–'}</td>
            <td class="kern-table__cell">${s.method === null ? '–' : (t.methods[s.method] ?? s.method)}</td>
            <td class="kern-table__cell">
              ${postForm({ id: `session-${s.handle}`, action: accountPaths.sessionRevoke(s.handle), ctx, className: 'ab-inline-form', body: submitButton({ label: t.signOut, variant: 'tertiary', hiddenSuffix: device }) })}
            </td>
          </tr>`;
        }),
      })}
      ${o.sessions.length > 1 && postForm({ id: 'sessions-others', action: accountPaths.sessionsRevokeOthers, ctx, body: submitButton({ label: t.signOutOthers, variant: 'secondary' }) })}`,
  };
}

export function confirmIdentityPage(
  ctx: PageContext,
  o: {
    next: string;
    errors: FieldError[];
    hasPassword: boolean;
    hasPasskey: boolean;
    oidcLabel?: string | undefined;
    email: string;
  },
): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.confirm;
  const f = formFields(ctx, 'confirm', o.errors);
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.intro}</p>
      ${
        o.hasPassword &&
        postForm({
          id: 'confirm',
          action: accountPaths.confirm,
          ctx,
          body: html`${f.errorSummary(['password'])} ${hiddenInput('next', o.next)}
            <input type="hidden" name="username" value="${o.email}" autocomplete="username" />
            ${f.input({ name: 'password', type: 'password', label: m.common.password, autocomplete: 'current-password', maxlength: 256 })}
            ${submitButton({ label: t.submit })}`,
        })
      }
      ${o.hasPasskey && passkeySection(ctx, { heading: m.login.passkeyHeading, text: m.login.passkeyText, button: t.passkey, mode: 'reauth', next: o.next })}
      ${o.oidcLabel !== undefined && oidcForm(ctx, { purpose: 'reauth', label: t.oidc(o.oidcLabel), next: o.next })}
      ${!o.hasPassword && !o.hasPasskey && o.oidcLabel === undefined && html`<p class="kern-body">${t.noMethod} ${link(accountPaths.home, t.noMethodLink)}</p>`}`,
  };
}

export function deleteAccountPage(
  ctx: PageContext,
  o: {
    email: string;
    soleAdminOf: readonly { id: string; name: string }[];
    hasPassword: boolean;
    confirmed: boolean;
    errors: FieldError[];
  },
): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.deleteAccount;
  const f = formFields(ctx, 'delete-account', o.errors);
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.intro(o.email)}</p>
      ${bulletList(t.consequences)}
      ${
        o.soleAdminOf.length > 0
          ? alertBox({
              kind: 'warning',
              title: t.title,
              headingLevel: 2,
              body: html`<p class="kern-body">${t.soleAdmin}</p>
                ${bulletList(o.soleAdminOf.map((org) => link(organisationPaths.members(org.id), org.name)))}`,
            })
          : o.hasPassword || o.confirmed
            ? postForm({
                id: 'delete-account',
                action: accountPaths.delete,
                ctx,
                body: html`${f.errorSummary(['password'])}
                ${
                  !o.confirmed &&
                  html`<input type="hidden" name="username" value="${o.email}" autocomplete="username" />
                    ${f.input({ name: 'password', type: 'password', label: m.common.password, hint: t.passwordHint, autocomplete: 'current-password', maxlength: 256 })}`
                }
                ${submitButton({ label: t.submit })}`,
              })
            : html`<p class="kern-body">
                ${t.confirmFirst}
                ${link(`${accountPaths.confirm}?next=${encodeURIComponent(accountPaths.delete)}`, t.confirmLink)}
              </p>`
      }`,
  };
}

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
