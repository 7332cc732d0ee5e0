import type { formFields } from '../../components/forms.ts';
import { alertBox, pageHeading } from '../../components/ui.ts';
import type { Html } from '../../html.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { organisationPaths } from '@amtsbote/contracts';
import type { PageContext } from '../../types.ts';

// What the organisation pages share: the role, the header with its sub-navigation, the
// profile fields, and the alert for a refused action.

export type OrganisationRole = 'member' | 'admin';

export interface OrganisationSummary {
  id: string;
  name: string;
  legalForm: string | null;
  seat: string | null;
  address: string | null;
  contactEmail: string;
  generalRelease: boolean;
  releaseChangedAt: Date | null;
}

/** An administrator's action that was refused (e.g. the last administrator), at the top of the page. */
export function actionAlert(ctx: PageContext, message: string | undefined): Html {
  if (message === undefined) return html``;
  return alertBox({
    kind: 'danger',
    title: messages(ctx.locale).form.errorSummaryTitle,
    body: html`<p class="kern-body">${message}</p>`,
    role: 'alert',
  });
}

export const roleLabel = (ctx: PageContext, role: OrganisationRole): string => {
  const t = messages(ctx.locale).accounts.org;
  return role === 'admin' ? t.roleAdmin : t.roleMember;
};

export function profileFields(
  ctx: PageContext,
  f: ReturnType<typeof formFields>,
  v: Partial<Record<'name' | 'legalForm' | 'seat' | 'address' | 'contactEmail', string>>,
): Html {
  const t = messages(ctx.locale).accounts.org;
  return html`${f.input({ name: 'name', label: t.name, autocomplete: 'organization', value: v.name ?? '', maxlength: 200 })}
  ${f.input({ name: 'legalForm', label: t.legalForm, hint: t.legalFormHint, autocomplete: 'off', value: v.legalForm ?? '', maxlength: 100, required: false })}
  ${f.input({ name: 'seat', label: t.seat, hint: t.seatHint, autocomplete: 'address-level2', value: v.seat ?? '', maxlength: 200, required: false })}
  ${f.textarea({ name: 'address', label: t.address, value: v.address ?? '', maxlength: 500, rows: 3, required: false })}
  ${f.input({ name: 'contactEmail', type: 'email', label: t.contactEmail, hint: t.contactEmailHint, autocomplete: 'email', value: v.contactEmail ?? '', maxlength: 254 })}`;
}

export const profileFieldNames = ['name', 'legalForm', 'seat', 'address', 'contactEmail'];

export function orgHeader(
  ctx: PageContext,
  org: { id: string; name: string },
  role: OrganisationRole,
  current: 'postbox' | 'members' | 'keys' | 'settings' | 'none',
): Html {
  const t = messages(ctx.locale).accounts.org;
  const item = (href: string, label: string, key: typeof current) =>
    html`<li>
      <a class="kern-link" href="${href}" ${current === key ? html` aria-current="page"` : ''}>${label}</a>
    </li>`;
  return html`${pageHeading(org.name)}
    <p class="kern-body">${t.pageIntro(roleLabel(ctx, role))}</p>
    <nav aria-label="${t.subNav}" class="ab-subnav">
      <ul class="ab-inline-list">
        ${item(organisationPaths.page(org.id), t.navPostbox, 'postbox')}
        ${role === 'admin' && item(organisationPaths.members(org.id), t.navMembers, 'members')}
        ${item(`${organisationPaths.page(org.id)}/keys`, messages(ctx.locale).orgKeys.nav, 'keys')}
        ${item(organisationPaths.settings(org.id), t.navSettings, 'settings')}
      </ul>
    </nav>`;
}
