import { islandScript } from '../components/islands.ts';
import { sectionHeading, table } from '../components/ui.ts';
import { needsJavaScript } from '../components/upload.ts';
import { formatBytes } from '../format.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { PageContext } from '../types.ts';
import type { E2eFile } from './keys.ts';

/** The level line of a transfer encrypted to the sender's own password. */
export function passwordLevelText(ctx: PageContext, forSender = false): { label: string; text: string } {
  const t = messages(ctx.locale).passwordAnswer.open;
  return forSender
    ? { label: t.senderLevel, text: t.senderLevelText }
    : { label: t.level, text: t.levelText };
}

/**
 * The part of the recipient page of an answer to a password drop-off (islands/password-open.ts):
 * the sender types the password they chose; the browser unwraps the file key from the P envelope,
 * decrypts the text and the file names (the level-4 manifest) and saves each file decrypted as a
 * stream. Until then only the count and sizes of the files are shown, under neutral names. The
 * form is not a POST form: the password never leaves the browser.
 */
export function passwordOpenSection(
  ctx: PageContext,
  o: {
    envelope: string;
    message: string | undefined;
    files: readonly E2eFile[];
    /** The caseworker who sent it, on their own transfer page (they know the password too). */
    forSender?: boolean;
  },
): Html {
  const m = messages(ctx.locale);
  const t = m.passwordAnswer.open;
  const e = m.e2eKeys.open;
  return html`<section
    class="ab-section"
    aria-labelledby="password-open-heading"
    id="password-open"
    data-envelope="${o.envelope}"
    data-message="${o.message ?? ''}"
  >
    ${sectionHeading(t.heading, 'password-open-heading')}
    <p class="kern-body">${o.forSender === true ? t.senderIntro : t.intro}</p>
    <p class="kern-body kern-body--small">${e.notScanned}</p>
    ${needsJavaScript({ title: t.jsTitle, body: html`<p class="kern-body">${t.jsText}</p>` })}
    <form id="password-open-form" class="ab-form" novalidate aria-labelledby="password-open-heading">
      <div data-island-errors></div>
      <div class="kern-form-input">
        <label class="kern-label" for="password-open-form-password"
          >${o.forSender === true ? t.senderPassword : t.password}</label
        >
        <input
          class="kern-form-input__input"
          id="password-open-form-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
      </div>
      <button type="submit" class="kern-btn kern-btn--primary" disabled>
        <span class="kern-label">${t.submit}</span>
      </button>
    </form>
    <p class="kern-body" role="status" aria-live="polite" data-password-status></p>
    <div data-password-message hidden></div>
    ${table({
      id: 'password-files',
      caption: e.filesCaption,
      head: [e.name, e.size, e.action],
      rows: o.files.map(
        (f, i) =>
          html`<tr class="kern-table__row" data-password-file="${f.id}" data-href="${f.href}">
            <th scope="row" class="kern-table__header" data-password-name>${`${String(i + 1)}.`}</th>
            <td class="kern-table__cell">${formatBytes(f.size, ctx.locale)}</td>
            <td class="kern-table__cell">
              <button type="button" class="kern-btn kern-btn--secondary" disabled data-password-save>
                <span class="kern-label">${e.save(`${String(i + 1)}.`)}</span>
              </button>
            </td>
          </tr>`,
      ),
    })}
    ${o.forSender !== true && html`<p class="kern-body kern-body--small">${t.forgotten(ctx.tenant.name)}</p>`}
    ${islandScript('password-open')}
  </section>`;
}
