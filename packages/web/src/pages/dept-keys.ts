import { islandScript } from '../components/islands.ts';
import { alertBox, descriptionList, link, pageHeading, sectionHeading, table } from '../components/ui.ts';
import { formatDateTime } from '../format.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { Page, PageContext } from '../types.ts';

/** See {@link departmentKeyPage}. */
export interface DepartmentKeyPageInput {
  department: { id: string; name: string };
  key: { publicKey: string; createdAt: Date } | null;
  members: readonly { name: string; email: string; hasPersonalKey: boolean; hasShare: boolean }[];
  /** Whether the viewer is a member (a tenant admin need not be). */
  isMember: boolean;
  backHref: string;
}

/**
 * A department's key pair (tenant admins and members): whether there is one, who can open it,
 * and the button that makes a new pair in the browser (islands/dept-keys.ts). The private key
 * is wrapped there for each member with a personal key; the server never sees it.
 */
export function departmentKeyPage(ctx: PageContext, o: DepartmentKeyPageInput): Page {
  const t = messages(ctx.locale).deptKeys.page;
  const title = t.title(o.department.name);
  const holders = o.members.filter((m) => m.hasPersonalKey).length;
  return {
    title,
    body: html`${pageHeading(title)}
      <p class="kern-body">${link(o.backHref, t.back)}</p>
      <p class="kern-body">${t.intro}</p>
      ${
        o.key === null
          ? alertBox({
              kind: 'info',
              title: t.noKey,
              headingLevel: 2,
              body: html`<p class="kern-body">${t.noKeyText}</p>`,
            })
          : descriptionList([
              [t.publicKey, html`<code>${o.key.publicKey}</code>`],
              [t.created, formatDateTime(o.key.createdAt, ctx.locale)],
            ])
      }
      <section class="ab-section" aria-labelledby="dept-members-heading">
        ${sectionHeading(t.membersCaption, 'dept-members-heading')}
        ${
          o.members.length === 0
            ? html`<p class="kern-body">${t.noMembers}</p>`
            : table({
                id: 'dept-members',
                caption: t.membersCaption,
                captionHidden: true,
                head: [t.colName, t.colEmail, t.colPersonalKey, t.colAccess],
                rows: o.members.map(
                  (m) =>
                    html`<tr class="kern-table__row">
                      <th scope="row" class="kern-table__header">${m.name}</th>
                      <td class="kern-table__cell">${m.email}</td>
                      <td class="kern-table__cell">${m.hasPersonalKey ? t.yes : t.none}</td>
                      <td class="kern-table__cell" data-dept-access>
                        ${o.key === null ? '–' : m.hasShare ? t.access : t.waiting}
                      </td>
                    </tr>`,
                ),
              })
        }
        ${o.isMember && html`<p class="kern-body">${link('/keys', t.ownKey)}</p>`}
      </section>
      <section class="ab-section" aria-labelledby="dept-key-create-heading">
        ${sectionHeading(o.key === null ? t.createHeading : t.replaceHeading, 'dept-key-create-heading')}
        <p class="kern-body">${t.createText}</p>
        ${o.key !== null && html`<p class="kern-body">${t.replaceText}</p>`}
        ${holders === 0 && html`<p class="kern-body">${t.noKeyHolders}</p>`}
        <div id="dept-key" data-department="${o.department.id}" data-replace="${o.key === null ? '0' : '1'}">
          <button
            type="button"
            class="kern-btn kern-btn--${o.key === null ? 'primary' : 'secondary'}"
            disabled
            data-dept-key-create
          >
            <span class="kern-label">${o.key === null ? t.create : t.replace}</span>
          </button>
          <p class="kern-body" role="status" aria-live="polite" data-dept-key-status></p>
        </div>
      </section>
      ${islandScript('dept-keys')}`,
  };
}
