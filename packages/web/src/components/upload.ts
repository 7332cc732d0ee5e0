import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { PageContext } from '../types.ts';
import { alertBox } from './ui.ts';

/**
 * The progress area of an upload form, filled by the upload islands (compose, reply): a total
 * bar with its text, one row per file (added by the island), a pause button, and a polite live
 * region that announces milestones only (25 %, 50 %, a file finished), not every tick. Hidden
 * until an upload starts; the live region is always in the page so it is known before it speaks.
 */
export function uploadProgress(ctx: PageContext, id: string): Html {
  const t = messages(ctx.locale).upload;
  return html`<section class="ab-section ab-upload" id="${id}" aria-labelledby="${id}-heading" hidden>
      <h2 class="kern-heading-medium" id="${id}-heading" tabindex="-1">${t.progressHeading}</h2>
      <div class="kern-progress ab-upload__total">
        <label class="kern-label" for="${id}-total">${t.total}</label>
        <progress id="${id}-total" max="100" value="0" aria-describedby="${id}-total-text"></progress>
        <p class="kern-body" id="${id}-total-text" data-upload-total-text></p>
        <p class="kern-body kern-body--small" data-upload-speed></p>
      </div>
      <ul class="ab-upload__files" data-upload-files></ul>
      <p class="kern-body" data-upload-state></p>
      <div class="ab-actions">
        <button type="button" class="kern-btn kern-btn--secondary" data-upload-pause hidden>
          <span class="kern-label">${t.pause}</span>
        </button>
      </div>
    </section>
    <div class="ab-sr-only" role="status" aria-live="polite" id="${id}-announce" data-upload-announce></div>`;
}

/** Shown until the island starts: this form needs JavaScript (the island hides it). */
export function needsJavaScript(o: { title: string; body: Html }): Html {
  return html`<div data-needs-js>
    ${alertBox({ kind: 'info', title: o.title, body: o.body, headingLevel: 2 })}
  </div>`;
}
