import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { renderPage } from '../layout.ts';
import { ATTACK, adminUser, allPages, ctxFor, squash } from '../test-support.ts';
import { adminPage } from './admin.ts';
import { staffHomePage } from './home.ts';
import { acceptInvitationPage, MIN_PASSWORD_LENGTH } from './invitation.ts';
import { loginLinkConfirmPage, loginPage } from './login.ts';

// The test client of the server reads the token exactly like this.
const CSRF = /name="_csrf" value="([^"]+)"/;

function forms(doc: string): string[] {
  return [...doc.matchAll(/<form\b[^]*?<\/form>/g)].map((m) => m[0]);
}

describe('forms', () => {
  it('every POST form on every page carries the CSRF token', () => {
    const ctx = ctxFor({ user: adminUser });
    for (const [name, page] of Object.entries(allPages(ctx))) {
      for (const form of forms(renderPage(ctx, page))) {
        assert.match(form, /method="post"/, name);
        assert.equal(CSRF.exec(form)?.[1], 'csrf-token-123', `${name}: ${form.slice(0, 80)}`);
      }
    }
  });

  it('with errors: a summary with heading and links, aria-invalid and aria-describedby on the field', () => {
    const ctx = ctxFor({ path: '/login' });
    const body = squash(
      loginPage(ctx, {
        email: 'kaputt',
        errors: [{ field: 'email', message: 'Bitte geben Sie Ihre E-Mail-Adresse ein.' }],
      }).body.__html,
    );
    assert.match(
      body,
      /<div class="kern-alert kern-alert--danger ab-error-summary" role="alert" aria-labelledby="login-errors-title"/,
    );
    assert.match(body, /<h3 class="kern-title" id="login-errors-title">Bitte prüfen Sie Ihre Eingaben<\/h3>/);
    assert.match(
      body,
      /<a class="kern-link" href="#login-email">Bitte geben Sie Ihre E-Mail-Adresse ein.<\/a>/,
    );
    assert.match(
      body,
      /id="login-email"[^>]*aria-describedby="login-email-hint login-email-error" aria-invalid="true"/,
    );
    assert.match(body, /<p class="kern-error" id="login-email-error">/);
    assert.match(body, /src="\/assets\/islands\/form-errors.js"/);
    assert.match(body, /value="kaputt"/, 'the entered address comes back');
  });

  it('without errors: no summary, no aria-invalid', () => {
    const body = squash(loginPage(ctxFor(), { errors: [] }).body.__html);
    assert.doesNotMatch(body, /role="alert"|aria-invalid/);
  });

  it('never puts a password back into the page', () => {
    const body = squash(
      acceptInvitationPage(ctxFor(), {
        token: 't',
        email: 'a@b.example',
        errors: [{ field: 'passwordConfirm', message: 'Die beiden Passwörter sind nicht gleich.' }],
      }).body.__html,
    );
    assert.doesNotMatch(body, /type="password"[^>]*value=/);
    assert.match(body, /href="#invitation-passwordConfirm"/);
  });

  it('escapes what people typed, in values and in messages', () => {
    const body = squash(
      loginPage(ctxFor({ path: '/login' }), {
        email: `"><script>x</script>`,
        errors: [{ field: 'email', message: ATTACK }],
      }).body.__html,
    );
    assert.doesNotMatch(body, /<script>(x|alert)/);
    assert.match(body, /value="&quot;&gt;&lt;script&gt;/);
  });

  it('an error for a field the form does not show is listed without a link', () => {
    const body = squash(
      loginPage(ctxFor({ path: '/login' }), { errors: [{ field: 'body', message: 'Ungültig' }] }).body.__html,
    );
    assert.match(body, /<li class="kern-body">Ungültig<\/li>/);
  });
});

describe('login', () => {
  it('posts the password form to /login with the hidden next, the link form to /login/link', () => {
    const body = squash(loginPage(ctxFor({ path: '/login' }), { errors: [], next: '/admin' }).body.__html);
    assert.match(body, /<form id="login" method="post" action="\/login"/);
    assert.match(body, /<input type="hidden" name="next" value="\/admin">/);
    assert.match(body, /<form id="login-link" method="post" action="\/login\/link"/);
    assert.match(body, /autocomplete="current-password"/);
  });

  it('errors after POST /login/link belong to the link form', () => {
    const body = squash(
      loginPage(ctxFor({ path: '/login/link' }), {
        email: 'x',
        errors: [{ field: 'email', message: 'E-Mail?' }],
      }).body.__html,
    );
    assert.match(body, /id="login-link-email"[^>]*aria-invalid="true"/);
    assert.doesNotMatch(body, /id="login-email"[^>]*aria-invalid/);
  });

  it('after a link request says the same for every address and names none', () => {
    const a = loginPage(ctxFor({ path: '/login/link' }), { email: '', errors: [], linkRequested: true }).body
      .__html;
    assert.match(a, /Wenn es zu dieser Adresse ein Konto gibt/);
    assert.doesNotMatch(a, /@/);
  });

  it('the login-link page only offers a button that POSTs the token', () => {
    const body = squash(loginLinkConfirmPage(ctxFor(), { token: 'abc"def' }).body.__html);
    assert.match(body, /<form id="login-link-confirm" method="post" action="\/login\/link\/confirm"/);
    assert.match(body, /<input type="hidden" name="token" value="abc&quot;def">/);
    assert.match(body, /<button type="submit"/);
  });
});

describe('invitation', () => {
  it('shows the password rule with the server’s minimum length', async () => {
    const server = await readFile(
      path.join(import.meta.dirname, '../../../server/src/modules/auth/passwords.ts'),
      'utf8',
    );
    const serverMin = Number(/MIN_PASSWORD_LENGTH = (\d+)/.exec(server)?.[1]);
    assert.equal(MIN_PASSWORD_LENGTH, serverMin, 'keep pages/invitation.ts in step with the server');
    const body = squash(
      acceptInvitationPage(ctxFor(), { token: 't', email: 'a@b.example', errors: [] }).body.__html,
    );
    assert.match(body, new RegExp(`Mindestens ${String(MIN_PASSWORD_LENGTH)} Zeichen`));
    assert.match(body, /action="\/invitations\/accept"/);
    assert.match(body, /name="token" value="t"/);
    assert.equal(body.match(/autocomplete="new-password"/g)?.length, 2);
    assert.match(body, /name="displayName"[^>]*autocomplete="name"/);
  });
});

describe('staff home', () => {
  it('greets by name and lists the departments, escaped', () => {
    const ctx = ctxFor({ user: { ...adminUser, displayName: ATTACK } });
    const body = squash(
      staffHomePage(ctx, {
        departments: [
          { id: '1', name: 'Bürgerservice' },
          { id: '2', name: ATTACK },
        ],
      }).body.__html,
    );
    assert.match(body, /Bürgerservice/);
    assert.doesNotMatch(body, /<script>/);
  });
});

describe('admin', () => {
  const ctx = ctxFor({ user: adminUser, path: '/admin' });
  const staff = [
    {
      id: 'a',
      email: adminUser.email,
      displayName: 'Erika',
      isTenantAdmin: true,
      status: 'active' as const,
      departments: [],
    },
    {
      id: 'b',
      email: 'b@x.example',
      displayName: null,
      isTenantAdmin: false,
      status: 'active' as const,
      departments: ['Bauamt'],
    },
    {
      id: 'c',
      email: 'c@x.example',
      displayName: 'C',
      isTenantAdmin: false,
      status: 'invited' as const,
      departments: [],
    },
    {
      id: 'd',
      email: 'd@x.example',
      displayName: 'D',
      isTenantAdmin: true,
      status: 'disabled' as const,
      departments: [],
    },
  ];
  const body = squash(
    adminPage(ctx, {
      departments: [{ id: 'd1', name: 'Bauamt', description: ATTACK, memberCount: 1 }],
      staff,
    }).body.__html,
  );
  const rowForm = (id: string): string =>
    /<form id="staff-[^"]+"[^]*?<\/form>/.exec(body.slice(body.indexOf(`id="staff-${id}"`) - 6))?.[0] ?? '';

  it('lists departments and has the create form posting to /admin/departments', () => {
    assert.match(body, /Bauamt/);
    assert.doesNotMatch(body, /<script>/);
    assert.match(body, /<form id="admin-new-department" method="post" action="\/admin\/departments"/);
  });

  it('offers per-row actions that fit the account’s state', () => {
    assert.match(rowForm('b'), /action="\/admin\/staff\/b"/);
    assert.match(rowForm('b'), /name="action" value="make-admin"/);
    assert.match(rowForm('b'), /name="action" value="disable"/);
    assert.match(rowForm('c'), /value="resend-invitation"/);
    assert.match(rowForm('d'), /value="enable"/);
    assert.doesNotMatch(rowForm('d'), /value="revoke-admin"/);
    assert.doesNotMatch(body, /action="\/admin\/staff\/a"/, 'no buttons to lock yourself out');
  });

  it('names each action button with the person it acts on, for screen readers', () => {
    assert.match(rowForm('b'), /Sperren<span class="ab-sr-only"> für b@x.example<\/span>/);
  });

  it('has the invitation form with e-mail, name, department and admin check box', () => {
    assert.match(body, /<form id="admin-invite" method="post" action="\/admin\/staff\/invitations"/);
    assert.match(body, /<select [^>]*id="admin-invite-departmentId" name="departmentId"/);
    assert.match(body, /<option value="d1">Bauamt<\/option>/);
    assert.match(body, /id="admin-invite-isTenantAdmin" name="isTenantAdmin" type="checkbox" value="on"/);
    assert.doesNotMatch(body, /name="isTenantAdmin" type="checkbox" value="on" checked/);
  });

  it('re-shows a failed form with its values and errors', () => {
    const again = squash(
      adminPage(ctx, {
        departments: [{ id: 'd1', name: 'Bauamt', description: null, memberCount: 0 }],
        staff,
        inviteForm: {
          values: { email: 'x@y.example', departmentId: 'd1', isTenantAdmin: 'on' },
          errors: [{ field: 'email', message: 'Gibt es schon' }],
        },
      }).body.__html,
    );
    assert.match(again, /id="admin-invite-email"[^>]*value="x@y.example"[^>]*aria-invalid="true"/);
    assert.match(again, /<option value="d1" selected>/);
    assert.match(again, /name="isTenantAdmin" type="checkbox" value="on" checked/);
  });
});
