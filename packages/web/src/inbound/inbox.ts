import { inboundPaths } from '@amtsbote/contracts';
import { submitButton } from '../components/forms.ts';
import { link, pageHeading, sectionHeading, table } from '../components/ui.ts';
import { formatShortDateTime } from '../format.ts';
import { html } from '../html.ts';
import type { InboundMessages } from '../i18n/inbound.de.ts';
import { messages } from '../i18n/index.ts';
import { time } from '../pages/transfer-common.ts';
import type { Page, PageContext } from '../types.ts';
import { ti } from './common.ts';

// ---- The department postbox ---------------------------------------------------------------------

export interface InboxEntryView {
  id: string;
  number: string;
  kind: 'dropoff' | 'upload';
  department: string;
  subject: string | undefined;
  reference: string | undefined;
  senderName: string | undefined;
  senderEmail: string | undefined;
  state: 'new' | 'opened' | 'answered' | 'done';
  assigneeId: string | null;
  assignee: string | null;
  sentAt: Date | null;
  expiresAt: Date;
  status: 'draft' | 'sent' | 'revoked' | 'expired';
  fileCount: number;
  scan: 'none' | 'pending' | 'clean' | 'quarantined' | 'e2e' | 'unscanned';
  e2e: 'password' | 'department' | null;
  direct: boolean;
}

export function stateLabel(t: InboundMessages['inbox'], s: InboxEntryView['state']): string {
  return s === 'new'
    ? t.stateNew
    : s === 'opened'
      ? t.stateOpened
      : s === 'answered'
        ? t.stateAnswered
        : t.stateDone;
}

function scanLabel(t: InboundMessages['inbox'], s: InboxEntryView['scan']): string {
  switch (s) {
    case 'pending':
      return t.scanPending;
    case 'quarantined':
      return t.scanQuarantined;
    case 'e2e':
      return t.scanE2e;
    case 'unscanned':
      return t.scanUnscanned;
    case 'clean':
      return t.scanClean;
    case 'none':
      return '';
  }
}

export function inboxPage(
  ctx: PageContext,
  o: {
    entries: readonly InboxEntryView[];
    departments: readonly { id: string; name: string }[];
    filter: { department: string; state: string; q: string; mine: boolean };
    /** The same filters one page further, when there is more. */
    more?: string | null | undefined;
    /** A search that stopped early: how far back it has looked. */
    searchedUntil?: Date | null | undefined;
  },
): Page {
  const t = ti(ctx).inbox;
  const tp = messages(ctx.locale).inboxPaging;
  const tt = messages(ctx.locale).transfers;
  const stateOptions = [
    { value: '', label: t.allStates },
    { value: 'open', label: t.openStates },
    { value: 'new', label: t.stateNew },
    { value: 'opened', label: t.stateOpened },
    { value: 'answered', label: t.stateAnswered },
    { value: 'done', label: t.stateDone },
  ];
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${t.intro}</p>
      <ul class="kern-list ab-link-list">
        <li>${link(inboundPaths.links, t.uploadLinks)}</li>
        ${ctx.user?.isTenantAdmin === true && html`<li>${link(inboundPaths.settings, t.settings)}</li>`}
        ${o.departments.map(
          // Every member may make and share the key of their departments (levels 3/4), not only admins.
          (d) =>
            html`<li>
              ${link(`/inbox/departments/${encodeURIComponent(d.id)}/key`, messages(ctx.locale).deptKeys.page.title(d.name))}
            </li>`,
        )}
      </ul>
      <section class="ab-section" aria-labelledby="inbox-filter">
        ${sectionHeading(t.filterHeading, 'inbox-filter')}
        <form method="get" action="${inboundPaths.inbox}" class="ab-form" id="inbox-filter-form">
          <div class="kern-form-input">
            <label class="kern-label" for="inbox-department">${t.department}</label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="inbox-department" name="department">
                <option value="">${t.allDepartments}</option>
                ${o.departments.map((d) => html`<option value="${d.id}" ${d.id === o.filter.department ? html` selected` : ''}>${d.name}</option>`)}
              </select>
            </div>
          </div>
          <div class="kern-form-input">
            <label class="kern-label" for="inbox-state">${t.state}</label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="inbox-state" name="state">
                ${stateOptions.map((s) => html`<option value="${s.value}" ${s.value === o.filter.state ? html` selected` : ''}>${s.label}</option>`)}
              </select>
            </div>
          </div>
          <div class="kern-form-input">
            <label class="kern-label" for="inbox-q">${t.search}</label>
            <div class="kern-hint" id="inbox-q-hint">${t.searchHint}</div>
            <input
              class="kern-form-input__input"
              id="inbox-q"
              name="q"
              type="search"
              autocomplete="off"
              maxlength="200"
              value="${o.filter.q}"
              aria-describedby="inbox-q-hint"
            />
          </div>
          <div class="kern-form-check">
            <input
              class="kern-form-check__checkbox"
              id="inbox-mine"
              name="mine"
              type="checkbox"
              value="1"
              ${o.filter.mine ? html` checked` : ''}
            />
            <label class="kern-label" for="inbox-mine">${t.mine}</label>
          </div>
          ${submitButton({ label: t.apply, variant: 'secondary' })}
        </form>
      </section>
      ${
        o.entries.length === 0
          ? html`<p class="kern-body">${t.empty}</p>`
          : table({
              id: 'inbox',
              caption: t.caption,
              head: [
                t.colSubject,
                t.colFrom,
                t.colKind,
                t.colReference,
                t.colState,
                t.colAssignee,
                t.colReceived,
                t.colFiles,
              ],
              rows: o.entries.map(
                (e) =>
                  html`<tr class="kern-table__row">
                    <th scope="row" class="kern-table__header">
                      <a class="kern-link" href="${inboundPaths.item(e.id)}"
                        >${e.subject ?? t.contentDeleted}</a
                      >
                      <span class="kern-body--small"> (${e.number})</span>
                    </th>
                    <td class="kern-table__cell">
                      ${e.senderName ?? ''}${e.senderEmail !== undefined && html`<br /><span class="kern-body--small">${e.senderEmail}</span>`}
                    </td>
                    <td class="kern-table__cell">
                      ${e.kind === 'dropoff' ? t.kindDropoff : t.kindUpload}${e.direct ? html`<br /><span class="kern-body--small">${t.direct}</span>` : html`<br /><span class="kern-body--small">${e.department}</span>`}
                    </td>
                    <td class="kern-table__cell">${e.reference ?? ''}</td>
                    <td class="kern-table__cell">${stateLabel(t, e.state)}</td>
                    <td class="kern-table__cell">${e.assignee ?? t.nobody}</td>
                    <td class="kern-table__cell">
                      ${e.sentAt === null ? '' : time(e.sentAt, ctx.locale, true)}
                    </td>
                    <td class="kern-table__cell">
                      ${tt.fileCount(e.fileCount)}${e.scan !== 'none' && html`<br /><span class="kern-body--small">${scanLabel(t, e.scan)}</span>`}
                    </td>
                  </tr>`,
              ),
            })
      }
      ${o.searchedUntil != null && html`<p class="kern-body" id="inbox-searched-until">${tp.searchedUntil(formatShortDateTime(o.searchedUntil, ctx.locale))}</p>`}
      ${o.more != null && html`<p class="kern-body"><a class="kern-link" id="inbox-more" href="${o.more}">${o.filter.q === '' ? tp.more : tp.searchFurther}</a></p>`}`,
  };
}
