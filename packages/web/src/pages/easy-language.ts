import { link, pageHeading, sectionHeading } from '../components/ui.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import type { Messages } from '../i18n/index.ts';
import { messages } from '../i18n/index.ts';
import { paths } from '@amtsbote/contracts';
import type { Page, PageContext } from '../types.ts';

type Section = keyof Messages['easyLanguage']['sections'];

/**
 * The explanation in Leichte Sprache that BITV 2.0 (§ 4) requires: what the site is, how to use
 * it, how to reach the authority, where the accessibility statement is. One idea per sentence,
 * one sentence per line.
 */
export function leichteSprachePage(ctx: PageContext): Page {
  const t = messages(ctx.locale).easyLanguage;
  const order: readonly { key: Section; link?: Html }[] = [
    { key: 'what' },
    { key: 'use' },
    { key: 'contact', link: link(paths.imprint, t.linkImprint) },
    { key: 'data', link: link(paths.privacy, t.linkPrivacy) },
    { key: 'accessibility', link: link(paths.accessibility, t.linkAccessibility) },
    { key: 'staff', link: link(paths.login, t.linkLogin) },
  ];
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
    ${order.map(({ key, link: after }) => {
      const s = t.sections[key];
      return html`<section class="ab-section" aria-labelledby="easy-${key}">
        ${sectionHeading(s.heading, `easy-${key}`)}
        ${s.sentences(ctx.tenant.name).map((sentence) => html`<p class="kern-body kern-body--large">${sentence}</p>`)}
        ${after !== undefined && html`<p class="kern-body kern-body--large">${after}</p>`}
      </section>`;
    })}`,
  };
}
