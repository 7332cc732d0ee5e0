import { formFields, hiddenInput, postForm, submitButton } from '../../components/forms.ts';
import { islandScript } from '../../components/islands.ts';
import { alertBox, descriptionList, link, pageHeading, sectionHeading, table } from '../../components/ui.ts';
import { needsJavaScript } from '../../components/upload.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { accountPaths, organisationPaths } from '@amtsbote/contracts';
import type { FieldError, Page, PageContext } from '../../types.ts';
import { errorsFor, newPasswordFields, oidcForm } from './shared.ts';

// The account home: the account, its ways to sign in, and their forms.

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
