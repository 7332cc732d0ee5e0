import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DAY } from '../../adapters/clock.ts';
import type { TestApp } from '../../testing/index.ts';
import { TestClient, createTestApp, seedTenant } from '../../testing/index.ts';
import { readStoredZip } from '../../testing/zip.ts';
import type { Account } from '../accounts/index.ts';
import { accountForVerifiedEmail } from '../accounts/index.ts';
import { createApiToken, createSession, SESSION_COOKIE } from '../auth/index.ts';
import { createOrganisation } from '../organisations/index.ts';
import { aggregateDailyStats } from '../stats/index.ts';
import { findMarkers } from '../retention/index.ts';

let t: TestApp;
let city: Awaited<ReturnType<typeof seedTenant>>;
const host = 'privacy.localhost';
let token: string;

before(async () => {
  t = await createTestApp();
  city = await seedTenant(t.deps, { slug: 'privacy', name: 'Stadt Auskunft', hostnames: [host] });
  t.app.invalidateTenantCache();
  token = (await createApiToken(t.deps.db, t.deps, { tenantId: city.tenant.id, staffId: city.admin.id }))
    .token;
});
after(() => t.close());

const tenantId = () => city.tenant.id;

async function signedInAs(accountId: string): Promise<TestClient> {
  const client = new TestClient(t.app, host);
  client.cookies.set(
    SESSION_COOKIE,
    await createSession(t.deps.db, t.deps, { tenantId: tenantId(), accountId, authMethod: 'code' }),
  );
  return client;
}

async function staffClient(): Promise<TestClient> {
  const client = new TestClient(t.app, host);
  client.cookies.set(
    SESSION_COOKIE,
    await createSession(t.deps.db, t.deps, {
      tenantId: tenantId(),
      staffId: city.admin.id,
      authMethod: 'password',
    }),
  );
  return client;
}

/** A message from staff to `to` with one file, sent through the API. */
async function sendTransfer(to: string, subject: string, content: string): Promise<string> {
  const data = Buffer.from(content);
  const api = (
    method: 'POST' | 'PATCH',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: {
        host,
        authorization: `Bearer ${token}`,
        ...(payload === undefined || Buffer.isBuffer(payload) ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(payload === undefined
        ? {}
        : { payload: Buffer.isBuffer(payload) ? payload : JSON.stringify(payload) }),
    });
  const created = await api('POST', '/api/v1/transfers', {
    level: 1,
    recipients: [to],
    subject,
    message: `Text ${subject}`,
    files: [{ name: `${subject}.pdf`, size: data.length, type: 'application/pdf' }],
  });
  assert.equal(created.statusCode, 201, created.body);
  const d = created.json<{ id: string; files: { id: string }[] }>();
  const fileId = d.files[0]?.id ?? '';
  const tus = { 'tus-resumable': '1.0.0' };
  assert.equal(
    (
      await api('POST', '/api/v1/uploads', undefined, {
        ...tus,
        'upload-length': String(data.length),
        'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')}`,
      })
    ).statusCode,
    201,
  );
  assert.equal(
    (
      await api('PATCH', `/api/v1/uploads/${fileId}`, data, {
        ...tus,
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      })
    ).statusCode,
    204,
  );
  assert.equal((await api('POST', `/api/v1/transfers/${d.id}/send`)).statusCode, 200);
  return d.id;
}

/** A person with data in every category the export knows; every string carries `tag`. */
async function personWithEverything(tag: string): Promise<{ account: Account; markers: string[] }> {
  const email = `person.${tag.toLowerCase()}@example.org`;
  const { account } = await accountForVerifiedEmail(
    t.deps.db,
    t.deps,
    tenantId(),
    email,
    'de',
    `Name ${tag}`,
  );
  const now = t.clock.now();
  await t.deps.db.query(
    `INSERT INTO account_passkeys (tenant_id, id, account_id, credential_id, public_key, name, created_at) VALUES ($1, $2, $3, $4, '\\x01', $5, $6)`,
    [tenantId(), t.deps.secrets.id(), account.id, `cred-${tag}`, `Laptop ${tag}`, now],
  );
  await t.deps.db.query(
    `INSERT INTO account_identities (tenant_id, id, account_id, issuer, subject, linked_at) VALUES ($1, $2, $3, 'https://id.example', $4, $5)`,
    [tenantId(), t.deps.secrets.id(), account.id, `sub-${tag}`, now],
  );
  await t.deps.db.query(
    `INSERT INTO account_tokens (id, token_hash, tenant_id, account_id, name, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [t.deps.secrets.id(), Buffer.from(`hash-of-token-${tag}`), tenantId(), account.id, `Skript ${tag}`, now],
  );
  await createSession(t.deps.db, t.deps, {
    tenantId: tenantId(),
    accountId: account.id,
    authMethod: 'code',
    userAgent: `Browser ${tag}`,
  });
  const org = await createOrganisation(t.deps, {
    tenantId: tenantId(),
    account,
    profile: {
      name: `Verein ${tag}`,
      legalForm: '',
      seat: '',
      address: '',
      contactEmail: `verein.${tag.toLowerCase()}@example.org`,
    },
    consent: true,
    ipPrefix: undefined,
  });
  // An invitation to this person from a third organisation (neither person's).
  const [neutral] = await t.deps.db.query<{ id: string }>(
    `SELECT id FROM organisations WHERE name = 'Neutraler Verband'`,
  );
  await t.deps.db.query(
    `INSERT INTO organisation_invitations (tenant_id, id, organisation_id, email, token_hash, status, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)`,
    [
      tenantId(),
      t.deps.secrets.id(),
      neutral?.id,
      email,
      Buffer.from(t.deps.secrets.token()),
      now,
      new Date(now.getTime() + 14 * DAY),
    ],
  );
  await sendTransfer(email, `Bescheid ${tag}`, `FILE-CONTENT-${tag}`);
  // A reply they sent in their organisation's name (ended: metadata only).
  const replyId = t.deps.secrets.id();
  await t.deps.db.query(
    `INSERT INTO transfers (tenant_id, id, thread_id, level, status, sender_account_id, created_at, sent_at, expires_at, ended_at) VALUES ($1, $2, $2, 2, 'expired', $3, $4, $4, $4, $4)`,
    [tenantId(), replyId, account.id, now],
  );
  // A drop-off sent from their address without signing in.
  const dropId = t.deps.secrets.id();
  await t.deps.db.query(
    `INSERT INTO transfers (tenant_id, id, thread_id, level, status, inbound, to_department_id, created_at, sent_at, expires_at) VALUES ($1, $2, $2, 1, 'sent', 'dropoff', $3, $4, $4, $5)`,
    [tenantId(), dropId, city.department.id, now, new Date(now.getTime() + 14 * DAY)],
  );
  await t.deps.db.query(
    `INSERT INTO transfer_guests (tenant_id, transfer_id, email, name, locale, verified) VALUES ($1, $2, $3, '\\x00', 'de', true)`,
    [tenantId(), dropId, email],
  );
  return {
    account,
    markers: [
      email,
      `Name ${tag}`,
      `Laptop ${tag}`,
      `sub-${tag}`,
      `Browser ${tag}`,
      `Verein ${tag}`,
      `Bescheid ${tag}`,
      `FILE-CONTENT-${tag}`,
      org.id,
      account.id,
      replyId,
      dropId,
    ],
  };
}

describe('data export (Art. 15/20)', () => {
  let anna: Awaited<ReturnType<typeof personWithEverything>>;
  let bert: Awaited<ReturnType<typeof personWithEverything>>;

  before(async () => {
    const { account: founder } = await accountForVerifiedEmail(
      t.deps.db,
      t.deps,
      tenantId(),
      'founder.neutral@example.org',
      'de',
    );
    await createOrganisation(t.deps, {
      tenantId: tenantId(),
      account: founder,
      profile: {
        name: 'Neutraler Verband',
        legalForm: '',
        seat: '',
        address: '',
        contactEmail: 'verband@example.org',
      },
      consent: true,
      ipPrefix: undefined,
    });
    anna = await personWithEverything('AnnaA1');
    bert = await personWithEverything('BertB2');
  });

  it('the ZIP holds every category of the account’s data, its files and a README, and nothing of another account', async () => {
    const client = await signedInAs(anna.account.id);
    const page = await client.get('/account/data');
    assert.equal(page.statusCode, 200);
    const res = await client.get('/account/data/export');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    const zip = readStoredZip(res.rawPayload);
    const readme = zip.get('README.md')?.toString('utf8') ?? '';
    assert.match(readme, /## Deutsch/);
    assert.match(readme, /## English/);
    const doc = JSON.parse(zip.get('data.json')?.toString('utf8') ?? '{}') as Record<string, unknown>;
    for (const field of Object.keys(doc)) {
      assert.ok(readme.includes(`\`${field}\``), `README explains ${field}`);
    }
    const profile = doc.profile as {
      email: string;
      passkeys: unknown[];
      identities: unknown[];
      accessTokens: { name: string }[];
    };
    assert.equal(profile.email, 'person.annaa1@example.org');
    assert.equal(profile.passkeys.length, 1);
    assert.deepEqual(
      profile.accessTokens.map((token) => token.name),
      ['Skript AnnaA1'],
    );
    assert.ok(!JSON.stringify(doc).includes('hash-of-token'), 'no token hash in the export');
    assert.equal(profile.identities.length, 1);
    for (const category of [
      'sessions',
      'memberships',
      'organisationInvitations',
      'organisationAccessLog',
      'messagesReceived',
      'messagesSent',
      'dropoffs',
      'auditEvents',
    ]) {
      assert.ok(
        Array.isArray(doc[category]) && (doc[category] as unknown[]).length > 0,
        `category ${category} is filled`,
      );
    }
    const received = (doc.messagesReceived as { subject: string }[])[0];
    assert.equal(received?.subject, 'Bescheid AnnaA1');
    const files = [...zip.keys()].filter((k) => k.startsWith('files/'));
    assert.equal(files.length, 1);
    assert.equal(zip.get(files[0] ?? '')?.toString('utf8'), 'FILE-CONTENT-AnnaA1');

    const everything = res.rawPayload.toString('utf8');
    for (const m of anna.markers.filter(
      (x) => !x.includes('-') || x.startsWith('FILE') || x.startsWith('sub'),
    ))
      assert.ok(everything.includes(m), `has ${m}`);
    for (const m of bert.markers) assert.ok(!everything.includes(m), `must not contain ${m}`);
    const audit = await t.deps.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'privacy.exported' AND actor_id = $1`,
      [anna.account.id],
    );
    assert.equal(audit.length, 1);
  });

  it('without a session the export page sends the person to sign in', async () => {
    const res = await new TestClient(t.app, host).get('/account/data/export');
    assert.equal(res.statusCode, 303);
  });

  it('a tenant admin exports for a person by e-mail address, on record', async () => {
    const admin = await staffClient();
    await admin.get('/admin/privacy');
    const res = await admin.postForm('/admin/privacy/export', { email: 'Person.BertB2@example.org' });
    assert.equal(res.statusCode, 200);
    const zip = readStoredZip(res.rawPayload);
    const doc = JSON.parse(zip.get('data.json')?.toString('utf8') ?? '{}') as { profile: { email: string } };
    assert.equal(doc.profile.email, 'person.bertb2@example.org');
    assert.ok(!res.rawPayload.toString('utf8').includes('AnnaA1'));
    const audit = await t.deps.db.query<{ actor_kind: string }>(
      `SELECT actor_kind FROM audit_events WHERE action = 'privacy.exported' AND subject_id = $1`,
      [bert.account.id],
    );
    assert.deepEqual(
      audit.map((a) => a.actor_kind),
      ['staff'],
    );
  });

  it('self-service deletion (the accounts module’s /account/delete) keeps the last-admin rule, then removes the account', async () => {
    const client = await signedInAs(anna.account.id);
    const page = await client.get('/account/data');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/account\/delete"/, 'my data leads to the deletion');
    await client.get('/account/delete');
    const refused = await client.postForm('/account/delete', {});
    assert.equal(refused.statusCode, 409, 'the only administrator of an organisation cannot go');
    assert.equal(
      (await t.deps.db.query(`SELECT 1 FROM accounts WHERE id = $1`, [anna.account.id])).length,
      1,
    );

    await t.deps.db.query(`DELETE FROM organisations WHERE name = 'Verein AnnaA1'`);
    await client.get('/account/delete');
    const done = await client.postForm('/account/delete', {});
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(
      (await t.deps.db.query(`SELECT 1 FROM accounts WHERE id = $1`, [anna.account.id])).length,
      0,
    );
    const audit = await t.deps.db.query<{ row: string }>(
      `SELECT a::text AS row FROM audit_events a WHERE action = 'account.deleted' AND subject_id = $1`,
      [anna.account.id],
    );
    assert.equal(audit.length, 1);
    assert.ok(!(audit[0]?.row ?? '').includes('person.annaa1'), 'no personal data in the audit event');
    // Profile, sign-in data, memberships and sessions are gone; the sender's record of the message
    // sent to the address stays with the authority until its own retention ends.
    assert.deepEqual(
      await findMarkers(t.deps.db, t.deps.blobs, [
        'Name AnnaA1',
        'Laptop AnnaA1',
        'sub-AnnaA1',
        'Browser AnnaA1',
      ]),
      [],
    );
  });

  it('a tenant admin deletes an account on request, on record', async () => {
    const admin = await staffClient();
    await admin.get('/admin/privacy');
    const missing = await admin.postForm('/admin/privacy/delete', { email: 'person.bertb2@example.org' });
    assert.equal(missing.statusCode, 400, 'needs the confirmation');
    const refused = await admin.postForm('/admin/privacy/delete', {
      email: 'person.bertb2@example.org',
      confirm: 'on',
    });
    assert.equal(refused.statusCode, 409, 'the last-admin rule applies here too');
    await t.deps.db.query(`DELETE FROM organisations WHERE name = 'Verein BertB2'`);
    const done = await admin.postForm('/admin/privacy/delete', {
      email: 'person.bertb2@example.org',
      confirm: 'on',
    });
    assert.equal(done.statusCode, 303);
    assert.equal(
      (await t.deps.db.query(`SELECT 1 FROM accounts WHERE id = $1`, [bert.account.id])).length,
      0,
    );
    const audit = await t.deps.db.query<{ actor_kind: string; details: { reason: string } }>(
      `SELECT actor_kind, details FROM audit_events WHERE action = 'account.deleted' AND subject_id = $1`,
      [bert.account.id],
    );
    assert.deepEqual(
      audit.map((a) => [a.actor_kind, a.details.reason]),
      [['staff', 'admin-request']],
    );
  });
});

describe('retention settings and statistics for the tenant admin', () => {
  it('shows every registered rule, changes a period within its bounds, and the privacy notice follows', async () => {
    const admin = await staffClient();
    const page = await admin.get('/admin/privacy');
    assert.equal(page.statusCode, 200);
    for (const text of [
      'Servicekonten mit allen ihren Daten',
      'Organisationskonten',
      'Protokoll wichtiger Vorgänge',
      'Nachrichten und Dateien',
    ])
      assert.ok(page.body.includes(text), text);
    const bad = await admin.postForm('/admin/privacy/retention', { 'days-accounts.inactive': '5' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /30 bis 3650/);
    await admin.get('/admin/privacy');
    const ok = await admin.postForm('/admin/privacy/retention', {
      'days-accounts.inactive': '120',
      'days-audit.events': '730',
    });
    assert.equal(ok.statusCode, 303);
    const notice = await new TestClient(t.app, host).get('/datenschutz');
    assert.match(notice.body, /wenn sie 120 Tage nicht benutzt wurden/);
    assert.match(notice.body, /Protokoll wichtiger Vorgänge \(mit gekürzter IP-Adresse\):<\/strong> 2 Jahre/);
    const audit = await t.deps.db.query(
      `SELECT details FROM audit_events WHERE action = 'retention.policy_changed'`,
    );
    assert.equal(audit.length, 1);
  });

  it('counts per day without cookies or addresses; an account counts once a day', async () => {
    await sendTransfer('stats@example.org', 'Statistik', 'x');
    const { account } = await accountForVerifiedEmail(
      t.deps.db,
      t.deps,
      tenantId(),
      'counted@example.org',
      'de',
    );
    await createSession(t.deps.db, t.deps, {
      tenantId: tenantId(),
      accountId: account.id,
      authMethod: 'code',
    });
    await createSession(t.deps.db, t.deps, {
      tenantId: tenantId(),
      accountId: account.id,
      authMethod: 'code',
    });
    await aggregateDailyStats(t.deps, t.clock.now());
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/statistics?days=1',
      headers: { host, authorization: `Bearer ${token}` },
    });
    assert.equal(res.statusCode, 200, res.body);
    const today = res.json<{ days: { values: Record<string, number> }[] }>().days[0]?.values;
    assert.ok((today?.transfers_sent ?? 0) >= 1);
    assert.ok((today?.active_accounts ?? 0) >= 1);
    const before = today?.active_accounts ?? 0;
    await createSession(t.deps.db, t.deps, {
      tenantId: tenantId(),
      accountId: account.id,
      authMethod: 'code',
    });
    const again = await t.app.inject({
      method: 'GET',
      url: '/api/v1/statistics?days=1',
      headers: { host, authorization: `Bearer ${token}` },
    });
    assert.equal(
      again.json<{ days: { values: Record<string, number> }[] }>().days[0]?.values.active_accounts,
      before,
    );
    const stats = await t.deps.db.query<{ row: string }>(`SELECT s::text AS row FROM stats_daily s`);
    assert.ok(stats.every((s) => !s.row.includes('counted@')));
  });
});
