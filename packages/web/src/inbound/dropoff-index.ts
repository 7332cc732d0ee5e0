import { inboundPaths, paths } from '@amtsbote/contracts';
import { bulletList, link, pageHeading, sectionHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { Page, PageContext } from '../types.ts';
import { ti } from './common.ts';

// ---- Drop-off: the public list ----------------------------------------------------------------

export interface DropoffDepartment {
  id: string;
  name: string;
  description: string | null;
  dropoffHint: string | null;
}

export function dropoffIndexPage(
  ctx: PageContext,
  o: { departments: readonly DropoffDepartment[]; directAvailable: boolean },
): Page {
  const t = ti(ctx).index;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body kern-body--large">${t.intro(ctx.tenant.name)}</p>
      ${bulletList(t.tips)}
      <section class="ab-section" aria-labelledby="dropoff-steps">
        ${sectionHeading(t.stepsHeading, 'dropoff-steps')}
        <ol class="kern-list kern-list--number">
          ${t.steps.map((s) => html`<li>${s}</li>`)}
        </ol>
      </section>
      <section class="ab-section" aria-labelledby="dropoff-departments">
        ${sectionHeading(t.departmentsHeading, 'dropoff-departments')}
        ${
          o.departments.length === 0
            ? html`<p class="kern-body">${t.departmentsNone}</p>`
            : html`<ul class="kern-list ab-link-list">
                ${o.departments.map(
                  (d) =>
                    html`<li>
                      <p class="kern-body">
                        <strong>${link(inboundPaths.dropoffTo(d.id), t.choose(d.name))}</strong>
                      </p>
                      ${d.description !== null && d.description !== '' && html`<p class="kern-body">${d.description}</p>`}
                      ${d.dropoffHint !== null && d.dropoffHint !== '' && html`<p class="kern-body kern-body--small">${d.dropoffHint}</p>`}
                    </li>`,
                )}
              </ul>`
        }
      </section>
      ${
        o.directAvailable &&
        html`<section class="ab-section" aria-labelledby="dropoff-direct">
          ${sectionHeading(t.directHeading, 'dropoff-direct')}
          <p class="kern-body">${t.directText}</p>
          <p class="kern-body">${link(inboundPaths.dropoffDirect, t.directLink)}</p>
        </section>`
      }
      <section class="ab-section" aria-labelledby="dropoff-privacy">
        ${sectionHeading(t.privacyHeading, 'dropoff-privacy')}
        <p class="kern-body">${t.privacyText}</p>
        <p class="kern-body">${link(paths.privacy, messages(ctx.locale).start.privacyLink)}</p>
      </section>`,
  };
}
