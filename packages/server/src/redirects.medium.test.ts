import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from './testing/index.ts';
import { TEST_PASSWORD, TestClient, createTestApp, outbox, seedTenant } from './testing/index.ts';

// Every `next` a sign-in page takes, however it is spelled, lands on the portal's own origin, and a
// value that cannot be made safe falls back to the default page instead of failing the request.

const HOST = 'musterstadt.localhost';
const ORIGIN = `http://${HOST}`;
const HOSTILE = [
  '//evil.example',
  'https://evil.example/',
  '/\\evil.example',
  '/\t/evil.example',
  '/\r/evil.example',
  '/\n/evil.example',
  '/account\r\nSet-Cookie: a=b',
  '/..//evil.example',
];

/** Where a browser goes from a page of the portal with this Location. */
function landsOn(location: unknown): string {
  assert.equal(typeof location, 'string');
  return new URL(String(location), `${ORIGIN}/login`).origin;
}

describe('next values after sign-in stay on the origin', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await createTestApp();
    admin = (await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [HOST] })).admin
      .email;
    t.app.invalidateTenantCache();
  });
  after(() => t.close());

  for (const next of HOSTILE) {
    it(`staff sign-in with next=${JSON.stringify(next)}`, async () => {
      const c = new TestClient(t.app, HOST);
      const page = await c.get(`/login?next=${encodeURIComponent(next)}`);
      assert.equal(page.statusCode, 200);
      const r = await c.postForm('/login', { email: admin, password: TEST_PASSWORD, next });
      assert.equal(r.statusCode, 303, r.body);
      assert.equal(landsOn(r.headers.location), ORIGIN, String(r.headers.location));
    });
  }

  it('a signed-in citizen sent to the sign-in page with a hostile next goes to its own page', async () => {
    const c = new TestClient(t.app, HOST);
    await c.get('/account/register');
    const asked = await c.postForm('/account/register', { email: 'next@example.org', displayName: '' });
    assert.equal(asked.statusCode, 200, asked.body);
    const code = /\b(\d{6})\b/.exec((await outbox(t)).at(-1)?.text ?? '')?.[1] ?? '';
    const codeId = /name="codeId" value="([^"]+)"/.exec(asked.body)?.[1] ?? '';
    const done = await c.postForm('/account/register/verify', { codeId, code, email: 'next@example.org' });
    assert.equal(done.statusCode, 303, done.body);
    for (const next of HOSTILE) {
      const r = await c.get(`/account/login?next=${encodeURIComponent(next)}`);
      assert.equal(r.statusCode, 302, `${JSON.stringify(next)}: ${r.body.slice(0, 200)}`);
      assert.equal(landsOn(r.headers.location), ORIGIN, JSON.stringify(next));
    }
  });
});
