import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DAY, MINUTE } from '../../adapters/clock.ts';
import { createJobRunner } from '../../jobs/schedule.ts';
import type { JobRunner } from '../../jobs/runner.ts';
import type { TestApp } from '../../testing/index.ts';
import { TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';
import { accountForVerifiedEmail } from '../accounts/index.ts';
import { createApiToken, createSession } from '../auth/index.ts';
import { createOrganisation } from '../organisations/index.ts';
import { accessLogDir } from '../privacy/index.ts';
import { findMarkers } from './scan.ts';

// Every retention rule with the clock moved: it fires on time, warns or announces at the right
// moment, is stopped by activity or the stop link, and afterwards neither the database nor the
// blob store holds the data (scanned for markers).

let t: TestApp;
let runner: JobRunner;
let tenant: Awaited<ReturnType<typeof seedTenant>>;
const host = 'retention.localhost';

before(async () => {
  t = await createTestApp();
  tenant = await seedTenant(t.deps, { slug: 'retention', name: 'Stadt Löschingen', hostnames: [host] });
  t.app.invalidateTenantCache();
  runner = createJobRunner(t.deps, { node: 'test' });
});
after(() => t.close());

const advance = (ms: number) => t.clock.advance(ms);
const runJobs = async () => {
  await runner.triggerAll();
  const s = await runner.runDue();
  assert.equal(s.failed + s.retried, 0, 'a retention job failed');
};
const mailsTo = async (address: string) => (await outbox(t)).filter((m) => m.to.includes(address));
const exists = async (sql: string, params: unknown[]) => (await t.deps.db.query(sql, params)).length > 0;

describe('service accounts without activity', () => {
  it('warns 14 days before 90 days, a sign-in stops it, and then deletes the account with all its data', async () => {
    const email = 'erika.marker-7731@example.org';
    const { account } = await accountForVerifiedEmail(
      t.deps.db,
      t.deps,
      tenant.tenant.id,
      email,
      'de',
      'Erika Marker7731',
    );
    await t.deps.db.query(
      `INSERT INTO account_identities (tenant_id, id, account_id, issuer, subject, linked_at) VALUES ($1, $2, $3, 'https://id.example', 'sub-marker-7731', $4)`,
      [tenant.tenant.id, t.deps.secrets.id(), account.id, t.clock.now()],
    );
    await createSession(t.deps.db, t.deps, {
      tenantId: tenant.tenant.id,
      accountId: account.id,
      authMethod: 'code',
    });
    const markers = [email, 'Marker7731', 'sub-marker-7731'];

    advance(75 * DAY);
    await runJobs();
    assert.equal((await mailsTo(email)).length, 0, 'no warning before day 76');
    advance(DAY);
    await runJobs();
    const warnings = await mailsTo(email);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.subject ?? '', /gelöscht/);
    assert.ok(warnings[0]?.links.some((l) => l.endsWith('/account/login')));
    await runJobs();
    assert.equal((await mailsTo(email)).length, 1, 'warned once');

    // Day 89: the person signs in. Day 91: the account is still there, the warning void.
    advance(13 * DAY);
    await createSession(t.deps.db, t.deps, {
      tenantId: tenant.tenant.id,
      accountId: account.id,
      authMethod: 'password',
    });
    advance(2 * DAY);
    await runJobs();
    assert.ok(await exists(`SELECT 1 FROM accounts WHERE id = $1`, [account.id]));
    assert.ok(!(await exists(`SELECT 1 FROM retention_notices WHERE subject_id = $1`, [account.id])));

    // Inactive again: a fresh warning 76 days after the sign-in, deletion at 90.
    advance(74 * DAY);
    await runJobs();
    assert.equal((await mailsTo(email)).length, 2);
    advance(14 * DAY - MINUTE);
    await runJobs();
    assert.ok(await exists(`SELECT 1 FROM accounts WHERE id = $1`, [account.id]), 'not a minute early');
    advance(MINUTE);
    await runJobs();
    assert.ok(!(await exists(`SELECT 1 FROM accounts WHERE id = $1`, [account.id])));

    const audit = await t.deps.db.query<{ details: { reason: string }; row: string }>(
      `SELECT details, a::text AS row FROM audit_events a WHERE action = 'account.deleted' AND subject_id = $1`,
      [account.id],
    );
    assert.equal(audit.length, 1);
    assert.equal(audit[0]?.details.reason, 'inactivity');
    assert.deepEqual(await findMarkers(t.deps.db, t.deps.blobs, markers), []);
  });
});

describe('organisation accounts without activity', () => {
  it('announces 30 days before 3 years with a stop link; the link keeps it; later it is deleted', async () => {
    const contact = 'kontakt.marker-5512@example.org';
    const { account } = await accountForVerifiedEmail(
      t.deps.db,
      t.deps,
      tenant.tenant.id,
      'vorstand.marker-5512@example.org',
      'de',
    );
    const org = await createOrganisation(t.deps, {
      tenantId: tenant.tenant.id,
      account,
      profile: {
        name: 'Sportverein Marker5512',
        legalForm: 'e. V.',
        seat: 'Löschingen',
        address: 'Am Platz 1',
        contactEmail: contact,
      },
      consent: true,
      ipPrefix: undefined,
    });
    const start = t.clock.now().getTime();
    const orgExists = () => exists(`SELECT 1 FROM organisations WHERE id = $1`, [org.id]);

    // The member's own account goes after 90 idle days; the organisation stays for its own rule.
    advance(91 * DAY);
    await runJobs();
    assert.ok(
      await exists(`SELECT 1 FROM accounts WHERE id = $1`, [account.id]),
      'warned first, deleted no earlier than the warning said',
    );
    advance(14 * DAY);
    await runJobs();
    assert.ok(!(await exists(`SELECT 1 FROM accounts WHERE id = $1`, [account.id])));
    assert.ok(await orgExists());

    advance(start + (3 * 365 - 30) * DAY - MINUTE - t.clock.now().getTime());
    await runJobs();
    assert.equal((await mailsTo(contact)).length, 0, 'no announcement before 30 days ahead');
    advance(MINUTE);
    await runJobs();
    const announced = await mailsTo(contact);
    assert.equal(announced.length, 1);
    const link = announced[0]?.links.find((l) => l.includes('/retention/keep/'));
    assert.ok(link !== undefined);

    // The yearly membership report ran meanwhile: last years' log entries are gone.
    const oldLog = await t.deps.db.query(
      `SELECT 1 FROM organisation_grant_log WHERE organisation_id = $1 AND at < $2`,
      [org.id, new Date(t.clock.now().getTime() - 366 * DAY)],
    );
    assert.equal(oldLog.length, 0);

    // The stop link: a page with a button (a link preview changes nothing), then kept.
    const browser = new TestClient(t.app, host);
    const page = await browser.get(new URL(link).pathname);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Sportverein Marker5512/);
    advance(29 * DAY);
    await runJobs();
    assert.ok(await orgExists(), 'not deleted before its date');
    const kept = await browser.postForm(new URL(link).pathname, {});
    assert.equal(kept.statusCode, 200);
    assert.match(kept.body, /bleibt bestehen/);
    advance(2 * DAY);
    await runJobs();
    assert.ok(await orgExists(), 'the stop link kept it');
    const again = await browser.postForm(new URL(link).pathname, {});
    assert.equal(again.statusCode, 404, 'the link works once');

    // Three more idle years: announced again, deleted 30 days later.
    const keptAt = t.clock.now().getTime() - 2 * DAY;
    advance(keptAt + (3 * 365 - 30) * DAY - t.clock.now().getTime());
    await runJobs();
    assert.equal((await mailsTo(contact)).length, 2);
    advance(30 * DAY);
    await runJobs();
    assert.ok(!(await orgExists()));
    const audit = await t.deps.db.query<{ details: { reason: string } }>(
      `SELECT details FROM audit_events WHERE action = 'organisation.deleted' AND subject_id = $1`,
      [org.id],
    );
    assert.equal(audit[0]?.details.reason, 'inactivity');
    assert.deepEqual(
      await findMarkers(t.deps.db, t.deps.blobs, ['Marker5512', contact, 'vorstand.marker-5512']),
      [],
    );
  });
});

describe('transfers, guest contact data and the audit log', () => {
  it('content ends at expiry (blobs, keys, guest data), metadata 90 days later, audit events after a year', async () => {
    const token = (
      await createApiToken(t.deps.db, t.deps, { tenantId: tenant.tenant.id, staffId: tenant.admin.id })
    ).token;
    const recipient = 'empfaenger.marker-9911@example.org';
    const data = Buffer.from('MARKER-CONTENT-9911 '.repeat(500));
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
          ...(payload === undefined || Buffer.isBuffer(payload)
            ? {}
            : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(payload === undefined
          ? {}
          : { payload: Buffer.isBuffer(payload) ? payload : JSON.stringify(payload) }),
      });
    const created = await api('POST', '/api/v1/transfers', {
      level: 1,
      recipients: [recipient],
      subject: 'Bescheid Marker9911',
      message: 'Text Marker9911',
      files: [{ name: 'marker9911.pdf', size: data.length, type: 'application/pdf' }],
    });
    assert.equal(created.statusCode, 201, created.body);
    const draft = created.json<{ id: string; files: { id: string }[] }>();
    const fileId = draft.files[0]?.id ?? '';
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
    assert.equal((await api('POST', `/api/v1/transfers/${draft.id}/send`)).statusCode, 200);
    // A guest sender's contact data (as a drop-off has): it lives exactly as long as the content.
    await t.deps.db.query(
      `INSERT INTO transfer_guests (tenant_id, transfer_id, email, name, locale, verified) VALUES ($1, $2, 'gast.marker-9911@example.org', '\\x00', 'de', true)`,
      [tenant.tenant.id, draft.id],
    );
    const prefix = `transfers/${tenant.tenant.id}/${draft.id}/`;
    const blobCount = async () => {
      let n = 0;
      for await (const entry of t.deps.blobs.list(prefix)) if (entry.key !== '') n++;
      return n;
    };
    assert.ok((await blobCount()) > 0);

    advance(60 * DAY - MINUTE);
    await runJobs();
    assert.ok((await blobCount()) > 0, 'content stays until its expiry');
    advance(2 * MINUTE);
    await runJobs();
    assert.equal(await blobCount(), 0, 'blobs removed from the store');
    const row = await t.deps.db.query<{
      content_key: Buffer | null;
      subject: Buffer | null;
      ended_at: Date | null;
    }>(`SELECT content_key, subject, ended_at FROM transfers WHERE id = $1`, [draft.id]);
    assert.equal(row[0]?.content_key, null, 'key destroyed');
    assert.equal(row[0].subject, null);
    const keys = await t.deps.db.query(
      `SELECT 1 FROM transfer_files WHERE transfer_id = $1 AND file_key IS NOT NULL`,
      [draft.id],
    );
    assert.equal(keys.length, 0, 'file keys destroyed');
    assert.deepEqual(
      await findMarkers(t.deps.db, t.deps.blobs, [
        'gast.marker-9911@example.org',
        'MARKER-CONTENT-9911',
        'Marker9911',
      ]),
      [],
    );
    assert.ok(
      await exists(`SELECT 1 FROM transfer_recipients WHERE transfer_id = $1`, [draft.id]),
      'metadata kept for now',
    );

    advance(90 * DAY);
    await runJobs();
    assert.deepEqual(
      await findMarkers(t.deps.db, t.deps.blobs, [recipient, draft.id], { skipTables: ['audit_events'] }),
      [],
    );
    const deletion = await t.deps.db.query<{ details: Record<string, unknown>; row: string }>(
      `SELECT details, a::text AS row FROM audit_events a WHERE tenant_id = $1 AND action = 'retention.deleted' AND details->>'rule' = 'transfers.metadata'`,
      [tenant.tenant.id],
    );
    assert.equal(deletion.length, 1);
    assert.ok(
      !(deletion[0]?.row ?? '').includes(recipient),
      'the deletion is recorded without personal data',
    );

    // The audit events about the transfer (ids, truncated IPs) go after the tenant's year: the
    // last one (its expiry, day 60) a year after it was written.
    advance(276 * DAY);
    await runJobs();
    assert.deepEqual(await findMarkers(t.deps.db, t.deps.blobs, [draft.id]), []);
    const auditDeletion = await t.deps.db.query(
      `SELECT 1 FROM audit_events WHERE tenant_id = $1 AND action = 'retention.deleted' AND details->>'rule' = 'audit.events'`,
      [tenant.tenant.id],
    );
    assert.ok(auditDeletion.length > 0);
  });
});

describe('generic registration (online applications)', () => {
  it('a module registers its own table and period, and the rule deletes on time', async () => {
    const { RetentionRegistry, rowsOlderThanRule } = await import('./registry.ts');
    await t.deps.db.query(
      `CREATE TABLE application_drafts_test (tenant_id uuid NOT NULL, id uuid PRIMARY KEY, body text NOT NULL, updated_at timestamptz NOT NULL)`,
    );
    const registry = new RetentionRegistry().register(
      rowsOlderThanRule({
        id: 'applications.drafts',
        module: 'applications',
        table: 'application_drafts_test',
        column: 'updated_at',
        defaultDays: 365,
        minDays: 30,
        maxDays: 3650,
      }),
    );
    const own = createJobRunner(t.deps, { registry, node: 'apps' });
    const tick = async () => {
      await own.triggerAll();
      await own.runDue();
    };
    const id = t.deps.secrets.id();
    await t.deps.db.query(`INSERT INTO application_drafts_test VALUES ($1, $2, 'Antrag Marker4242', $3)`, [
      tenant.tenant.id,
      id,
      t.clock.now(),
    ]);
    advance(364 * DAY);
    await tick();
    assert.ok(await exists(`SELECT 1 FROM application_drafts_test WHERE id = $1`, [id]));
    advance(DAY);
    await tick();
    assert.deepEqual(await findMarkers(t.deps.db, t.deps.blobs, ['Marker4242']), []);
  });
});

describe('access logs with full IP addresses', () => {
  it('are not written by default, and the privacy notice says so', async () => {
    const browser = new TestClient(t.app, host);
    const page = await browser.get('/datenschutz');
    assert.equal(page.statusCode, 200);
    assert.match(
      page.body,
      /Zugriffsprotokolle mit vollständiger IP-Adresse:<\/strong> werden nicht geschrieben/,
    );
    const files = await readdir(accessLogDir(t.dataDir)).catch(() => []);
    assert.equal(files.length, 0);
  });

  it('when the operator turns them on: written, stated on the notice, and gone after 5 days', async () => {
    const withLog = await createTestApp({ config: { accessLog: { enabled: true, retentionDays: 5 } } });
    try {
      await seedTenant(withLog.deps, { slug: 'logs', name: 'Logstadt', hostnames: ['logs.localhost'] });
      withLog.app.invalidateTenantCache();
      const page = await new TestClient(withLog.app, 'logs.localhost').get('/datenschutz');
      assert.match(page.body, /5 Tage lang aufbewahrt/);
      const dir = accessLogDir(withLog.dataDir);
      // The line is written after the response went out: wait for it.
      let [file] = await readdir(dir).catch(() => []);
      for (let i = 0; i < 250 && file === undefined; i++) {
        await new Promise((r) => setTimeout(r, 20));
        [file] = await readdir(dir).catch(() => []);
      }
      assert.ok(file !== undefined);
      assert.match(await readFile(path.join(dir, file), 'utf8'), /127\.0\.0\.1\tGET\t\/datenschutz\t200/);
      const jobs = createJobRunner(withLog.deps, { node: 'logs' });
      withLog.clock.advance(4 * DAY);
      await jobs.triggerAll();
      await jobs.runDue();
      assert.equal((await readdir(dir)).length, 1);
      withLog.clock.advance(DAY);
      await jobs.triggerAll();
      await jobs.runDue();
      assert.equal((await readdir(dir)).length, 0);
    } finally {
      await withLog.close();
    }
  });
});

describe('expired access tokens', () => {
  it('stay listed for 30 days after they expired, then go; tokens without expiry stay', async () => {
    const expiring = await createApiToken(t.deps.db, t.deps, {
      tenantId: tenant.tenant.id,
      staffId: tenant.admin.id,
      expiresAt: new Date(t.clock.now().getTime() + DAY),
    });
    const lasting = await createApiToken(t.deps.db, t.deps, {
      tenantId: tenant.tenant.id,
      staffId: tenant.admin.id,
    });
    const { account } = await accountForVerifiedEmail(
      t.deps.db,
      t.deps,
      tenant.tenant.id,
      'skript@example.org',
      'de',
    );
    const accountTokenId = t.deps.secrets.id();
    await t.deps.db.query(
      `INSERT INTO account_tokens (id, token_hash, tenant_id, account_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, 'Skript', $5, $6)`,
      [
        accountTokenId,
        Buffer.from(t.deps.secrets.token()),
        tenant.tenant.id,
        account.id,
        t.clock.now(),
        new Date(t.clock.now().getTime() + DAY),
      ],
    );
    const present = async () => ({
      staff: await exists(`SELECT 1 FROM api_tokens WHERE id = $1`, [expiring.id]),
      lasting: await exists(`SELECT 1 FROM api_tokens WHERE id = $1`, [lasting.id]),
      account: await exists(`SELECT 1 FROM account_tokens WHERE id = $1`, [accountTokenId]),
    });
    advance(DAY + 29 * DAY);
    await runJobs();
    assert.deepEqual(await present(), { staff: true, lasting: true, account: true });
    advance(2 * DAY);
    await runJobs();
    assert.deepEqual(await present(), { staff: false, lasting: true, account: false });
  });
});
