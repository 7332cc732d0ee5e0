import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from './testing/index.ts';
import { TEST_PASSWORD, TestClient, createTestApp, outbox, seedTenant } from './testing/index.ts';
import { createApiToken } from './modules/auth/index.ts';

// Mails link to the tenant's configured address, never to the Host a request named; a host no
// tenant claims is refused; a malformed Host is refused before anything else.

const HOST = 'musterstadt.localhost';
const EVIL = 'evil.example';
const PASSWORD = 'Sonnenblumen wachsen im Garten hinter dem Rathaus';
type ReceivedMail = Awaited<ReturnType<typeof outbox>>[number];
const codeIdOf = (body: string) => /name="codeId" value="([^"]+)"/.exec(body)?.[1] ?? '';

async function mailsTo(t: TestApp, address: string): Promise<ReceivedMail[]> {
  return (await outbox(t)).filter((m) => m.to.includes(address));
}

async function codeFor(t: TestApp, address: string): Promise<string> {
  const m = /\b(\d{6})\b/.exec((await mailsTo(t, address)).at(-1)?.text ?? '');
  assert.ok(m?.[1] !== undefined, `a code in the mail to ${address}`);
  return m[1];
}

/** Every link of the mail points at the tenant's own address, and the poisoned host appears nowhere. */
function assertOnlyTenantLinks(mail: ReceivedMail | undefined): void {
  assert.ok(mail !== undefined, 'the mail was sent');
  assert.ok(mail.links.length > 0, `"${mail.subject}" has a link`);
  for (const link of mail.links)
    assert.equal(new URL(link).origin, `http://${HOST}`, `"${mail.subject}": ${link}`);
  assert.ok(
    !mail.text.includes(EVIL) && !(mail.html ?? '').includes(EVIL),
    `"${mail.subject}" names ${EVIL}`,
  );
}

describe('a poisoned Host header (the operator named a default tenant, so it is answered)', () => {
  let t: TestApp;
  let seeded: Awaited<ReturnType<typeof seedTenant>>;
  before(async () => {
    t = await createTestApp({ config: { defaultTenant: 'musterstadt' } });
    seeded = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [HOST] });
    t.app.invalidateTenantCache();
  });
  after(() => t.close());

  /** A citizen with a password, registered entirely under the poisoned host. */
  async function citizen(email: string): Promise<TestClient> {
    const c = new TestClient(t.app, EVIL);
    await c.get('/account/register');
    const asked = await c.postForm('/account/register', { email, displayName: '' });
    assert.equal(asked.statusCode, 200, asked.body);
    const verified = await c.postForm('/account/register/verify', {
      codeId: codeIdOf(asked.body),
      code: await codeFor(t, email),
      email,
    });
    assert.equal(verified.statusCode, 303, verified.body);
    await c.get('/account');
    const set = await c.postForm('/account/password', { password: PASSWORD, passwordConfirm: PASSWORD });
    assert.equal(set.statusCode, 303, set.body);
    return c;
  }

  it('registration: the "already registered" mail links to the tenant', async () => {
    const email = 'schon.da@example.org';
    await citizen(email);
    const c = new TestClient(t.app, EVIL);
    await c.get('/account/register');
    const again = await c.postForm('/account/register', { email, displayName: '' });
    assert.equal(again.statusCode, 200, again.body);
    const mail = (await mailsTo(t, email)).at(-1);
    assert.ok(mail !== undefined);
    assert.ok(
      mail.links.some((l) => l.endsWith('/account/login')),
      'the sign-in link',
    );
    assertOnlyTenantLinks(mail);
  });

  it('password reset: the reset link points at the tenant', async () => {
    const email = 'vergesslich@example.org';
    await citizen(email);
    const c = new TestClient(t.app, EVIL);
    await c.get('/account/password/forgot');
    const r = await c.postForm('/account/password/forgot', { email });
    assert.equal(r.statusCode, 200, r.body);
    const mail = (await mailsTo(t, email)).at(-1);
    assert.ok(
      mail?.links.some((l) => l.includes('/account/password/reset/')),
      'a reset link',
    );
    assertOnlyTenantLinks(mail);
  });

  it('e-mail change: the notice to the old address links to the tenant', async () => {
    const old = 'alt@example.org';
    const fresh = 'neu@example.org';
    const c = await citizen(old);
    const asked = await c.postForm('/account/email', { email: fresh });
    assert.equal(asked.statusCode, 200, asked.body);
    const done = await c.postForm('/account/email/verify', {
      codeId: codeIdOf(asked.body),
      code: await codeFor(t, fresh),
      email: fresh,
    });
    assert.equal(done.statusCode, 303, done.body);
    const notice = (await mailsTo(t, old)).at(-1);
    assert.ok(notice !== undefined);
    assertOnlyTenantLinks(notice);
  });

  it('staff sign-in link and staff invitation point at the tenant', async () => {
    const c = new TestClient(t.app, EVIL);
    await c.get('/login');
    const link = await c.postForm('/login/link', { email: seeded.admin.email });
    assert.ok(link.statusCode < 400, link.body);
    const signIn = (await mailsTo(t, seeded.admin.email)).at(-1);
    assert.ok(
      signIn?.links.some((l) => l.includes('/login/link/')),
      'a sign-in link',
    );
    assertOnlyTenantLinks(signIn);

    const admin = new TestClient(t.app, EVIL);
    await admin.get('/login');
    const login = await admin.postForm('/login', { email: seeded.admin.email, password: TEST_PASSWORD });
    assert.equal(login.statusCode, 303, login.body);
    const invited = await admin.postForm('/admin/staff/invitations', {
      email: 'neu.im.amt@musterstadt.example',
      displayName: 'Neu im Amt',
      departmentId: seeded.department.id,
    });
    assert.equal(invited.statusCode, 303, invited.body);
    const invitation = (await mailsTo(t, 'neu.im.amt@musterstadt.example')).at(-1);
    assert.ok(
      invitation?.links.some((l) => l.includes('/invitations/')),
      'an invitation link',
    );
    assertOnlyTenantLinks(invitation);
  });

  it('a transfer notification points at the tenant', async () => {
    const { token } = await createApiToken(t.deps.db, t.deps, {
      tenantId: seeded.tenant.id,
      staffId: seeded.admin.id,
    });
    const call = (url: string, payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { host: EVIL, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
    const draft = await call('/api/v1/transfers', {
      level: 1,
      recipients: ['empfaenger@example.org'],
      subject: 'Ihr Bescheid',
      files: [],
    });
    assert.equal(draft.statusCode, 201, draft.body);
    const sent = await call(`/api/v1/transfers/${draft.json<{ id: string }>().id}/send`, {});
    assert.equal(sent.statusCode, 200, sent.body);
    const mail = (await mailsTo(t, 'empfaenger@example.org')).at(-1);
    assert.ok(
      mail?.links.some((l) => l.includes('/t/')),
      'the recipient link',
    );
    assertOnlyTenantLinks(mail);
  });
});

describe('the Host decides the tenant, or the request is refused', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [HOST] });
    t.app.invalidateTenantCache();
  });
  after(() => t.close());

  const get = (host: string, url = '/account/login') => t.app.inject({ url, headers: { host } });
  const codeOf = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

  it('answers the tenant’s own host and PUBLIC_URL’s', async () => {
    assert.equal((await get(HOST)).statusCode, 200);
    assert.equal((await get(`${HOST}:80`)).statusCode, 200, 'PUBLIC_URL’s port spelled out');
    assert.equal((await get('MusterStadt.Localhost')).statusCode, 200, 'case does not matter');
    assert.equal((await get('localhost')).statusCode, 200, 'PUBLIC_URL (http://localhost)');
  });

  it('refuses a host no tenant claims with 421 ERR_UNKNOWN_HOST, and mails nothing', async () => {
    const page = await get(EVIL);
    assert.equal(page.statusCode, 421);
    assert.equal(codeOf(page.body), 'ERR_UNKNOWN_HOST');
    const before = (await outbox(t)).length;
    const post = await t.app.inject({
      method: 'POST',
      url: '/account/password/forgot',
      headers: { host: EVIL, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=someone%40example.org',
    });
    assert.equal(post.statusCode, 421);
    assert.equal((await outbox(t)).length, before);
  });

  it('refuses userinfo, a foreign port and other malformed values with 400 ERR_BAD_HOST', async () => {
    for (const host of [
      `user@${HOST}`,
      `${EVIL}@${HOST}`,
      `${HOST}:8443`,
      `${HOST}/x`,
      `${HOST}, ${EVIL}`,
      ' ',
    ]) {
      const r = await get(host);
      assert.equal(r.statusCode, 400, host);
      assert.equal(codeOf(r.body), 'ERR_BAD_HOST', host);
    }
  });

  it('leaves the health checks alone (probes use whatever host they like)', async () => {
    assert.equal((await get(EVIL, '/healthz')).statusCode, 200);
  });
});
