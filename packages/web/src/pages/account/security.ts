import { formFields, hiddenInput, postForm, submitButton } from '../../components/forms.ts';
import { alertBox, bulletList, descriptionList, link, pageHeading, table } from '../../components/ui.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { accountPaths, organisationPaths } from '@amtsbote/contracts';
import type { FieldError, Page, PageContext } from '../../types.ts';
import { oidcForm, passkeySection, qrCode } from './shared.ts';

// The second factor, recovery codes, signed-in devices, confirming it is you, deleting the account.

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
