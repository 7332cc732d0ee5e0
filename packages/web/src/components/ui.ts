import type { Html, Interpolation } from '../html.ts';
import { html } from '../html.ts';

/** The four KERN alert colours. */
export type AlertKind = 'info' | 'success' | 'warning' | 'danger';

/**
 * A KERN alert box. `role` is left to the caller: a message that appears after an action is a
 * status; one that is simply part of the page needs none.
 */
export function alertBox(o: {
  kind: AlertKind;
  title: Interpolation;
  body?: Interpolation;
  role?: 'status' | 'alert';
  headingLevel?: 2 | 3;
  id?: string;
}): Html {
  const title =
    o.headingLevel === 2
      ? html`<h2 class="kern-title">${o.title}</h2>`
      : o.headingLevel === 3
        ? html`<h3 class="kern-title">${o.title}</h3>`
        : html`<span class="kern-title">${o.title}</span>`;
  return html`<div
    class="kern-alert kern-alert--${o.kind} ab-alert"
    ${o.role === undefined ? '' : html` role="${o.role}"`}${o.id === undefined ? '' : html` id="${o.id}"`}
  >
    <div class="kern-alert__header">
      <span class="kern-icon kern-icon--${o.kind}" aria-hidden="true"></span>${title}
    </div>
    ${o.body === undefined ? '' : html`<div class="kern-alert__body">${o.body}</div>`}
  </div>`;
}

/** A link in running text, KERN style. */
export function link(
  href: string,
  text: Interpolation,
  attrs: { hreflang?: string; lang?: string } = {},
): Html {
  return html`<a
    class="kern-link"
    href="${href}"
    ${attrs.hreflang === undefined ? '' : html` hreflang="${attrs.hreflang}"`}${
      attrs.lang === undefined ? '' : html` lang="${attrs.lang}"`
    }
    >${text}</a
  >`;
}

/** Paragraphs of body text. */
export function paragraphs(texts: readonly Interpolation[]): Html {
  return html`${texts.map((p) => html`<p class="kern-body">${p}</p>`)}`;
}

/** A bulleted list. */
export function bulletList(items: readonly Interpolation[]): Html {
  return html`<ul class="kern-list kern-list--bullet">
    ${items.map((i) => html`<li>${i}</li>`)}
  </ul>`;
}

/** The page's one h1. */
export function pageHeading(text: Interpolation): Html {
  return html`<h1 class="kern-heading-x-large">${text}</h1>`;
}

/** A section heading (h2). */
export function sectionHeading(text: Interpolation, id?: string): Html {
  return html`<h2 class="kern-heading-large" ${id === undefined ? '' : html` id="${id}"`}>${text}</h2>`;
}

/** A sub-section heading (h3). */
export function subHeading(text: Interpolation, id?: string): Html {
  return html`<h3 class="kern-heading-small" ${id === undefined ? '' : html` id="${id}"`}>${text}</h3>`;
}

/**
 * A table that scrolls sideways on small screens. The scroll box is focusable and named by the
 * caption, so keyboard users can scroll it too (WCAG 2.1.1).
 */
export function table(o: {
  id: string;
  caption: Interpolation;
  head: readonly Interpolation[];
  rows: readonly Html[];
  captionHidden?: boolean;
}): Html {
  const captionId = `${o.id}-caption`;
  return html`<div
    class="kern-table-responsive ab-table-scroll"
    role="region"
    aria-labelledby="${captionId}"
    tabindex="0"
  >
    <table class="kern-table kern-table--striped" id="${o.id}">
      <caption class="kern-title${o.captionHidden === true ? ' ab-sr-only' : ''}" id="${captionId}">
        ${o.caption}
      </caption>
      <thead class="kern-table__head">
        <tr class="kern-table__row">
          ${o.head.map((h) => html`<th scope="col" class="kern-table__header">${h}</th>`)}
        </tr>
      </thead>
      <tbody class="kern-table__body">
        ${o.rows}
      </tbody>
    </table>
  </div>`;
}

/** One table row; the first cell is the row header. */
export function tableRow(cells: readonly Interpolation[]): Html {
  const [first, ...rest] = cells;
  return html`<tr class="kern-table__row">
    <th scope="row" class="kern-table__header">${first}</th>
    ${rest.map((c) => html`<td class="kern-table__cell">${c}</td>`)}
  </tr>`;
}

/** Label–value pairs (KERN description list), e.g. the facts about one message. */
export function descriptionList(items: readonly (readonly [Interpolation, Interpolation])[]): Html {
  return html`<dl class="kern-description-list ab-facts">
    ${items.map(
      ([key, value]) =>
        html`<div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">${key}</dt>
          <dd class="kern-description-list-item__value">${value}</dd>
        </div>`,
    )}
  </dl>`;
}
