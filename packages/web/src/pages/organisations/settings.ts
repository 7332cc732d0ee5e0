import { formFields, postForm, submitButton } from '../../components/forms.ts';
import { bulletList, descriptionList, link, pageHeading, sectionHeading } from '../../components/ui.ts';
import { html } from '../../html.ts';
import { messages } from '../../i18n/index.ts';
import { accountPaths, organisationPaths } from '@amtsbote/contracts';
import type { FieldError, Page, PageContext } from '../../types.ts';
import type { OrganisationRole, OrganisationSummary } from './common.ts';
import { profileFields, profileFieldNames, orgHeader } from './common.ts';

// The organisation's profile and data release, and deleting it.

export function organisationSettingsPage(
  ctx: PageContext,
  o: {
    org: OrganisationSummary;
    role: OrganisationRole;
    errors: FieldError[];
    values?: Record<string, string> | undefined;
  },
): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.org;
  const f = formFields(ctx, 'profile', o.errors);
  const r = formFields(ctx, 'release', []);
  const v = o.values ?? {
    name: o.org.name,
    legalForm: o.org.legalForm ?? '',
    seat: o.org.seat ?? '',
    address: o.org.address ?? '',
    contactEmail: o.org.contactEmail,
  };
  const admin = o.role === 'admin';
  return {
    title: `${t.settingsHeading} – ${o.org.name}`,
    body: html`${orgHeader(ctx, o.org, o.role, 'settings')}
      <section class="ab-section" aria-labelledby="profile-heading">
        ${sectionHeading(t.profileHeading, 'profile-heading')}
        ${
          admin
            ? postForm({
                id: 'profile',
                action: organisationPaths.settings(o.org.id),
                ctx,
                labelledBy: 'profile-heading',
                body: html`${f.errorSummary(profileFieldNames, 3)} ${profileFields(ctx, f, v)}
                ${submitButton({ label: t.profileSubmit })}`,
              })
            : descriptionList([
                [t.name, o.org.name],
                [t.legalForm, o.org.legalForm ?? '–'],
                [t.seat, o.org.seat ?? '–'],
                [t.address, o.org.address ?? '–'],
                [t.contactEmail, o.org.contactEmail],
              ])
        }
      </section>
      <section class="ab-section" aria-labelledby="release-heading">
        ${sectionHeading(t.releaseHeading, 'release-heading')}
        <p class="kern-body">${t.releaseText}</p>
        ${
          admin
            ? postForm({
                id: 'release',
                action: organisationPaths.release(o.org.id),
                ctx,
                body: html`${r.radios({
                  name: 'release',
                  label: t.releaseLabel,
                  value: o.org.generalRelease ? 'general' : 'per-use',
                  options: [
                    { value: 'per-use', label: t.releasePerUse, hint: t.releasePerUseHint },
                    { value: 'general', label: t.releaseGeneral, hint: t.releaseGeneralHint },
                  ],
                })}
                ${submitButton({ label: t.releaseSubmit, variant: 'secondary' })}`,
              })
            : html`<p class="kern-body">
                <strong>${o.org.generalRelease ? t.releaseGeneral : t.releasePerUse}</strong>
              </p>`
        }
        ${o.org.releaseChangedAt !== null && html`<p class="kern-body kern-body--small">${t.releaseChanged(m.common.dateTime(o.org.releaseChangedAt))}</p>`}
      </section>
      ${
        admin &&
        html`<section class="ab-section" aria-labelledby="delete-heading">
          ${sectionHeading(t.deleteHeading, 'delete-heading')}
          <p class="kern-body">${t.deleteText}</p>
          <p class="kern-body">${link(organisationPaths.delete(o.org.id), t.deleteLink)}</p>
        </section>`
      }`,
  };
}

export function organisationDeletePage(
  ctx: PageContext,
  o: {
    org: { id: string; name: string };
    role: OrganisationRole;
    email: string;
    hasPassword: boolean;
    confirmed: boolean;
    errors: FieldError[];
  },
): Page {
  const m = messages(ctx.locale).accounts;
  const t = m.org;
  const f = formFields(ctx, 'delete-organisation', o.errors);
  return {
    title: t.deleteTitle(o.org.name),
    body: html`${pageHeading(t.deleteTitle(o.org.name))} ${bulletList(t.deleteConsequences)}
      ${
        o.hasPassword || o.confirmed
          ? postForm({
              id: 'delete-organisation',
              action: organisationPaths.delete(o.org.id),
              ctx,
              body: html`${f.errorSummary(['password'])}
              ${
                !o.confirmed &&
                html`<input type="hidden" name="username" value="${o.email}" autocomplete="username" />
                  ${f.input({ name: 'password', type: 'password', label: m.common.password, hint: m.deleteAccount.passwordHint, autocomplete: 'current-password', maxlength: 256 })}`
              }
              ${submitButton({ label: t.deleteSubmit })}`,
            })
          : html`<p class="kern-body">
              ${m.deleteAccount.confirmFirst}
              ${link(`${accountPaths.confirm}?next=${encodeURIComponent(organisationPaths.delete(o.org.id))}`, m.deleteAccount.confirmLink)}
            </p>`
      }
      <p class="kern-body">${link(organisationPaths.settings(o.org.id), m.common.back)}</p>`,
  };
}
