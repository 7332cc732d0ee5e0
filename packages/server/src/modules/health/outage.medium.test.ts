import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../adapters/db/index.ts';
import { createApiToken } from '../auth/index.ts';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, seedTenant, testDatabase } from '../../testing/index.ts';

// The database goes away under a running app (PGlite closed, or a pg pool ended): every answer
// is then 503 ERR_SERVICE_UNAVAILABLE with Retry-After, not 500, and /readyz names the database.

let t: TestApp;
let token: string;
let db: Db;

before(async () => {
  db = await testDatabase();
  let closed: Promise<void> | undefined;
  // Closed by the test first; the test app's own close() must not close it a second time.
  const closeOnce = (): Promise<void> => (closed ??= db.close());
  t = await createTestApp({ db: { ...db, close: closeOnce } });
  const { tenant, admin } = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt' });
  ({ token } = await createApiToken(t.deps.db, t.deps, { tenantId: tenant.id, staffId: admin.id }));
  const warm = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
  assert.equal(warm.statusCode, 200, warm.body);
  await t.deps.db.close();
});
after(() => t.close());

function assertOutage(res: { statusCode: number; headers: Record<string, unknown> }): void {
  assert.equal(res.statusCode, 503);
  assert.equal(res.headers['retry-after'], '30');
}

describe('a database outage', () => {
  it('answers an API call with 503 ERR_SERVICE_UNAVAILABLE and Retry-After', async () => {
    const res = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    assertOutage(res);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_SERVICE_UNAVAILABLE');
  });

  it('answers a page with 503 and the registry message, while the tenant is known', async () => {
    const res = await t.app.inject({
      url: '/',
      headers: { accept: 'text/html', cookie: `amtsbote_session=${'x'.repeat(43)}` },
    });
    assertOutage(res);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /Der Dienst ist gerade nicht erreichbar/);
  });

  it('answers a page with 503 and the registry message when the tenant cannot be looked up', async () => {
    t.app.invalidateTenantCache();
    const res = await t.app.inject({ url: '/login', headers: { accept: 'text/html' } });
    assertOutage(res);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /Der Dienst ist gerade nicht erreichbar/);
  });

  it('makes /readyz answer 503 naming the database', async () => {
    const res = await t.app.inject('/readyz');
    assert.equal(res.statusCode, 503);
    const body = res.json<{ status: string; checks: Record<string, { ok: boolean; detail: string }> }>();
    assert.equal(body.status, 'unavailable');
    assert.equal(body.checks.database?.ok, false);
    assert.match(body.checks.database.detail, /database/);
    assert.equal(body.checks.blobStore?.ok, true);
  });
});
