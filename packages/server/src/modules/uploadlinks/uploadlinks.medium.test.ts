import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  decryptBytes,
  encryptBytes,
  exportPublicKey,
  generateFileKey,
  generateKeyPair,
  toBase64Url,
  unwrapFileKey,
  wrapFileKey,
} from '@amtsbote/crypto';
import { DAY } from '../../adapters/clock.ts';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, outbox, seedTenant, TestClient } from '../../testing/index.ts';
import { PDF, codeFor, fieldValue, staffClient, tus } from '../../testing/inbound.ts';

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let staff: TestClient;
const host = 'musterstadt.localhost';

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  t.app.invalidateTenantCache();
  staff = await staffClient(t.app, host, a.admin.email);
});
after(() => t.close());

/** Creates a link through the caseworker's form; returns its id and URL path. */
async function createLink(fields: Record<string, string>): Promise<{ id: string; path: string }> {
  await staff.get('/upload-links/new');
  const res = await staff.postForm('/upload-links', {
    departmentId: a.department.id,
    types: 'pdf',
    maxSizeMb: '10',
    validDays: '7',
    ...fields,
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
  const id = /\/upload-links\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] ?? '';
  const page = await staff.get(`/upload-links/${id}`);
  const url = /id="link-url-field"[^>]*value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return { id, path: new URL(url).pathname };
}

/** The public side: contact step (and code for level 2+), returns the session id. */
async function begin(
  c: TestClient,
  path: string,
  contact: Record<string, string>,
  email?: string,
): Promise<string> {
  const page = await c.get(path);
  assert.equal(page.statusCode, 200, page.body.slice(0, 300));
  t.clock.advance(5_000);
  const res = await c.postForm(`${path}/start`, {
    started: fieldValue(page.body, 'started'),
    website: '',
    ...contact,
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
  const id = /\/inbound\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] ?? '';
  if (email !== undefined) {
    await c.get(`/inbound/${id}/code`);
    const v = await c.postForm(`/inbound/${id}/verify`, { code: await codeFor(t, email) });
    assert.equal(v.statusCode, 303);
  }
  assert.equal((await c.get(`/inbound/${id}`)).statusCode, 200);
  return id;
}

describe('upload links', () => {
  it('level 1, single use: the request is mailed, the upload lands in the postbox linked to it, a second use is refused', async () => {
    const { id, path } = await createLink({
      title: 'Nachweise Wohngeld',
      note: 'Bitte die Lohnabrechnungen der letzten 3 Monate.',
      email: 'anna@example.org',
      level: '1',
      maxUses: '1',
      sendMail: 'on',
      reference: 'WG-2026-17',
    });
    const mail = (await outbox(t)).find((m) => m.to.includes('anna@example.org'));
    assert.ok(mail !== undefined, 'the person gets a mail');
    assert.ok(
      mail.links.some((l) => l.includes(path)),
      'with the link',
    );
    assert.doesNotMatch(mail.text, /Lohnabrechnungen|Wohngeld/, 'no content in the mail');
    const c = new TestClient(t.app, host);
    const page = await c.get(path);
    assert.match(page.body, /Lohnabrechnungen/);
    const session = await begin(c, path, { firstName: 'Anna', lastName: 'Beispiel', phone: '' });
    const pdf = PDF('Lohn');
    const d = await c.json('POST', `/api/v1/inbound/${session}/drafts`, {
      subject: 'Nachweise Wohngeld',
      reference: 'WG-2026-17',
      files: [{ name: 'lohn.pdf', size: pdf.length }],
    });
    assert.equal(d.statusCode, 201, d.body);
    const draft = d.json<{ id: string; files: { id: string }[] }>();
    assert.equal((await tus(t.app, c, host, draft.files[0]?.id ?? '', pdf)).statusCode, 204);
    const s = await c.json('POST', `/api/v1/inbound/${session}/submit`, { draftId: draft.id });
    assert.equal(s.statusCode, 200, s.body);
    const detail = await staff.get(`/upload-links/${id}`);
    assert.match(detail.body, /benutzt/);
    assert.match(detail.body, new RegExp(`/inbox/${draft.id}`), 'linked to the request');
    assert.match((await staff.get('/inbox')).body, /Anna Beispiel/);
    const again = await new TestClient(t.app, host).get(path);
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /so oft hochgeladen, wie erlaubt/);
  });

  it('level 3: files are encrypted in the uploader’s browser to the department’s key; the server cannot read them', async () => {
    // Without a department key, level 3 cannot be chosen.
    await staff.get('/upload-links/new');
    const refused = await staff.postForm('/upload-links', {
      departmentId: a.department.id,
      types: 'pdf',
      title: 'Geheim',
      email: 'bob@example.org',
      level: '3',
    });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /keinen Schlüssel/);

    const department = await generateKeyPair({ extractable: true });
    const put = await staff.json('PUT', `/api/v1/departments/${a.department.id}/key`, {
      publicKey: await exportPublicKey(department.publicKey),
      shares: [],
    });
    assert.equal(put.statusCode, 200, put.body);
    const { path } = await createLink({
      title: 'Gutachten',
      email: 'bob@example.org',
      level: '3',
      sendMail: 'on',
    });
    const c = new TestClient(t.app, host);
    const session = await begin(
      c,
      path,
      { firstName: 'Bob', lastName: 'Beispiel', phone: '' },
      'bob@example.org',
    );
    const compose = await c.get(`/inbound/${session}`);
    assert.match(compose.body, /data-public-key="amtb-pub1-/);

    // What the browser does (inbound-compose island): one file key, a stream per file, an envelope.
    const plain = PDF('Gutachten streng vertraulich');
    const fileKey = generateFileKey();
    const cipher = await encryptBytes(fileKey, plain);
    const envelope = await wrapFileKey(fileKey, department.publicKey);
    const d = await c.json('POST', `/api/v1/inbound/${session}/drafts`, {
      subject: 'Gutachten',
      files: [{ name: 'gutachten.pdf', size: cipher.length }],
    });
    assert.equal(d.statusCode, 201, d.body);
    const draft = d.json<{ id: string; files: { id: string }[] }>();
    assert.equal((await tus(t.app, c, host, draft.files[0]?.id ?? '', Buffer.from(cipher))).statusCode, 204);
    const s = await c.json('POST', `/api/v1/inbound/${session}/submit`, {
      draftId: draft.id,
      envelope: toBase64Url(envelope),
    });
    assert.equal(s.statusCode, 200, s.body);

    const item = await staff.get(`/inbox/${draft.id}`);
    assert.match(item.body, /nicht geprüft \(Ende-zu-Ende-verschlüsselt\)/);
    const fileId = draft.files[0]?.id ?? '';
    const stored = await staff.get(`/inbox/${draft.id}/files/${fileId}`);
    assert.equal(stored.statusCode, 200);
    assert.ok(
      !stored.rawPayload.includes(Buffer.from('streng vertraulich')),
      'the server has only ciphertext',
    );
    const row = await t.deps.db.query<{ e2e_envelope: Uint8Array }>(
      `SELECT e2e_envelope FROM transfers WHERE id = $1`,
      [draft.id],
    );
    const key = await unwrapFileKey(row[0]?.e2e_envelope ?? new Uint8Array(), department);
    assert.ok(
      Buffer.from(await decryptBytes(key, stored.rawPayload)).equals(plain),
      'the department key opens it',
    );
  });

  it('an expired link shows the expired page; a closed one the closed page', async () => {
    const { path } = await createLink({ title: 'Kurz', level: '1', validDays: '1' });
    const { id, path: other } = await createLink({ title: 'Zu', level: '1' });
    await staff.get(`/upload-links/${id}`);
    assert.equal((await staff.postForm(`/upload-links/${id}/close`, {})).statusCode, 303);
    const closed = await new TestClient(t.app, host).get(other);
    assert.equal(closed.statusCode, 410);
    assert.match(closed.body, /geschlossen/);
    t.clock.advance(2 * DAY);
    const res = await new TestClient(t.app, host).get(path);
    assert.equal(res.statusCode, 410);
    assert.match(res.body, /abgelaufen/);
    assert.equal(
      (await new TestClient(t.app, host).get(`/u/${'A'.repeat(43)}`)).statusCode,
      404,
      'unknown links: not found',
    );
  });
});
