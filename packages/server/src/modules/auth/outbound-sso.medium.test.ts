import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as client from 'openid-client';
import { parseCidr } from '../../adapters/outbound.ts';
import type { Cidr } from '../../adapters/outbound.ts';
import { AppError, errorMessage } from '../../errors.ts';
import type { TestApp } from '../../testing/index.ts';
import { TEST_PASSWORD, TestClient, createTestApp, seedTenant } from '../../testing/index.ts';
import type { TestOidcProvider } from '../../testing/oidc-provider.ts';
import { followProviderRedirects, startTestOidcProvider } from '../../testing/oidc-provider.ts';
import { providerConfig } from './oidc.ts';

// A tenant admin chooses the SSO issuer; the operator decides which internal addresses the
// server may call. The provider here runs on 127.0.0.1, so it is internal: refused until the
// operator allows 127.0.0.1 (OUTBOUND_ALLOW), and only then.

const host = 'musterstadt.localhost';
const loopback: Cidr[] = [parseCidr('127.0.0.1/32') ?? assert.fail('cidr')];
let t: TestApp;
let idp: TestOidcProvider;
let tenant: Awaited<ReturnType<typeof seedTenant>>;

before(async () => {
  idp = await startTestOidcProvider({ redirectUris: [`http://${host}/auth/oidc/callback`], clientId: 'sso' });
  t = await createTestApp({ config: { outboundAllow: [] } });
  tenant = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  t.app.invalidateTenantCache();
});
after(async () => {
  await t.close();
  await idp.close();
});

async function signedInAdmin(): Promise<TestClient> {
  const admin = new TestClient(t.app, host);
  await admin.get('/login');
  const login = await admin.postForm('/login', { email: tenant.admin.email, password: TEST_PASSWORD });
  assert.equal(login.statusCode, 303);
  await admin.get('/admin/sso');
  return admin;
}

const settings = () => ({
  issuer: idp.issuer,
  clientId: idp.clientId,
  clientSecret: idp.clientSecret,
  label: 'Landes-SSO',
  matchBy: 'email',
  localLogin: 'on',
});

describe('a tenant admin’s SSO issuer in an internal network', () => {
  it('is refused without the operator’s allowance, works with it, and is refused again without', async () => {
    const admin = await signedInAdmin();
    const refused = await admin.postForm('/admin/sso', settings());
    assert.equal(refused.statusCode, 400);
    assert.ok(refused.body.includes(errorMessage('ERR_OUTBOUND_REFUSED', 'de')), refused.body);
    const stored = await t.deps.db.query(`SELECT 1 FROM tenant_sso WHERE tenant_id = $1`, [tenant.tenant.id]);
    assert.equal(stored.length, 0, 'nothing stored');

    // The operator allows 127.0.0.1 (deps.config is what OUTBOUND_ALLOW became at start).
    t.deps.config.outboundAllow = loopback;
    await admin.get('/admin/sso');
    assert.equal((await admin.postForm('/admin/sso', settings())).statusCode, 303);
    idp.nextLogin = { sub: 'ad-admin-1', email: tenant.admin.email };
    const s = new TestClient(t.app, host);
    await s.get('/login');
    const started = await s.postForm('/login/sso', {});
    assert.equal(started.statusCode, 303, started.body);
    const back = await followProviderRedirects(String(started.headers.location), idp.issuer);
    const done = await s.get(`${back.pathname}${back.search}`);
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(done.headers.location, '/home');

    // Allowance withdrawn: the stored issuer is refused at the next connection.
    t.deps.config.outboundAllow = [];
    const u = new TestClient(t.app, host);
    await u.get('/login');
    const again = await u.postForm('/login/sso', {});
    assert.equal(again.statusCode, 400, again.body);
    assert.ok(again.body.includes(errorMessage('ERR_OUTBOUND_REFUSED', 'de')), again.body);
  });

  it('refuses what the discovery document points to, request by request', async () => {
    const config = await providerConfig(
      { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, scopes: 'openid' },
      loopback,
    );
    // Any later request of this provider's configuration (token, keys, userinfo) is guarded too.
    await assert.rejects(
      client.fetchProtectedResource(config, 'token', new URL('http://127.0.0.2:9/userinfo'), 'GET'),
      (err: unknown) => {
        let e: unknown = err;
        while (e instanceof Error && !(e instanceof AppError)) e = e.cause;
        return e instanceof AppError && e.code === 'ERR_OUTBOUND_REFUSED';
      },
    );
  });
});
