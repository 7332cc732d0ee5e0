import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  ciphertextLength,
  decryptBytes,
  decryptStream,
  encryptBytes,
  encryptStream,
  fromBase64Url,
  generateFileKey,
  toBase64Url,
  unwrapFileKeyWithPassphrase,
  wrapFileKeyWithPassphrase,
} from '@amtsbote/crypto';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, outbox, seedTenant, TEST_PASSWORD, TestClient } from '../../testing/index.ts';
import { hashPassword } from '../auth/index.ts';
import { createStaff } from '../staff/index.ts';
import { createDepartment } from '../tenants/index.ts';
import { updateDropoffSettings } from './departments.ts';
import { PDF, cookieHeader, startDropoff, staffClient, tus, verify } from '../../testing/inbound.ts';

// Answering a password drop-off "to the same password" (docs/inbound.md): Node's WebCrypto plays
// both browsers (islands/inbound-compose.ts for the citizen, islands/lib/password-send.ts for
// the caseworker); the server is the real one and must only ever hold ciphertext.

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
const host = 'musterstadt.localhost';
const hostB = 'andersdorf.localhost';
const ARGON = { memoryKiB: 19 * 1024, iterations: 2, parallelism: 1 };
const PASSWORD = 'Pferd-Batterie-Heftklammer';
const MARKER = 'ANTWORTMARKER-7f3a';
const NAME = 'Bescheid-NAMEMARKER-19c2.pdf';

let carla: TestClient;
let erik: TestClient;
let otherTenant: TestClient;
let itemId = '';
let plainItemId = '';

async function staffTus(
  app: FastifyInstance,
  c: TestClient,
  fileId: string,
  data: Uint8Array,
): Promise<LightMyRequestResponse> {
  const headers = {
    host,
    cookie: cookieHeader(c),
    'x-csrf-token': c.csrfToken ?? '',
    'tus-resumable': '1.0.0',
  };
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: {
      ...headers,
      'upload-length': String(data.length),
      'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')}`,
    },
  });
  if (created.statusCode !== 201) return created;
  return app.inject({
    method: 'PATCH',
    url: `/api/v1/uploads/${fileId}`,
    headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    payload: Buffer.from(data),
  });
}

async function encryptAll(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const out = new Response(new Blob([Buffer.from(data)]).stream().pipeThrough(encryptStream(key)));
  return new Uint8Array(await out.arrayBuffer());
}

async function decryptAll(key: Uint8Array, data: Uint8Array): Promise<Buffer> {
  const out = new Response(new Blob([Buffer.from(data)]).stream().pipeThrough(decryptStream(key)));
  return Buffer.from(await out.arrayBuffer());
}

/** A citizen's drop-off through the real steps; with a password it is encrypted as the island does. */
async function dropoff(email: string, password: string | undefined): Promise<string> {
  const c = new TestClient(t.app, host);
  const { id } = await startDropoff(t, c, `/dropoff/to/${a.department.id}`, {
    firstName: 'Erika',
    lastName: 'Mustermann',
    email,
  });
  await verify(t, c, id, email);
  const pdf = PDF('Unterlagen');
  const key = generateFileKey();
  const body =
    password === undefined
      ? { subject: 'Ohne Passwort', message: 'Klartext', files: [] }
      : {
          subject: 'Vertraulich',
          password: true,
          message: toBase64Url(await encryptBytes(key, new TextEncoder().encode('Meine Diagnose'))),
          files: [{ name: 'befund.pdf', size: ciphertextLength(pdf.length), type: 'application/pdf' }],
        };
  const draft = await c.json('POST', `/api/v1/inbound/${id}/drafts`, body);
  assert.equal(draft.statusCode, 201, draft.body);
  const d = draft.json<{ id: string; files: { id: string }[] }>();
  if (password !== undefined) {
    const up = await tus(t.app, c, host, d.files[0]?.id ?? '', Buffer.from(await encryptAll(key, pdf)));
    assert.equal(up.statusCode, 204, up.body);
  }
  const envelope =
    password === undefined
      ? {}
      : { envelope: toBase64Url(await wrapFileKeyWithPassphrase(key, password, ARGON)) };
  const sent = await c.json('POST', `/api/v1/inbound/${id}/submit`, { draftId: d.id, ...envelope });
  assert.equal(sent.statusCode, 200, sent.body);
  return d.id;
}

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  b = await seedTenant(t.deps, { slug: 'andersdorf', name: 'Andersdorf', hostnames: [hostB] });
  await updateDropoffSettings(t.deps.db, a.tenant.id, a.department.id, {
    dropoffEnabled: true,
    dropoffHint: null,
    allowedTypes: null,
  });
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const other = await createDepartment(t.deps.db, t.deps, a.tenant.id, { name: 'Bauamt' });
  for (const [name, dept] of [
    ['carla', a.department.id],
    ['erik', other.id],
  ] as const) {
    await createStaff(t.deps.db, t.deps, a.tenant.id, {
      email: `${name}@musterstadt.example`,
      displayName: name,
      status: 'active',
      departmentIds: [dept],
      passwordHash,
    });
  }
  t.app.invalidateTenantCache();
  carla = await staffClient(t.app, host, 'carla@musterstadt.example');
  erik = await staffClient(t.app, host, 'erik@musterstadt.example');
  otherTenant = await staffClient(t.app, hostB, b.admin.email);
  for (const c of [carla, erik, otherTenant]) await c.get('/inbox');
  itemId = await dropoff('erika@example.org', PASSWORD);
  plainItemId = await dropoff('paul@example.org', undefined);
});
after(() => t.close());

const answers = (id: string): string => `/api/v1/inbox/${id}/answers`;

describe('answering a password drop-off to the same password', () => {
  const fileKey = generateFileKey();
  const pdf = PDF(`Bescheid ${MARKER}`);
  let draftId = '';
  let fileId = '';
  let envelope = '';
  let link = '';

  it('offers level 4 on the answer page (with the drop-off’s envelope), only for a password drop-off', async () => {
    const page = await carla.get(`/inbox/${itemId}/answer`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /id="answer-level-4"/);
    assert.match(page.body, /data-envelope="[A-Za-z0-9_-]{106}"/);
    assert.match(String(page.headers['content-security-policy']), /'wasm-unsafe-eval'/);
    const plain = await carla.get(`/inbox/${plainItemId}/answer`);
    assert.equal(plain.statusCode, 200);
    assert.doesNotMatch(plain.body, /id="answer-level-4"/);
    assert.doesNotMatch(String(plain.headers['content-security-policy']), /wasm/);
  });

  it('only the department’s staff may answer; another department and another tenant get 404', async () => {
    const body = { level: 4, subject: 'Re: Vertraulich', message: 'AAAA', files: [] };
    for (const c of [erik, otherTenant]) {
      const res = await c.json('POST', answers(itemId), body);
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_NOT_FOUND');
    }
    const anonymous = new TestClient(t.app, host);
    await anonymous.get('/login');
    const res = await anonymous.json('POST', answers(itemId), body);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_UNAUTHENTICATED');
  });

  it('refuses bad input with registry codes: level 4 to a drop-off without password, plaintext at level 4, level 3', async () => {
    const cases: [string, unknown][] = [
      [plainItemId, { level: 4, subject: 'Re', message: 'AAAA', files: [] }],
      [itemId, { level: 4, subject: 'Re', message: `Klartext ${MARKER}`, files: [] }],
      [itemId, { level: 3, subject: 'Re', message: '', files: [] }],
      [itemId, { level: 4, subject: ' ', message: '', files: [] }],
    ];
    for (const [id, body] of cases) {
      const res = await carla.json('POST', answers(id), body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_VALIDATION');
    }
    const rows = await t.deps.db.query(`SELECT 1 FROM transfers WHERE in_reply_to IS NOT NULL`);
    assert.equal(rows.length, 0, 'nothing was created');
  });

  it('the caseworker’s browser encrypts; the server stores ciphertext, the P envelope and placeholder names', async () => {
    const manifest = JSON.stringify({
      text: `Ihr Bescheid. ${MARKER}`,
      files: [{ name: NAME, type: 'application/pdf' }],
    });
    const created = await carla.json('POST', answers(itemId), {
      level: 4,
      subject: 'Re: Vertraulich',
      message: toBase64Url(await encryptBytes(fileKey, new TextEncoder().encode(manifest))),
      notifyOnDownload: true,
      allowReply: true,
      files: [{ name: '1.amtb', size: ciphertextLength(pdf.length), type: 'application/octet-stream' }],
    });
    assert.equal(created.statusCode, 201, created.body);
    const d = created.json<{ id: string; files: { id: string }[] }>();
    draftId = d.id;
    fileId = d.files[0]?.id ?? '';
    const up = await staffTus(t.app, carla, fileId, await encryptAll(fileKey, pdf));
    assert.equal(up.statusCode, 204, up.body);
    envelope = toBase64Url(await wrapFileKeyWithPassphrase(fileKey, PASSWORD, ARGON));
  });

  it('cannot be sent without its P envelope, with a malformed one, or through the ordinary send route', async () => {
    const send = answers(itemId) + `/${draftId}/send`;
    const wrongType = fromBase64Url(envelope);
    wrongType[4] = 0x45;
    for (const body of [
      {},
      { envelope: 'AAAA' },
      { envelope: toBase64Url(wrongType) },
      { envelope: 'kein base64!' },
    ]) {
      const res = await carla.json('POST', send, body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'ERR_VALIDATION');
    }
    const ordinary = await carla.json('POST', `/api/v1/transfers/${draftId}/send`, {});
    assert.notEqual(ordinary.statusCode, 200, ordinary.body);
    const erikSend = await erik.json('POST', send, { envelope });
    assert.equal(erikSend.statusCode, 404, erikSend.body);
    const [row] = await t.deps.db.query<{ status: string }>(`SELECT status FROM transfers WHERE id = $1`, [
      draftId,
    ]);
    assert.equal(row?.status, 'draft');
  });

  it('sends with the envelope: the sender is mailed a link, in their words, without content or password', async () => {
    const res = await carla.json('POST', answers(itemId) + `/${draftId}/send`, { envelope });
    assert.equal(res.statusCode, 200, res.body);
    const [row] = await t.deps.db.query<{
      level: number;
      e2e: string;
      e2e_message: boolean;
      allow_reply: boolean;
      env: string;
      scans: string[];
    }>(
      `SELECT level, e2e, e2e_message, allow_reply, encode(e2e_envelope, 'base64') AS env,
         (SELECT array_agg(scan_status) FROM transfer_files f WHERE f.transfer_id = t.id) AS scans
       FROM transfers t WHERE id = $1`,
      [draftId],
    );
    assert.deepEqual(
      { ...row, env: Buffer.from(row?.env ?? '', 'base64').toString('base64url') },
      { level: 4, e2e: 'password', e2e_message: true, allow_reply: false, env: envelope, scans: ['e2e'] },
    );
    const mail = (await outbox(t)).find(
      (m) => m.to.includes('erika@example.org') && m.links.some((l) => l.includes('/t/')),
    );
    assert.ok(mail !== undefined, 'the sender got the link');
    assert.match(
      mail.text,
      /mit dem Passwort verschlüsselt, das Sie beim Senden Ihrer Nachricht selbst gewählt haben/,
    );
    assert.doesNotMatch(mail.text, new RegExp(`${MARKER}|NAMEMARKER|${PASSWORD}|Code`));
    link = new URL(mail.links.find((l) => l.includes('/t/')) ?? '').pathname;
    assert.match((await carla.get(`/inbox/${itemId}`)).body, /Beantwortet am/);
  });

  it('the link opens the password page without an account; the file decrypts only with the password', async () => {
    const citizen = new TestClient(t.app, host);
    const page = await citizen.get(link);
    assert.equal(page.statusCode, 200, page.body.slice(0, 500));
    assert.match(String(page.headers['content-security-policy']), /'wasm-unsafe-eval'/);
    assert.match(page.body, /id="password-open"/);
    assert.match(page.body, new RegExp(`data-envelope="${envelope}"`));
    assert.match(page.body, /mit Ihrem Passwort verschlüsselt/);
    assert.doesNotMatch(page.body, /E-Mail-Adresse mit einem Code|e2e-open/);
    assert.doesNotMatch(
      page.body,
      /Meine Diagnose|befund\.pdf|NAMEMARKER/,
      'the drop-off is not in the thread',
    );
    assert.doesNotMatch(page.body, /id="reply"/, 'no unencrypted reply form');
    const file = await citizen.get(`${link}/files/${fileId}`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.rawPayload.includes(Buffer.from(MARKER)), false, 'ciphertext only');
    const key = await unwrapFileKeyWithPassphrase(fromBase64Url(envelope), PASSWORD);
    assert.ok((await decryptAll(key, file.rawPayload)).equals(pdf));
    const message = /data-message="([A-Za-z0-9_-]*)"/.exec(page.body)?.[1] ?? '';
    assert.match(new TextDecoder().decode(await decryptBytes(key, fromBase64Url(message))), new RegExp(NAME));
    await assert.rejects(unwrapFileKeyWithPassphrase(fromBase64Url(envelope), 'falsch-falsch-falsch'));
    const accounts = await t.deps.db.query(`SELECT 1 FROM accounts WHERE email = 'erika@example.org'`);
    assert.equal(accounts.length, 0, 'no account for the sender');
    await citizen.get('/login');
    const reply = await citizen.json('POST', `${link}/replies`, { subject: 'Re', message: 'x', files: [] });
    assert.equal(reply.statusCode, 404, reply.body);
  });

  it('the database holds neither the answer’s text nor its file name', async () => {
    const rows = await t.deps.db.query<{ x: string }>(
      `SELECT row_to_json(tr)::text AS x FROM transfers tr
       UNION ALL SELECT row_to_json(f)::text FROM transfer_files f
       UNION ALL SELECT row_to_json(a)::text FROM audit_events a`,
    );
    const dump = rows.map((r) => r.x).join('\n');
    assert.equal(dump.includes(MARKER), false);
    assert.equal(dump.includes('NAMEMARKER'), false);
  });
});
