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
  subHeading,
  table,
} from '../components/ui.ts';
import { needsJavaScript, uploadProgress } from '../components/upload.ts';
import { formatBytes } from '../format.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { accountPaths, organisationPaths } from '../account-routes.ts';
import type { FieldError, Page, PageContext } from '../types.ts';
import type { Transfer, TransferLimits } from './transfer-common.ts';
import { fileTable, hasEnded, levelText, messageText, time } from './transfer-common.ts';
import { e2eOpenSection } from './keys.ts';

// Organisation accounts (Amt24 rules): list, create (with consent), the shared postbox and its
// messages, members and invitations, settings (profile, data release), deletion, and the page
// behind an invitation link.

export type OrganisationRole = 'member' | 'admin';

export interface OrganisationSummary {
  id: string;
  name: string;
  legalForm: string | null;
  seat: string | null;
  address: string | null;
  contactEmail: string;
  generalRelease: boolean;
  releaseChangedAt: Date | null;
}

/** An administrator's action that was refused (e.g. the last administrator), at the top of the page. */
function actionAlert(ctx: PageContext, message: string | undefined): Html {
  if (message === undefined) return html``;
  return alertBox({
    kind: 'danger',
    title: messages(ctx.locale).form.errorSummaryTitle,
    body: html`<p class="kern-body">${message}</p>`,
    role: 'alert',
  });
}

const roleLabel = (ctx: PageContext, role: OrganisationRole): string => {
  const t = messages(ctx.locale).accounts.org;
  return role === 'admin' ? t.roleAdmin : t.roleMember;
};

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

function profileFields(
  ctx: PageContext,
  f: ReturnType<typeof formFields>,
  v: Partial<Record<'name' | 'legalForm' | 'seat' | 'address' | 'contactEmail', string>>,
): Html {
  const t = messages(ctx.locale).accounts.org;
  return html`${f.input({ name: 'name', label: t.name, autocomplete: 'organization', value: v.name ?? '', maxlength: 200 })}
  ${f.input({ name: 'legalForm', label: t.legalForm, hint: t.legalFormHint, autocomplete: 'off', value: v.legalForm ?? '', maxlength: 100, required: false })}
  ${f.input({ name: 'seat', label: t.seat, hint: t.seatHint, autocomplete: 'address-level2', value: v.seat ?? '', maxlength: 200, required: false })}
  ${f.textarea({ name: 'address', label: t.address, value: v.address ?? '', maxlength: 500, rows: 3, required: false })}
  ${f.input({ name: 'contactEmail', type: 'email', label: t.contactEmail, hint: t.contactEmailHint, autocomplete: 'email', value: v.contactEmail ?? '', maxlength: 254 })}`;
}

const profileFieldNames = ['name', 'legalForm', 'seat', 'address', 'contactEmail'];

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

export function orgHeader(
  ctx: PageContext,
  org: { id: string; name: string },
  role: OrganisationRole,
  current: 'postbox' | 'members' | 'keys' | 'settings' | 'none',
): Html {
  const t = messages(ctx.locale).accounts.org;
  const item = (href: string, label: string, key: typeof current) =>
    html`<li>
      <a class="kern-link" href="${href}" ${current === key ? html` aria-current="page"` : ''}>${label}</a>
    </li>`;
  return html`${pageHeading(org.name)}
    <p class="kern-body">${t.pageIntro(roleLabel(ctx, role))}</p>
    <nav aria-label="${t.subNav}" class="ab-subnav">
      <ul class="ab-inline-list">
        ${item(organisationPaths.page(org.id), t.navPostbox, 'postbox')}
        ${role === 'admin' && item(organisationPaths.members(org.id), t.navMembers, 'members')}
        ${item(`${organisationPaths.page(org.id)}/keys`, messages(ctx.locale).orgKeys.nav, 'keys')}
        ${item(organisationPaths.settings(org.id), t.navSettings, 'settings')}
      </ul>
    </nav>`;
}

export type PostboxItemView =
  | { kind: 'received' | 'sent'; id: string; subject: string | undefined; from: string; at: Date }
  | { kind: 'notice'; id: string; at: Date; notice: NoticeView };

export type NoticeView =
  | {
      kind: 'member-left';
      data: { email: string; displayName: string | null; at: string; how: 'left' | 'deleted' };
    }
  | {
      kind: 'membership-report';
      data: {
        from: string | null;
        until: string;
        entries: readonly { account: string; action: string; at: string; by: string | null }[];
      };
    };

function noticeTitle(ctx: PageContext, n: NoticeView): string {
  const t = messages(ctx.locale).accounts.org;
  if (n.kind === 'member-left') {
    const who = n.data.displayName === null ? n.data.email : `${n.data.displayName} (${n.data.email})`;
    return n.data.how === 'deleted' ? t.noticeMemberDeleted(who) : t.noticeMemberLeft(who);
  }
  return t.noticeReport(
    new Date(n.data.until).toLocaleDateString(ctx.locale === 'de' ? 'de-DE' : 'en-GB', {
      timeZone: 'Europe/Berlin',
    }),
  );
}

export function organisationPage(
  ctx: PageContext,
  o: {
    org: { id: string; name: string };
    role: OrganisationRole;
    adminCount: number;
    items: readonly PostboxItemView[];
    actionError?: string | undefined;
  },
): Page {
  const m = messages(ctx.locale);
  const t = m.accounts.org;
  const dt = m.accounts.common.dateTime;
  return {
    title: o.org.name,
    body: html`${orgHeader(ctx, o.org, o.role, 'postbox')} ${actionAlert(ctx, o.actionError)}
      ${o.role === 'admin' && o.adminCount < 2 && alertBox({ kind: 'warning', title: t.oneAdminWarning, body: html`<p class="kern-body">${link(organisationPaths.members(o.org.id), t.navMembers)}</p>` })}
      <section class="ab-section" aria-labelledby="postbox-heading">
        ${sectionHeading(t.postboxHeading, 'postbox-heading')}
        <p class="kern-body">${t.postboxIntro}</p>
        ${
          o.items.length === 0
            ? html`<p class="kern-body">${t.postboxEmpty}</p>`
            : table({
                id: 'org-postbox',
                caption: t.postboxCaption,
                captionHidden: true,
                head: [t.colSubject, t.colKind, t.colFrom, t.colDate],
                rows: o.items.map((i) =>
                  i.kind === 'notice'
                    ? html`<tr class="kern-table__row">
                        <th scope="row" class="kern-table__header">
                          ${link(organisationPaths.notice(o.org.id, i.id), noticeTitle(ctx, i.notice))}
                        </th>
                        <td class="kern-table__cell">${t.kindNotice}</td>
                        <td class="kern-table__cell">${ctx.tenant.name}</td>
                        <td class="kern-table__cell">${dt(i.at)}</td>
                      </tr>`
                    : html`<tr class="kern-table__row">
                        <th scope="row" class="kern-table__header">
                          ${link(organisationPaths.transfer(o.org.id, i.id), i.subject ?? m.transfers.contentDeleted)}
                        </th>
                        <td class="kern-table__cell">
                          ${i.kind === 'received' ? t.kindReceived : t.kindSent}
                        </td>
                        <td class="kern-table__cell">${i.from}</td>
                        <td class="kern-table__cell">${dt(i.at)}</td>
                      </tr>`,
                ),
              })
        }
      </section>
      <section class="ab-section" aria-labelledby="leave-heading">
        ${sectionHeading(t.leaveHeading, 'leave-heading')}
        <p class="kern-body">${t.leaveText}</p>
        ${postForm({ id: 'leave', action: organisationPaths.leave(o.org.id), ctx, labelledBy: 'leave-heading', body: submitButton({ label: t.leaveSubmit, variant: 'secondary' }) })}
      </section>`,
  };
}

export interface OrganisationTransferInput {
  org: { id: string; name: string };
  role: OrganisationRole;
  transfer: Transfer;
  direction: 'received' | 'sent';
  thread: readonly (Transfer & { author: string | undefined })[];
  senderName: string | undefined;
  canReply: boolean;
  uploadEndpoint: string;
  policy?: Pick<TransferLimits, 'maxFileSize' | 'maxFiles' | 'maxTotalSize'> | undefined;
}

export function organisationTransferPage(ctx: PageContext, o: OrganisationTransferInput): Page {
  const m = messages(ctx.locale);
  const t = m.accounts.org;
  const tt = m.transfers;
  const r = m.recipient;
  const tr = o.transfer;
  const title = tr.subject ?? tt.contentDeleted;
  const level = levelText(tt, tr.level);
  const f = formFields(ctx, 'reply', []);
  const limits: Record<string, number> =
    o.policy === undefined
      ? {}
      : {
          'max-file-size': o.policy.maxFileSize,
          'max-files': o.policy.maxFiles,
          'max-total-size': o.policy.maxTotalSize,
        };
  return {
    title,
    body: html`${orgHeader(ctx, o.org, o.role, 'none')}
      <h2 class="kern-heading-large">${title}</h2>
      ${descriptionList([
        [
          t.transferFrom,
          o.direction === 'sent'
            ? o.org.name
            : o.senderName === undefined
              ? ctx.tenant.name
              : `${o.senderName}, ${ctx.tenant.name}`,
        ],
        [t.transferExpires, time(tr.expiresAt, ctx.locale)],
        [r.level, html`${level.label}<br /><span class="kern-body--small">${level.text}</span>`],
      ])}
      ${
        // Levels 3 and 4: opened in the member's browser with the organisation's key; a reply
        // sent in the organisation's name with its own copy, also wrapped for that key.
        tr.level >= 3 && !hasEnded(tr)
          ? html`${
              tr.level === 3 &&
              html`<section class="ab-section" aria-labelledby="org-message">
                ${subHeading(t.messageHeading, 'org-message')}
                ${tr.message === undefined || tr.message.trim() === '' ? html`<p class="kern-body">${tt.noMessage}</p>` : messageText(tr.message)}
              </section>`
            }
            ${e2eOpenSection(ctx, {
              level: tr.level,
              envelopeUrl: `/api/v1/organisations/${encodeURIComponent(o.org.id)}/postbox/${encodeURIComponent(tr.id)}/envelope`,
              message: tr.message,
              files: tr.files.map((file) => ({
                id: file.id,
                name: file.name,
                size: file.size,
                href: organisationPaths.file(o.org.id, tr.id, file.id),
              })),
              keysHref: `/keys?next=${encodeURIComponent(organisationPaths.transfer(o.org.id, tr.id))}`,
            })}`
          : html`<section class="ab-section" aria-labelledby="org-message">
                ${subHeading(t.messageHeading, 'org-message')}
                ${tr.message === undefined || tr.message.trim() === '' ? html`<p class="kern-body">${tt.noMessage}</p>` : messageText(tr.message)}
              </section>
              <section class="ab-section" aria-labelledby="org-files">
                ${subHeading(t.filesHeading, 'org-files')}
                ${fileTable(ctx.locale, { id: 'files', caption: t.filesCaption, files: tr.files, fileHref: (fileId) => organisationPaths.file(o.org.id, tr.id, fileId), zipHref: organisationPaths.zip(o.org.id, tr.id) })}
              </section>`
      }
      ${
        o.thread.length > 0 &&
        html`<section class="ab-section" aria-labelledby="org-thread">
          ${subHeading(t.threadHeading, 'org-thread')}
          ${o.thread.map(
            (item, i) =>
              html`<article class="ab-thread-item" aria-labelledby="thread-${i}">
                <h4 class="kern-heading-small" id="thread-${i}">${item.subject ?? tt.contentDeleted}</h4>
                <p class="kern-body kern-body--small">
                  ${item.senderStaffId !== null ? r.threadFrom(o.senderName ?? ctx.tenant.name) : t.threadFromOrg}${item.author !== undefined && html`, ${t.threadBy(item.author)}`},
                  ${time(item.sentAt ?? item.createdAt, ctx.locale)}
                </p>
                ${
                  hasEnded(item) || item.subject === undefined
                    ? html`<p class="kern-body">${r.threadDeleted}</p>`
                    : item.level >= 3
                      ? html`<p class="kern-body">${m.e2eReply.threadEncrypted}</p>
                          ${
                            // A reply sent in the organisation's name opens on its own page.
                            item.senderStaffId === null &&
                            html`<p class="kern-body">
                              <a class="kern-link" href="${organisationPaths.transfer(o.org.id, item.id)}"
                                >${m.ownReply.orgOpen}</a
                              >
                            </p>`
                          }`
                      : html`${item.message !== undefined && item.message.trim() !== '' && messageText(item.message)}
                        ${item.files.length > 0 && bulletList(item.files.map((file) => `${file.name} (${formatBytes(file.size, ctx.locale)})`))}`
                }
              </article>`,
          )}
        </section>`
      }
      ${
        o.canReply &&
        html`<section class="ab-section" aria-labelledby="org-reply">
          ${subHeading(t.replyHeading, 'org-reply')}
          <p class="kern-body">${t.replyIntro(o.org.name)}</p>
          ${
            tr.level >= 3 &&
            html`<p class="kern-body">${tr.level === 4 ? m.e2eReply.orgIntro4 : m.e2eReply.orgIntro3}</p>
              <p class="kern-body" role="status" data-e2e-reply-status></p>`
          }
          ${needsJavaScript({ title: r.jsTitle, body: html`<p class="kern-body">${r.jsText}</p>` })}
          ${postForm({
            id: 'reply',
            action: organisationPaths.replies(o.org.id, tr.id),
            ctx,
            labelledBy: 'org-reply',
            data: {
              'upload-endpoint': o.uploadEndpoint,
              'org-id': o.org.id,
              'transfer-id': tr.id,
              progress: 'reply-progress',
              ...limits,
              // Levels 3 and 4: the reply goes at the same level, encrypted here (islands/org-reply.ts).
              ...(tr.level >= 3
                ? {
                    'e2e-level': String(tr.level),
                    'reply-keys-url': `/api/v1/organisations/${encodeURIComponent(o.org.id)}/postbox/${encodeURIComponent(tr.id)}/reply-keys`,
                  }
                : {}),
            },
            body: html`<div data-island-errors></div>
              ${f.input({ name: 'subject', label: r.replySubject, autocomplete: 'off', maxlength: 200, value: (tr.subject ?? '').startsWith(r.replyPrefix) ? (tr.subject ?? '') : `${r.replyPrefix} ${tr.subject ?? ''}`.slice(0, 200) })}
              ${f.textarea({ name: 'message', label: r.replyMessage, rows: 6, maxlength: 20000, required: false })}
              ${f.file({ name: 'files', label: r.replyFiles, hint: r.replyFilesHint, multiple: true, required: false })}
              ${tr.level >= 3 && html`<div data-e2e-fallback hidden>${f.checkbox({ name: 'fallbackLevel2', label: m.e2eReply.fallback, hint: m.e2eReply.fallbackHint, checked: false })}</div>`}
              <p class="kern-body kern-body--small" data-upload-selection></p>
              ${submitButton({ label: r.replySubmit, disabled: true })}`,
          })}
          ${uploadProgress(ctx, 'reply-progress')} ${islandScript('org-reply')}
        </section>`
      }`,
  };
}

export function organisationNoticePage(
  ctx: PageContext,
  o: { org: { id: string; name: string }; role: OrganisationRole; notice: NoticeView; createdAt: Date },
): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.org;
  const dt = m.common.dateTime;
  const n = o.notice;
  const title = noticeTitle(ctx, n);
  const day = (iso: string) =>
    new Date(iso).toLocaleDateString(ctx.locale === 'de' ? 'de-DE' : 'en-GB', { timeZone: 'Europe/Berlin' });
  return {
    title,
    body: html`${orgHeader(ctx, o.org, o.role, 'none')}
      <h2 class="kern-heading-large">${t.noticeHeading}: ${title}</h2>
      <p class="kern-body kern-body--small">${dt(o.createdAt)}</p>
      ${
        n.kind === 'member-left'
          ? html`<p class="kern-body">${title}.</p>`
          : html`<p class="kern-body">
                ${t.reportIntro(n.data.from === null ? '–' : day(n.data.from), day(n.data.until))}
              </p>
              ${table({
                id: 'report',
                caption: t.reportCaption,
                head: [t.reportAccount, t.reportAction, t.reportAt, t.reportBy],
                rows: n.data.entries.map(
                  (e) =>
                    html`<tr class="kern-table__row">
                      <th scope="row" class="kern-table__header">${e.account}</th>
                      <td class="kern-table__cell">${t.actions[e.action] ?? e.action}</td>
                      <td class="kern-table__cell">${dt(new Date(e.at))}</td>
                      <td class="kern-table__cell">${e.by ?? '–'}</td>
                    </tr>`,
                ),
              })}`
      }
      <p class="kern-body">${link(organisationPaths.page(o.org.id), t.navPostbox)}</p>`,
  };
}

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

export function organisationSettingsPage(
  ctx: PageContext,
  o: {
    org: OrganisationSummary;
    role: OrganisationRole;
    errors: FieldError[];
    values?: Record<string, string> | undefined;
  },
): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.org;
  const f = formFields(ctx, 'profile', o.errors);
  const r = formFields(ctx, 'release', []);
  const v = o.values ?? {
    name: o.org.name,
    legalForm: o.org.legalForm ?? '',
    seat: o.org.seat ?? '',
    address: o.org.address ?? '',
    contactEmail: o.org.contactEmail,
  };
  const admin = o.role === 'admin';
  return {
    title: `${t.settingsHeading} – ${o.org.name}`,
    body: html`${orgHeader(ctx, o.org, o.role, 'settings')}
      <section class="ab-section" aria-labelledby="profile-heading">
        ${sectionHeading(t.profileHeading, 'profile-heading')}
        ${
          admin
            ? postForm({
                id: 'profile',
                action: organisationPaths.settings(o.org.id),
                ctx,
                labelledBy: 'profile-heading',
                body: html`${f.errorSummary(profileFieldNames, 3)} ${profileFields(ctx, f, v)}
                ${submitButton({ label: t.profileSubmit })}`,
              })
            : descriptionList([
                [t.name, o.org.name],
                [t.legalForm, o.org.legalForm ?? '–'],
                [t.seat, o.org.seat ?? '–'],
                [t.address, o.org.address ?? '–'],
                [t.contactEmail, o.org.contactEmail],
              ])
        }
      </section>
      <section class="ab-section" aria-labelledby="release-heading">
        ${sectionHeading(t.releaseHeading, 'release-heading')}
        <p class="kern-body">${t.releaseText}</p>
        ${
          admin
            ? postForm({
                id: 'release',
                action: organisationPaths.release(o.org.id),
                ctx,
                body: html`${r.radios({
                  name: 'release',
                  label: t.releaseLabel,
                  value: o.org.generalRelease ? 'general' : 'per-use',
                  options: [
                    { value: 'per-use', label: t.releasePerUse, hint: t.releasePerUseHint },
                    { value: 'general', label: t.releaseGeneral, hint: t.releaseGeneralHint },
                  ],
                })}
                ${submitButton({ label: t.releaseSubmit, variant: 'secondary' })}`,
              })
            : html`<p class="kern-body">
                <strong>${o.org.generalRelease ? t.releaseGeneral : t.releasePerUse}</strong>
              </p>`
        }
        ${o.org.releaseChangedAt !== null && html`<p class="kern-body kern-body--small">${t.releaseChanged(m.common.dateTime(o.org.releaseChangedAt))}</p>`}
      </section>
      ${
        admin &&
        html`<section class="ab-section" aria-labelledby="delete-heading">
          ${sectionHeading(t.deleteHeading, 'delete-heading')}
          <p class="kern-body">${t.deleteText}</p>
          <p class="kern-body">${link(organisationPaths.delete(o.org.id), t.deleteLink)}</p>
        </section>`
      }`,
  };
}

export function organisationDeletePage(
  ctx: PageContext,
  o: {
    org: { id: string; name: string };
    role: OrganisationRole;
    email: string;
    hasPassword: boolean;
    confirmed: boolean;
    errors: FieldError[];
  },
): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.org;
  const f = formFields(ctx, 'delete-organisation', o.errors);
  return {
    title: t.deleteTitle(o.org.name),
    body: html`${pageHeading(t.deleteTitle(o.org.name))} ${bulletList(t.deleteConsequences)}
      ${
        o.hasPassword || o.confirmed
          ? postForm({
              id: 'delete-organisation',
              action: organisationPaths.delete(o.org.id),
              ctx,
              body: html`${f.errorSummary(['password'])}
              ${
                !o.confirmed &&
                html`<input type="hidden" name="username" value="${o.email}" autocomplete="username" />
                  ${f.input({ name: 'password', type: 'password', label: m.common.password, hint: m.deleteAccount.passwordHint, autocomplete: 'current-password', maxlength: 256 })}`
              }
              ${submitButton({ label: t.deleteSubmit })}`,
            })
          : html`<p class="kern-body">
              ${m.deleteAccount.confirmFirst}
              ${link(`${accountPaths.confirm}?next=${encodeURIComponent(organisationPaths.delete(o.org.id))}`, m.deleteAccount.confirmLink)}
            </p>`
      }
      <p class="kern-body">${link(organisationPaths.settings(o.org.id), m.common.back)}</p>`,
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
