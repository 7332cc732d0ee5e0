import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from './testing/index.ts';
import { createTestApp, seedTenant } from './testing/index.ts';
import { createApiToken } from './modules/auth/index.ts';
import { errorRegistry } from './errors.ts';

let t: TestApp;
let token: string;

before(async () => {
  t = await createTestApp();
  const { tenant, admin } = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt' });
  ({ token } = await createApiToken(t.deps.db, t.deps, { tenantId: tenant.id, staffId: admin.id }));
});
after(() => t.close());

describe('operations endpoints', () => {
  it('/healthz answers while the process runs', async () => {
    const res = await t.app.inject('/healthz');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json<{ status: string }>().status, 'ok');
  });

  it('/readyz checks database and blob store', async () => {
    const res = await t.app.inject('/readyz');
    assert.equal(res.statusCode, 200);
    const checks = res.json<{ checks: Record<string, { ok: boolean }> }>().checks;
    assert.deepEqual(Object.keys(checks).sort(), ['blobStore', 'database', 'scanner']);
    assert.ok(Object.values(checks).every((c) => c.ok));
  });

  it('publishes an OpenAPI document of the JSON API only, and a rendered reference page', async () => {
    const res = await t.app.inject('/api/openapi.json');
    assert.equal(res.statusCode, 200);
    const spec = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    assert.equal(spec.openapi, '3.1.0');
    assert.ok('/api/v1/departments' in spec.paths);
    assert.ok(!('/login' in spec.paths), 'HTML routes stay out of the API description');
    const page = await t.app.inject('/api/docs');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /\/api\/v1\/departments/);
  });
});

describe('security headers', () => {
  it('sends a strict CSP and the other headers on every response', async () => {
    for (const url of ['/', '/login', '/does-not-exist', '/api/v1/me']) {
      const res = await t.app.inject(url);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/, url);
      assert.match(csp, /script-src 'self'(;|$)/, url);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
    }
  });

  it('adds HSTS only when served over TLS', async () => {
    const plain = await t.app.inject('/');
    assert.equal(plain.headers['strict-transport-security'], undefined);
  });

  it('pages contain no inline script or style', async () => {
    for (const url of [
      '/',
      '/login',
      '/leichte-sprache',
      '/datenschutz',
      '/impressum',
      '/barrierefreiheit',
      '/nope',
    ]) {
      const res = await t.app.inject(url);
      assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/i, url);
      assert.doesNotMatch(res.body, /\sstyle=/i, url);
      assert.doesNotMatch(res.body, /<style/i, url);
    }
  });
});

describe('bad input answers with its documented code and writes nothing', () => {
  const count = async (table: string) =>
    (await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n ?? 0;

  it('unknown route: ERR_NOT_FOUND, as JSON for the API and as a page for browsers', async () => {
    const api = await t.app.inject('/api/v1/nothing-here');
    assert.equal(api.statusCode, 404);
    assert.equal(api.json<{ error: { code: string } }>().error.code, 'ERR_NOT_FOUND');
    const page = await t.app.inject({ url: '/nothing-here', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 404);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<html lang="de"/);
  });

  it('malformed JSON: ERR_MALFORMED_JSON', async () => {
    const before = await count('departments');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{"name": "Bauamt",',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_MALFORMED_JSON');
    assert.equal(await count('departments'), before);
  });

  it('oversized body: ERR_BODY_TOO_LARGE', async () => {
    const before = await count('departments');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x', description: 'y'.repeat(2 * 1024 * 1024) }),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_BODY_TOO_LARGE');
    assert.equal(await count('departments'), before);
  });

  it('schema violation: ERR_VALIDATION naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { authorization: `Bearer ${token}` },
      payload: { name: '' },
    });
    assert.equal(res.statusCode, 400);
    const body = res.json<{ error: { code: string; fields: { field: string }[] } }>();
    assert.equal(body.error.code, 'ERR_VALIDATION');
    assert.equal(body.error.fields[0]?.field, 'name');
  });

  it('unsupported content type: ERR_UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
      payload: '<name>x</name>',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('unknown bearer token: ERR_UNAUTHENTICATED', async () => {
    const res = await t.app.inject({
      url: '/api/v1/me',
      headers: { authorization: 'Bearer amtb_not-a-real-token-at-all-000000' },
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_UNAUTHENTICATED');
  });

  it('answers in English when asked', async () => {
    const res = await t.app.inject({ url: '/api/v1/nope', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    assert.equal(res.json<{ error: { message: string } }>().error.message, errorRegistry.ERR_NOT_FOUND.en);
  });
});

describe('API tokens', () => {
  it('authenticate the staff member they were made for', async () => {
    const res = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json<{ email: string }>().email, 'admin@musterstadt.example');
  });

  it('are stored only as a hash', async () => {
    const rows = await t.deps.db.query<{ token_hash: Uint8Array }>('SELECT token_hash FROM api_tokens');
    for (const r of rows) assert.ok(!Buffer.from(r.token_hash).toString('utf8').includes(token));
    const dump = JSON.stringify(await t.deps.db.query('SELECT * FROM api_tokens'));
    assert.ok(!dump.includes(token));
  });
});
