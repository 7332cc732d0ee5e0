import { link, pageHeading, paragraphs, sectionHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { paths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../types.ts';

/** The start page: what the portal is, for citizens and for staff, in a few sentences. */
export function startPage(ctx: PageContext): Page {
  const t = messages(ctx.locale).start;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body kern-body--large">${t.intro(ctx.tenant.name)}</p>
      <section class="ab-section" aria-labelledby="start-citizens">
        ${sectionHeading(t.citizensHeading, 'start-citizens')} ${paragraphs(t.citizensText)}
        <p class="kern-body">${t.easyLanguageText} ${link(paths.easyLanguage, t.easyLanguageLink)}</p>
      </section>
      <section class="ab-section" aria-labelledby="start-dropoff">
        ${sectionHeading(messages(ctx.locale).inbound.startTeaser.heading, 'start-dropoff')}
        <p class="kern-body">${messages(ctx.locale).inbound.startTeaser.text}</p>
        <p class="kern-body">${link('/dropoff', messages(ctx.locale).inbound.startTeaser.link)}</p>
      </section>
      <section class="ab-section" aria-labelledby="start-staff">
        ${sectionHeading(t.staffHeading, 'start-staff')}
        ${
          ctx.user === undefined
            ? html`<p class="kern-body">${t.staffText}</p>
                <p class="kern-body">${link(paths.login, t.staffLogin)}</p>`
            : html`<p class="kern-body">${t.staffSignedIn} ${link(paths.staffHome, t.staffHomeLink)}</p>`
        }
      </section>
      <section class="ab-section" aria-labelledby="start-privacy">
        ${sectionHeading(t.privacyHeading, 'start-privacy')}
        <p class="kern-body">${t.privacyText}</p>
        <p class="kern-body">${link(paths.privacy, t.privacyLink)}</p>
      </section>`,
  };
}
