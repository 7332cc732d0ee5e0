import { formFields, hiddenInput, postForm, submitButton } from '../components/forms.ts';
import { pageHeading } from '../components/ui.ts';
import { html } from '../html.ts';
import { messages } from '../i18n/index.ts';
import { paths } from '@amtsbote/contracts';
import type { FieldError, Page, PageContext } from '../types.ts';

/**
 * The shortest password the server accepts. Must equal MIN_PASSWORD_LENGTH in
 * packages/server/src/modules/auth/passwords.ts (a unit test compares the two); it is repeated
 * here because the server depends on this package, not the other way round.
 */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest password the server accepts (its schema's maxLength). */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * An invited staff member chooses name and password. The e-mail address is shown read-only in
 * the form, so password managers store the new password under the right user name.
 */
export function acceptInvitationPage(
  ctx: PageContext,
  o: { token: string; email: string; errors: FieldError[] },
): Page {
  const t = messages(ctx.locale).invitation;
  const f = formFields(ctx, 'invitation', o.errors);
  return {
    title: t.title,
    body: html`${pageHeading(t.title)}
      <p class="kern-body">${t.intro(ctx.tenant.name)}</p>
      ${postForm({
        id: 'invitation',
        action: paths.invitationAccept,
        ctx,
        body: html`${f.errorSummary(['displayName', 'password', 'passwordConfirm'])}
        ${hiddenInput('token', o.token)}
        ${f.input({ name: 'email', type: 'email', label: t.email, hint: t.emailHint, autocomplete: 'username', value: o.email, readonly: true, required: false })}
        ${f.input({ name: 'displayName', label: t.displayName, hint: t.displayNameHint, autocomplete: 'name', maxlength: 200, required: false })}
        ${f.input({ name: 'password', type: 'password', label: t.password, hint: t.passwordHint(MIN_PASSWORD_LENGTH), autocomplete: 'new-password', minlength: MIN_PASSWORD_LENGTH, maxlength: MAX_PASSWORD_LENGTH })}
        ${f.input({ name: 'passwordConfirm', type: 'password', label: t.passwordConfirm, autocomplete: 'new-password', minlength: MIN_PASSWORD_LENGTH, maxlength: MAX_PASSWORD_LENGTH })}
        ${submitButton({ label: t.submit })}`,
      })}`,
  };
}
