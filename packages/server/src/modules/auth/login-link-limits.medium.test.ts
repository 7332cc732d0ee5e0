import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { TestApp } from '../../testing/index.ts';
import { TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';

// Sign-in link mails are taken from their limits (3 per address, 10 per source an hour) in one
// atomic step each, all or none. (They used to read every limit, then count: a parallel burst
// got a mail for every request.) What counts is the outbox: one mail per link sent.

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedTenant>>;
const host = 'linkstadt.localhost';
const BURST = 20;

before(async () => {
  t = await createTestApp();
  seeded = await seedTenant(t.deps, { slug: 'linkstadt', name: 'Linkstadt', hostnames: [host] });
  t.app.invalidateTenantCache();
});
after(() => t.close());
beforeEach(async () => {
  await t.deps.db.query('DELETE FROM rate_limits');
});

async function linkMailsTo(address: string): Promise<number> {
  return (await outbox(t)).filter(
    (m) => m.to.includes(address) && m.links.some((l) => l.includes('/login/link/')),
  ).length;
}

/** One link request from `ip`, with the CSRF cookie and token of a client that opened the form. */
function request(c: TestClient, email: string, ip: string) {
  return t.app.inject({
    method: 'POST',
    url: '/login/link',
    remoteAddress: ip,
    headers: {
      host,
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    payload: new URLSearchParams({ email, _csrf: c.csrfToken ?? '' }).toString(),
  });
}

describe('a parallel burst of sign-in link requests', () => {
  it('mails at most 3 links to one address, answering every request the same', async () => {
    const c = new TestClient(t.app, host);
    await c.get('/login');
    const before = await linkMailsTo(seeded.admin.email);
    const burst = await Promise.all(
      Array.from({ length: BURST }, () => request(c, seeded.admin.email, '203.0.113.40')),
    );
    assert.deepEqual(
      burst.map((r) => r.statusCode),
      Array<number>(BURST).fill(200),
    );
    assert.equal((await linkMailsTo(seeded.admin.email)) - before, 3);
  });

  it('takes at most 10 from one source, and nothing from the address when the source says no', async () => {
    const c = new TestClient(t.app, host);
    await c.get('/login');
    // 10 other addresses use up the source; then the admin's address gets nothing from it …
    await Promise.all(
      Array.from({ length: BURST }, (_, i) => request(c, `niemand${i}@example.org`, '2001:db8:40:1::1')),
    );
    const before = await linkMailsTo(seeded.admin.email);
    assert.equal((await request(c, seeded.admin.email, '2001:db8:40:1::2')).statusCode, 200);
    assert.equal(await linkMailsTo(seeded.admin.email), before, 'the same /64 is the same source');
    // … so its 3 are all still there from another source.
    for (let i = 0; i < 4; i++) await request(c, seeded.admin.email, `198.51.100.${String(40 + i)}`);
    assert.equal((await linkMailsTo(seeded.admin.email)) - before, 3);
  });
});
