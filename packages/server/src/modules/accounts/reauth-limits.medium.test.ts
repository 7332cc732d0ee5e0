import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { MINUTE } from '../../adapters/clock.ts';
import { hashPassword } from '../auth/index.ts';
import type { TestApp } from '../../testing/index.ts';
import { TestClient, createTestApp, seedTenant } from '../../testing/index.ts';
import { insertAccountIfNew } from './store/accounts.ts';
import { storePasswordHash } from './store/credentials.ts';

// The password re-entry before a deletion and the current password of a password change are
// password checks like the sign-in's, and take their slot in one atomic step before the password
// is looked at. (They used to read the limit, compare, then count: a parallel burst got as many
// comparisons as it had requests.)
//
// What counts a password check: a wrong password is answered 403 (deletion) or 401 (password
// change) only after it was compared; a refused try answers 429 before anything is looked at.
// The account allows 5 checks, then a delay (accountPasswordLimits).

let t: TestApp;
let tenantId: string;
const host = 'pruefstadt.localhost';
const PASSWORD = 'Die Glocken läuten über dem stillen Marktplatz';
const BURST = 20;
const FREE = 5;

before(async () => {
  t = await createTestApp();
  const seeded = await seedTenant(t.deps, { slug: 'pruefstadt', name: 'Prüfstadt', hostnames: [host] });
  tenantId = seeded.tenant.id;
  t.app.invalidateTenantCache();
});
after(() => t.close());
beforeEach(async () => {
  await t.deps.db.query('DELETE FROM rate_limits');
});

/** An account with a password, signed in more than 10 minutes ago (so it must re-enter it). */
async function signedIn(email: string, page: string): Promise<TestClient> {
  const id = t.deps.secrets.id();
  const at = t.clock.now();
  await insertAccountIfNew(t.deps.db, { tenantId, id, email, displayName: null, locale: 'de', at });
  await storePasswordHash(t.deps.db, { tenantId, accountId: id, hash: await hashPassword(PASSWORD), at });
  const c = new TestClient(t.app, host);
  await c.get('/account/login');
  const r = await c.postForm('/account/login', { email, password: PASSWORD });
  assert.equal(r.statusCode, 303, r.body);
  t.clock.advance(11 * MINUTE);
  assert.equal((await c.get(page)).statusCode, 200);
  assert.ok(c.csrfToken !== undefined);
  return c;
}

function tally(responses: LightMyRequestResponse[]): Record<number, number> {
  const by: Record<number, number> = {};
  for (const r of responses) by[r.statusCode] = (by[r.statusCode] ?? 0) + 1;
  return by;
}

describe('a parallel burst of wrong passwords', () => {
  it('gets at most 5 password checks at the re-entry before a deletion, then the right one after the delay', async () => {
    const c = await signedIn('loeschen@example.org', '/account/delete');
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        c.postForm('/account/delete', { password: `falsch-${i}-falsch-falsch` }),
      ),
    );
    const by = tally(burst);
    assert.equal((by[403] ?? 0) + (by[429] ?? 0), BURST, JSON.stringify(by));
    assert.equal(by[403], FREE, JSON.stringify(by));
    // The account waits a short delay, not a lockout.
    assert.equal((await c.postForm('/account/delete', { password: PASSWORD })).statusCode, 429);
    t.clock.advance(2_000);
    const done = await c.postForm('/account/delete', { password: PASSWORD });
    assert.equal(done.statusCode, 303, done.body);
  });

  it('gets at most 5 checks of the current password at a password change', async () => {
    const c = await signedIn('aendern@example.org', '/account');
    const next = 'Ein neuer Morgen über den Dächern der Altstadt';
    const burst = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        c.postForm('/account/password', {
          current: `falsch-${i}-falsch-falsch`,
          password: next,
          passwordConfirm: next,
        }),
      ),
    );
    const by = tally(burst);
    assert.equal((by[401] ?? 0) + (by[429] ?? 0), BURST, JSON.stringify(by));
    assert.equal(by[401], FREE, JSON.stringify(by));
    const limited = await c.postForm('/account/password', {
      current: PASSWORD,
      password: next,
      passwordConfirm: next,
    });
    assert.equal(limited.statusCode, 429);
    t.clock.advance(2_000);
    const changed = await c.postForm('/account/password', {
      current: PASSWORD,
      password: next,
      passwordConfirm: next,
    });
    assert.equal(changed.statusCode, 303, changed.body);
  });

  it('a right password gives its slot back: re-entering it often is not limited', async () => {
    const c = await signedIn('oft@example.org', '/account');
    const next = 'Ein neuer Morgen über den Dächern der Altstadt';
    let current = PASSWORD;
    for (let i = 0; i < 2 * FREE; i++) {
      const password = i % 2 === 0 ? next : PASSWORD;
      const r = await c.postForm('/account/password', { current, password, passwordConfirm: password });
      assert.equal(r.statusCode, 303, `change ${i + 1}: ${r.body.slice(0, 200)}`);
      current = password;
    }
  });
});
