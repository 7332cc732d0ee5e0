import { FILE_TYPES, inboundPaths, isFileTypeId, typeList } from '@amtsbote/contracts';
import type { FileTypeId } from '@amtsbote/contracts';
import { formFields, postForm, submitButton } from '../components/forms.ts';
import { bulletList, link, pageHeading, sectionHeading } from '../components/ui.ts';
import { formatBytes } from '../format.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { Page, PageContext } from '../types.ts';
import { ti } from './common.ts';
import type { DropoffDepartment } from './dropoff-index.ts';

// ---- Settings (tenant admins) ------------------------------------------------------------------

export interface SettingsDepartment extends DropoffDepartment {
  dropoffEnabled: boolean;
  allowedTypes: readonly string[] | null;
  hasKey: boolean;
}

export function inboundSettingsPage(
  ctx: PageContext,
  o: {
    departments: readonly SettingsDepartment[];
    policy: {
      allowedTypes: readonly string[];
      defaultExpiryDays: number;
      maxExpiryDays: number;
      maxFileSize: number;
    };
  },
): Page {
  const m = messages(ctx.locale);
  const t = ti(ctx).settings;
  const allTypes = Object.keys(FILE_TYPES).filter(isFileTypeId);
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${t.intro}</p>
      <section class="ab-section" aria-labelledby="settings-policy">
        ${sectionHeading(t.policyHeading, 'settings-policy')}
        ${bulletList([`${t.policyTypes}: ${typeList(o.policy.allowedTypes)}`, t.policyExpiry(m.meta.days(o.policy.defaultExpiryDays), m.meta.days(o.policy.maxExpiryDays)), t.policySize(formatBytes(o.policy.maxFileSize, ctx.locale))])}
      </section>
      ${o.departments.map((d, i) => {
        const f = formFields(ctx, `settings-${i}`, []);
        const headingId = `settings-d-${i}`;
        return html`<section class="ab-section" aria-labelledby="${headingId}">
          ${sectionHeading(d.name, headingId)}
          <p class="kern-body">${t.link}: <code>${inboundPaths.dropoffTo(d.id)}</code></p>
          <p class="kern-body">
            ${t.key}: ${d.hasKey ? t.keyYes : t.keyNo} –
            ${link(`/inbox/departments/${encodeURIComponent(d.id)}/key`, messages(ctx.locale).deptKeys.page.title(d.name))}
          </p>
          ${postForm({
            id: `settings-${i}`,
            action: inboundPaths.settingsFor(d.id),
            ctx,
            labelledBy: headingId,
            body: html`${f.checkbox({ name: 'dropoffEnabled', label: t.enabled, checked: d.dropoffEnabled })}
              ${f.textarea({ name: 'dropoffHint', label: t.hint, hint: t.hintHint, required: false, rows: 3, maxlength: 2000, value: d.dropoffHint ?? '' })}
              <fieldset class="kern-fieldset">
                <legend class="kern-label">${t.types}</legend>
                <div class="kern-hint">${t.typesHint}</div>
                <div class="kern-fieldset__body">
                  ${allTypes.map(
                    (id: FileTypeId) =>
                      html`<div class="kern-form-check">
                        <input
                          class="kern-form-check__checkbox"
                          id="settings-${i}-type-${id}"
                          name="types"
                          type="checkbox"
                          value="${id}"
                          ${d.allowedTypes?.includes(id) === true ? html` checked` : ''}
                        />
                        <label class="kern-label" for="settings-${i}-type-${id}"
                          >${FILE_TYPES[id].label}</label
                        >
                      </div>`,
                  )}
                </div>
              </fieldset>
              ${submitButton({ label: t.save(d.name) })}`,
          })}
        </section>`;
      })}`,
  };
}
