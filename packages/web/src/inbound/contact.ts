import { formFields, hiddenInput, postForm, submitButton } from '../components/forms.ts';
import { alertBox, pageHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import type { FieldError, Page, PageContext } from '../types.ts';
import { requestFacts, ti } from './common.ts';
import type { UploadRequestView } from './common.ts';
import type { DropoffDepartment } from './dropoff-index.ts';

// ---- Step 1: contact ----------------------------------------------------------------------------
export type ContactTargetView =
  | { kind: 'department'; department: DropoffDepartment }
  | { kind: 'direct'; domains: readonly string[] }
  | { kind: 'upload'; link: UploadRequestView };

export function inboundContactPage(
  ctx: PageContext,
  o: {
    action: string;
    target: ContactTargetView;
    values: Record<string, string>;
    errors: readonly FieldError[];
    started: string;
  },
): Page {
  const t = ti(ctx).contact;
  const f = formFields(ctx, 'contact', o.errors);
  const target = o.target;
  const heading =
    target.kind === 'department'
      ? t.headingDepartment(target.department.name)
      : target.kind === 'direct'
        ? t.headingDirect
        : t.headingUpload;
  const codeNeeded = target.kind !== 'upload' || target.link.level >= 2;
  const fixedEmail = target.kind === 'upload' ? target.link.email : null;
  return {
    title: t.title,
    body: html`${pageHeading(heading)} ${target.kind === 'upload' && requestFacts(ctx, target.link)}
      ${
        target.kind === 'department' &&
        target.department.dropoffHint !== null &&
        target.department.dropoffHint !== '' &&
        alertBox({
          kind: 'info',
          title: t.hint,
          body: html`<p class="kern-body">${target.department.dropoffHint}</p>`,
          headingLevel: 2,
        })
      }
      <p class="kern-body"><strong>${t.step}</strong></p>
      <p class="kern-body">${codeNeeded ? t.intro : t.introUploadLevel1}</p>
      ${postForm({
        id: 'contact',
        action: o.action,
        ctx,
        body: html`${f.errorSummary(['firstName', 'lastName', 'phone', 'email', 'caseworker'])}
          ${hiddenInput('started', o.started)}
          ${target.kind === 'department' && hiddenInput('departmentId', target.department.id)}
          ${f.input({ name: 'firstName', label: t.firstName, autocomplete: 'given-name', maxlength: 100, value: o.values.firstName ?? '' })}
          ${f.input({ name: 'lastName', label: t.lastName, autocomplete: 'family-name', maxlength: 100, value: o.values.lastName ?? '' })}
          ${f.input({ name: 'phone', label: t.phone, hint: t.phoneHint, autocomplete: 'tel', maxlength: 40, required: false, value: o.values.phone ?? '' })}
          ${
            fixedEmail === null
              ? f.input({
                  name: 'email',
                  type: 'email',
                  label: t.email,
                  hint: t.emailHint,
                  autocomplete: 'email',
                  maxlength: 254,
                  value: o.values.email ?? '',
                })
              : f.input({
                  name: 'email',
                  type: 'email',
                  label: t.email,
                  hint: t.emailFixed,
                  autocomplete: 'email',
                  readonly: true,
                  value: fixedEmail,
                })
          }
          ${
            target.kind === 'direct' &&
            f.input({
              name: 'caseworker',
              type: 'email',
              label: t.caseworker,
              hint: t.caseworkerHint(target.domains.map((d) => `@${d}`).join(', ')),
              autocomplete: 'off',
              maxlength: 254,
              value: o.values.caseworker ?? '',
            })
          }
          <div class="ab-hp" aria-hidden="true">
            <label for="contact-website">${t.honeypot}</label>
            <input
              id="contact-website"
              name="website"
              type="text"
              tabindex="-1"
              autocomplete="off"
              value=""
            />
          </div>
          <p class="kern-body kern-body--small">${t.privacy}</p>
          ${submitButton({ label: codeNeeded ? t.submit : t.submitUpload })}`,
      })}`,
  };
}
