import { formFields, hiddenInput, postForm, submitButton } from '../components/forms.ts';
import { bulletList, pageHeading, paragraphs, sectionHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { formatDate, messages } from '../i18n/index.ts';
import { paths } from '@amtsbote/contracts';
import type { FormState, Page, PageContext } from '../types.ts';
import type { TenantLegalSettings } from './legal-settings.ts';
import { contactBlock, demoNotice, hasDemoValues, resolveLegalSettings } from './legal-settings.ts';

/**
 * The accessibility statement BITV 2.0 (§ 7) asks for: conformity status, known barriers, date
 * and method, a feedback mechanism (a form here, plus direct contact), and the conciliation
 * procedure.
 */
export function accessibilityPage(
  ctx: PageContext,
  legal: TenantLegalSettings,
  form: { values: Partial<Record<string, string>>; errors: FormState['errors'] },
): Page {
  const t = messages(ctx.locale).accessibility;
  const s = resolveLegalSettings(legal, ctx.tenant.name);
  const demo = hasDemoValues(s, ctx.tenant.name, ['statementDate', 'feedbackEmail', 'enforcementBodyName']);
  const status =
    s.conformityStatus === 'full'
      ? t.statusFull
      : s.conformityStatus === 'none'
        ? t.statusNone
        : t.statusPartial;
  const barriers = [
    ...t.standardBarriers,
    ...s.knownBarriers
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  ];
  const f = formFields(ctx, 'feedback', form.errors);
  const v = form.values;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)} ${demo && demoNotice(ctx)}
      <p class="kern-body">${t.intro(s.controllerName)}</p>
      <p class="kern-body">${t.scope}</p>

      <section class="ab-section" aria-labelledby="a11y-status">
        ${sectionHeading(t.statusHeading, 'a11y-status')}
        <p class="kern-body">${status}</p>
      </section>

      <section class="ab-section" aria-labelledby="a11y-barriers">
        ${sectionHeading(t.barriersHeading, 'a11y-barriers')}
        ${barriers.length === 0 ? html`<p class="kern-body">${t.noBarriers}</p>` : bulletList(barriers)}
      </section>

      <section class="ab-section" aria-labelledby="a11y-creation">
        ${sectionHeading(t.creationHeading, 'a11y-creation')}
        <p class="kern-body">
          ${s.statementDate === '' ? t.createdUnknown : t.created(formatDate(s.statementDate, ctx.locale))}
          ${s.statementReviewedDate !== '' && t.reviewed(formatDate(s.statementReviewedDate, ctx.locale))}
        </p>
        <p class="kern-body">${s.statementMethod === 'external-audit' ? t.methodExternal : t.methodSelf}</p>
      </section>

      <section class="ab-section" aria-labelledby="a11y-contact">
        ${sectionHeading(t.contactHeading, 'a11y-contact')}
        <p class="kern-body">${t.contactText}</p>
        ${contactBlock(ctx, { email: s.feedbackEmail, phone: s.feedbackPhone })}
      </section>

      <section class="ab-section" aria-labelledby="a11y-form">
        ${sectionHeading(t.formHeading, 'a11y-form')}
        ${postForm({
          id: 'feedback',
          action: paths.accessibilityFeedback,
          ctx,
          labelledBy: 'a11y-form',
          body: html`${f.errorSummary(['name', 'email', 'message'], 3)} ${hiddenInput('page', v.page ?? '')}
            ${f.textarea({ name: 'message', label: t.formMessage, hint: t.formMessageHint, value: v.message ?? '', maxlength: 5000 })}
            ${f.input({ name: 'name', label: t.formName, autocomplete: 'name', value: v.name ?? '', maxlength: 200, required: false })}
            ${f.input({ name: 'email', type: 'email', label: t.formEmail, hint: t.formEmailHint, autocomplete: 'email', value: v.email ?? '', maxlength: 254, required: false })}
            <p class="kern-body kern-body--small">${t.formPrivacy}</p>
            ${submitButton({ label: t.formSubmit })}`,
        })}
      </section>

      <section class="ab-section" aria-labelledby="a11y-enforcement">
        ${sectionHeading(t.enforcementHeading, 'a11y-enforcement')} ${paragraphs(t.enforcementText)}
        ${contactBlock(ctx, {
          name: s.enforcementBodyName,
          address: s.enforcementBodyAddress,
          phone: s.enforcementBodyPhone,
          email: s.enforcementBodyEmail,
          website: s.enforcementBodyWebsite,
        })}
      </section>`,
  };
}
