import { accountTokenPaths } from '@amtsbote/contracts';
import { formFields, postForm, submitButton } from '../components/forms.ts';
import { alertBox, pageHeading, paragraphs, sectionHeading, table } from '../components/ui.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { FieldError, Page, PageContext } from '../types.ts';

// The service account's personal API tokens: create (the secret shown once), list, revoke.

/** The choices of the expiry field: days, or '' for "until revoked". */
export const accountTokenExpiryDays = [30, 90, 365] as const;

export interface AccountTokenListRow {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

export interface AccountTokensInput {
  tokens: readonly AccountTokenListRow[];
  /** A token just created: its secret, shown this once. */
  created?: { name: string; token: string } | undefined;
  errors?: readonly FieldError[];
  values?: { name?: string; expiresInDays?: string };
}

export function accountTokensPage(ctx: PageContext, o: AccountTokensInput): Page {
  const t = messages(ctx.locale).accountTokens;
  const dt = messages(ctx.locale).accounts.common.dateTime;
  const never = messages(ctx.locale).accounts.common.never;
  const errors = o.errors ?? [];
  const f = formFields(ctx, 'token-create', errors);
  return {
    title: t.title,
    body: html`${pageHeading(t.title)} ${paragraphs([t.intro, t.keepSecret])}
    ${
      o.created !== undefined &&
      alertBox({
        kind: 'success',
        role: 'status',
        id: 'token-created',
        headingLevel: 2,
        title: t.createdTitle,
        body: html`<p class="kern-body">${t.createdText}</p>
          <p class="kern-body">
            ${o.created.name}: <code class="ab-secret" id="token-secret">${o.created.token}</code>
          </p>
          <p class="kern-body">${t.usage}</p>
          <pre class="ab-code"><code>amtsbote fetch LINK -o DIR --token ${o.created.token}</code></pre>`,
      })
    }
    ${sectionHeading(t.createHeading, 'token-create-heading')}
    ${postForm({
      id: 'token-create',
      action: accountTokenPaths.list,
      ctx,
      labelledBy: 'token-create-heading',
      body: html`${f.errorSummary(['name', 'expiresInDays'], 3)}
      ${f.input({ name: 'name', label: t.name, hint: t.nameHint, autocomplete: 'off', maxlength: 100, value: o.values?.name ?? '' })}
      ${f.select({
        name: 'expiresInDays',
        label: t.expiry,
        hint: t.expiryHint,
        value: o.values?.expiresInDays ?? '90',
        options: [
          ...accountTokenExpiryDays.map((d) => ({ value: String(d), label: t.expiryDays(d) })),
          { value: '', label: t.expiryNever },
        ],
      })}
      ${submitButton({ label: t.create })}`,
    })}
    ${
      o.tokens.length === 0
        ? html`<p class="kern-body" id="tokens-none">${t.none}</p>`
        : table({
            id: 'tokens',
            caption: t.caption,
            head: [t.name, t.created, t.lastUsed, t.expires, t.action],
            rows: o.tokens.map(
              (r) =>
                html`<tr class="kern-table__row">
                  <th scope="row" class="kern-table__header">${r.name}</th>
                  <td class="kern-table__cell">${dt(r.createdAt)}</td>
                  <td class="kern-table__cell">${r.lastUsedAt === null ? never : dt(r.lastUsedAt)}</td>
                  <td class="kern-table__cell">${r.expiresAt === null ? t.noExpiry : dt(r.expiresAt)}</td>
                  <td class="kern-table__cell">
                    ${postForm({
                      id: `token-revoke-${r.id}`,
                      action: accountTokenPaths.revoke(r.id),
                      ctx,
                      className: 'ab-inline-form',
                      body: submitButton({ label: t.revoke, variant: 'tertiary', hiddenSuffix: r.name }),
                    })}
                  </td>
                </tr>`,
            ),
          })
    }`,
  };
}
