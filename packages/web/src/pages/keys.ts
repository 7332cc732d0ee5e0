import { formFields, submitButton } from '../components/forms.ts';
import { islandScript } from '../components/islands.ts';
import { alertBox, descriptionList, link, pageHeading, sectionHeading, table } from '../components/ui.ts';
import { formatBytes, formatDateTime } from '../format.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { Page, PageContext } from '../types.ts';

/** See {@link keysPage}. */
export interface KeysPageInput {
  hasKey: boolean;
  publicKey: string | undefined;
  createdAt: Date | undefined;
  /** The key's fingerprint for the owner's address: 12 groups of 5 digits, space-separated. */
  fingerprint?: string | undefined;
  /** Where to go back after unlocking (a transfer page). */
  next: string | undefined;
}

/**
 * A fingerprint as people compare it: the groups in rows of four on screen, and for a screen
 * reader each group read digit by digit (a five-digit group read as one number is hard to compare).
 */
function fingerprintOf(digits: string, spoken: (n: number, digits: string) => string): Html {
  const groups = digits.split(' ');
  const read = groups.map((g, i) => spoken(i + 1, g.split('').join(' '))).join('; ');
  return html`<span class="ab-sr-only">${read}</span
    ><code class="ab-fingerprint" aria-hidden="true"
      >${groups.map((g, i) => html`${i > 0 && i % 4 === 0 ? html`<br />` : i > 0 ? ' ' : ''}<span>${g}</span>`)}</code
    >`;
}

/** The minimum length of a key passphrase (checked in the browser; the server never sees it). */
export const MIN_KEY_PASSPHRASE = 12;

/**
 * The personal-key page for staff and service accounts: create a key (with the plain warning
 * first), unlock it for this session, change the passphrase, recover with the recovery code.
 * Everything happens in the browser (islands/keys.ts); the server only stores wrapped objects.
 */
export function keysPage(ctx: PageContext, o: KeysPageInput): Page {
  const t = messages(ctx.locale).e2eKeys.keys;
  const status = html`<p class="kern-body" role="status" aria-live="polite" data-key-status></p>`;
  const passphrase = (f: ReturnType<typeof formFields>, name: string, label: string, hint?: string): Html =>
    f.input({
      name,
      label,
      type: 'password',
      autocomplete: 'new-password',
      minlength: MIN_KEY_PASSPHRASE,
      ...(hint === undefined ? {} : { hint }),
    });
  const create = (): Html => {
    const f = formFields(ctx, 'key-create', []);
    return html`<section class="ab-section" aria-labelledby="key-create-heading">
      ${sectionHeading(t.createHeading, 'key-create-heading')}
      ${alertBox({ kind: 'warning', title: t.warning, headingLevel: 3 })}
      <form id="key-create" class="ab-form" novalidate>
        ${passphrase(f, 'passphrase', t.passphrase, t.passphraseHint)}
        ${passphrase(f, 'passphraseRepeat', t.passphraseRepeat)}
        ${f.checkbox({ name: 'understood', label: t.understood, checked: false })}
        ${submitButton({ label: t.create, disabled: true })}
      </form>
      <div id="key-recovery" hidden>
        <h3 class="kern-heading-small" id="key-recovery-heading">${t.recoveryHeading}</h3>
        <p class="kern-body">${t.recoveryText}</p>
        <p class="kern-body ab-recovery-code"><strong data-recovery-code></strong></p>
        <button type="button" class="kern-btn kern-btn--secondary" data-print>
          <span class="kern-label">${t.print}</span>
        </button>
        <div class="kern-form-check">
          <input class="kern-form-check__checkbox" type="checkbox" id="key-recovery-kept" />
          <label class="kern-label" for="key-recovery-kept">${t.recoveryKept}</label>
        </div>
        <button type="button" class="kern-btn kern-btn--primary" data-recovery-done disabled>
          <span class="kern-label">${t.done}</span>
        </button>
      </div>
    </section>`;
  };
  const manage = (): Html => {
    const u = formFields(ctx, 'key-unlock', []);
    const c = formFields(ctx, 'key-change', []);
    const r = formFields(ctx, 'key-recover', []);
    return html`${descriptionList([
        [t.publicKey, html`<code>${o.publicKey ?? ''}</code>`],
        [t.created, o.createdAt === undefined ? '' : formatDateTime(o.createdAt, ctx.locale)],
        ...(o.fingerprint === undefined
          ? []
          : [[t.fingerprint, fingerprintOf(o.fingerprint, t.fingerprintGroup)] as const]),
      ])}
      ${o.fingerprint !== undefined && html`<p class="kern-body">${t.fingerprintHint}</p>`}
      <section class="ab-section" aria-labelledby="key-unlock-heading">
        ${sectionHeading(t.unlockHeading, 'key-unlock-heading')}
        <p class="kern-body">${t.unlockText}</p>
        <form id="key-unlock" class="ab-form" novalidate>
          ${u.input({ name: 'passphrase', label: t.passphrase, type: 'password', autocomplete: 'current-password' })}
          ${submitButton({ label: t.unlock, disabled: true })}
        </form>
        <p class="kern-body" hidden data-key-unlocked>
          ${t.unlocked}
          <button type="button" class="kern-btn kern-btn--tertiary" data-key-lock>
            <span class="kern-label">${t.lock}</span>
          </button>
        </p>
        ${o.next !== undefined && html`<p class="kern-body" hidden data-key-next>${link(o.next, t.backTo)}</p>`}
      </section>
      <section class="ab-section" aria-labelledby="key-change-heading">
        ${sectionHeading(t.changeHeading, 'key-change-heading')}
        <p class="kern-body">${t.changeText}</p>
        <form id="key-change" class="ab-form" novalidate>
          ${c.input({ name: 'current', label: t.current, type: 'password', autocomplete: 'current-password' })}
          ${passphrase(c, 'passphrase', t.newPassphrase, t.passphraseHint)}
          ${passphrase(c, 'passphraseRepeat', t.passphraseRepeat)}
          ${submitButton({ label: t.change, variant: 'secondary', disabled: true })}
        </form>
      </section>
      <section class="ab-section" aria-labelledby="key-recover-heading">
        ${sectionHeading(t.recoverHeading, 'key-recover-heading')}
        <p class="kern-body">${t.recoverText}</p>
        <form id="key-recover" class="ab-form" novalidate>
          ${r.input({ name: 'code', label: t.recoveryCode, autocomplete: 'off' })}
          ${passphrase(r, 'passphrase', t.newPassphrase, t.passphraseHint)}
          ${passphrase(r, 'passphraseRepeat', t.passphraseRepeat)}
          ${submitButton({ label: t.recover, variant: 'secondary', disabled: true })}
        </form>
      </section>`;
  };
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.intro}</p>
      <noscript><p class="kern-body">${t.noScript}</p></noscript>
      ${status}
      <div id="keys" data-has-key="${o.hasKey ? '1' : '0'}" data-next="${o.next ?? ''}">
        ${o.hasKey ? manage() : create()}
      </div>
      ${islandScript('keys')}`,
  };
}

/** One file of an end-to-end transfer as the open section lists it. */
export interface E2eFile {
  id: string;
  name: string;
  size: number;
  href: string;
}

/**
 * The part of a transfer page that opens a level-3/4 transfer in the browser
 * (islands/e2e-open.ts): state (no key, waiting for the sender's side, locked), the decrypted
 * text, and a save button per file that decrypts as a stream to disk.
 */
export function e2eOpenSection(
  ctx: PageContext,
  o: {
    level: number;
    envelopeUrl: string;
    message: string | undefined;
    files: readonly E2eFile[];
    keysHref: string;
    /** `department`: the envelope is for a department key the caller opens with their share. */
    holder?: 'department';
  },
): Html {
  const t = messages(ctx.locale).e2eKeys.open;
  return html`<section
    class="ab-section"
    aria-labelledby="e2e-heading"
    id="e2e-open"
    data-envelope-url="${o.envelopeUrl}"
    data-level="${String(o.level)}"
    data-message="${o.level >= 4 ? (o.message ?? '') : ''}"
    data-keys-href="${o.keysHref}"
    data-holder="${o.holder ?? ''}"
  >
    ${sectionHeading(t.heading, 'e2e-heading')}
    <p class="kern-body">${t.intro}</p>
    <p class="kern-body kern-body--small">${t.notScanned}</p>
    <p class="kern-body" role="status" aria-live="polite" data-e2e-status></p>
    <p class="kern-body" hidden data-e2e-action>
      <a class="kern-link" href="${o.keysHref}" data-e2e-keys-link></a>
    </p>
    ${o.level >= 4 ? html`<div data-e2e-message><p class="kern-body">${t.encryptedText}</p></div>` : ''}
    ${table({
      id: 'e2e-files',
      caption: t.filesCaption,
      head: [t.name, t.size, t.action],
      rows: o.files.map(
        (f, i) =>
          html`<tr
            class="kern-table__row"
            data-e2e-file="${f.id}"
            data-href="${f.href}"
            data-index="${String(i)}"
            data-name="${f.name}"
          >
            <th scope="row" class="kern-table__header" data-e2e-name>
              ${o.level >= 4 ? `${String(i + 1)}.` : f.name}
            </th>
            <td class="kern-table__cell">${formatBytes(f.size, ctx.locale)}</td>
            <td class="kern-table__cell">
              <button type="button" class="kern-btn kern-btn--secondary" disabled data-e2e-save>
                <span class="kern-label">${t.save(o.level >= 4 ? `${String(i + 1)}.` : f.name)}</span>
              </button>
            </td>
          </tr>`,
      ),
    })}
    ${islandScript('e2e-open')}
  </section>`;
}
