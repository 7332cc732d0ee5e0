import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MINUTE } from '../../adapters/clock.ts';
import { authenticateApiToken, createApiToken } from './api-tokens.ts';
import type { TestApp } from '../../testing/index.ts';
import { TEST_PASSWORD, TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedTenant>>;
const email = 'admin@musterstadt.example';

before(async () => {
  t = await createTestApp();
  seeded = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt' });
});
after(() => t.close());
beforeEach(async () => {
  await t.deps.db.query('DELETE FROM rate_limits');
});

async function signIn(client: TestClient, password = TEST_PASSWORD, ip?: string) {
  await client.get('/login');
  if (ip === undefined) return client.postForm('/login', { email, password });
  const body = new URLSearchParams({ email, password, _csrf: client.csrfToken ?? '' });
  return t.app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: ip,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    payload: body.toString(),
  });
}

describe('password sign-in', () => {
  it('opens a session with a HttpOnly, Secure, SameSite cookie and leads home', async () => {
    const c = new TestClient(t.app);
    const res = await signIn(c);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/home');
    const cookie = ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .find((s) => s.startsWith('amtsbote_session='));
    assert.ok(cookie !== undefined);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /Secure/i);
    assert.match(cookie, /SameSite=Lax/i);
    const home = await c.get('/home');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Bürgerservice/);
  });

  it('refuses a wrong password with ERR_INVALID_CREDENTIALS and no session', async () => {
    const c = new TestClient(t.app);
    const res = await signIn(c, 'wrong password 123');
    assert.equal(res.statusCode, 401);
    assert.ok(!c.cookies.has('amtsbote_session'));
    assert.match(res.body, /E-Mail-Adresse oder Passwort stimmen nicht/);
  });

  it('locks the account after 5 failures, even for the right password, until the window passes', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await signIn(new TestClient(t.app), `wrong-${i}-xxxxxxxx`, `198.51.100.${i + 1}`);
      assert.equal(r.statusCode, 401);
    }
    const locked = await signIn(new TestClient(t.app), TEST_PASSWORD, '198.51.100.99');
    assert.equal(locked.statusCode, 429);
    assert.match(locked.body, /Zu viele Versuche/);
    t.clock.advance(16 * MINUTE);
    const again = await signIn(new TestClient(t.app), TEST_PASSWORD, '198.51.100.99');
    assert.equal(again.statusCode, 303);
  });

  it('limits one IP to 5 failures across accounts', async () => {
    for (let i = 0; i < 5; i++) {
      const c = new TestClient(t.app);
      await c.get('/login');
      const r = await c.postForm('/login', {
        email: `nobody${i}@example.org`,
        password: 'whatever-whatever',
      });
      assert.equal(r.statusCode, 401);
    }
    const c = new TestClient(t.app);
    await c.get('/login');
    const r = await c.postForm('/login', { email, password: TEST_PASSWORD });
    assert.equal(r.statusCode, 429);
  });

  it('answers a malformed form with field errors, not a crash', async () => {
    const c = new TestClient(t.app);
    await c.get('/login');
    const r = await c.postForm('/login', { email: 'not-an-address', password: '' });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /aria-invalid="true"/);
  });

  it('refuses a form without CSRF token with ERR_CSRF', async () => {
    const c = new TestClient(t.app);
    await c.get('/login');
    const r = await c.postForm('/login', { email, password: TEST_PASSWORD }, { csrf: false });
    assert.equal(r.statusCode, 403);
    assert.ok(!c.cookies.has('amtsbote_session'));
    const forged = await c.postForm('/login', { email, password: TEST_PASSWORD }, { csrf: 'forged-token' });
    assert.equal(forged.statusCode, 403);
  });
});

describe('one-time login links', () => {
  async function requestLink(): Promise<string> {
    const c = new TestClient(t.app);
    await c.get('/login');
    const before = (await outbox(t)).length;
    const r = await c.postForm('/login/link', { email });
    assert.equal(r.statusCode, 200);
    const mails = await outbox(t);
    assert.equal(mails.length, before + 1);
    const mail = mails.at(-1);
    assert.ok(mail !== undefined);
    assert.deepEqual(mail.to, [email]);
    const link = mail.links.find((l) => l.includes('/login/link/'));
    assert.ok(link !== undefined);
    return new URL(link).pathname;
  }

  it('sends a link that signs in once, after a confirming POST', async () => {
    const path = await requestLink();
    const c = new TestClient(t.app);
    const page = await c.get(path);
    assert.equal(page.statusCode, 200, 'GET shows a confirmation and does not use the link');
    const token = path.split('/').at(-1) ?? '';
    const first = await c.postForm('/login/link/confirm', { token });
    assert.equal(first.statusCode, 303);
    assert.equal((await c.get('/home')).statusCode, 200);
    const reuse = await new TestClient(t.app).get(path);
    assert.equal(reuse.statusCode, 404);
    const c2 = new TestClient(t.app);
    await c2.get('/login');
    const again = await c2.postForm('/login/link/confirm', { token });
    assert.equal(again.statusCode, 404);
  });

  it('expires after 15 minutes', async () => {
    const path = await requestLink();
    t.clock.advance(16 * MINUTE);
    const c = new TestClient(t.app);
    assert.equal((await c.get(path)).statusCode, 404);
    await c.get('/login');
    const r = await c.postForm('/login/link/confirm', { token: path.split('/').at(-1) ?? '' });
    assert.equal(r.statusCode, 404);
    assert.ok(!c.cookies.has('amtsbote_session'));
  });

  it('answers the same for unknown addresses and sends nothing', async () => {
    const c = new TestClient(t.app);
    await c.get('/login');
    const before = (await outbox(t)).length;
    const known = await c.postForm('/login/link', { email });
    const unknown = await c.postForm('/login/link', { email: 'stranger@example.org' });
    assert.equal(unknown.statusCode, known.statusCode);
    assert.equal((await outbox(t)).length, before + 1);
  });
});

describe('sign-out', () => {
  it('ends this session, and "everywhere" ends all of them', async () => {
    const a = new TestClient(t.app);
    const b = new TestClient(t.app);
    await signIn(a);
    await signIn(b);
    await a.get('/home');
    const out = await a.postForm('/logout', {});
    assert.equal(out.statusCode, 303);
    assert.equal((await a.get('/home')).statusCode, 302);
    assert.equal((await b.get('/home')).statusCode, 200);
    const c = new TestClient(t.app);
    await signIn(c);
    await c.get('/home');
    await c.postForm('/logout/all', {});
    assert.equal((await b.get('/home')).statusCode, 302);
    assert.equal((await c.get('/home')).statusCode, 302);
  });
});

describe('language', () => {
  it('switches to English by link and keeps it in the session cookie only', async () => {
    const c = new TestClient(t.app);
    const en = await c.get('/?lang=en');
    assert.match(en.body, /<html lang="en"/);
    const next = await c.get('/login');
    assert.match(next.body, /<html lang="en"/);
    assert.deepEqual([...c.cookies.keys()].sort(), ['amtsbote_csrf', 'amtsbote_session']);
  });
});

describe('what is never logged', () => {
  it('no token, password or full IP appears in any log line of this test file', async () => {
    const logs = t.logs.join('\n');
    assert.ok(t.logs.length > 0);
    assert.doesNotMatch(logs, new RegExp(TEST_PASSWORD));
    const tokens = (await outbox(t)).flatMap((m) => m.links).map((l) => l.split('/').at(-1) ?? '');
    assert.ok(tokens.length > 0);
    for (const token of tokens) assert.ok(!logs.includes(token), 'a login-link token reached the log');
    assert.doesNotMatch(logs, /198\.51\.100\.\d{2}/);
    assert.doesNotMatch(logs, /amtsbote_session=/);
  });
});

describe('API tokens', () => {
  it('note their last use at most once a minute (no write per request)', async () => {
    const { id, token } = await createApiToken(t.deps.db, t.deps, {
      tenantId: seeded.tenant.id,
      staffId: seeded.admin.id,
    });
    const lastUsed = async () =>
      (
        await t.deps.db.query<{ at: Date | null }>(
          `SELECT last_used_at AS at FROM api_tokens WHERE id = $1`,
          [id],
        )
      )[0]?.at?.getTime();
    assert.equal((await authenticateApiToken(t.deps.db, t.deps.clock, token))?.id, seeded.admin.id);
    const first = await lastUsed();
    assert.equal(first, t.clock.now().getTime());
    t.clock.advance(30_000);
    assert.equal((await authenticateApiToken(t.deps.db, t.deps.clock, token))?.id, seeded.admin.id);
    assert.equal(await lastUsed(), first, 'not written again within the minute');
    t.clock.advance(MINUTE);
    await authenticateApiToken(t.deps.db, t.deps.clock, token);
    assert.equal(await lastUsed(), t.clock.now().getTime());
  });
});
