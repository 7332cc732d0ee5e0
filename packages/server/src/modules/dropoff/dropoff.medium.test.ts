import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOUR } from '../../adapters/clock.ts';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, outbox, seedTenant, TestClient } from '../../testing/index.ts';
import { createStaff } from '../staff/index.ts';
import { sweepTransfers } from '../transfers/index.ts';
import { updateDropoffSettings } from '../postbox/index.ts';
import { EXE, PDF, codeFor, startDropoff, staffClient, tus, verify } from '../../testing/inbound.ts';

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
const host = 'musterstadt.localhost';
const contact = {
  firstName: 'Erika',
  lastName: 'Mustermann',
  phone: '0170 1234567',
  email: 'erika@example.org',
};

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  await updateDropoffSettings(t.deps.db, a.tenant.id, a.department.id, {
    dropoffEnabled: true,
    dropoffHint: 'Bitte nennen Sie Ihr Aktenzeichen.',
    allowedTypes: null,
  });
  t.app.invalidateTenantCache();
});
after(async () => {
  if (process.env.SHOW_LOGS !== undefined)
    console.log(t.logs.filter((l) => l.includes('"level":50')).join('\n'));
  await t.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const rows = await t.deps.db.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}

describe('drop-off: a citizen sends to a department without an account', () => {
  const c = new TestClient(undefined as never, host);
  let sessionId = '';
  let transferId = '';

  before(() => {
    Object.assign(c, { app: t.app });
  });

  it('lists the departments that take drop-off, with what to include', async () => {
    const page = await c.get('/dropoff');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Bürgerservice/);
    assert.match(page.body, /Aktenzeichen/);
  });

  it('mails a 6-digit code and opens the message form only after it', async () => {
    const { id } = await startDropoff(t, c, `/dropoff/to/${a.department.id}`, contact);
    sessionId = id;
    const early = await c.get(`/inbound/${id}`);
    assert.equal(early.statusCode, 303);
    assert.equal(early.headers.location, `/inbound/${id}/code`);
    const mail = (await outbox(t)).find((m) => m.to.includes(contact.email));
    assert.ok(mail !== undefined && /\b\d{6}\b/.test(mail.text));
    const stored = await t.deps.db.query<{ code_hash: Buffer }>(
      `SELECT code_hash FROM email_codes WHERE subject_id = $1`,
      [id],
    );
    assert.equal(stored[0]?.code_hash.length, 32, 'only a keyed hash of the code is stored');
    await verify(t, c, id, contact.email);
  });

  it('the session is this browser’s: another browser with the same URL gets nothing', async () => {
    const other = new TestClient(t.app, host);
    const res = await other.get(`/inbound/${sessionId}`);
    assert.equal(res.statusCode, 410);
  });

  it('refuses a file over the size limit before any upload, naming it', async () => {
    await c.get(`/inbound/${sessionId}`);
    const res = await c.json('POST', `/api/v1/inbound/${sessionId}/drafts`, {
      subject: 'Zu groß',
      files: [{ name: 'riesig.pdf', size: 3 * 1024 ** 3 }],
    });
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(
      res.json<{ error: { code: string; fields: { field: string }[] } }>().error.fields[0]?.field,
      'files.0',
    );
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM transfers WHERE inbound IS NOT NULL`),
      0,
      'nothing stored',
    );
  });

  it('refuses an .exe renamed to .pdf by its content, with the allowed types, and keeps nothing', async () => {
    await c.get(`/inbound/${sessionId}`);
    const exe = EXE();
    const draft = await c.json('POST', `/api/v1/inbound/${sessionId}/drafts`, {
      subject: 'Rechnung',
      files: [{ name: 'rechnung.pdf', size: exe.length, type: 'application/pdf' }],
    });
    assert.equal(draft.statusCode, 201, draft.body);
    const { id, files } = draft.json<{ id: string; files: { id: string }[] }>();
    const up = await tus(t.app, c, host, files[0]?.id ?? '', exe);
    assert.equal(up.statusCode, 415, up.body);
    const err = up.json<{ error: { code: string; message: string } }>().error;
    assert.equal(err.code, 'ERR_FILE_TYPE_NOT_ALLOWED');
    assert.match(err.message, /rechnung\.pdf/);
    assert.match(err.message, /PDF, JPEG, PNG/);
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM transfers WHERE id = $1`, [id]),
      0,
      'the draft is gone',
    );
    assert.equal(await count(`SELECT count(*)::int AS n FROM file_segments`), 0, 'no segment stored');
  });

  it('delivers a message with a PDF; a double submit is one transfer', async () => {
    await c.get(`/inbound/${sessionId}`);
    const pdf = PDF('Mein Antrag');
    const draft = await c.json('POST', `/api/v1/inbound/${sessionId}/drafts`, {
      subject: 'Antrag auf Wohngeld',
      reference: 'AZ 12-345',
      message: 'Anbei mein Antrag.',
      notify: true,
      expiresInDays: 14,
      files: [{ name: 'antrag.pdf', size: pdf.length, type: 'application/pdf' }],
    });
    assert.equal(draft.statusCode, 201, draft.body);
    const d = draft.json<{ id: string; files: { id: string }[] }>();
    const up = await tus(t.app, c, host, d.files[0]?.id ?? '', pdf);
    assert.equal(up.statusCode, 204, up.body);
    const [first, second] = await Promise.all([
      c.json('POST', `/api/v1/inbound/${sessionId}/submit`, { draftId: d.id }),
      c.json('POST', `/api/v1/inbound/${sessionId}/submit`, { draftId: d.id }),
    ]);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(first.json<{ id: string }>().id, second.json<{ id: string }>().id);
    transferId = d.id;
    const third = await c.json('POST', `/api/v1/inbound/${sessionId}/submit`, { draftId: d.id });
    assert.equal(third.json<{ id: string }>().id, d.id);
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM transfers WHERE inbound = 'dropoff' AND status = 'sent'`),
      1,
    );
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'dropoff.received'`),
      1,
    );
    const done = await c.get(`/inbound/${sessionId}/done`);
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /Vorgangsnummer/);
    const mails = await outbox(t);
    assert.ok(
      mails.some((m) => m.to.includes(a.admin.email) && m.subject.includes('Postfach Bürgerservice')),
      'the department is told',
    );
    assert.ok(
      mails.some((m) => m.to.includes(contact.email) && m.subject.includes('angekommen')),
      'the sender gets a confirmation',
    );
    for (const m of mails)
      assert.doesNotMatch(m.text, /Wohngeld|Anbei mein Antrag|antrag\.pdf/, 'no content in mails');
  });

  it('shows the caseworker the item; the first opening mails the sender; it can be answered', async () => {
    const staff = await staffClient(t.app, host, a.admin.email);
    const list = await staff.get('/inbox');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Antrag auf Wohngeld/);
    assert.match(list.body, /Erika Mustermann/);
    assert.match((await staff.get('/inbox?q=12-345')).body, /Antrag auf Wohngeld/, 'search by file number');
    assert.doesNotMatch((await staff.get('/inbox?q=nichtvorhanden')).body, /Antrag auf Wohngeld/);
    const item = await staff.get(`/inbox/${transferId}`);
    assert.equal(item.statusCode, 200);
    assert.match(item.body, /0170 1234567/);
    assert.match(item.body, /nicht geprüft \(kein Virenscanner eingerichtet\)/);
    await staff.get(`/inbox/${transferId}`);
    const retrieved = (await outbox(t)).filter(
      (m) => m.to.includes(contact.email) && m.subject.includes('abgerufen'),
    );
    assert.equal(retrieved.length, 1, 'one retrieval mail, on the first opening only');
    const file = await staff.get(
      `/inbox/${transferId}/files/${(await t.deps.db.query<{ id: string }>(`SELECT id FROM transfer_files WHERE transfer_id = $1`, [transferId]))[0]?.id ?? ''}`,
    );
    assert.equal(file.statusCode, 200);
    assert.ok(file.rawPayload.equals(PDF('Mein Antrag')));

    await staff.get(`/inbox/${transferId}/answer`);
    const answer = await staff.json('POST', `/api/v1/inbox/${transferId}/answers`, {
      level: 1,
      subject: 'Re: Antrag auf Wohngeld',
      message: 'Ihr Antrag ist vollständig.',
      files: [],
    });
    assert.equal(answer.statusCode, 201, answer.body);
    const sent = await staff.json(
      'POST',
      `/api/v1/inbox/${transferId}/answers/${answer.json<{ id: string }>().id}/send`,
      {},
    );
    assert.equal(sent.statusCode, 200, sent.body);
    const mail = (await outbox(t)).find(
      (m) => m.to.includes(contact.email) && m.links.some((l) => l.includes('/t/')),
    );
    assert.ok(mail !== undefined, 'the answer reaches the sender');
    const link = new URL(mail.links.find((l) => l.includes('/t/')) ?? '').pathname;
    const opened = await new TestClient(t.app, host).get(link);
    assert.equal(opened.statusCode, 200);
    assert.match(opened.body, /Ihr Antrag ist vollständig/);
    // The drop-off itself was level 2 (a verified address): a level-1 link, which opens for
    // whoever holds it, must not show it in the thread.
    assert.doesNotMatch(opened.body, /Anbei mein Antrag/);
    assert.match((await staff.get('/inbox')).body, /Beantwortet/);
    const done = await staff.postForm(`/inbox/${transferId}/state`, { state: 'done' });
    assert.equal(done.statusCode, 303);
    assert.match((await staff.get('/inbox?state=done')).body, /Antrag auf Wohngeld/);
  });

  it('keeps the sender’s contact data exactly as long as the transfer', async () => {
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM transfer_guests WHERE transfer_id = $1`, [transferId]),
      1,
    );
    t.clock.advance(15 * 24 * HOUR);
    await sweepTransfers(t.deps);
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM transfer_guests WHERE transfer_id = $1`, [transferId]),
      0,
    );
    const rows = await t.deps.db.query<{ row: string }>(`SELECT t::text AS row FROM dropoff_sessions t`);
    assert.ok(!rows.some((r) => r.row.includes('Erika')), 'no name left in sessions');
  });
});

describe('drop-off: abuse protection and bad input', () => {
  it('5 wrong codes burn the code; the right one then fails too', async () => {
    const c = new TestClient(t.app, host);
    const email = 'max@example.org';
    const { id } = await startDropoff(t, c, `/dropoff/to/${a.department.id}`, { ...contact, email });
    const right = await codeFor(t, email);
    const wrong = right === '000000' ? '111111' : '000000';
    await c.get(`/inbound/${id}/code`);
    for (let i = 0; i < 5; i++) {
      const r = await c.postForm(`/inbound/${id}/verify`, { code: wrong });
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /Der Code stimmt nicht/);
    }
    const r = await c.postForm(`/inbound/${id}/verify`, { code: right });
    assert.equal(r.statusCode, 400, 'burned after 5 wrong tries');
  });

  it('refuses a form without the CSRF token, storing nothing', async () => {
    const c = new TestClient(t.app, host);
    const page = await c.get(`/dropoff/to/${a.department.id}`);
    const before = await count(`SELECT count(*)::int AS n FROM dropoff_sessions`);
    t.clock.advance(5_000);
    const res = await c.postForm(
      '/dropoff/start',
      {
        departmentId: a.department.id,
        started: /name="started" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
        ...contact,
      },
      { csrf: false },
    );
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Formular ist abgelaufen/);
    assert.equal(await count(`SELECT count(*)::int AS n FROM dropoff_sessions`), before);
  });

  it('a filled honeypot looks like success but sends and stores nothing', async () => {
    const c = new TestClient(t.app, host);
    const page = await c.get(`/dropoff/to/${a.department.id}`);
    const before = {
      sessions: await count(`SELECT count(*)::int AS n FROM dropoff_sessions`),
      mails: (await outbox(t)).length,
    };
    t.clock.advance(5_000);
    const res = await c.postForm('/dropoff/start', {
      departmentId: a.department.id,
      started: /name="started" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
      ...contact,
      email: 'bot@example.org',
      website: 'http://spam.example',
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Code eingeben/);
    assert.equal(await count(`SELECT count(*)::int AS n FROM dropoff_sessions`), before.sessions);
    assert.equal((await outbox(t)).length, before.mails);
  });

  it('a form sent faster than a person types is refused with a clear message', async () => {
    const c = new TestClient(t.app, host);
    const page = await c.get(`/dropoff/to/${a.department.id}`);
    const res = await c.postForm('/dropoff/start', {
      departmentId: a.department.id,
      started: /name="started" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
      ...contact,
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /schneller, als ein Mensch tippen kann/);
  });

  it('an address gets at most 5 codes an hour, and the answer looks the same when the limit is reached', async () => {
    const email = 'viel@example.org';
    const pages: string[] = [];
    for (let i = 0; i < 7; i++) {
      const c = new TestClient(t.app, host);
      const { res } = await startDropoff(t, c, `/dropoff/to/${a.department.id}`, { ...contact, email });
      pages.push(String(res.headers.location).replace(/[0-9a-f-]{36}/, 'ID'));
    }
    assert.equal(new Set(pages).size, 1, 'same answer every time');
    const codes = (await outbox(t)).filter((m) => m.to.includes(email));
    assert.equal(codes.length, 5);
  });

  it('addressing a caseworker: only the tenant’s domain; existing or not, the sender sees the same', async () => {
    await createStaff(t.deps.db, t.deps, a.tenant.id, {
      email: 'sachbearbeitung@musterstadt.example',
      status: 'active',
      departmentIds: [a.department.id],
    });
    const outside = new TestClient(t.app, host);
    const page = await outside.get('/dropoff/direct');
    t.clock.advance(5_000);
    const refused = await outside.postForm('/dropoff/start', {
      started: /name="started" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
      ...contact,
      caseworker: 'someone@gmail.example',
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /@musterstadt\.example/);
    const answers: string[] = [];
    for (const caseworker of ['sachbearbeitung@musterstadt.example', 'gibtesnicht@musterstadt.example']) {
      const c = new TestClient(t.app, host);
      const { id } = await startDropoff(t, c, '/dropoff/direct', {
        ...contact,
        email: `${caseworker.split('@')[0] ?? ''}-sender@example.org`,
        caseworker,
      });
      await verify(t, c, id, `${caseworker.split('@')[0] ?? ''}-sender@example.org`);
      answers.push(
        (await c.get(`/inbound/${id}`)).body
          .replace(/[0-9a-f-]{36}/g, 'ID')
          .replace(/value="[^"]*"/g, '')
          .replace(/[a-z]+-sender@example\.org/g, 'X')
          .replace(/[a-z]+@musterstadt\.example/g, 'Y'),
      );
    }
    assert.equal(answers[0], answers[1], 'the compose page does not tell whether the address exists');
  });

  it('the no-JavaScript form sends a message without files, once, whatever the clicks', async () => {
    const c = new TestClient(t.app, host);
    const email = 'ohnejs@example.org';
    const { id } = await startDropoff(t, c, `/dropoff/to/${a.department.id}`, { ...contact, email });
    await verify(t, c, id, email);
    const before = await count(
      `SELECT count(*)::int AS n FROM transfers WHERE inbound = 'dropoff' AND status = 'sent'`,
    );
    const form = {
      subject: 'Rückfrage',
      message: 'Bitte rufen Sie mich an.',
      expiresInDays: '14',
      notify: 'on',
    };
    const r1 = await c.postForm(`/inbound/${id}`, form);
    const r2 = await c.postForm(`/inbound/${id}`, form);
    assert.equal(r1.statusCode, 303, r1.body.slice(0, 500));
    assert.equal(r2.statusCode, 303);
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM transfers WHERE inbound = 'dropoff' AND status = 'sent'`),
      before + 1,
    );
  });
});
