import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../../testing/index.ts';
import { TEST_PASSWORD, TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';
import type { TestIdentity, TestOidcProvider } from '../../testing/oidc-provider.ts';
import { followProviderRedirects, startTestOidcProvider } from '../../testing/oidc-provider.ts';
import { OIDC_EMAIL_LIFETIME_MS } from '../accounts/index.ts';
import { beginTotpSetup, confirmTotpSetup, currentTotpCode } from '../accounts/index.ts';

const host = 'musterstadt.localhost';
let t: TestApp;
let idp: TestOidcProvider;
let staffIdp: TestOidcProvider;
let tenant: Awaited<ReturnType<typeof seedTenant>>;

before(async () => {
  idp = await startTestOidcProvider({ redirectUris: [`http://${host}/auth/oidc/callback`] });
  staffIdp = await startTestOidcProvider({
    redirectUris: [`http://${host}/auth/oidc/callback`],
    clientId: 'amtsbote-staff',
  });
  t = await createTestApp({
    config: {
      oidc: {
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        label: 'BundID',
        scopes: 'openid email profile',
        acrValues: 'urn:amtsbote:test:substantial urn:amtsbote:test:high',
      },
    },
  });
  tenant = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  t.app.invalidateTenantCache();
});
after(async () => {
  await t.close();
  await idp.close();
  await staffIdp.close();
});

/** Starts a sign-in in the portal and walks through the provider; returns the callback path. */
async function throughProvider(
  c: TestClient,
  path: string,
  fields: Record<string, string>,
  provider: TestOidcProvider,
): Promise<string> {
  const started = await c.postForm(path, fields);
  assert.equal(started.statusCode, 303, started.body);
  const location = String(started.headers.location);
  assert.ok(location.startsWith(provider.issuer), location);
  const auth = new URL(location);
  assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
  assert.ok((auth.searchParams.get('state') ?? '').length >= 22);
  const back = await followProviderRedirects(location, provider.issuer);
  assert.equal(back.host, host);
  return `${back.pathname}${back.search}`;
}

describe('citizens sign in with OpenID Connect', () => {
  it('creates the account from a verified address, links it by subject and stores the acr', async () => {
    idp.nextLogin = {
      sub: 'bund-4711',
      email: 'max@example.org',
      acr: 'urn:amtsbote:test:substantial',
      name: 'Max Muster',
    };
    const c = new TestClient(t.app, host);
    const page = await c.get('/account/login');
    assert.match(page.body, /Anmelden mit BundID/);
    const callback = await throughProvider(c, '/auth/oidc/start', { purpose: 'citizen' }, idp);
    const done = await c.get(callback, { accept: 'application/json' });
    assert.equal(done.statusCode, 303, `${done.body} ${t.logs.slice(-3).join('\n')}`);
    const me = (await c.get('/api/v1/account')).json<{
      email: string;
      displayName: string;
      identities: { issuer: string; acr: string }[];
    }>();
    assert.equal(me.email, 'max@example.org');
    assert.equal(me.displayName, 'Max Muster');
    assert.deepEqual(me.identities, [{ issuer: idp.issuer, acr: 'urn:amtsbote:test:substantial' }]);

    // Replaying the same callback (state used up) is refused.
    const replay = await c.get(callback);
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /abgelaufen oder wurde schon abgeschlossen|expired or was already completed/);

    // The next sign-in finds the account by subject, even with another address at the provider.
    idp.nextLogin = { sub: 'bund-4711', email: 'max.neu@example.org', acr: 'urn:amtsbote:test:high' };
    const d = new TestClient(t.app, host);
    await d.get('/account/login');
    assert.equal(
      (await d.get(await throughProvider(d, '/auth/oidc/start', { purpose: 'citizen' }, idp))).statusCode,
      303,
    );
    const again = (await d.get('/api/v1/account')).json<{ email: string; identities: { acr: string }[] }>();
    assert.equal(again.email, 'max@example.org');
    assert.equal(again.identities[0]?.acr, 'urn:amtsbote:test:high');
  });

  it('refuses a callback in another browser session (state bound to the session)', async () => {
    idp.nextLogin = { sub: 'bund-0815', email: 'eva@example.org' };
    const c = new TestClient(t.app, host);
    await c.get('/account/login');
    const callback = await throughProvider(c, '/auth/oidc/start', { purpose: 'citizen' }, idp);
    const stranger = new TestClient(t.app, host);
    const res = await stranger.get(callback);
    assert.equal(res.statusCode, 400);
    assert.equal(
      (await stranger.get(callback, { accept: 'application/json' })).json<{ error: { code: string } }>().error
        .code,
      'ERR_OIDC_STATE',
    );
  });

  it('does not take over an existing account by e-mail; its holder connects the identity', async () => {
    const holder = new TestClient(t.app, host);
    await holder.get('/account/register');
    const asked = await holder.postForm('/account/register', { email: 'anna@example.org' });
    const mail = (await outbox(t)).filter((m) => m.to.includes('anna@example.org')).at(-1);
    const code = /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';
    await holder.postForm('/account/register/verify', {
      codeId: /name="codeId" value="([^"]+)"/.exec(asked.body)?.[1] ?? '',
      code,
      email: 'anna@example.org',
    });
    await holder.get('/account');

    idp.nextLogin = { sub: 'bund-anna', email: 'anna@example.org' };
    const c = new TestClient(t.app, host);
    await c.get('/account/login');
    const refused = await c.get(await throughProvider(c, '/auth/oidc/start', { purpose: 'citizen' }, idp));
    assert.equal(refused.statusCode, 409);

    const linked = await holder.get(
      await throughProvider(holder, '/auth/oidc/start', { purpose: 'link' }, idp),
    );
    assert.equal(linked.statusCode, 303);
    assert.equal(linked.headers.location, '/account?notice=identity-linked');
    const e = new TestClient(t.app, host);
    await e.get('/account/login');
    assert.equal(
      (await e.get(await throughProvider(e, '/auth/oidc/start', { purpose: 'citizen' }, idp))).statusCode,
      303,
    );
    assert.equal((await e.get('/api/v1/account')).json<{ email: string }>().email, 'anna@example.org');
  });

  it('an error at the provider ends in ERR_OIDC_FAILED', async () => {
    idp.nextError = 'access_denied';
    const c = new TestClient(t.app, host);
    await c.get('/account/login');
    const res = await c.get(await throughProvider(c, '/auth/oidc/start', { purpose: 'citizen' }, idp), {
      accept: 'application/json',
    });
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_OIDC_FAILED');
  });
});

describe('a first sign-in without a verified e-mail address', () => {
  const codeFor = async (address: string): Promise<string> => {
    const mail = (await outbox(t)).filter((m) => m.to.includes(address)).at(-1);
    return /\b(\d{6})\b/.exec(mail?.text ?? '')?.[1] ?? '';
  };
  /** Signs in at the provider as `who` and lands on the e-mail step; returns the browser and callback. */
  const toEmailStep = async (who: TestIdentity): Promise<{ c: TestClient; callback: string }> => {
    idp.nextLogin = who;
    const c = new TestClient(t.app, host);
    await c.get('/account/login');
    const callback = await throughProvider(c, '/auth/oidc/start', { purpose: 'citizen' }, idp);
    const res = await c.get(callback);
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/auth/oidc/email');
    return { c, callback };
  };
  const sendCode = async (c: TestClient, email: string) => {
    const res = await c.postForm('/auth/oidc/email', { step: 'send', email });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /Code verschickt/);
    return res;
  };
  const auditOf = (accountId: string) =>
    t.deps.db.query<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM audit_events WHERE tenant_id = $1 AND subject_id = $2 ORDER BY at, action`,
      [tenant.tenant.id, accountId],
    );

  it('asks for an address, mails a code, then creates the account and links the identity with its acr', async () => {
    const { c, callback } = await toEmailStep({
      sub: 'bund-ohne-mail',
      acr: 'urn:amtsbote:test:high',
      name: 'Erika Muster',
    });
    const page = await c.get('/auth/oidc/email');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /E-Mail-Adresse bestätigen/);
    assert.match(page.body, /Erika Muster/);
    assert.match(page.body, /name="_csrf"/);
    const en = await c.get('/auth/oidc/email?lang=en');
    assert.match(en.body, /Confirm your e-mail address/);
    await c.get('/auth/oidc/email?lang=de');

    // Replaying the provider's callback is refused; the waiting identity stays.
    const replay = await c.get(callback, { accept: 'application/json' });
    assert.equal(replay.json<{ error: { code: string } }>().error.code, 'ERR_OIDC_STATE');

    const bad = await c.postForm('/auth/oidc/email', { step: 'send', email: 'keine-adresse' });
    assert.equal(bad.statusCode, 400);
    await sendCode(c, 'Erika@Example.org');
    assert.match((await c.get('/auth/oidc/email')).body, /name="code"/, 'the page remembers the step');
    const code = await codeFor('erika@example.org');
    assert.match(code, /^\d{6}$/);
    const stored = await t.deps.db.query<{ code_hash: Buffer }>(
      `SELECT code_hash FROM email_codes WHERE tenant_id = $1 AND purpose = 'account-oidc-email' AND email = 'erika@example.org'`,
      [tenant.tenant.id],
    );
    assert.ok(stored[0] !== undefined && !stored[0].code_hash.toString('latin1').includes(code));

    const done = await c.postForm('/auth/oidc/email', { step: 'verify', code });
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(done.headers.location, '/account?notice=oidc-account-created');
    const me = (await c.get('/api/v1/account')).json<{
      id: string;
      email: string;
      displayName: string;
      identities: { issuer: string; acr: string }[];
    }>();
    assert.equal(me.email, 'erika@example.org');
    assert.equal(me.displayName, 'Erika Muster');
    assert.deepEqual(me.identities, [{ issuer: idp.issuer, acr: 'urn:amtsbote:test:high' }]);
    const audit = await auditOf(me.id);
    assert.ok(audit.some((a) => a.action === 'account.created' && a.details.via === 'oidc'));
    assert.ok(audit.some((a) => a.action === 'account.login' && a.details.method === 'oidc'));
    assert.match(
      (await c.get('/account?notice=oidc-account-created')).body,
      /mit dem Identitätsdienst verbunden/,
    );

    // The step is used up: sending the code again finds nothing waiting.
    const again = await c.postForm('/auth/oidc/email', { step: 'verify', code });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /abgelaufen oder wurde schon abgeschlossen/);

    // From now on the subject alone signs in, without the e-mail step.
    idp.nextLogin = { sub: 'bund-ohne-mail', acr: 'urn:amtsbote:test:substantial' };
    const d = new TestClient(t.app, host);
    await d.get('/account/login');
    const next = await d.get(await throughProvider(d, '/auth/oidc/start', { purpose: 'citizen' }, idp));
    assert.equal(next.headers.location, '/account');
    assert.equal((await d.get('/api/v1/account')).json<{ email: string }>().email, 'erika@example.org');
  });

  it('links the identity to the account that already has the proven address', async () => {
    const holder = new TestClient(t.app, host);
    await holder.get('/account/register');
    const asked = await holder.postForm('/account/register', { email: 'frieda@example.org' });
    await holder.postForm('/account/register/verify', {
      codeId: /name="codeId" value="([^"]+)"/.exec(asked.body)?.[1] ?? '',
      code: await codeFor('frieda@example.org'),
      email: 'frieda@example.org',
    });
    const before = (await holder.get('/api/v1/account')).json<{ id: string; identities: unknown[] }>();
    assert.deepEqual(before.identities, []);

    // The provider sends the address, but unconfirmed: it counts for nothing.
    const { c } = await toEmailStep({
      sub: 'bund-frieda',
      email: 'frieda@example.org',
      emailVerified: false,
      acr: 'urn:amtsbote:test:substantial',
    });
    const sent = await sendCode(c, 'frieda@example.org');
    assert.doesNotMatch(sent.body, /gab es schon ein Servicekonto/, 'no hint before the code is proven');
    const done = await c.postForm('/auth/oidc/email', {
      step: 'verify',
      code: await codeFor('frieda@example.org'),
    });
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(done.headers.location, '/account?notice=oidc-identity-linked');
    const me = (await c.get('/api/v1/account')).json<{ id: string; identities: { acr: string }[] }>();
    assert.equal(me.id, before.id);
    assert.deepEqual(me.identities, [{ issuer: idp.issuer, acr: 'urn:amtsbote:test:substantial' }]);
    assert.match((await c.get('/account?notice=oidc-identity-linked')).body, /gab es schon ein Servicekonto/);
    assert.ok((await auditOf(me.id)).some((a) => a.action === 'account.identity_linked'));
    const count = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM accounts WHERE tenant_id = $1 AND email = 'frieda@example.org'`,
      [tenant.tenant.id],
    );
    assert.equal(count[0]?.n, 1);
  });

  it('does not link an account protected by an authenticator app by mailed code alone', async () => {
    const holder = new TestClient(t.app, host);
    await holder.get('/account/register');
    const asked = await holder.postForm('/account/register', { email: 'toni@example.org' });
    await holder.postForm('/account/register/verify', {
      codeId: /name="codeId" value="([^"]+)"/.exec(asked.body)?.[1] ?? '',
      code: await codeFor('toni@example.org'),
      email: 'toni@example.org',
    });
    const id = (await holder.get('/api/v1/account')).json<{ id: string }>().id;
    await beginTotpSetup(t.deps, {
      tenantId: tenant.tenant.id,
      accountId: id,
      issuer: 'Test',
      label: 'toni',
    });
    await confirmTotpSetup(t.deps, {
      tenantId: tenant.tenant.id,
      accountId: id,
      code: await currentTotpCode(t.deps, tenant.tenant.id, id, t.clock.now(), true),
      ipPrefix: undefined,
    });

    const { c } = await toEmailStep({ sub: 'bund-toni' });
    await sendCode(c, 'toni@example.org');
    const refused = await c.postForm('/auth/oidc/email', {
      step: 'verify',
      code: await codeFor('toni@example.org'),
    });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Authentifizierungs-App/);
    const links = await t.deps.db.query(
      `SELECT 1 FROM account_identities WHERE tenant_id = $1 AND account_id = $2`,
      [tenant.tenant.id, id],
    );
    assert.equal(links.length, 0);
  });

  it('burns the code after five wrong tries; a new code still works', async () => {
    const { c } = await toEmailStep({ sub: 'bund-vertipper' });
    await sendCode(c, 'vertipper@example.org');
    const right = await codeFor('vertipper@example.org');
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await c.postForm('/auth/oidc/email', { step: 'verify', code: wrong });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Der Code stimmt nicht/);
    }
    const late = await c.postForm('/auth/oidc/email', { step: 'verify', code: right });
    assert.equal(late.statusCode, 400, 'the burned code no longer works, even when right');
    assert.match(late.body, /Der Code stimmt nicht/);
    assert.equal(
      (
        await t.deps.db.query(
          `SELECT 1 FROM accounts WHERE tenant_id = $1 AND email = 'vertipper@example.org'`,
          [tenant.tenant.id],
        )
      ).length,
      0,
    );
    await sendCode(c, 'vertipper@example.org');
    const fresh = await c.postForm('/auth/oidc/email', {
      step: 'verify',
      code: await codeFor('vertipper@example.org'),
    });
    assert.equal(fresh.statusCode, 303, fresh.body);
  });

  it('refuses an expired step and one from another browser session', async () => {
    const { c } = await toEmailStep({ sub: 'bund-spaet' });
    const stranger = new TestClient(t.app, host);
    await stranger.get('/account/login');
    const foreign = await stranger.get('/auth/oidc/email', { accept: 'application/json' });
    assert.equal(foreign.json<{ error: { code: string } }>().error.code, 'ERR_OIDC_STATE');
    const foreignSend = await stranger.postForm('/auth/oidc/email', { step: 'send', email: 'x@example.org' });
    assert.equal(foreignSend.statusCode, 400);

    await sendCode(c, 'spaet@example.org');
    const code = await codeFor('spaet@example.org');
    t.clock.advance(OIDC_EMAIL_LIFETIME_MS + 1000);
    const res = await c.postForm('/auth/oidc/email', { step: 'verify', code });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /abgelaufen oder wurde schon abgeschlossen/);
    assert.equal((await c.get('/auth/oidc/email')).statusCode, 400);
    assert.equal(
      (
        await t.deps.db.query(`SELECT 1 FROM accounts WHERE tenant_id = $1 AND email = 'spaet@example.org'`, [
          tenant.tenant.id,
        ])
      ).length,
      0,
    );
  });
});

describe('staff single sign-on through the tenant’s own provider', () => {
  it('maps by e-mail, then by subject; local passwords can be switched off', async () => {
    const admin = new TestClient(t.app, host);
    await admin.get('/login');
    assert.equal(
      (await admin.postForm('/login', { email: tenant.admin.email, password: TEST_PASSWORD })).statusCode,
      303,
    );
    const page = await admin.get('/admin/sso');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /\/auth\/oidc\/callback/);
    const saved = await admin.postForm('/admin/sso', {
      issuer: staffIdp.issuer,
      clientId: staffIdp.clientId,
      clientSecret: staffIdp.clientSecret,
      label: 'Landes-SSO',
      matchBy: 'email',
      localLogin: 'on',
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const stored = await t.deps.db.query<{ client_secret: Buffer }>(
      `SELECT client_secret FROM tenant_sso WHERE tenant_id = $1`,
      [tenant.tenant.id],
    );
    assert.ok(
      !Buffer.from(stored[0]?.client_secret ?? [])
        .toString('latin1')
        .includes(staffIdp.clientSecret),
      'the secret is stored sealed',
    );

    staffIdp.nextLogin = { sub: 'ad-admin-1', email: tenant.admin.email };
    const s = new TestClient(t.app, host);
    const login = await s.get('/login');
    assert.match(login.body, /Anmelden mit Landes-SSO/);
    const done = await s.get(await throughProvider(s, '/login/sso', {}, staffIdp));
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/home');
    assert.equal((await s.get('/api/v1/me')).json<{ email: string }>().email, tenant.admin.email);

    // Unknown staff: refused.
    staffIdp.nextLogin = { sub: 'ad-stranger', email: 'fremd@example.org' };
    const u = new TestClient(t.app, host);
    await u.get('/login');
    const unknown = await u.get(await throughProvider(u, '/login/sso', {}, staffIdp), {
      accept: 'application/json',
    });
    assert.equal(unknown.json<{ error: { code: string } }>().error.code, 'ERR_SSO_NO_STAFF');

    // Local sign-in off: the password no longer works, SSO does.
    await admin.get('/admin/sso');
    assert.equal(
      (
        await admin.postForm('/admin/sso', {
          issuer: staffIdp.issuer,
          clientId: staffIdp.clientId,
          clientSecret: '',
          label: 'Landes-SSO',
          matchBy: 'subject',
        })
      ).statusCode,
      303,
    );
    const p = new TestClient(t.app, host);
    const form = await p.get('/login');
    assert.doesNotMatch(form.body, /name="password"/);
    const refused = await p.postForm('/login', { email: tenant.admin.email, password: TEST_PASSWORD });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Anmeldung mit Passwort abgeschaltet|switched off signing in with a password/);
    staffIdp.nextLogin = { sub: 'ad-admin-1', email: 'anders@example.org' };
    assert.equal(
      (await p.get(await throughProvider(p, '/login/sso', {}, staffIdp))).statusCode,
      303,
      'linked subject still signs in',
    );
  });
});
