import { formFields, postForm, submitButton } from '../components/forms.ts';
import { pageHeading, sectionHeading, subHeading, table, tableRow } from '../components/ui.ts';
import type { Html } from '../html.ts';
import { html } from '../html.ts';
import type { Messages } from '../i18n/index.ts';
import { messages } from '../i18n/index.ts';
import { adminStaffPath, paths } from '@amtsbote/contracts';
import type { FormState, Page, PageContext } from '../types.ts';

/** A department row: what the admin table shows. */
export interface AdminDepartment {
  id: string;
  name: string;
  description: string | null;
  memberCount: number;
}

/** A staff row; `status` decides which actions are offered. */
export interface AdminStaffMember {
  id: string;
  email: string;
  displayName: string | null;
  isTenantAdmin: boolean;
  status: 'invited' | 'active' | 'disabled';
  departments: readonly string[];
}

/** Everything the admin page shows. */
export interface AdminPageInput {
  departments: readonly AdminDepartment[];
  staff: readonly AdminStaffMember[];
  /** The create-department form after a failed POST. */
  departmentForm?: FormState;
  /** The invitation form after a failed POST. */
  inviteForm?: FormState;
}

type StaffAction = 'make-admin' | 'revoke-admin' | 'disable' | 'enable' | 'resend-invitation';

// What an admin may do with an account in each state. Admins cannot block themselves or take
// away their own admin rights here: that is how a tenant loses its last admin by accident.
function actionsFor(s: AdminStaffMember, self: boolean): StaffAction[] {
  const out: StaffAction[] = [];
  if (s.status === 'invited') out.push('resend-invitation');
  if (s.status !== 'disabled' && !(self && s.isTenantAdmin))
    out.push(s.isTenantAdmin ? 'revoke-admin' : 'make-admin');
  if (s.status === 'disabled') out.push('enable');
  else if (!self) out.push('disable');
  return out;
}

function actionLabel(t: Messages['admin'], a: StaffAction): string {
  switch (a) {
    case 'make-admin':
      return t.makeAdmin;
    case 'revoke-admin':
      return t.revokeAdmin;
    case 'disable':
      return t.disable;
    case 'enable':
      return t.enable;
    case 'resend-invitation':
      return t.resendInvitation;
  }
}

function statusLabel(t: Messages['admin'], s: AdminStaffMember['status']): string {
  return s === 'active' ? t.statusActive : s === 'invited' ? t.statusInvited : t.statusDisabled;
}

function departmentsSection(ctx: PageContext, o: AdminPageInput): Html {
  const t = messages(ctx.locale).admin;
  const form = o.departmentForm ?? { values: {}, errors: [] };
  const f = formFields(ctx, 'admin-new-department', form.errors);
  return html`<section class="ab-section" aria-labelledby="admin-departments">
    ${sectionHeading(t.departmentsHeading, 'admin-departments')}
    ${
      o.departments.length === 0
        ? html`<p class="kern-body">${t.noDepartments}</p>`
        : table({
            id: 'departments',
            caption: t.departmentsCaption,
            captionHidden: true,
            head: [t.colName, t.colDescription, t.colMembers],
            rows: o.departments.map((d) => tableRow([d.name, d.description ?? '', d.memberCount])),
          })
    }
    ${subHeading(t.newDepartmentHeading, 'admin-new-department-heading')}
    ${postForm({
      id: 'admin-new-department',
      action: paths.adminDepartments,
      ctx,
      labelledBy: 'admin-new-department-heading',
      body: html`${f.errorSummary(['name', 'description'], 3)}
      ${f.input({ name: 'name', label: t.departmentName, hint: t.departmentNameHint, autocomplete: 'off', value: form.values.name ?? '', maxlength: 200 })}
      ${f.textarea({ name: 'description', label: t.departmentDescription, hint: t.departmentDescriptionHint, value: form.values.description ?? '', maxlength: 2000, rows: 3, required: false })}
      ${submitButton({ label: t.createDepartment })}`,
    })}
  </section>`;
}

function staffRow(ctx: PageContext, s: AdminStaffMember): Html {
  const t = messages(ctx.locale).admin;
  const self = ctx.user?.email.toLowerCase() === s.email.toLowerCase();
  const who = s.displayName ?? s.email;
  const actions = actionsFor(s, self);
  return tableRow([
    html`${s.displayName !== null && html`${s.displayName}<br />`}<span class="kern-body--small"
        >${s.email}</span
      >${self && html` ${t.you}`}`,
    s.isTenantAdmin ? t.roleAdmin : t.roleStaff,
    statusLabel(t, s.status),
    s.departments.length === 0 ? t.none : s.departments.join(', '),
    actions.length === 0
      ? ''
      : postForm({
          id: `staff-${s.id}`,
          action: adminStaffPath(s.id),
          ctx,
          className: 'ab-actions',
          body: html`${actions.map((a) =>
            submitButton({
              label: actionLabel(t, a),
              variant: 'secondary',
              name: 'action',
              value: a,
              hiddenSuffix: t.actionFor(who),
            }),
          )}`,
        }),
  ]);
}

function staffSection(ctx: PageContext, o: AdminPageInput): Html {
  const t = messages(ctx.locale).admin;
  const form = o.inviteForm ?? { values: {}, errors: [] };
  const f = formFields(ctx, 'admin-invite', form.errors);
  const wantsAdmin = form.values.isTenantAdmin === 'on' || form.values.isTenantAdmin === 'true';
  return html`<section class="ab-section" aria-labelledby="admin-staff">
    ${sectionHeading(t.staffHeading, 'admin-staff')}
    ${
      o.staff.length === 0
        ? html`<p class="kern-body">${t.noStaff}</p>`
        : table({
            id: 'staff',
            caption: t.staffCaption,
            captionHidden: true,
            head: [t.colPerson, t.colRole, t.colStatus, t.colDepartments, t.colActions],
            rows: o.staff.map((s) => staffRow(ctx, s)),
          })
    }
    ${subHeading(t.inviteHeading, 'admin-invite-heading')}
    <p class="kern-body">${t.inviteText}</p>
    ${postForm({
      id: 'admin-invite',
      action: paths.adminInvitations,
      ctx,
      labelledBy: 'admin-invite-heading',
      body: html`${f.errorSummary(['email', 'displayName', 'departmentId', 'isTenantAdmin'], 3)}
      ${f.input({ name: 'email', type: 'email', label: t.inviteEmail, autocomplete: 'off', value: form.values.email ?? '', maxlength: 254 })}
      ${f.input({ name: 'displayName', label: t.inviteDisplayName, autocomplete: 'off', value: form.values.displayName ?? '', maxlength: 200, required: false })}
      ${f.select({
        name: 'departmentId',
        label: t.inviteDepartment,
        required: false,
        value: form.values.departmentId ?? '',
        options: [
          { value: '', label: t.inviteNoDepartment },
          ...o.departments.map((d) => ({ value: d.id, label: d.name })),
        ],
      })}
      ${f.checkbox({ name: 'isTenantAdmin', label: t.inviteAdmin, checked: wantsAdmin })}
      ${submitButton({ label: t.inviteSubmit })}`,
    })}
  </section>`;
}

/** The tenant admin's page: departments (list, create) and staff (list, actions, invite). */
export function adminPage(ctx: PageContext, o: AdminPageInput): Page {
  const t = messages(ctx.locale).admin;
  return {
    title: t.title,
    body: html`${pageHeading(t.heading(ctx.tenant.name))}
      <p class="kern-body">${t.intro}</p>
      <p class="kern-body">
        <a class="kern-link" href="/admin/sso">${messages(ctx.locale).accounts.sso.title}</a>
      </p>
      ${departmentsSection(ctx, o)} ${staffSection(ctx, o)}`,
  };
}
