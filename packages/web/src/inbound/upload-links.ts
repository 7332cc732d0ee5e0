import { FILE_TYPES, inboundPaths, isFileTypeId, typeList } from '@amtsbote/contracts';
import type { FileTypeId } from '@amtsbote/contracts';
import { formFields, postForm, submitButton } from '../components/forms.ts';
import { descriptionList, link, pageHeading, sectionHeading, table } from '../components/ui.ts';
import { formatBytes, formatDay } from '../format.ts';
import { html } from '../html.ts';
import type { InboundMessages } from '../i18n/inbound.de.ts';
import { messages } from '../i18n/index.ts';
import { levelText, messageText, time } from '../pages/transfer-common.ts';
import type { FieldError, Page, PageContext } from '../types.ts';
import { ti } from './common.ts';
import type { UploadRequestView } from './common.ts';

// ---- Upload links (staff) --------------------------------------------------------------------------

export interface UploadLinkView extends UploadRequestView {
  id: string;
  uses: number;
  maxUses: number | null;
  createdAt: Date;
  status: 'open' | 'used' | 'expired' | 'closed';
}

function linkStatus(t: InboundMessages['links'], s: UploadLinkView['status']): string {
  return s === 'open'
    ? t.statusOpen
    : s === 'used'
      ? t.statusUsed
      : s === 'expired'
        ? t.statusExpired
        : t.statusClosed;
}

export function uploadLinksPage(ctx: PageContext, o: { links: readonly UploadLinkView[] }): Page {
  const t = ti(ctx).links;
  const tt = messages(ctx.locale).transfers;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${t.intro}</p>
      <p class="kern-body">
        <a class="kern-btn kern-btn--primary" href="${inboundPaths.newLink}"
          ><span class="kern-label">${t.create}</span></a
        >
      </p>
      ${
        o.links.length === 0
          ? html`<p class="kern-body">${t.empty}</p>`
          : table({
              id: 'upload-links',
              caption: t.caption,
              head: [t.colTitle, t.colFor, t.colDepartment, t.colLevel, t.colStatus, t.colUses, t.colExpires],
              rows: o.links.map(
                (l) =>
                  html`<tr class="kern-table__row">
                    <th scope="row" class="kern-table__header">
                      <a class="kern-link" href="${inboundPaths.link(l.id)}">${l.title}</a>
                    </th>
                    <td class="kern-table__cell">${l.email ?? t.plain}</td>
                    <td class="kern-table__cell">${l.departmentName}</td>
                    <td class="kern-table__cell">${tt.levelShort(l.level)}</td>
                    <td class="kern-table__cell">${linkStatus(t, l.status)}</td>
                    <td class="kern-table__cell">${t.uses(l.uses, l.maxUses)}</td>
                    <td class="kern-table__cell">${time(l.expiresAt, ctx.locale, true)}</td>
                  </tr>`,
              ),
            })
      }`,
  };
}

export function uploadLinkFormPage(
  ctx: PageContext,
  o: {
    departments: readonly { id: string; name: string; types: readonly string[]; hasKey: boolean }[];
    policy: { maxFileSize: number };
    maxDays: number;
    values: Record<string, string | readonly string[]>;
    errors: readonly FieldError[];
  },
): Page {
  const t = ti(ctx).linkForm;
  const f = formFields(ctx, 'link', o.errors);
  const str = (k: string): string => {
    const v = o.values[k];
    return typeof v === 'string' ? v : '';
  };
  const chosen = o.values.types;
  const chosenTypes: readonly string[] = Array.isArray(chosen) ? chosen : (o.departments[0]?.types ?? []);
  const anyKey = o.departments.some((d) => d.hasKey);
  const allTypes = Object.keys(FILE_TYPES).filter(isFileTypeId);
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
    ${postForm({
      id: 'link',
      action: inboundPaths.links,
      ctx,
      body: html`${f.errorSummary(['departmentId', 'email', 'title', 'note', 'reference', 'level', 'types', 'maxSizeMb', 'maxUses', 'validDays'])}
        ${f.select({ name: 'departmentId', label: t.department, hint: t.departmentHint, value: str('departmentId'), options: o.departments.map((d) => ({ value: d.id, label: d.name })) })}
        ${f.input({ name: 'title', label: t.title_, hint: t.titleHint, autocomplete: 'off', maxlength: 200, value: str('title') })}
        ${f.textarea({ name: 'note', label: t.note, hint: t.noteHint, required: false, rows: 4, maxlength: 4000, value: str('note') })}
        ${f.input({ name: 'reference', label: t.reference, autocomplete: 'off', maxlength: 100, required: false, value: str('reference') })}
        ${f.input({ name: 'email', type: 'email', label: t.email, hint: t.emailHint, autocomplete: 'off', maxlength: 254, required: false, value: str('email') })}
        ${f.radios({
          name: 'level',
          label: t.level,
          hint: anyKey ? undefined : t.levelNeedsKey,
          value: str('level') === '' ? '1' : str('level'),
          options: [
            { value: '1', label: t.level1, hint: t.level1Text },
            { value: '2', label: t.level2, hint: t.level2Text },
            { value: '3', label: t.level3, hint: t.level3Text },
            { value: '4', label: t.level4, hint: t.level4Text },
          ],
        })}
        <fieldset class="kern-fieldset" id="link-types">
          <legend class="kern-label">${t.types}</legend>
          <div class="kern-fieldset__body">
            ${allTypes.map(
              (id: FileTypeId) =>
                html`<div class="kern-form-check">
                  <input
                    class="kern-form-check__checkbox"
                    id="link-type-${id}"
                    name="types"
                    type="checkbox"
                    value="${id}"
                    ${chosenTypes.includes(id) ? html` checked` : ''}
                  />
                  <label class="kern-label" for="link-type-${id}">${FILE_TYPES[id].label}</label>
                </div>`,
            )}
          </div>
        </fieldset>
        ${f.input({ name: 'maxSizeMb', label: t.maxSize, hint: t.maxSizeHint(formatBytes(o.policy.maxFileSize, ctx.locale)), autocomplete: 'off', inputmode: 'numeric', maxlength: 7, required: false, value: str('maxSizeMb') })}
        ${f.input({ name: 'maxUses', label: t.maxUses, hint: t.maxUsesHint, autocomplete: 'off', inputmode: 'numeric', maxlength: 4, required: false, value: str('maxUses') })}
        ${f.input({ name: 'validDays', label: t.validDays, hint: t.validDaysHint(o.maxDays), autocomplete: 'off', inputmode: 'numeric', maxlength: 3, required: false, value: str('validDays') })}
        ${f.checkbox({ name: 'sendMail', label: t.sendMail, checked: str('sendMail') !== '' || o.errors.length === 0 })}
        ${submitButton({ label: t.submit })}`,
    })}`,
  };
}

export function uploadLinkPage(
  ctx: PageContext,
  o: {
    link: UploadLinkView;
    url: string;
    submissions: readonly { transferId: string; sentAt: Date | null }[];
  },
): Page {
  const all = ti(ctx);
  const t = all.linkDetail;
  const tl = all.links;
  const l = o.link;
  const tt = messages(ctx.locale).transfers;
  return {
    title: l.title,
    body: html`${pageHeading(l.title)}
      <p class="kern-body">${link(inboundPaths.links, t.back)}</p>
      ${
        l.status === 'open' &&
        html`<section class="ab-section" aria-labelledby="link-url">
          ${sectionHeading(t.linkHeading, 'link-url')}
          <p class="kern-body">${t.linkText}</p>
          <div class="kern-form-input">
            <label class="kern-label" for="link-url-field">${t.linkLabel}</label>
            <input
              class="kern-form-input__input ab-link-copy"
              id="link-url-field"
              type="text"
              readonly
              value="${o.url}"
            />
          </div>
        </section>`
      }
      ${descriptionList([
        [t.status, linkStatus(tl, l.status)],
        [t.for, l.email ?? tl.plain],
        [t.level, levelText(tt, l.level).label.replace(/:.*/, '')],
        [t.types, typeList(l.allowedTypes)],
        [t.maxSize, formatBytes(l.maxFileSize, ctx.locale)],
        [t.uses, tl.uses(l.uses, l.maxUses)],
        [t.expires, time(l.expiresAt, ctx.locale)],
        [t.created, time(l.createdAt, ctx.locale)],
      ])}
      ${l.note !== '' && messageText(l.note)}
      <section class="ab-section" aria-labelledby="link-submissions">
        ${sectionHeading(t.submissionsHeading, 'link-submissions')}
        ${
          o.submissions.length === 0
            ? html`<p class="kern-body">${t.submissionsNone}</p>`
            : html`<ul class="kern-list ab-link-list">
                ${o.submissions.map((s) => html`<li>${link(inboundPaths.item(s.transferId), t.submission(s.sentAt === null ? s.transferId : formatDay(s.sentAt, ctx.locale)))}</li>`)}
              </ul>`
        }
      </section>
      ${
        l.status === 'open' &&
        html`<section class="ab-section" aria-labelledby="link-close">
          ${sectionHeading(t.closeHeading, 'link-close')}
          <p class="kern-body">${t.closeText}</p>
          ${postForm({ id: 'close-link', action: inboundPaths.closeLink(l.id), ctx, labelledBy: 'link-close', body: submitButton({ label: t.closeSubmit, variant: 'secondary' }) })}
        </section>`
      }`,
  };
}
