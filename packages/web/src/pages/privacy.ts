import { bulletList, pageHeading, paragraphs, sectionHeading, subHeading } from '../components/ui.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { Page, PageContext } from '../types.ts';
import type { TenantLegalSettings } from './legal-settings.ts';
import { contactBlock, demoNotice, hasDemoValues, resolveLegalSettings } from './legal-settings.ts';

/**
 * The retention periods in force, as the retention registry describes them (every module's
 * rules, with the tenant's configured values): the notice cannot drift from what the portal does.
 */
export interface PrivacyRetention {
  entries: readonly { id: string; what: string; period: string }[];
}

function retentionList(ctx: PageContext, r: PrivacyRetention): Html {
  const t = messages(ctx.locale).retention;
  return html`<p class="kern-body">${t.privacyIntro}</p>
    <ul class="kern-list kern-list--bullet" id="retention-periods">
      ${r.entries.map((e) => html`<li data-rule="${e.id}"><strong>${e.what}:</strong> ${e.period}</li>`)}
    </ul>`;
}

/**
 * The privacy notice (Art. 13/14 GDPR). The processing it describes is what the portal really
 * does (cookies, truncated IPs, no third parties); names, addresses and retention periods
 * come from the tenant's settings.
 */
export function privacyPage(
  ctx: PageContext,
  legal: TenantLegalSettings,
  retention?: PrivacyRetention,
): Page {
  const t = messages(ctx.locale).privacy;
  const s = resolveLegalSettings(legal, ctx.tenant.name);
  const demo = hasDemoValues(s, ctx.tenant.name, [
    'controllerAddress',
    'contactEmail',
    'contactPhone',
    'controllerRepresentative',
    'dpoName',
    'dpoEmail',
    'supervisoryAuthorityName',
  ]);
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)} ${demo && demoNotice(ctx)}
      <p class="kern-body">${t.intro}</p>

      <section class="ab-section" aria-labelledby="privacy-controller">
        ${sectionHeading(t.controllerHeading, 'privacy-controller')}
        ${contactBlock(ctx, {
          name: s.controllerName,
          representative: s.controllerRepresentative,
          address: s.controllerAddress,
          email: s.contactEmail,
          phone: s.contactPhone,
        })}
      </section>

      <section class="ab-section" aria-labelledby="privacy-dpo">
        ${sectionHeading(t.dpoHeading, 'privacy-dpo')}
        <p class="kern-body">${t.dpoText}</p>
        ${contactBlock(ctx, { name: s.dpoName, address: s.dpoAddress, email: s.dpoEmail, phone: s.dpoPhone })}
      </section>

      <section class="ab-section" aria-labelledby="privacy-processing">
        ${sectionHeading(t.processingHeading, 'privacy-processing')} ${subHeading(t.accessHeading)}
        ${paragraphs(t.accessText)} ${subHeading(t.cookiesHeading)}
        <p class="kern-body">${t.cookiesIntro}</p>
        ${bulletList([t.cookieSession, t.cookieCsrf])}
        <p class="kern-body">${t.cookiesNone}</p>
        ${subHeading(t.thirdPartyHeading)}
        <p class="kern-body">${t.thirdPartyText}</p>
        ${subHeading(t.accountsHeading)} ${paragraphs(t.accountsText)} ${subHeading(t.contentHeading)}
        <p class="kern-body">${t.contentText}</p>
        ${subHeading(t.auditHeading)}
        <p class="kern-body">${t.auditText}</p>
        ${subHeading(t.abuseHeading)}
        <p class="kern-body">${t.abuseText}</p>
        ${subHeading(t.feedbackHeading)}
        <p class="kern-body">${t.feedbackText}</p>
      </section>

      <section class="ab-section" aria-labelledby="privacy-basis">
        ${sectionHeading(t.legalBasisHeading, 'privacy-basis')}
        <p class="kern-body">${t.legalBasisText}</p>
      </section>

      <section class="ab-section" aria-labelledby="privacy-retention">
        ${sectionHeading(t.retentionHeading, 'privacy-retention')}
        ${retention !== undefined && retentionList(ctx, retention)}
        ${
          retention === undefined &&
          bulletList([
            t.retentionTransfers(s.transferRetentionDays),
            t.retentionMetadata(s.metadataRetentionDays),
            t.retentionAudit(s.auditRetentionDays),
            t.retentionAccounts(s.inactiveAccountDays),
            t.retentionLogs(s.logRetentionDays),
            t.retentionSessions,
          ])
        }
      </section>

      <section class="ab-section" aria-labelledby="privacy-recipients">
        ${sectionHeading(t.recipientsHeading, 'privacy-recipients')}
        <p class="kern-body">${t.recipientsText}</p>
        ${s.processorName !== '' && html`<p class="kern-body">${t.processorText(s.processorName)}</p>`}
        ${s.hostingLocation !== '' && html`<p class="kern-body">${t.hostingText(s.hostingLocation)}</p>`}
      </section>

      <section class="ab-section" aria-labelledby="privacy-rights">
        ${sectionHeading(t.rightsHeading, 'privacy-rights')}
        <p class="kern-body">${t.rightsIntro}</p>
        ${bulletList(t.rights)}
        <p class="kern-body">${t.rightsContact}</p>
      </section>

      <section class="ab-section" aria-labelledby="privacy-complaint">
        ${sectionHeading(t.complaintHeading, 'privacy-complaint')}
        <p class="kern-body">${t.complaintText}</p>
        ${contactBlock(ctx, {
          name: s.supervisoryAuthorityName,
          address: s.supervisoryAuthorityAddress,
          website: s.supervisoryAuthorityWebsite,
        })}
      </section>`,
  };
}
