import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fingerprint } from '@amtsbote/crypto';
import type { TestApp } from '../../testing/index.ts';
import { TEST_PASSWORD, TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';
import { accountForVerifiedEmail } from '../accounts/index.ts';
import { createApiToken, createSession, hashPassword, SESSION_COOKIE } from '../auth/index.ts';

// Replacing a personal key is a guarded act (issue 12): without a sign-in or confirmation in the
// last 10 minutes the API answers 403 ERR_REAUTH_REQUIRED and the key stays; with one, the key is
// replaced, the audit log says so, and the owner is mailed the new key's fingerprint.

let t: TestApp;
let city: Awaited<ReturnType<typeof seedTenant>>;
const host = 'schluessel.localhost';
const MINUTE = 60_000;

before(async () => {
  t = await createTestApp();
  city = await seedTenant(t.deps, { slug: 'schluessel', name: 'Stadt Schlüssel', hostnames: [host] });
  t.app.invalidateTenantCache();
});
after(() => t.close());

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** A real P-256 public key in the K and R framing of docs/crypto.md (random wrapped bytes). */
function personalKey() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const point = ecdh.getPublicKey(undefined, 'compressed');
  const k = Buffer.concat([Buffer.from('AMTBK\x01', 'latin1'), randomBytes(25), point, randomBytes(48)]);
  const r = Buffer.concat([Buffer.from('AMTBR\x01', 'latin1'), randomBytes(16), point, randomBytes(48)]);
  return {
    publicKey: `amtb-pub1-${b64(point)}`,
    wrappedWithPassphrase: b64(k),
    wrappedWithRecoveryCode: b64(r),
  };
}

async function signedIn(who: { accountId?: string; staffId?: string }): Promise<TestClient> {
  const c = new TestClient(t.app, host);
  c.cookies.set(
    SESSION_COOKIE,
    await createSession(t.deps.db, t.deps, { tenantId: city.tenant.id, ...who, authMethod: 'password' }),
  );
  await c.get('/keys'); // picks up the CSRF token (the sign-out form)
  return c;
}

const currentKey = async (c: TestClient) =>
  (await c.get('/api/v1/keys/me')).json<{ key: { publicKey: string } | null }>().key?.publicKey;

const auditCount = async (actorId: string) =>
  (
    await t.deps.db.query(
      `SELECT 1 FROM audit_events WHERE tenant_id = $1 AND action = 'personal-key.replaced' AND actor_id = $2`,
      [city.tenant.id, actorId],
    )
  ).length;

describe('replacing a personal key', () => {
  it('a citizen needs a fresh confirmation; then the key is replaced, audited and mailed', async () => {
    const email = 'bürgerin@schluessel.example';
    const { account } = await accountForVerifiedEmail(t.deps.db, t.deps, city.tenant.id, email, 'de');
    await t.deps.db.query(`UPDATE accounts SET password_hash = $3 WHERE tenant_id = $1 AND id = $2`, [
      city.tenant.id,
      account.id,
      await hashPassword(TEST_PASSWORD),
    ]);
    const c = await signedIn({ accountId: account.id });
    const first = personalKey();
    assert.equal((await c.json('POST', '/api/v1/keys/me', first)).statusCode, 201);

    t.clock.advance(11 * MINUTE);
    const stolen = personalKey();
    const refused = await c.json('POST', '/api/v1/keys/me', { ...stolen, replace: true });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json<{ error: { code: string } }>().error.code, 'ERR_REAUTH_REQUIRED');
    assert.equal(await currentKey(c), first.publicKey, 'the key is unchanged');
    assert.equal(await auditCount(account.id), 0);

    await c.get('/account/confirm?next=/keys');
    assert.equal(
      (await c.postForm('/account/confirm', { password: TEST_PASSWORD, next: '/keys' })).statusCode,
      303,
    );
    const renewed = personalKey();
    assert.equal((await c.json('POST', '/api/v1/keys/me', { ...renewed, replace: true })).statusCode, 201);
    assert.equal(await currentKey(c), renewed.publicKey);
    assert.equal(await auditCount(account.id), 1);

    const digits = await fingerprint(renewed.publicKey, email);
    const notice = (await outbox(t)).filter((m) => m.to.includes(email)).at(-1);
    assert.ok(notice !== undefined, 'a notice to the owner');
    assert.match(notice.subject, /ersetzt/);
    assert.ok(notice.text.includes(digits), 'the notice names the new fingerprint');
    assert.ok(notice.text.includes('/keys'));

    const page = await c.get('/keys');
    assert.equal(page.statusCode, 200);
    for (const group of digits.split(' ')) assert.ok(page.body.includes(`<span>${group}</span>`));
    assert.ok(page.body.includes('Fingerabdruck'));
  });

  it('staff need a sign-in in the last 10 minutes; a staff API token never counts', async () => {
    const c = await signedIn({ staffId: city.admin.id });
    const first = personalKey();
    assert.equal((await c.json('POST', '/api/v1/keys/me', first)).statusCode, 201);
    // Signed in just now: a replacement is allowed straight away.
    const second = personalKey();
    assert.equal((await c.json('POST', '/api/v1/keys/me', { ...second, replace: true })).statusCode, 201);
    assert.equal(await auditCount(city.admin.id), 1);
    const digits = await fingerprint(second.publicKey, city.admin.email);
    const notice = (await outbox(t)).filter((m) => m.to.includes(city.admin.email)).at(-1);
    assert.ok(notice?.text.includes(digits));

    t.clock.advance(11 * MINUTE);
    const later = await c.json('POST', '/api/v1/keys/me', { ...personalKey(), replace: true });
    assert.equal(later.statusCode, 403);
    assert.equal(later.json<{ error: { code: string } }>().error.code, 'ERR_REAUTH_REQUIRED');

    const { token } = await createApiToken(t.deps.db, t.deps, {
      tenantId: city.tenant.id,
      staffId: city.admin.id,
    });
    const viaToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/keys/me',
      headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ ...personalKey(), replace: true }),
    });
    assert.equal(viaToken.statusCode, 403);
    assert.equal(await currentKey(c), second.publicKey, 'the key is unchanged');
    assert.equal(await auditCount(city.admin.id), 1);
  });
});

describe('new recovery codes', () => {
  it('need the same fresh proof: else the confirm page first, and no audit record', async () => {
    const email = 'codes@schluessel.example';
    const { account } = await accountForVerifiedEmail(t.deps.db, t.deps, city.tenant.id, email, 'de');
    const c = await signedIn({ accountId: account.id });
    t.clock.advance(11 * MINUTE);
    const stale = await c.postForm('/account/recovery-codes', {});
    assert.equal(stale.statusCode, 303);
    assert.equal(stale.headers.location, '/account/confirm?next=%2Faccount');
    const renewed = await t.deps.db.query(
      `SELECT 1 FROM audit_events WHERE tenant_id = $1 AND action = 'account.recovery_codes_renewed' AND actor_id = $2`,
      [city.tenant.id, account.id],
    );
    assert.equal(renewed.length, 0);
  });
});
