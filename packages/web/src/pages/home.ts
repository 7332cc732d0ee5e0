import { bulletList, link, pageHeading, sectionHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { paths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../types.ts';

/** A signed-in staff member's start page: greeting, their departments, and their messages. */
export function staffHomePage(
  ctx: PageContext,
  o: { departments: readonly { id: string; name: string }[] },
): Page {
  const t = messages(ctx.locale).home;
  const name = ctx.user?.displayName ?? '';
  return {
    title: t.title,
    body: html`${pageHeading(t.greeting(name))}
      <section class="ab-section" aria-labelledby="home-departments">
        ${sectionHeading(t.departmentsHeading, 'home-departments')}
        ${
          o.departments.length === 0
            ? html`<p class="kern-body">${t.departmentsNone}</p>`
            : html`<p class="kern-body">${t.departmentsIntro}</p>
                ${bulletList(o.departments.map((d) => d.name))}`
        }
      </section>
      <section class="ab-section" aria-labelledby="home-messages">
        ${sectionHeading(t.messagesHeading, 'home-messages')}
        <p class="kern-body">${t.messagesText}</p>
        <ul class="kern-list ab-link-list">
          <li>${link(paths.compose, t.composeLink)}</li>
          <li>${link(paths.postbox, t.postboxLink)}</li>
        </ul>
      </section>
      ${
        ctx.user?.isTenantAdmin === true &&
        html`<section class="ab-section" aria-label="${t.adminLink}">
          <p class="kern-body">${t.adminHint} ${link(paths.admin, t.adminLink)}</p>
        </section>`
      }`,
  };
}
