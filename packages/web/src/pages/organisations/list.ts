import { formFields, hiddenInput, postForm, submitButton } from '../../components/forms.ts';
import {
  alertBox,
  bulletList,
  link,
  pageHeading,
  paragraphs,
  sectionHeading,
  table,
} from '../../components/ui.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { accountPaths, organisationPaths } from '@amtsbote/contracts';
import type { FieldError, Page, PageContext } from '../../types.ts';
import type { OrganisationRole } from './common.ts';
import { roleLabel, profileFields, profileFieldNames } from './common.ts';

// The account's organisations, creating one (with consent), and the page behind an invitation link.

export function organisationsPage(
  ctx: PageContext,
  o: {
    organisations: readonly { id: string; name: string; role: OrganisationRole }[];
    invitations: readonly { organisationName: string; status: string }[];
  },
): Page {
  const t = messages(ctx.locale).accounts.org;
  return {
    title: t.listTitle,
    body: html`${pageHeading(t.listTitle)}
      <p class="kern-body">${t.listIntro}</p>
      ${
        o.invitations.length > 0 &&
        html`<section class="ab-section" aria-labelledby="invitations-heading">
          ${sectionHeading(t.invitationsHeading, 'invitations-heading')}
          ${bulletList(o.invitations.map((i) => (i.status === 'accepted' ? t.invitationAccepted(i.organisationName) : t.invitationPending(i.organisationName))))}
        </section>`
      }
      ${
        o.organisations.length === 0
          ? html`<p class="kern-body">${t.none}</p>`
          : table({
              id: 'organisations',
              caption: t.listCaption,
              head: [t.colName, t.colRole],
              rows: o.organisations.map(
                (org) =>
                  html`<tr class="kern-table__row">
                    <th scope="row" class="kern-table__header">
                      ${link(organisationPaths.page(org.id), org.name)}
                    </th>
                    <td class="kern-table__cell">${roleLabel(ctx, org.role)}</td>
                  </tr>`,
              ),
            })
      }
      <p class="kern-body">${link(organisationPaths.create, t.createLink)}</p>`,
  };
}

export function organisationCreatePage(
  ctx: PageContext,
  o: { values: Record<string, string>; errors: FieldError[] },
): Page {
  const t = messages(ctx.locale).accounts.org;
  const f = formFields(ctx, 'organisation', o.errors);
  return {
    title: t.createTitle,
    body: html`${pageHeading(t.createTitle)}
      <p class="kern-body">${t.createIntro}</p>
      ${alertBox({ kind: 'info', title: t.separateAccounts })}
      ${postForm({
        id: 'organisation',
        action: organisationPaths.create,
        ctx,
        body: html`${f.errorSummary([...profileFieldNames, 'consent'])} ${profileFields(ctx, f, o.values)}
          <fieldset class="kern-fieldset">
            <legend class="kern-label">${t.consentHeading}</legend>
            <details class="ab-details">
              <summary class="kern-body">${t.consentSummary}</summary>
              ${paragraphs(t.consentText)}
            </details>
            ${f.checkbox({ name: 'consent', label: t.consent, checked: o.values.consent === 'on' })}
          </fieldset>
          ${submitButton({ label: t.createSubmit })}`,
      })}`,
  };
}

export function organisationInvitationPage(
  ctx: PageContext,
  o: {
    token: string;
    organisationName: string;
    email: string;
    signedInAs: string | undefined;
    accepted: boolean;
    error?: string | undefined;
  },
): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.org;
  const here = organisationPaths.invitation(o.token);
  const errors = o.error === undefined ? [] : [{ field: 'accept', message: o.error }];
  const f = formFields(ctx, 'invitation', errors);
  return {
    title: t.invitationTitle,
    body: html`${pageHeading(t.invitationTitle)}
      <p class="kern-body">${t.invitationText(o.organisationName, o.email)}</p>
      ${
        o.accepted
          ? alertBox({
              kind: 'success',
              title: t.invitationAccept,
              body: html`<p class="kern-body">${t.invitationAcceptedText}</p>`,
              role: 'status',
              headingLevel: 2,
            })
          : o.signedInAs === undefined
            ? html`<p class="kern-body">${t.invitationSignIn}</p>
                <p class="kern-body">
                  ${link(`${accountPaths.login}?next=${encodeURIComponent(here)}`, m.login.submit)} ·
                  ${link(`${accountPaths.register}?next=${encodeURIComponent(here)}`, m.login.registerLink)}
                </p>`
            : html`${o.signedInAs !== o.email && alertBox({ kind: 'warning', title: t.invitationWrongAccount(o.signedInAs) })}
              ${postForm({ id: 'invitation', action: organisationPaths.invitationAccept, ctx, body: html`${f.errorSummary([])} ${hiddenInput('token', o.token)} ${submitButton({ label: t.invitationAccept })}` })}`
      }`,
  };
}
