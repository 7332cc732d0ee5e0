import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html } from './html.ts';
import { renderPage } from './layout.ts';
import { loginPage } from './pages/login.ts';
import { ATTACK, adminUser, ctxFor, renderAll, squash, structuralProblems } from './test-support.ts';

const page = { title: 'Titel', body: html`<h1>Überschrift</h1>` };
const render = (...args: Parameters<typeof renderPage>): string => squash(renderPage(...args));

describe('renderPage', () => {
  it('sets the document language and the title with the tenant name', () => {
    const doc = render(ctxFor({ locale: 'en' }), page);
    assert.match(doc, /^<!doctype html><html lang="en">/);
    assert.match(doc, /<title>Titel – Musterstadt<\/title>/);
  });

  it('has a skip link to #main, and the landmarks header, nav, main and footer', () => {
    const doc = render(ctxFor(), page);
    assert.match(doc, /<a class="ab-skip-link" href="#main">Zum Inhalt springen<\/a>/);
    assert.ok(doc.indexOf('ab-skip-link') < doc.indexOf('<header'), 'the skip link comes first');
    assert.match(doc, /<main id="main"/);
    for (const tag of ['<header', '<nav', '<footer']) assert.ok(doc.includes(tag), tag);
  });

  it('every page has exactly one h1 and sound structure, in both languages', () => {
    for (const locale of ['de', 'en'] as const) {
      for (const user of [undefined, adminUser]) {
        for (const [name, doc] of Object.entries(renderAll(locale, { user }))) {
          assert.equal(doc.match(/<h1[\s>]/g)?.length, 1, `${locale} ${name}`);
          assert.deepEqual(structuralProblems(doc), [], `${locale} ${name}`);
        }
      }
    }
  });

  it('no page has inline script or style (the CSP forbids both)', () => {
    for (const [name, doc] of Object.entries(
      renderAll('de', { user: adminUser, flash: { kind: 'info', message: 'x' } }),
    )) {
      assert.doesNotMatch(doc, /<script(?![^>]*\bsrc=)[^>]*>/i, name);
      assert.doesNotMatch(doc, /\sstyle=/i, name);
      assert.doesNotMatch(doc, /<style/i, name);
      assert.doesNotMatch(doc, /\son[a-z]+=/i, `${name}: event handler attribute`);
      assert.doesNotMatch(
        doc,
        /(href|src)="(https?:)?\/\/(?!www\.schlichtungsstelle-bgg\.de)/,
        `${name}: third-party URL`,
      );
    }
  });

  it('escapes the tenant name everywhere', () => {
    const doc = render(ctxFor({ tenant: { name: ATTACK, slug: 'x' } }), page);
    assert.doesNotMatch(doc, /<script>alert/);
    assert.match(doc, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('offers both languages as plain links to the same path, marking the current one', () => {
    const doc = render(ctxFor({ path: '/datenschutz' }), page);
    assert.match(
      doc,
      /<a class="kern-link" href="\/datenschutz\?lang=de" hreflang="de" lang="de" aria-current="true">Deutsch/,
    );
    assert.match(
      doc,
      /<a class="kern-link" href="\/datenschutz\?lang=en" hreflang="en" lang="en">English<\/a>/,
    );
  });

  it('points the language links of a page answering a POST at a page that answers GET', () => {
    assert.match(render(ctxFor({ path: '/login/link' }), page), /href="\/login\?lang=en"/);
    assert.match(render(ctxFor({ path: '/admin/staff/invitations' }), page), /href="\/admin\?lang=en"/);
    assert.match(
      render(ctxFor({ path: '/accessibility/feedback' }), page),
      /href="\/barrierefreiheit\?lang=en"/,
    );
    assert.match(render(ctxFor({ path: '/invitations/accept' }), page), /href="\/\?lang=en"/);
    assert.match(render(ctxFor({ path: '/login/link/abc' }), page), /href="\/login\/link\/abc\?lang=en"/);
  });

  it('signed out: a sign-in link, no sign-out forms', () => {
    const doc = render(ctxFor(), page);
    assert.match(doc, /href="\/login"/);
    assert.doesNotMatch(doc, /action="\/logout"/);
  });

  it('signed in: home, admin for admins only, and sign-out forms with the CSRF token', () => {
    const admin = render(ctxFor({ user: adminUser }), page);
    assert.match(admin, /href="\/home"/);
    assert.match(admin, /href="\/admin"/);
    assert.match(
      admin,
      /<form method="post" action="\/logout" [^>]*><input type="hidden" name="_csrf" value="csrf-token-123">/,
    );
    assert.match(
      admin,
      /<form method="post" action="\/logout\/all" [^>]*><input type="hidden" name="_csrf" value="csrf-token-123">/,
    );
    assert.match(admin, /Angemeldet als Erika Mustermann/);
    const staff = render(ctxFor({ user: { ...adminUser, isTenantAdmin: false } }), page);
    assert.doesNotMatch(staff, /href="\/admin"/);
  });

  it('links the legal pages, Leichte Sprache and the API in the footer', () => {
    const doc = render(ctxFor(), page);
    const footer = doc.slice(doc.indexOf('<footer'));
    for (const href of ['/datenschutz', '/impressum', '/barrierefreiheit', '/leichte-sprache', '/api/docs']) {
      assert.ok(footer.includes(`href="${href}"`), href);
    }
  });

  it('shows a flash notice inside the status region', () => {
    const doc = render(
      ctxFor({ flash: { kind: 'success', message: 'Die Abteilung wurde angelegt.' } }),
      page,
    );
    assert.match(
      doc,
      /<div class="ab-flash" role="status"><div class="kern-alert kern-alert--success[^]*Die Abteilung wurde angelegt\./,
    );
  });

  it('stamps every form with the token of the context it renders with', () => {
    // The server builds one context for the page function and one for the layout; a first-time
    // visitor gets a fresh CSRF secret with each, and only the last cookie counts.
    const body = loginPage(ctxFor({ csrfToken: 'first' }), { errors: [] });
    const doc = render(ctxFor({ csrfToken: 'second', user: adminUser }), body);
    assert.doesNotMatch(doc, /value="first"/);
    assert.equal(doc.match(/name="_csrf" value="second"/g)?.length, 4, 'two page forms, two sign-out forms');
  });
});
