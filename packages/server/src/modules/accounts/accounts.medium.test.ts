import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MINUTE } from '../../adapters/clock.ts';
import type { TestApp } from '../../testing/index.ts';
import { TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';
import { findAccountByEmail } from './service.ts';
import { currentTotpCode } from './services/totp.ts';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
const host = 'musterstadt.localhost';
const PASSWORD = 'Sonnenblumen wachsen im Garten hinter dem Rathaus';

before(async () => {
  t = await createTestApp();
  tenant = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  t.app.invalidateTenantCache();
});
after(() => t.close());

async function lastMailTo(address: string) {
  const mails = (await outbox(t)).filter((m) => m.to.includes(address));
  const last = mails.at(-1);
  assert.ok(last !== undefined, `a mail to ${address}`);
  return last;
}

async function codeFor(address: string): Promise<string> {
  const m = /\b(\d{6})\b/.exec((await lastMailTo(address)).text);
  assert.ok(m?.[1] !== undefined, 'a code in the mail');
  return m[1];
}

const codeIdOf = (body: string) => /name="codeId" value="([^"]+)"/.exec(body)?.[1] ?? '';

/** Registers an account with e-mail only and sets a password; returns the signed-in client. */
async function register(email: string, password = PASSWORD): Promise<TestClient> {
  const c = new TestClient(t.app, host);
  await c.get('/account/register');
  const asked = await c.postForm('/account/register', { email, displayName: '' });
  assert.equal(asked.statusCode, 200, asked.body);
  const verified = await c.postForm('/account/register/verify', {
    codeId: codeIdOf(asked.body),
    code: await codeFor(email),
    email,
  });
  assert.equal(verified.statusCode, 303, verified.body);
  await c.get('/account');
  const set = await c.postForm('/account/password', { password, passwordConfirm: password });
  assert.equal(set.statusCode, 303, set.body);
  return c;
}

describe('registration with an e-mail address only', () => {
  it('mails a code, creates the account on the right code and signs it in', async () => {
    const c = new TestClient(t.app, host);
    const page = await c.get('/account/register');
    assert.equal(page.statusCode, 200);
    const asked = await c.postForm('/account/register', {
      email: 'Erika.Muster@Example.org',
      displayName: 'Erika Muster',
    });
    assert.equal(asked.statusCode, 200);
    assert.match(asked.body, /name="code"/);
    const wrong = await c.postForm('/account/register/verify', {
      codeId: codeIdOf(asked.body),
      code: '000000',
      email: 'erika.muster@example.org',
    });
    assert.equal(wrong.statusCode, 400);
    const code = await codeFor('erika.muster@example.org');
    const ok = await c.postForm('/account/register/verify', {
      codeId: codeIdOf(asked.body),
      code,
      email: 'erika.muster@example.org',
      displayName: 'Erika Muster',
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/account?notice=account-created');
    const home = await c.get('/account');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /erika\.muster@example\.org/);
    assert.match(home.body, /Erika Muster/);
    const api = await c.get('/api/v1/account');
    assert.equal(api.json<{ email: string; hasPassword: boolean }>().hasPassword, false);
  });

  it('refuses common passwords without composition rules, and accepts a long sentence', async () => {
    const c = await register('satz@example.org');
    const common = await c.postForm('/account/password', {
      current: PASSWORD,
      password: 'passwordpassword',
      passwordConfirm: 'passwordpassword',
    });
    assert.equal(common.statusCode, 400);
    assert.match(common.body, /oft benutzter Passwörter|often-used passwords/);
    const listed = await c.postForm('/account/password', {
      current: PASSWORD,
      password: '1qaz2wsx3edc',
      passwordConfirm: '1qaz2wsx3edc',
    });
    assert.equal(listed.statusCode, 400);
    const short = await c.postForm('/account/password', {
      current: PASSWORD,
      password: 'kurz',
      passwordConfirm: 'kurz',
    });
    assert.equal(short.statusCode, 400);
    const fine = await c.postForm('/account/password', {
      current: PASSWORD,
      password: 'alle meine entchen schwimmen',
      passwordConfirm: 'alle meine entchen schwimmen',
    });
    assert.equal(fine.statusCode, 303);
  });

  it('does not tell whether an address has an account, and never opens one with a password by code', async () => {
    await register('vorhanden@example.org');
    const c = new TestClient(t.app, host);
    await c.get('/account/register');
    const asked = await c.postForm('/account/register', { email: 'vorhanden@example.org' });
    const fresh = await c.postForm('/account/register', { email: 'neu-unbekannt@example.org' });
    assert.equal(asked.statusCode, fresh.statusCode);
    assert.match(asked.body, /name="code"/);
    const mail = await lastMailTo('vorhanden@example.org');
    assert.doesNotMatch(mail.text, /\b\d{6}\b/, 'no code for an account that has a password');
    const tried = await c.postForm('/account/register/verify', {
      codeId: codeIdOf(asked.body),
      code: '123456',
      email: 'vorhanden@example.org',
    });
    assert.equal(tried.statusCode, 400);
  });
});

describe('signing in', () => {
  it('signs in with the password; wrong passwords are refused and then rate-limited', async () => {
    await register('anmelden@example.org');
    const c = new TestClient(t.app, host);
    await c.get('/account/login');
    const wrong = await c.postForm('/account/login', {
      email: 'anmelden@example.org',
      password: 'falsch-falsch-falsch',
    });
    assert.equal(wrong.statusCode, 401);
    const right = await c.postForm('/account/login', { email: 'anmelden@example.org', password: PASSWORD });
    assert.equal(right.statusCode, 303);
    assert.equal((await c.get('/account')).statusCode, 200);
    for (let i = 0; i < 5; i++)
      await c.postForm('/account/login', {
        email: 'anmelden@example.org',
        password: `falsch-${i}-falsch-falsch`,
      });
    const limited = await c.postForm('/account/login', { email: 'anmelden@example.org', password: PASSWORD });
    assert.equal(limited.statusCode, 429);
  });

  it('an unknown visitor is sent to the sign-in page, an API call gets 401', async () => {
    const c = new TestClient(t.app, host);
    const page = await c.get('/account');
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/account\/login\?next=/);
    const api = await c.get('/api/v1/account');
    assert.equal(api.statusCode, 401);
    assert.equal(api.json<{ error: { code: string } }>().error.code, 'ERR_UNAUTHENTICATED');
  });
});

describe('second factor: TOTP with recovery codes', () => {
  it('sets up TOTP, then asks for a code at sign-in; a reused code is refused', async () => {
    const c = await register('totp@example.org');
    const account = await findAccountByEmail(t.deps.db, tenant.tenant.id, 'totp@example.org');
    assert.ok(account !== undefined);
    const setup = await c.get('/account/totp');
    assert.equal(setup.statusCode, 200);
    assert.match(setup.body, /<svg[^>]*ab-qr/);
    const bad = await c.postForm('/account/totp/confirm', { code: '000000' });
    assert.equal(bad.statusCode, 400);
    const code = await currentTotpCode(t.deps, tenant.tenant.id, account.id, t.clock.now(), true);
    const done = await c.postForm('/account/totp/confirm', { code });
    assert.equal(done.statusCode, 200);
    const recovery = [...done.body.matchAll(/<code>([a-z0-9-]{30})<\/code>/g)].map((m) => m[1] ?? '');
    assert.equal(recovery.length, 10);

    // Sign in again: the password alone is not enough.
    t.clock.advance(2 * MINUTE);
    const b = new TestClient(t.app, host);
    await b.get('/account/login');
    const step = await b.postForm('/account/login', { email: 'totp@example.org', password: PASSWORD });
    assert.equal(step.statusCode, 200);
    const challenge = /name="challenge" value="([^"]+)"/.exec(step.body)?.[1] ?? '';
    assert.notEqual(challenge, '');
    assert.equal((await b.get('/account')).statusCode, 303, 'not signed in before the second step');
    const now = await currentTotpCode(t.deps, tenant.tenant.id, account.id, t.clock.now());
    const ok = await b.postForm('/account/login/totp', { challenge, code: now });
    assert.equal(ok.statusCode, 303);
    assert.equal((await b.get('/account')).statusCode, 200);

    // The same code again, in a new sign-in: refused as reused.
    const d = new TestClient(t.app, host);
    await d.get('/account/login');
    const step2 = await d.postForm('/account/login', { email: 'totp@example.org', password: PASSWORD });
    const challenge2 = /name="challenge" value="([^"]+)"/.exec(step2.body)?.[1] ?? '';
    const reused = await d.postForm('/account/login/totp', { challenge: challenge2, code: now });
    assert.equal(reused.statusCode, 400);
    assert.match(reused.body, /schon benutzt|already been used/);

    // A recovery code works once.
    const rc = recovery[0] ?? '';
    const viaRecovery = await d.postForm('/account/login/totp', {
      challenge: challenge2,
      code: rc.toUpperCase(),
    });
    assert.equal(viaRecovery.statusCode, 303);
    const e = new TestClient(t.app, host);
    await e.get('/account/login');
    const step3 = await e.postForm('/account/login', { email: 'totp@example.org', password: PASSWORD });
    const again = await e.postForm('/account/login/totp', {
      challenge: /name="challenge" value="([^"]+)"/.exec(step3.body)?.[1] ?? '',
      code: rc,
    });
    assert.equal(again.statusCode, 400);
  });
});

describe('password reset', () => {
  it('answers the same for known and unknown addresses, and the link works once', async () => {
    const c = await register('vergessen@example.org');
    const other = new TestClient(t.app, host);
    await other.get('/account/password/forgot');
    const known = await other.postForm('/account/password/forgot', { email: 'vergessen@example.org' });
    const unknown = await other.postForm('/account/password/forgot', { email: 'niemand@example.org' });
    assert.equal(known.statusCode, 200);
    assert.equal(unknown.statusCode, 200);
    const strip = (b: string) => b.replace(/name="_csrf" value="[^"]*"/g, '');
    assert.equal(strip(known.body), strip(unknown.body));
    assert.equal((await outbox(t)).filter((m) => m.to.includes('niemand@example.org')).length, 0);
    const link = (await lastMailTo('vergessen@example.org')).links.find((l) =>
      l.includes('/account/password/reset/'),
    );
    assert.ok(link !== undefined);
    const path = new URL(link).pathname;
    const form = await other.get(path);
    assert.equal(form.statusCode, 200);
    const token = path.split('/').at(-1) ?? '';
    const newPassword = 'ein ganz neues langes passwort';
    const done = await other.postForm('/account/password/reset', {
      token,
      password: newPassword,
      passwordConfirm: newPassword,
    });
    assert.equal(done.statusCode, 303);
    assert.equal((await c.get('/account')).statusCode, 303, 'the old session has ended');
    const again = await other.postForm('/account/password/reset', {
      token,
      password: newPassword,
      passwordConfirm: newPassword,
    });
    assert.equal(again.statusCode, 404);
    await other.get('/account/login');
    assert.equal(
      (await other.postForm('/account/login', { email: 'vergessen@example.org', password: newPassword }))
        .statusCode,
      303,
    );
  });
});

describe('e-mail change', () => {
  it('changes the address only after the new one is proven, and tells the old one', async () => {
    const c = await register('alt@example.org');
    await register('belegt@example.org');
    const taken = await c.postForm('/account/email', { email: 'belegt@example.org' });
    assert.equal(taken.statusCode, 200);
    const takenVerify = await c.postForm('/account/email/verify', {
      codeId: codeIdOf(taken.body),
      code: await codeFor('belegt@example.org'),
      email: 'belegt@example.org',
    });
    assert.equal(takenVerify.statusCode, 409);
    const asked = await c.postForm('/account/email', { email: 'neu@example.org' });
    const done = await c.postForm('/account/email/verify', {
      codeId: codeIdOf(asked.body),
      code: await codeFor('neu@example.org'),
      email: 'neu@example.org',
    });
    assert.equal(done.statusCode, 303);
    assert.equal((await c.get('/api/v1/account')).json<{ email: string }>().email, 'neu@example.org');
    assert.match((await lastMailTo('alt@example.org')).text, /neu@example\.org/);
  });
});

describe('sessions', () => {
  it('lists the devices and signs out another one at once', async () => {
    const a = await register('geraete@example.org');
    const b = new TestClient(t.app, host);
    await b.get('/account/login');
    await b.postForm('/account/login', { email: 'geraete@example.org', password: PASSWORD });
    assert.equal((await b.get('/account')).statusCode, 200);
    const list = await a.get('/account/sessions');
    assert.equal(list.statusCode, 200);
    const handles = [...list.body.matchAll(/\/account\/sessions\/([0-9a-f]{32})\/revoke/g)].map((m) => m[1]);
    assert.equal(handles.length, 2);
    const ended = await a.postForm('/account/sessions/revoke-others', {});
    assert.equal(ended.statusCode, 303);
    assert.equal((await b.get('/account')).statusCode, 303, 'the other device is signed out');
    assert.equal((await a.get('/account')).statusCode, 200);
  });
});

describe('deleting the account', () => {
  it('needs the password again and then deletes everything', async () => {
    const c = await register('weg@example.org');
    t.clock.advance(11 * MINUTE);
    await c.get('/account/delete');
    const wrong = await c.postForm('/account/delete', { password: 'nicht-das-passwort' });
    assert.equal(wrong.statusCode, 403);
    assert.match(wrong.body, /Passwort stimmen nicht|password is not correct/);
    const none = await c.postForm('/account/delete', {});
    assert.equal(none.statusCode, 403);
    assert.match(none.body, /bestätigen Sie zuerst|confirm first/);
    const ok = await c.postForm('/account/delete', { password: PASSWORD });
    assert.equal(ok.statusCode, 303);
    assert.equal(await findAccountByEmail(t.deps.db, tenant.tenant.id, 'weg@example.org'), undefined);
  });
});

describe('level-2 transfers and accounts with a password', () => {
  it('a mailed code does not open an account that has a password: the recipient signs in', async () => {
    const holder = await register('empfaenger@example.org');
    const { createApiToken } = await import('../auth/index.ts');
    const { token } = await createApiToken(t.deps.db, t.deps, {
      tenantId: tenant.tenant.id,
      staffId: tenant.admin.id,
    });
    const headers = { host, authorization: `Bearer ${token}` };
    const draft = await t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({
        level: 2,
        recipients: ['empfaenger@example.org'],
        subject: 'Vertraulich',
        files: [{ name: 'leer.txt', size: 0 }],
      }),
    });
    const id = draft.json<{ id: string }>().id;
    const sent = await t.app.inject({ method: 'POST', url: `/api/v1/transfers/${id}/send`, headers });
    const link = new URL(sent.json<{ recipients: { link: string }[] }>().recipients[0]?.link ?? '').pathname;
    const stranger = new TestClient(t.app, host);
    await stranger.get(link);
    const asked = await stranger.postForm(`${link}/code`, {});
    const codeId = /name="codeId" value="([^"]+)"/.exec(asked.body)?.[1] ?? '';
    const verified = await stranger.postForm(`${link}/verify`, {
      codeId,
      code: await codeFor('empfaenger@example.org'),
    });
    assert.equal(verified.statusCode, 303);
    assert.match(String(verified.headers.location), /^\/account\/login\?notice=sign-in-required&next=/);
    assert.equal((await stranger.get('/account')).statusCode, 303, 'not signed in by the code');
    // The holder, signed in with the password, opens it.
    const opened = await holder.get(link);
    assert.equal(opened.statusCode, 200);
    assert.match(opened.body, /Vertraulich/);
  });

  it('an account belongs to one authority: another tenant’s host does not know it', async () => {
    await register('nur-hier@example.org');
    await seedTenant(t.deps, { slug: 'nachbarort', name: 'Nachbarort', hostnames: ['nachbarort.localhost'] });
    t.app.invalidateTenantCache();
    const c = new TestClient(t.app, 'nachbarort.localhost');
    await c.get('/account/login');
    assert.equal(
      (await c.postForm('/account/login', { email: 'nur-hier@example.org', password: PASSWORD })).statusCode,
      401,
    );
  });
});
