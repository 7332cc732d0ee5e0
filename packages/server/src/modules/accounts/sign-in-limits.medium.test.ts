import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../auth/index.ts';
import type { TestApp } from '../../testing/index.ts';
import { TEST_PASSWORD, TestClient, createTestApp, seedTenant } from '../../testing/index.ts';
import { insertAccountIfNew } from './store/accounts.ts';
import { storePasswordHash } from './store/credentials.ts';

// Rate limits decide and count in one statement (hardening issue: a burst of 40 parallel wrong
// passwords got 26 password checks through a limit of 5, because the limit read, then wrote).
// Runs on PGlite, and on PostgreSQL with TEST_DATABASE_URL, where the 40 requests really run in
// parallel over the pool.
//
// What counts a password check: a 401 ERR_INVALID_CREDENTIALS is only ever answered after the
// password was compared, and each such comparison writes one `*.login_failed` audit event; a
// refused try answers 429 before anything is looked at. Both are counted, and must agree.

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedTenant>>;
const host = 'grenzstadt.localhost';
const ACCOUNT = 'buerger@example.org';
const PASSWORD = 'Der Brunnen vor dem Tore steht im Schatten';
const BURST = 40;

before(async () => {
  t = await createTestApp();
  seeded = await seedTenant(t.deps, { slug: 'grenzstadt', name: 'Grenzstadt', hostnames: [host] });
  t.app.invalidateTenantCache();
  const id = t.deps.secrets.id();
  const at = t.clock.now();
  await insertAccountIfNew(t.deps.db, {
    tenantId: seeded.tenant.id,
    id,
    email: ACCOUNT,
    displayName: null,
    locale: 'de',
    at,
  });
  await storePasswordHash(t.deps.db, {
    tenantId: seeded.tenant.id,
    accountId: id,
    hash: await hashPassword(PASSWORD),
    at,
  });
});
after(() => t.close());
beforeEach(async () => {
  await t.deps.db.query('DELETE FROM rate_limits');
  await t.deps.db.query('DELETE FROM audit_events');
});

/** One form post from `ip`, with the CSRF cookie and token of a client that opened the form. */
async function post(
  c: TestClient,
  url: string,
  form: Record<string, string>,
  ip: string,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url,
    remoteAddress: ip,
    headers: {
      host,
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    payload: new URLSearchParams({ ...form, _csrf: c.csrfToken ?? '' }).toString(),
  });
}

async function formClient(path: string): Promise<TestClient> {
  const c = new TestClient(t.app, host);
  await c.get(path);
  assert.ok(c.csrfToken !== undefined);
  return c;
}

async function failedChecks(action: string): Promise<number> {
  const rows = await t.deps.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND action = $2`,
    [seeded.tenant.id, action],
  );
  return rows[0]?.n ?? 0;
}

function tally(responses: LightMyRequestResponse[]): Record<number, number> {
  const by: Record<number, number> = {};
  for (const r of responses) by[r.statusCode] = (by[r.statusCode] ?? 0) + 1;
  return by;
}

describe('a burst of parallel wrong passwords', () => {
  it('gets at most 5 password checks on one service account, then the right password gets in after the delay', async () => {
    const c = await formClient('/account/login');
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        post(c, '/account/login', { email: ACCOUNT, password: `falsch-${i}-falsch-falsch` }, '203.0.113.7'),
      ),
    );
    const by = tally(burst);
    assert.equal((by[401] ?? 0) + (by[429] ?? 0), BURST, JSON.stringify(by));
    assert.equal(by[401], 5, JSON.stringify(by));
    assert.equal(await failedChecks('account.login_failed'), 5);

    // The account waits a short delay, not a lockout: from anywhere else, the right password is
    // refused unchecked now and accepted once the delay has passed.
    const victim = await formClient('/account/login');
    const early = await post(
      victim,
      '/account/login',
      { email: ACCOUNT, password: PASSWORD },
      '198.51.100.20',
    );
    assert.equal(early.statusCode, 429);
    t.clock.advance(2_000);
    const right = await post(
      victim,
      '/account/login',
      { email: ACCOUNT, password: PASSWORD },
      '198.51.100.20',
    );
    assert.equal(right.statusCode, 303, right.body);
  });

  it('gets at most 5 password checks on one staff account', async () => {
    const c = await formClient('/login');
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        post(c, '/login', { email: seeded.admin.email, password: `wrong-${i}-wrong-wrong` }, '203.0.113.8'),
      ),
    );
    const by = tally(burst);
    assert.equal(by[401], 5, JSON.stringify(by));
    assert.equal(await failedChecks('staff.login_failed'), 5);
    t.clock.advance(2_000);
    const right = await post(
      c,
      '/login',
      { email: seeded.admin.email, password: TEST_PASSWORD },
      '198.51.100.21',
    );
    assert.equal(right.statusCode, 303, right.body);
  });

  it('counts all addresses of one IPv6 /64 as one source (20 checks across many accounts)', async () => {
    const c = await formClient('/account/login');
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        post(
          c,
          '/account/login',
          { email: `niemand${i}@example.org`, password: 'irgendwas-irgendwas' },
          `2001:db8:7:9:${(i + 1).toString(16)}::1`,
        ),
      ),
    );
    const by = tally(burst);
    assert.equal(by[401], 20, JSON.stringify(by));
    assert.equal(await failedChecks('account.login_failed'), 20);
    // The next /64 is another source.
    const other = await post(
      c,
      '/account/login',
      { email: 'niemand@example.org', password: 'x-x-x-x-x-x' },
      '2001:db8:7:a::1',
    );
    assert.equal(other.statusCode, 401);
  });

  it('a right password gives its slot back: a source signing in often is not limited', async () => {
    const c = await formClient('/account/login');
    for (let i = 0; i < 30; i++) {
      const r = await post(c, '/account/login', { email: ACCOUNT, password: PASSWORD }, '192.0.2.30');
      assert.equal(r.statusCode, 303, `sign-in ${i + 1}`);
    }
  });
});
