// Pages for what comes in: drop-off (public), upload links (public page and the caseworker's
// pages), the department postbox and its settings. Inputs are structural: the server passes
// its own objects.
import { formFields, hiddenInput, postForm, submitButton } from '../components/forms.ts';
import { islandScript } from '../components/islands.ts';
import {
  alertBox,
  bulletList,
  descriptionList,
  link,
  pageHeading,
  sectionHeading,
  table,
} from '../components/ui.ts';
import { needsJavaScript, uploadProgress } from '../components/upload.ts';
import { formatBytes, formatDay, formatShortDateTime } from '../format.ts';
import type { Html, Interpolation } from '../html.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import type { InboundMessages } from '../i18n/inbound.de.ts';
import { paths, transferPaths } from '../routes.ts';
import type { FieldError, Page, PageContext } from '../types.ts';
import { expiryChoices } from '../pages/compose.ts';
import type { TransferFile, TransferLimits } from '../pages/transfer-common.ts';
import { levelText, messageText, time } from '../pages/transfer-common.ts';
import { e2eOpenSection } from '../pages/keys.ts';
import { FILE_TYPES, isFileTypeId, typeList } from './file-types.ts';
import type { FileTypeId } from './file-types.ts';

export const inboundPaths = {
  dropoff: '/dropoff',
  dropoffTo: (id: string): string => `/dropoff/to/${encodeURIComponent(id)}`,
  dropoffDirect: '/dropoff/direct',
  session: (id: string): string => `/inbound/${encodeURIComponent(id)}`,
  verify: (id: string): string => `/inbound/${encodeURIComponent(id)}/verify`,
  resend: (id: string): string => `/inbound/${encodeURIComponent(id)}/resend`,
  drafts: (id: string): string => `/api/v1/inbound/${encodeURIComponent(id)}/drafts`,
  submit: (id: string): string => `/api/v1/inbound/${encodeURIComponent(id)}/submit`,
  done: (id: string): string => `/inbound/${encodeURIComponent(id)}/done`,
  inbox: '/inbox',
  item: (id: string): string => `/inbox/${encodeURIComponent(id)}`,
  itemFile: (id: string, fileId: string): string =>
    `/inbox/${encodeURIComponent(id)}/files/${encodeURIComponent(fileId)}`,
  itemZip: (id: string): string => `/inbox/${encodeURIComponent(id)}/zip`,
  itemState: (id: string): string => `/inbox/${encodeURIComponent(id)}/state`,
  itemAssign: (id: string): string => `/inbox/${encodeURIComponent(id)}/assign`,
  answer: (id: string): string => `/inbox/${encodeURIComponent(id)}/answer`,
  answers: (id: string): string => `/api/v1/inbox/${encodeURIComponent(id)}/answers`,
  answerSend: (id: string, draftId: string): string =>
    `/api/v1/inbox/${encodeURIComponent(id)}/answers/${encodeURIComponent(draftId)}/send`,
  settings: '/inbox/settings',
  settingsFor: (id: string): string => `/inbox/settings/${encodeURIComponent(id)}`,
  links: '/upload-links',
  newLink: '/upload-links/new',
  link: (id: string): string => `/upload-links/${encodeURIComponent(id)}`,
  closeLink: (id: string): string => `/upload-links/${encodeURIComponent(id)}/close`,
};

function ti(ctx: PageContext): InboundMessages {
  return messages(ctx.locale).inbound;
}

// ---- Drop-off: the public list ----------------------------------------------------------------

export interface DropoffDepartment {
  id: string;
  name: string;
  description: string | null;
  dropoffHint: string | null;
}

export function dropoffIndexPage(
  ctx: PageContext,
  o: { departments: readonly DropoffDepartment[]; directAvailable: boolean },
): Page {
  const t = ti(ctx).index;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body kern-body--large">${t.intro(ctx.tenant.name)}</p>
      ${bulletList(t.tips)}
      <section class="ab-section" aria-labelledby="dropoff-steps">
        ${sectionHeading(t.stepsHeading, 'dropoff-steps')}
        <ol class="kern-list kern-list--number">
          ${t.steps.map((s) => html`<li>${s}</li>`)}
        </ol>
      </section>
      <section class="ab-section" aria-labelledby="dropoff-departments">
        ${sectionHeading(t.departmentsHeading, 'dropoff-departments')}
        ${
          o.departments.length === 0
            ? html`<p class="kern-body">${t.departmentsNone}</p>`
            : html`<ul class="kern-list ab-link-list">
                ${o.departments.map(
                  (d) =>
                    html`<li>
                      <p class="kern-body">
                        <strong>${link(inboundPaths.dropoffTo(d.id), t.choose(d.name))}</strong>
                      </p>
                      ${d.description !== null && d.description !== '' && html`<p class="kern-body">${d.description}</p>`}
                      ${d.dropoffHint !== null && d.dropoffHint !== '' && html`<p class="kern-body kern-body--small">${d.dropoffHint}</p>`}
                    </li>`,
                )}
              </ul>`
        }
      </section>
      ${
        o.directAvailable &&
        html`<section class="ab-section" aria-labelledby="dropoff-direct">
          ${sectionHeading(t.directHeading, 'dropoff-direct')}
          <p class="kern-body">${t.directText}</p>
          <p class="kern-body">${link(inboundPaths.dropoffDirect, t.directLink)}</p>
        </section>`
      }
      <section class="ab-section" aria-labelledby="dropoff-privacy">
        ${sectionHeading(t.privacyHeading, 'dropoff-privacy')}
        <p class="kern-body">${t.privacyText}</p>
        <p class="kern-body">${link(paths.privacy, messages(ctx.locale).start.privacyLink)}</p>
      </section>`,
  };
}

// ---- Step 1: contact ----------------------------------------------------------------------------

/** An upload link as its public page shows it. */
export interface UploadRequestView {
  title: string;
  note: string;
  reference: string;
  departmentName: string;
  requester: string;
  email: string | null;
  level: number;
  allowedTypes: readonly string[];
  maxFileSize: number;
  expiresAt: Date;
}

export type ContactTargetView =
  | { kind: 'department'; department: DropoffDepartment }
  | { kind: 'direct'; domains: readonly string[] }
  | { kind: 'upload'; link: UploadRequestView };

function requestFacts(ctx: PageContext, l: UploadRequestView): Html {
  const t = ti(ctx).contact;
  return html`<section class="ab-section" aria-labelledby="request-heading">
    ${sectionHeading(l.title, 'request-heading')}
    <p class="kern-body">${t.requestFrom(l.requester, l.departmentName)}</p>
    ${l.note !== '' && messageText(l.note)}
    ${descriptionList([
      ...(l.reference === '' ? [] : [[t.requestReference, l.reference] as const]),
      [t.requestTypes, typeList(l.allowedTypes)],
      [t.requestSize, formatBytes(l.maxFileSize, ctx.locale)],
      [t.requestUntil, time(l.expiresAt, ctx.locale)],
    ])}
  </section>`;
}

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

// ---- Step 2: the code ------------------------------------------------------------------------------

export function inboundCodePage(
  ctx: PageContext,
  o: { sessionId: string; maskedEmail: string; error: string | undefined; resent: boolean },
): Page {
  const t = ti(ctx).code;
  const errors = o.error === undefined ? [] : [{ field: 'code', message: o.error }];
  const f = formFields(ctx, 'code', errors);
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body"><strong>${t.step}</strong></p>
      ${o.resent && alertBox({ kind: 'success', title: t.resent, role: 'status' })}
      <p class="kern-body">${t.sent(o.maskedEmail)}</p>
      ${postForm({
        id: 'code',
        action: inboundPaths.verify(o.sessionId),
        ctx,
        body: html`${f.errorSummary(['code'])}
        ${f.input({ name: 'code', label: t.code, hint: t.codeHint, autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]{6}', maxlength: 6 })}
        ${submitButton({ label: t.submit })}`,
      })}
      <section class="ab-section" aria-labelledby="code-resend">
        ${sectionHeading(t.resendHeading, 'code-resend')}
        <p class="kern-body">${t.resendText}</p>
        ${postForm({ id: 'code-resend-form', action: inboundPaths.resend(o.sessionId), ctx, labelledBy: 'code-resend', body: submitButton({ label: t.resendSubmit, variant: 'secondary' }) })}
      </section>`,
  };
}

// ---- Step 3: message and files -------------------------------------------------------------------

export type ComposeTargetView =
  | { kind: 'department'; name: string; hint: string | null }
  | { kind: 'direct'; address: string }
  | { kind: 'upload'; link: UploadRequestView };

export interface InboundComposeInput {
  sessionId: string;
  target: ComposeTargetView;
  senderEmail: string;
  allowedTypes: readonly string[];
  accept: string;
  limits: { maxFileSize: number; maxFiles: number; maxTotalSize: number };
  expiry: { choices: readonly number[]; value: number; max: number };
  passwordAllowed: boolean;
  /** Level 3/4 upload link: the department's public key (`amtb-pub1-…`). */
  publicKey: string | null;
  e2eMessage: boolean;
  uploadEndpoint: string;
  values: Record<string, string>;
  errors: readonly FieldError[];
}

export const INBOUND_FORM_ID = 'inbound';

export function inboundComposePage(ctx: PageContext, o: InboundComposeInput): Page {
  const m = messages(ctx.locale);
  const t = ti(ctx).compose;
  const f = formFields(ctx, INBOUND_FORM_ID, o.errors);
  const types = typeList(o.allowedTypes);
  const target = o.target;
  const to =
    target.kind === 'department'
      ? target.name
      : target.kind === 'direct'
        ? t.toDirect(target.address)
        : `${target.link.requester}, ${target.link.departmentName}`;
  const e2eDepartment = o.publicKey !== null;
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body"><strong>${t.step}</strong></p>
      ${descriptionList([
        [t.to, to],
        [t.from, o.senderEmail],
      ])}
      ${target.kind === 'department' && target.hint !== null && target.hint !== '' && alertBox({ kind: 'info', title: t.hintHeading, body: html`<p class="kern-body">${target.hint}</p>`, headingLevel: 2 })}
      ${target.kind === 'upload' && requestFacts(ctx, target.link)}
      ${
        e2eDepartment &&
        alertBox({
          kind: 'info',
          title: levelText(m.transfers, 3).label,
          body: html`<p class="kern-body">${t.e2eDepartment}</p>
            ${o.e2eMessage && html`<p class="kern-body">${t.e2eDepartmentText}</p>`}`,
          headingLevel: 2,
        })
      }
      ${needsJavaScript({ title: t.jsTitle, body: html`<p class="kern-body">${e2eDepartment ? t.jsNeededE2e : t.jsText}</p>` })}
      ${postForm({
        id: INBOUND_FORM_ID,
        action: inboundPaths.session(o.sessionId),
        ctx,
        data: {
          'upload-endpoint': o.uploadEndpoint,
          'max-file-size': o.limits.maxFileSize,
          'max-files': o.limits.maxFiles,
          'max-total-size': o.limits.maxTotalSize,
          progress: `${INBOUND_FORM_ID}-progress`,
          session: o.sessionId,
          types: o.allowedTypes.join(','),
          'public-key': o.publicKey ?? '',
          'e2e-message': o.e2eMessage ? '1' : '0',
        },
        body: html`<div data-island-errors></div>
          ${f.errorSummary(['subject', 'reference', 'message', 'password'])}
          ${f.input({ name: 'subject', label: t.subject, hint: t.subjectHint, autocomplete: 'off', maxlength: 200, value: o.values.subject ?? (target.kind === 'upload' ? target.link.title : '') })}
          ${f.input({ name: 'reference', label: t.reference, hint: t.referenceHint, autocomplete: 'off', maxlength: 100, required: false, value: o.values.reference ?? (target.kind === 'upload' ? target.link.reference : '') })}
          ${f.textarea({ name: 'message', label: t.message, required: false, rows: 8, maxlength: 20000, value: o.values.message ?? '' })}
          ${f.file({ name: 'files', label: t.files, hint: t.filesHint(types, formatBytes(o.limits.maxFileSize, ctx.locale), o.limits.maxFiles), multiple: true, required: false })}
          <p class="kern-body kern-body--small" data-upload-selection></p>
          <fieldset class="kern-fieldset">
            <legend class="kern-label">${t.optionsHeading}</legend>
            <div class="kern-fieldset__body">
              ${
                target.kind === 'upload'
                  ? hiddenInput('expiresInDays', String(o.expiry.value))
                  : f.select({
                      name: 'expiresInDays',
                      label: t.expires,
                      hint: t.expiresHint(m.meta.days(o.expiry.max)),
                      value: String(o.expiry.value),
                      options: o.expiry.choices.map((d) => ({ value: String(d), label: m.meta.days(d) })),
                    })
              }
              ${f.checkbox({ name: 'notify', label: t.notify, checked: o.values.notify === undefined || o.values.notify !== '' })}
            </div>
          </fieldset>
          ${
            o.passwordAllowed &&
            html`<fieldset class="kern-fieldset" data-password-options>
              <legend class="kern-label">${t.passwordHeading}</legend>
              <div class="kern-fieldset__body">
                <p class="kern-body">${t.passwordIntro}</p>
                ${alertBox({ kind: 'warning', title: t.passwordWarning, body: html`<p class="kern-body">${t.passwordWarningText}</p>`, headingLevel: 3 })}
                ${f.input({ name: 'password', type: 'password', label: t.password, hint: t.passwordHint, autocomplete: 'new-password', required: false, maxlength: 1024 })}
                ${f.input({ name: 'passwordConfirm', type: 'password', label: t.passwordConfirm, autocomplete: 'new-password', required: false, maxlength: 1024 })}
                ${f.checkbox({ name: 'passwordKept', label: t.passwordKept, checked: false })}
              </div>
            </fieldset>`
          }
          ${submitButton({ label: t.submit, disabled: e2eDepartment })}`,
      })}
      ${uploadProgress(ctx, `${INBOUND_FORM_ID}-progress`)} ${islandScript('inbound-compose')}`,
  };
}

export function inboundDonePage(
  ctx: PageContext,
  o: {
    number: string;
    expiresAt: Date;
    recipient: string;
    notify: boolean;
    e2e: boolean;
    password: boolean;
    email: string;
  },
): Page {
  const t = ti(ctx).done;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      ${alertBox({ kind: 'success', title: t.text(o.recipient), role: 'status' })}
      ${descriptionList([
        [t.number, html`<strong>${o.number}</strong>`],
        [t.until, time(o.expiresAt, ctx.locale)],
      ])}
      <p class="kern-body">${t.numberHint}</p>
      ${o.password && alertBox({ kind: 'warning', title: t.password })}
      <p class="kern-body">${t.confirmation(o.email)}</p>
      ${o.notify && html`<p class="kern-body">${t.notify(o.email)}</p>`}
      <p class="kern-body">${link(inboundPaths.dropoff, t.again)}</p>`,
  };
}

export function uploadLinkClosedPage(
  ctx: PageContext,
  o: { status: 'used' | 'expired' | 'closed' | 'open'; department: string; requester: string },
): Page {
  const t = ti(ctx).closed;
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${o.status === 'used' ? t.used : o.status === 'closed' ? t.closed : t.expired}</p>
      <p class="kern-body">${t.help(o.requester, o.department)}</p>
      <p class="kern-body">${link(inboundPaths.dropoff, t.dropoffLink)}</p>`,
  };
}

// ---- The department postbox ---------------------------------------------------------------------

export interface InboxEntryView {
  id: string;
  number: string;
  kind: 'dropoff' | 'upload';
  department: string;
  subject: string | undefined;
  reference: string | undefined;
  senderName: string | undefined;
  senderEmail: string | undefined;
  state: 'new' | 'opened' | 'answered' | 'done';
  assigneeId: string | null;
  assignee: string | null;
  sentAt: Date | null;
  expiresAt: Date;
  status: 'draft' | 'sent' | 'revoked' | 'expired';
  fileCount: number;
  scan: 'none' | 'pending' | 'clean' | 'quarantined' | 'e2e' | 'unscanned';
  e2e: 'password' | 'department' | null;
  direct: boolean;
}

function stateLabel(t: InboundMessages['inbox'], s: InboxEntryView['state']): string {
  return s === 'new'
    ? t.stateNew
    : s === 'opened'
      ? t.stateOpened
      : s === 'answered'
        ? t.stateAnswered
        : t.stateDone;
}

function scanLabel(t: InboundMessages['inbox'], s: InboxEntryView['scan']): string {
  switch (s) {
    case 'pending':
      return t.scanPending;
    case 'quarantined':
      return t.scanQuarantined;
    case 'e2e':
      return t.scanE2e;
    case 'unscanned':
      return t.scanUnscanned;
    case 'clean':
      return t.scanClean;
    case 'none':
      return '';
  }
}

export function inboxPage(
  ctx: PageContext,
  o: {
    entries: readonly InboxEntryView[];
    departments: readonly { id: string; name: string }[];
    filter: { department: string; state: string; q: string; mine: boolean };
    /** The same filters one page further, when there is more. */
    more?: string | null | undefined;
    /** A search that stopped early: how far back it has looked. */
    searchedUntil?: Date | null | undefined;
  },
): Page {
  const t = ti(ctx).inbox;
  const tp = messages(ctx.locale).inboxPaging;
  const tt = messages(ctx.locale).transfers;
  const stateOptions = [
    { value: '', label: t.allStates },
    { value: 'open', label: t.openStates },
    { value: 'new', label: t.stateNew },
    { value: 'opened', label: t.stateOpened },
    { value: 'answered', label: t.stateAnswered },
    { value: 'done', label: t.stateDone },
  ];
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${t.intro}</p>
      <ul class="kern-list ab-link-list">
        <li>${link(inboundPaths.links, t.uploadLinks)}</li>
        ${ctx.user?.isTenantAdmin === true && html`<li>${link(inboundPaths.settings, t.settings)}</li>`}
        ${o.departments.map(
          // Every member may make and share the key of their departments (levels 3/4), not only admins.
          (d) =>
            html`<li>
              ${link(`/inbox/departments/${encodeURIComponent(d.id)}/key`, messages(ctx.locale).deptKeys.page.title(d.name))}
            </li>`,
        )}
      </ul>
      <section class="ab-section" aria-labelledby="inbox-filter">
        ${sectionHeading(t.filterHeading, 'inbox-filter')}
        <form method="get" action="${inboundPaths.inbox}" class="ab-form" id="inbox-filter-form">
          <div class="kern-form-input">
            <label class="kern-label" for="inbox-department">${t.department}</label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="inbox-department" name="department">
                <option value="">${t.allDepartments}</option>
                ${o.departments.map((d) => html`<option value="${d.id}" ${d.id === o.filter.department ? html` selected` : ''}>${d.name}</option>`)}
              </select>
            </div>
          </div>
          <div class="kern-form-input">
            <label class="kern-label" for="inbox-state">${t.state}</label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="inbox-state" name="state">
                ${stateOptions.map((s) => html`<option value="${s.value}" ${s.value === o.filter.state ? html` selected` : ''}>${s.label}</option>`)}
              </select>
            </div>
          </div>
          <div class="kern-form-input">
            <label class="kern-label" for="inbox-q">${t.search}</label>
            <div class="kern-hint" id="inbox-q-hint">${t.searchHint}</div>
            <input
              class="kern-form-input__input"
              id="inbox-q"
              name="q"
              type="search"
              autocomplete="off"
              maxlength="200"
              value="${o.filter.q}"
              aria-describedby="inbox-q-hint"
            />
          </div>
          <div class="kern-form-check">
            <input
              class="kern-form-check__checkbox"
              id="inbox-mine"
              name="mine"
              type="checkbox"
              value="1"
              ${o.filter.mine ? html` checked` : ''}
            />
            <label class="kern-label" for="inbox-mine">${t.mine}</label>
          </div>
          ${submitButton({ label: t.apply, variant: 'secondary' })}
        </form>
      </section>
      ${
        o.entries.length === 0
          ? html`<p class="kern-body">${t.empty}</p>`
          : table({
              id: 'inbox',
              caption: t.caption,
              head: [
                t.colSubject,
                t.colFrom,
                t.colKind,
                t.colReference,
                t.colState,
                t.colAssignee,
                t.colReceived,
                t.colFiles,
              ],
              rows: o.entries.map(
                (e) =>
                  html`<tr class="kern-table__row">
                    <th scope="row" class="kern-table__header">
                      <a class="kern-link" href="${inboundPaths.item(e.id)}"
                        >${e.subject ?? t.contentDeleted}</a
                      >
                      <span class="kern-body--small"> (${e.number})</span>
                    </th>
                    <td class="kern-table__cell">
                      ${e.senderName ?? ''}${e.senderEmail !== undefined && html`<br /><span class="kern-body--small">${e.senderEmail}</span>`}
                    </td>
                    <td class="kern-table__cell">
                      ${e.kind === 'dropoff' ? t.kindDropoff : t.kindUpload}${e.direct ? html`<br /><span class="kern-body--small">${t.direct}</span>` : html`<br /><span class="kern-body--small">${e.department}</span>`}
                    </td>
                    <td class="kern-table__cell">${e.reference ?? ''}</td>
                    <td class="kern-table__cell">${stateLabel(t, e.state)}</td>
                    <td class="kern-table__cell">${e.assignee ?? t.nobody}</td>
                    <td class="kern-table__cell">
                      ${e.sentAt === null ? '' : time(e.sentAt, ctx.locale, true)}
                    </td>
                    <td class="kern-table__cell">
                      ${tt.fileCount(e.fileCount)}${e.scan !== 'none' && html`<br /><span class="kern-body--small">${scanLabel(t, e.scan)}</span>`}
                    </td>
                  </tr>`,
              ),
            })
      }
      ${o.searchedUntil != null && html`<p class="kern-body" id="inbox-searched-until">${tp.searchedUntil(formatShortDateTime(o.searchedUntil, ctx.locale))}</p>`}
      ${o.more != null && html`<p class="kern-body"><a class="kern-link" id="inbox-more" href="${o.more}">${o.filter.q === '' ? tp.more : tp.searchFurther}</a></p>`}`,
  };
}

export interface InboxFileView extends TransferFile {
  scanStatus: 'not_required' | 'pending' | 'clean' | 'infected' | 'failed' | 'unscanned' | 'e2e';
  scanSignature: string | null;
}

export interface InboxItemView {
  entry: InboxEntryView;
  transfer: { id: string; message: string | undefined; files: readonly InboxFileView[]; threadId: string };
  guest: {
    name: string | undefined;
    email: string | undefined;
    phone: string | undefined;
    verified: boolean;
    addressedTo: string | null;
  };
  envelope: string | null;
  e2eMessage: boolean;
  uploadLinkId: string | null;
  firstOpenedAt: Date | null;
  answeredAt: Date | null;
}

function fileScanText(t: InboundMessages['item'], f: InboxFileView): string {
  switch (f.scanStatus) {
    case 'pending':
      return t.scanPending;
    case 'clean':
      return t.scanClean;
    case 'infected':
      return t.scanInfected(f.scanSignature ?? '');
    case 'failed':
      return t.scanFailed;
    case 'e2e':
      return t.scanE2e;
    case 'unscanned':
      return t.scanUnscanned;
    case 'not_required':
      return t.scanNotRequired;
  }
}

const SERVABLE = new Set(['not_required', 'clean', 'unscanned', 'e2e']);

export function inboxItemPage(
  ctx: PageContext,
  o: { item: InboxItemView; colleagues: readonly { id: string; name: string }[]; now: Date },
): Page {
  const all = ti(ctx);
  const t = all.item;
  const ti_ = all.inbox;
  const { item } = o;
  const e = item.entry;
  const ended = e.status !== 'sent';
  const title = e.subject ?? ti_.contentDeleted;
  const facts: [Interpolation, Interpolation][] = [
    [t.number, e.number],
    [
      t.from,
      html`${item.guest.name ?? ''}${item.guest.email !== undefined && html` &lt;${item.guest.email}&gt;`}${item.guest.email !== undefined && html`<br /><span class="kern-body--small">${item.guest.verified ? t.verified : t.notVerified}</span>`}`,
    ],
  ];
  if (item.guest.phone !== undefined) facts.push([t.phone, item.guest.phone]);
  if (item.guest.addressedTo !== null) facts.push([t.addressedTo, item.guest.addressedTo]);
  facts.push([t.department, e.department]);
  if (e.reference !== undefined && e.reference !== '') facts.push([t.reference, e.reference]);
  if (e.sentAt !== null) facts.push([t.received, time(e.sentAt, ctx.locale)]);
  facts.push([t.expires, time(e.expiresAt, ctx.locale)]);
  facts.push([t.state, stateLabel(ti_, e.state)]);
  facts.push([
    t.protection,
    e.e2e === 'password'
      ? t.protectionPassword
      : e.e2e === 'department'
        ? t.protectionDepartment
        : t.protectionServer,
  ]);
  if (item.answeredAt !== null) facts.push([t.answered, time(item.answeredAt, ctx.locale)]);
  const files = item.transfer.files;
  const encrypted = e.e2e !== null;
  return {
    title,
    body: html`${pageHeading(title)}
      <p class="kern-body">${link(inboundPaths.inbox, t.back)}</p>
      ${ended && alertBox({ kind: 'info', title: t.ended, headingLevel: 2 })} ${descriptionList(facts)}
      ${
        !ended &&
        html`<section class="ab-section" aria-labelledby="item-message">
            ${sectionHeading(t.messageHeading, 'item-message')}
            ${
              item.e2eMessage
                ? html`<p class="kern-body" data-encrypted-message>${t.messageEncrypted}</p>`
                : item.transfer.message === undefined || item.transfer.message.trim() === ''
                  ? html`<p class="kern-body">${messages(ctx.locale).transfers.noMessage}</p>`
                  : messageText(item.transfer.message)
            }
            <div data-decrypted-message hidden></div>
          </section>
          <section class="ab-section" aria-labelledby="item-files">
            ${sectionHeading(t.filesHeading, 'item-files')}
            ${encrypted && alertBox({ kind: 'warning', title: ti_.scanE2e, body: html`<p class="kern-body">${t.e2eNote}</p>` })}
            ${
              files.length === 0
                ? html`<p class="kern-body">${t.noFiles}</p>`
                : table({
                    id: 'item-files-table',
                    caption: t.filesCaption,
                    captionHidden: true,
                    head: [t.colName, t.colSize, t.colScan],
                    rows: files.map(
                      (f) =>
                        html`<tr class="kern-table__row" data-file-id="${f.id}" data-file-name="${f.name}">
                          <th scope="row" class="kern-table__header">
                            ${
                              f.complete && SERVABLE.has(f.scanStatus)
                                ? html`<a
                                      class="kern-link"
                                      href="${inboundPaths.itemFile(item.transfer.id, f.id)}"
                                      download
                                      >${f.name}</a
                                    >${encrypted && html` <span class="kern-body--small">(${t.encryptedFile})</span>`}`
                                : f.name
                            }
                          </th>
                          <td class="kern-table__cell kern-table__cell--numeric">
                            ${formatBytes(f.size, ctx.locale)}
                          </td>
                          <td class="kern-table__cell">${fileScanText(t, f)}</td>
                        </tr>`,
                    ),
                  })
            }
            ${!encrypted && files.some((f) => f.complete && SERVABLE.has(f.scanStatus)) && html`<p class="kern-body"><a class="kern-link" href="${inboundPaths.itemZip(item.transfer.id)}" download>${t.zip}</a></p>`}
          </section>
          ${
            e.e2e === 'password' &&
            item.envelope !== null &&
            html`<section class="ab-section" aria-labelledby="item-unlock">
              ${sectionHeading(t.unlockHeading, 'item-unlock')}
              <p class="kern-body">${t.unlockText}</p>
              <form
                id="unlock"
                class="ab-form"
                novalidate
                data-envelope="${item.envelope}"
                data-transfer="${item.transfer.id}"
                data-message="${item.e2eMessage ? (item.transfer.message ?? '') : ''}"
              >
                <div data-island-errors></div>
                <div class="kern-form-input">
                  <label class="kern-label" for="unlock-password">${t.unlockPassword}</label>
                  <input
                    class="kern-form-input__input"
                    id="unlock-password"
                    name="password"
                    type="password"
                    autocomplete="off"
                    required
                  />
                </div>
                ${submitButton({ label: t.unlockSubmit, disabled: true })}
                <p class="kern-body" role="status" data-unlock-status></p>
                <ul class="kern-list ab-link-list" data-unlock-files></ul>
              </form>
              ${islandScript('inbox-unlock')}
            </section>`
          }
          ${
            e.e2e === 'department' &&
            // The envelope is here for the browser that will open it with the member's key.
            html`<section
              class="ab-section"
              aria-labelledby="item-key"
              id="item-key-section"
              data-envelope="${item.envelope ?? ''}"
            >
              ${sectionHeading(t.departmentKeyHeading, 'item-key')}
              <p class="kern-body">${t.departmentKeyText}</p>
              ${e2eOpenSection(ctx, {
                level: item.e2eMessage ? 4 : 3,
                envelopeUrl: `/api/v1/inbox/${encodeURIComponent(item.transfer.id)}/envelope`,
                message: item.e2eMessage ? item.transfer.message : undefined,
                files: files
                  .filter((f) => f.complete && SERVABLE.has(f.scanStatus))
                  .map((f) => ({
                    id: f.id,
                    name: f.name,
                    size: f.size,
                    href: inboundPaths.itemFile(item.transfer.id, f.id),
                  })),
                keysHref: `/keys?next=${encodeURIComponent(inboundPaths.item(item.transfer.id))}`,
                holder: 'department',
              })}
            </section>`
          }
          <section class="ab-section" aria-labelledby="item-actions">
            ${sectionHeading(t.actionsHeading, 'item-actions')}
            ${
              item.guest.email !== undefined &&
              html`<p class="kern-body">${t.answerText}</p>
                <p class="kern-body">
                  <a class="kern-btn kern-btn--primary" href="${inboundPaths.answer(item.transfer.id)}"
                    ><span class="kern-label">${t.answer}</span></a
                  >
                </p>`
            }
            ${
              o.colleagues.length > 0 &&
              postForm({
                id: 'assign',
                action: inboundPaths.itemAssign(item.transfer.id),
                ctx,
                body: html`${formFields(ctx, 'assign', []).select({
                  name: 'assignee',
                  label: t.assign,
                  value: e.assigneeId ?? '',
                  options: [
                    { value: '', label: t.assignNobody },
                    ...o.colleagues.map((c) => ({ value: c.id, label: c.name })),
                  ],
                })}
                ${submitButton({ label: t.assignSubmit, variant: 'secondary' })}`,
              })
            }
            ${postForm({
              id: 'item-state',
              action: inboundPaths.itemState(item.transfer.id),
              ctx,
              body:
                e.state === 'done'
                  ? submitButton({ label: t.reopen, variant: 'secondary', name: 'state', value: 'opened' })
                  : submitButton({ label: t.done, variant: 'secondary', name: 'state', value: 'done' }),
            })}
          </section>`
      }`,
  };
}

export function inboxAnswerPage(
  ctx: PageContext,
  o: { item: InboxItemView; policy: TransferLimits; uploadEndpoint: string },
): Page {
  const m = messages(ctx.locale);
  const t = ti(ctx).answer;
  const c = m.compose;
  const f = formFields(ctx, 'answer', []);
  const subject = o.item.entry.subject ?? '';
  const level1 = levelText(m.transfers, 1);
  const level2 = levelText(m.transfers, 2);
  // A password drop-off may be answered to the same password (islands/lib/password-send.ts).
  const pa = m.passwordAnswer.answer;
  const toPassword = o.item.entry.e2e === 'password' && o.item.envelope !== null;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading)}
      <p class="kern-body">${link(inboundPaths.item(o.item.transfer.id), ti(ctx).item.back)}</p>
      ${descriptionList([[t.to, o.item.guest.email ?? '']])}
      <p class="kern-body">${t.intro}</p>
      ${needsJavaScript({ title: c.jsTitle, body: html`<p class="kern-body">${c.jsText}</p>` })}
      ${postForm({
        id: 'answer',
        action: inboundPaths.answers(o.item.transfer.id),
        ctx,
        data: {
          'upload-endpoint': o.uploadEndpoint,
          'max-file-size': o.policy.maxFileSize,
          'max-files': o.policy.maxFiles,
          'max-total-size': o.policy.maxTotalSize,
          progress: 'answer-progress',
          item: o.item.transfer.id,
          ...(toPassword ? { envelope: o.item.envelope ?? '' } : {}),
        },
        body: html`<div data-island-errors></div>
          ${f.input({ name: 'subject', label: c.subject, autocomplete: 'off', maxlength: 200, value: subject.startsWith('Re:') ? subject : `Re: ${subject}`.slice(0, 200) })}
          ${f.textarea({ name: 'message', label: c.message, required: false, rows: 8, maxlength: 20000 })}
          ${f.file({ name: 'files', label: c.files, multiple: true, required: false })}
          <p class="kern-body kern-body--small" data-upload-selection></p>
          ${f.radios({
            name: 'level',
            label: c.level,
            hint: c.levelHint,
            value: toPassword ? '4' : '1',
            options: [
              { value: '1', label: level1.label, hint: level1.text },
              { value: '2', label: level2.label, hint: level2.text },
              ...(toPassword ? [{ value: '4', label: pa.option, hint: pa.optionHint }] : []),
            ],
          })}
          ${
            toPassword &&
            html`<div data-password-field>
              ${f.input({ name: 'password', type: 'password', label: pa.password, hint: pa.passwordHint, autocomplete: 'off' })}
              <p class="kern-body kern-body--small">${pa.noReply}</p>
            </div>`
          }
          ${f.select({ name: 'expiresInDays', label: c.expires, value: String(Math.min(o.policy.defaultExpiryDays, o.policy.maxExpiryDays)), options: expiryChoices(o.policy).map((d) => ({ value: String(d), label: m.meta.days(d) })) })}
          ${f.checkbox({ name: 'allowReply', label: c.allowReply, checked: true })}
          ${submitButton({ label: t.submit, disabled: true })}`,
      })}
      ${uploadProgress(ctx, 'answer-progress')} ${islandScript('inbox-answer')}`,
  };
}

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

export { transferPaths };
