import { formFields, hiddenInput, postForm, submitButton } from '../../components/forms.ts';
import { alertBox, sectionHeading, table } from '../../components/ui.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { organisationPaths } from '@amtsbote/contracts';
import type { FieldError, Page, PageContext } from '../../types.ts';
import type { OrganisationRole } from './common.ts';
import { actionAlert, roleLabel, orgHeader } from './common.ts';

// Members and invitations (administrators).

export interface MembersPageInput {
  org: { id: string; name: string };
  role: OrganisationRole;
  me: string;
  members: readonly {
    accountId: string;
    email: string;
    displayName: string | null;
    role: OrganisationRole;
    since: Date;
  }[];
  invitations: readonly {
    id: string;
    email: string;
    status: string;
    expiresAt: Date;
    acceptedByEmail: string | null;
    acceptedByName: string | null;
  }[];
  errors: FieldError[];
  now: Date;
  actionError?: string | undefined;
}

export function organisationMembersPage(ctx: PageContext, o: MembersPageInput): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.org;
  const dt = m.common.dateTime;
  const f = formFields(ctx, 'invite', o.errors);
  const admins = o.members.filter((x) => x.role === 'admin').length;
  const action = (
    id: string,
    href: string,
    label: string,
    who: string,
    variant: 'secondary' | 'tertiary' = 'tertiary',
  ) =>
    postForm({
      id,
      action: href,
      ctx,
      className: 'ab-inline-form',
      body: submitButton({ label, variant, hiddenSuffix: who }),
    });
  return {
    title: `${t.membersHeading} – ${o.org.name}`,
    body: html`${orgHeader(ctx, o.org, o.role, 'members')} ${actionAlert(ctx, o.actionError)}
      <section class="ab-section" aria-labelledby="members-heading">
        ${sectionHeading(t.membersHeading, 'members-heading')}
        <p class="kern-body">${t.membersIntro}</p>
        ${admins < 2 && alertBox({ kind: 'warning', title: t.oneAdminWarning })}
        ${table({
          id: 'members',
          caption: t.membersCaption,
          head: [t.colMember, t.colRole, t.colSince, t.colActions],
          rows: o.members.map((x) => {
            const who = x.displayName === null ? x.email : `${x.displayName} (${x.email})`;
            return html`<tr class="kern-table__row">
              <th scope="row" class="kern-table__header">${who} ${x.accountId === o.me && t.you}</th>
              <td class="kern-table__cell">${roleLabel(ctx, x.role)}</td>
              <td class="kern-table__cell">${dt(x.since)}</td>
              <td class="kern-table__cell">
                ${
                  x.role === 'admin'
                    ? postForm({
                        id: `role-${x.accountId}`,
                        action: organisationPaths.memberRole(o.org.id, x.accountId),
                        ctx,
                        className: 'ab-inline-form',
                        body: html`${hiddenInput('role', 'member')}
                        ${submitButton({ label: t.removeAdmin, variant: 'tertiary', hiddenSuffix: who })}`,
                      })
                    : postForm({
                        id: `role-${x.accountId}`,
                        action: organisationPaths.memberRole(o.org.id, x.accountId),
                        ctx,
                        className: 'ab-inline-form',
                        body: html`${hiddenInput('role', 'admin')}
                        ${submitButton({ label: t.makeAdmin, variant: 'tertiary', hiddenSuffix: who })}`,
                      })
                }
                ${x.accountId !== o.me && action(`revoke-${x.accountId}`, organisationPaths.memberRevoke(o.org.id, x.accountId), t.revoke, who)}
              </td>
            </tr>`;
          }),
        })}
      </section>
      ${
        o.invitations.length > 0 &&
        html`<section class="ab-section" aria-labelledby="invitations-heading">
          ${sectionHeading(t.invitationsCaption, 'invitations-heading')}
          ${table({
            id: 'invitations',
            caption: t.invitationsCaption,
            captionHidden: true,
            head: [t.colInvited, t.colStatus, t.colActions],
            rows: o.invitations.map((i) => {
              const who =
                i.acceptedByName === null
                  ? (i.acceptedByEmail ?? i.email)
                  : `${i.acceptedByName} (${i.acceptedByEmail ?? i.email})`;
              const status =
                i.status === 'accepted'
                  ? t.statusAccepted(who)
                  : i.expiresAt.getTime() <= o.now.getTime()
                    ? t.statusExpired
                    : t.statusPending(dt(i.expiresAt));
              return html`<tr class="kern-table__row">
                <th scope="row" class="kern-table__header">${i.email}</th>
                <td class="kern-table__cell">${status}</td>
                <td class="kern-table__cell">
                  ${i.status === 'accepted' && action(`confirm-${i.id}`, organisationPaths.invitationAction(o.org.id, i.id, 'confirm'), t.confirm, i.email, 'secondary')}
                  ${action(`close-${i.id}`, organisationPaths.invitationAction(o.org.id, i.id, 'close'), i.status === 'accepted' ? t.decline : t.withdraw, i.email)}
                </td>
              </tr>`;
            }),
          })}
        </section>`
      }
      <section class="ab-section" aria-labelledby="invite-heading">
        ${sectionHeading(t.inviteHeading, 'invite-heading')}
        <p class="kern-body">${t.inviteText}</p>
        ${postForm({
          id: 'invite',
          action: organisationPaths.invite(o.org.id),
          ctx,
          labelledBy: 'invite-heading',
          body: html`${f.errorSummary(['email'], 3)}
          ${f.input({ name: 'email', type: 'email', label: m.common.email, hint: m.common.emailHint, autocomplete: 'off', maxlength: 254 })}
          ${submitButton({ label: t.inviteSubmit })}`,
        })}
      </section>`,
  };
}
