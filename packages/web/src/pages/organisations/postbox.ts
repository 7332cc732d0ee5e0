import { postForm, submitButton } from '../../components/forms.ts';
import { alertBox, link, sectionHeading, table } from '../../components/ui.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { organisationPaths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../../types.ts';
import type { OrganisationRole } from './common.ts';
import { actionAlert, orgHeader } from './common.ts';

// The organisation's postbox (its start page) and one notice in it.

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
