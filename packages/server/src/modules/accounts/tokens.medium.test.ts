import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DAY } from '../../adapters/clock.ts';
import type { TestApp } from '../../testing/index.ts';
import { TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';
import { createApiToken } from '../auth/index.ts';
import { createAccountToken, MAX_TOKENS_PER_ACCOUNT } from './services/tokens.ts';

// Personal API tokens of service accounts: the page that creates, lists and revokes them, and
// what a token may do (read the transfers addressed to its account, nothing else).

let t: TestApp;
let staffToken: string;
let tenantId: string;
const host = 'musterstadt.localhost';
const ina = {
  email: 'ina@example.org',
  data: randomBytes(300_000),
  link: '',
  client: undefined as unknown as TestClient,
  accountId: '',
};
const otto = {
  email: 'otto@example.org',
  data: randomBytes(1000),
  link: '',
  client: undefined as unknown as TestClient,
  accountId: '',
};

const linkToken = (link: string): string => link.split('/').pop() ?? '';

async function staffApi(method: 'GET' | 'POST', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: {
      host,
      authorization: `Bearer ${staffToken}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}

/** A level-2 transfer with one file to `email`; returns the link's path. */
async function sendLevel2(email: string, data: Buffer, subject: string): Promise<string> {
  const d = await staffApi('POST', '/api/v1/transfers', {
    level: 2,
    recipients: [email],
    subject,
    message: 'Bitte ansehen.',
    files: [{ name: 'bescheid.pdf', size: data.length, type: 'application/pdf' }],
  });
  assert.equal(d.statusCode, 201, d.body);
  const draft = d.json<{ id: string; files: { id: string }[] }>();
  const fileId = draft.files[0]?.id ?? '';
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: {
      host,
      authorization: `Bearer ${staffToken}`,
      'tus-resumable': '1.0.0',
      'upload-length': String(data.length),
      'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')}`,
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  const patched = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/uploads/${fileId}`,
    headers: {
      host,
      authorization: `Bearer ${staffToken}`,
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    },
    payload: data,
  });
  assert.equal(patched.statusCode, 204, patched.body);
  const sent = await staffApi('POST', `/api/v1/transfers/${draft.id}/send`);
  assert.equal(sent.statusCode, 200, sent.body);
  return new URL(sent.json<{ recipients: { link: string }[] }>().recipients[0]?.link ?? '').pathname;
}

/** Proves the address behind a level-2 link with the mailed code: creates the account and signs in. */
async function verifyLink(link: string): Promise<TestClient> {
  const c = new TestClient(t.app, host);
  await c.get(link);
  const page = await c.postForm(`${link}/code`, {});
  const codeId = /name="codeId" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  const code = /\b(\d{6})\b/.exec((await outbox(t)).at(-1)?.text ?? '')?.[1] ?? '';
  const ok = await c.postForm(`${link}/verify`, { codeId, code });
  assert.equal(ok.statusCode, 303, ok.body);
  return c;
}

/** Creates a token on the account page and reads its secret from the one answer that shows it. */
async function createOnPage(c: TestClient, name: string, expiresInDays = '90'): Promise<string> {
  await c.get('/account/tokens');
  const res = await c.postForm('/account/tokens', { name, expiresInDays });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['cache-control'], 'no-store');
  const secret = /id="token-secret">(amta_[A-Za-z0-9_-]+)</.exec(res.body)?.[1];
  assert.ok(secret !== undefined, 'the secret is shown once');
  return secret;
}

const bearer = (token: string, extra: Record<string, string> = {}) => ({
  host,
  authorization: `Bearer ${token}`,
  ...extra,
});

before(async () => {
  t = await createTestApp();
  const a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  tenantId = a.tenant.id;
  t.app.invalidateTenantCache();
  staffToken = (await createApiToken(t.deps.db, t.deps, { tenantId, staffId: a.admin.id })).token;
  for (const p of [ina, otto]) {
    p.link = await sendLevel2(p.email, p.data, `Für ${p.email}`);
    p.client = await verifyLink(p.link);
    const row = await t.deps.db.query<{ id: string }>(
      `SELECT id FROM accounts WHERE tenant_id = $1 AND email = $2`,
      [tenantId, p.email],
    );
    p.accountId = row[0]?.id ?? '';
  }
});
after(() => t.close());

describe('account tokens: the page', () => {
  it('needs a signed-in account', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/account/tokens', headers: { host } });
    assert.equal(anon.statusCode, 303);
    assert.match(String(anon.headers.location), /^\/account\/login/);
  });

  it('refuses a missing name and keeps what was entered', async () => {
    await ina.client.get('/account/tokens');
    const res = await ina.client.postForm('/account/tokens', { name: '  ', expiresInDays: '30' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Bitte geben Sie einen Namen ein/);
    assert.match(res.body, /aria-invalid="true"/);
    const odd = await ina.client.postForm('/account/tokens', { name: 'x', expiresInDays: '7' });
    assert.equal(odd.statusCode, 400);
    assert.equal((await t.deps.db.query(`SELECT 1 FROM account_tokens`)).length, 0);
  });

  it('refuses a form without the CSRF token', async () => {
    const res = await ina.client.postForm(
      '/account/tokens',
      { name: 'ohne', expiresInDays: '30' },
      { csrf: false },
    );
    assert.equal(res.statusCode, 403);
  });

  it('creates a token, shows the secret once, lists it, stores only a hash, audits it', async () => {
    const secret = await createOnPage(ina.client, 'Inas Rechner');
    assert.ok(secret.length >= 5 + 43, '256-bit secret after the prefix');
    const list = await ina.client.get('/account/tokens');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Inas Rechner/);
    assert.doesNotMatch(list.body, new RegExp(secret), 'never shown again');
    assert.doesNotMatch(
      JSON.stringify(await t.deps.db.query('SELECT * FROM account_tokens')),
      new RegExp(secret.slice(5)),
    );
    const audit = await t.deps.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'account.token.created' AND actor_id = $1`,
      [ina.accountId],
    );
    assert.equal(audit.length, 1);
    // Another account does not see it.
    assert.doesNotMatch((await otto.client.get('/account/tokens')).body, /Inas Rechner/);
  });

  it('caps the number of tokens per account', async () => {
    const before = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM account_tokens WHERE account_id = $1`,
      [otto.accountId],
    );
    for (let i = before[0]?.n ?? 0; i < MAX_TOKENS_PER_ACCOUNT; i++)
      await createAccountToken(t.deps, { tenantId, accountId: otto.accountId, name: `t${i}` });
    await otto.client.get('/account/tokens');
    const res = await otto.client.postForm('/account/tokens', { name: 'one too many', expiresInDays: '30' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /höchste Zahl an Zugangsschlüsseln/);
    await t.deps.db.query(`DELETE FROM account_tokens WHERE account_id = $1`, [otto.accountId]);
  });
});

describe('account tokens: what a token may do', () => {
  let inaToken: string;
  let ottoToken: string;
  before(async () => {
    inaToken = await createOnPage(ina.client, 'fetch');
    ottoToken = await createOnPage(otto.client, 'fetch');
  });

  it('opens the level-2 transfer of its own account: manifest, ranged file download, ZIP', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/received/${linkToken(ina.link)}`,
      headers: bearer(inaToken, { accept: 'application/json' }),
    });
    assert.equal(res.statusCode, 200, res.body);
    const m = res.json<{ level: number; files: { url: string; size: number }[] }>();
    assert.equal(m.level, 2);
    const f = m.files[0];
    assert.ok(f !== undefined);
    assert.equal(f.size, ina.data.length);
    const whole = await t.app.inject({ method: 'GET', url: f.url, headers: bearer(inaToken) });
    assert.equal(whole.statusCode, 200);
    assert.ok(whole.rawPayload.equals(ina.data));
    const tail = await t.app.inject({
      method: 'GET',
      url: f.url,
      headers: bearer(inaToken, { range: 'bytes=100000-' }),
    });
    assert.equal(tail.statusCode, 206);
    assert.ok(tail.rawPayload.equals(ina.data.subarray(100_000)));
    const zip = await t.app.inject({ method: 'GET', url: `${ina.link}/zip`, headers: bearer(inaToken) });
    assert.equal(zip.statusCode, 200);
    const used = await t.deps.db.query<{ last_used_at: Date | null }>(
      `SELECT last_used_at FROM account_tokens WHERE account_id = $1 AND name = 'fetch'`,
      [ina.accountId],
    );
    assert.ok(used.every((u) => u.last_used_at !== null));
    const audit = await t.deps.db.query<{ action: string; actor_kind: string }>(
      `SELECT action, actor_kind FROM audit_events WHERE actor_id = $1 AND action IN ('account.token.used', 'transfer.downloaded')`,
      [ina.accountId],
    );
    assert.ok(audit.some((e) => e.action === 'account.token.used'));
    assert.ok(
      audit.some((e) => e.action === 'transfer.downloaded' && e.actor_kind === 'account'),
      'downloads are recorded for the account',
    );
  });

  it('gives another account, a staff token and no token the same 404 as an unknown link', async () => {
    const url = `/api/v1/received/${linkToken(ina.link)}`;
    const unknown = await t.app.inject({
      method: 'GET',
      url: `/api/v1/received/${'x'.repeat(43)}`,
      headers: bearer(ottoToken, { accept: 'application/json' }),
    });
    assert.equal(unknown.statusCode, 404);
    for (const headers of [
      bearer(ottoToken, { accept: 'application/json' }),
      bearer(staffToken, { accept: 'application/json' }),
      { host, accept: 'application/json' },
    ]) {
      const res = await t.app.inject({ method: 'GET', url, headers });
      assert.equal(res.statusCode, 404);
      assert.equal(
        res.json<{ error: { code: string } }>().error.code,
        unknown.json<{ error: { code: string } }>().error.code,
      );
    }
    const file = await t.app.inject({
      method: 'GET',
      url: `/api/v1/received/${linkToken(otto.link)}`,
      headers: bearer(ottoToken),
    });
    assert.equal(file.statusCode, 200, 'otto’s own transfer opens for otto’s token');
    const fileUrl = file.json<{ files: { url: string }[] }>().files[0]?.url ?? '';
    assert.equal(
      (await t.app.inject({ method: 'GET', url: fileUrl, headers: bearer(inaToken) })).statusCode,
      404,
    );
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `${otto.link}/zip`, headers: bearer(inaToken) })).statusCode,
      404,
    );
  });

  it('reads nothing else and changes nothing: settings, tokens, staff API, the page', async () => {
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(inaToken, { accept: 'application/json' }),
    });
    assert.equal(me.statusCode, 401);
    const transfers = await t.app.inject({
      method: 'GET',
      url: '/api/v1/transfers',
      headers: bearer(inaToken, { accept: 'application/json' }),
    });
    assert.equal(transfers.statusCode, 401);
    const page = await t.app.inject({ method: 'GET', url: '/account/tokens', headers: bearer(inaToken) });
    assert.equal(page.statusCode, 303, 'the token page sends a token holder to the sign-in page');
    const mint = await t.app.inject({
      method: 'POST',
      url: '/account/tokens',
      headers: bearer(inaToken, { 'content-type': 'application/x-www-form-urlencoded' }),
      payload: 'name=more&expiresInDays=30',
    });
    assert.ok(mint.statusCode === 401 || mint.statusCode === 403, `minting refused (${mint.statusCode})`);
    const profile = await t.app.inject({
      method: 'POST',
      url: '/account/profile',
      headers: bearer(inaToken, { 'content-type': 'application/x-www-form-urlencoded' }),
      payload: 'displayName=Mallory',
    });
    assert.ok(
      profile.statusCode === 401 || profile.statusCode === 403,
      `settings refused (${profile.statusCode})`,
    );
    const reply = await t.app.inject({
      method: 'POST',
      url: `${ina.link}/replies`,
      headers: bearer(inaToken, { 'content-type': 'application/json' }),
      payload: JSON.stringify({ subject: 'x', files: [] }),
    });
    assert.ok(reply.statusCode >= 400, `reply refused (${reply.statusCode})`);
    const html = await t.app.inject({ method: 'GET', url: ina.link, headers: bearer(inaToken) });
    assert.doesNotMatch(html.body, /Für ina@example\.org/, 'the browser page is for a signed-in session');
    const n = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM account_tokens WHERE account_id = $1`,
      [ina.accountId],
    );
    assert.equal(n[0]?.n, 2);
  });

  it('stops working once revoked (401); a token of another account cannot be revoked', async () => {
    const rows = await t.deps.db.query<{ id: string }>(
      `SELECT id FROM account_tokens WHERE account_id = $1 AND name = 'fetch'`,
      [ina.accountId],
    );
    const id = rows[0]?.id ?? '';
    await otto.client.get('/account/tokens');
    const foreign = await otto.client.postForm(`/account/tokens/${id}/revoke`, {});
    assert.equal(foreign.statusCode, 404);
    await ina.client.get('/account/tokens');
    const ok = await ina.client.postForm(`/account/tokens/${id}/revoke`, {});
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/account/tokens?notice=account-token-revoked');
    assert.match(
      (await ina.client.get('/account/tokens?notice=account-token-revoked')).body,
      /wurde widerrufen/,
    );
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/received/${linkToken(ina.link)}`,
      headers: bearer(inaToken, { accept: 'application/json' }),
    });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_UNAUTHENTICATED');
    const audit = await t.deps.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'account.token.revoked' AND subject_id = $1`,
      [id],
    );
    assert.equal(audit.length, 1);
  });

  it('stops working after its expiry (401)', async () => {
    const short = await createOnPage(ina.client, 'kurz', '30');
    const url = `/api/v1/received/${linkToken(ina.link)}`;
    assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(short) })).statusCode, 200);
    t.clock.advance(30 * DAY + 1000);
    try {
      assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(short) })).statusCode, 401);
    } finally {
      t.clock.advance(-(30 * DAY + 1000));
    }
  });

  it('limits failed token lookups per network', async () => {
    await t.deps.db.query('DELETE FROM rate_limits');
    const url = `/api/v1/received/${linkToken(otto.link)}`;
    const wrong = `amta_${'A'.repeat(43)}`;
    for (let i = 0; i < 20; i++)
      assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(wrong) })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(wrong) })).statusCode, 429);
    assert.equal(
      (await t.app.inject({ method: 'GET', url, headers: bearer(ottoToken) })).statusCode,
      429,
      'the whole network waits',
    );
    await t.deps.db.query('DELETE FROM rate_limits');
    assert.equal((await t.app.inject({ method: 'GET', url, headers: bearer(ottoToken) })).statusCode, 200);
  });
});
