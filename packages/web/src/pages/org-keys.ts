import { islandScript } from '../components/islands.ts';
import { descriptionList, sectionHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { Page, PageContext } from '../types.ts';
import type { OrganisationRole } from './organisations.ts';
import { orgHeader } from './organisations.ts';

/**
 * The organisation's key pair (levels 3 and 4 in its postbox): what exists, whether the member
 * holds it, and — for an administrator while there is none — the button that makes it in the
 * browser (islands/org-keys.ts). The same island wraps it for members still waiting.
 */
export function organisationKeysPage(
  ctx: PageContext,
  o: {
    org: { id: string; name: string };
    role: OrganisationRole;
    publicKey: string | null;
    hasShare: boolean;
    waiting: number;
  },
): Page {
  const t = messages(ctx.locale).orgKeys;
  const mayCreate = o.publicKey === null && o.role === 'admin';
  return {
    title: `${t.title} – ${o.org.name}`,
    body: html`${orgHeader(ctx, o.org, o.role, 'keys')}
      <section
        class="ab-section"
        aria-labelledby="org-key-heading"
        id="org-key"
        data-org-id="${o.org.id}"
        data-state="${o.publicKey === null ? 'none' : o.hasShare ? 'share' : 'no-share'}"
        data-next="${`/organisations/${o.org.id}/keys`}"
      >
        ${sectionHeading(t.title, 'org-key-heading')}
        <p class="kern-body">${t.intro}</p>
        <noscript><p class="kern-body">${t.noScript}</p></noscript>
        ${
          o.publicKey === null
            ? html`<p class="kern-body">${o.role === 'admin' ? t.none : t.noneMember}</p>`
            : html`${descriptionList([[t.publicKey, html`<code>${o.publicKey}</code>`]])}
                <p class="kern-body">${t.exists} ${o.hasShare ? t.hasShare : t.noShare}</p>
                ${o.waiting > 0 && html`<p class="kern-body">${t.waiting(o.waiting)}</p>`}`
        }
        <p class="kern-body" role="status" aria-live="polite" data-org-key-status></p>
        <p class="kern-body" hidden data-org-key-action>
          <a class="kern-link" href="/keys" data-org-key-link></a>
        </p>
        ${
          mayCreate &&
          html`<h3 class="kern-heading-small" id="org-key-create-heading">${t.createHeading}</h3>
            <p class="kern-body">${t.createText}</p>
            <button type="button" class="kern-btn kern-btn--primary" disabled data-org-key-create>
              <span class="kern-label">${t.create}</span>
            </button>`
        }
      </section>
      ${islandScript('org-keys')}`,
  };
}
