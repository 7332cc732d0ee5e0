import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../../testing/index.ts';
import { TEST_PASSWORD, TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';
import type { TestOidcProvider } from '../../testing/oidc-provider.ts';
import { followProviderRedirects, startTestOidcProvider } from '../../testing/oidc-provider.ts';

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
