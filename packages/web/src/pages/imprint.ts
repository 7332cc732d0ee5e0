import { pageHeading, sectionHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { Page, PageContext } from '../types.ts';
import type { TenantLegalSettings } from './legal-settings.ts';
import { contactBlock, demoNotice, hasDemoValues, resolveLegalSettings } from './legal-settings.ts';

/** The imprint (§ 5 DDG, § 18 MStV) from the tenant's settings. */
export function imprintPage(ctx: PageContext, legal: TenantLegalSettings): Page {
  const m = messages(ctx.locale);
  const t = m.imprint;
  const s = resolveLegalSettings(legal, ctx.tenant.name);
  const demo = hasDemoValues(s, ctx.tenant.name, [
    'controllerLegalForm',
    'controllerRepresentative',
    'controllerAddress',
    'contactEmail',
    'contactPhone',
    'oversightAuthority',
    'contentResponsible',
  ]);
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)} ${demo && demoNotice(ctx)}
      <section class="ab-section" aria-labelledby="imprint-publisher">
        ${sectionHeading(t.publisherHeading, 'imprint-publisher')}
        ${contactBlock(ctx, { name: s.controllerName, representative: s.controllerRepresentative, address: s.controllerAddress })}
        ${s.controllerLegalForm !== '' && html`<p class="kern-body">${t.legalForm}: ${s.controllerLegalForm}</p>`}
      </section>
      <section class="ab-section" aria-labelledby="imprint-contact">
        ${sectionHeading(t.contactHeading, 'imprint-contact')}
        ${contactBlock(ctx, { email: s.contactEmail, phone: s.contactPhone })}
      </section>
      ${
        s.oversightAuthority !== '' &&
        html`<section class="ab-section" aria-labelledby="imprint-oversight">
          ${sectionHeading(t.oversightHeading, 'imprint-oversight')}
          <p class="kern-body">${s.oversightAuthority}</p>
        </section>`
      }
      ${
        s.vatId !== '' &&
        html`<section class="ab-section" aria-labelledby="imprint-vat">
          ${sectionHeading(t.vatIdHeading, 'imprint-vat')}
          <p class="kern-body">${s.vatId}</p>
        </section>`
      }
      ${
        s.contentResponsible !== '' &&
        html`<section class="ab-section" aria-labelledby="imprint-responsible">
          ${sectionHeading(t.contentResponsibleHeading, 'imprint-responsible')}
          <p class="kern-body">${s.contentResponsible}</p>
        </section>`
      }
      <section class="ab-section" aria-labelledby="imprint-software">
        ${sectionHeading(t.softwareHeading, 'imprint-software')}
        <p class="kern-body">${t.softwareText}</p>
      </section>`,
  };
}
