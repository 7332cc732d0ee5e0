import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DAY } from '../../adapters/clock.ts';
import { buildApp } from '../../app.ts';
import type { TestApp } from '../../testing/index.ts';
import { TestClient, createTestApp, outbox, seedTenant } from '../../testing/index.ts';
import { readStoredZip } from '../../testing/zip.ts';
import { createApiToken } from '../auth/index.ts';
import { sweepTransfers } from './expiry.ts';
import { SEGMENT_BYTES } from './storage.ts';

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
let tokenA: string;
let tokenB: string;
const hostA = 'musterstadt.localhost';
const hostB = 'beispielkreis.localhost';

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [hostA] });
  b = await seedTenant(t.deps, { slug: 'beispielkreis', name: 'Landkreis Beispiel', hostnames: [hostB] });
  t.app.invalidateTenantCache();
  tokenA = (await createApiToken(t.deps.db, t.deps, { tenantId: a.tenant.id, staffId: a.admin.id })).token;
  tokenB = (await createApiToken(t.deps.db, t.deps, { tenantId: b.tenant.id, staffId: b.admin.id })).token;
});
after(() => t.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Draft {
  id: string;
  uploadEndpoint: string;
  files: { id: string; name: string; size: number }[];
}

async function api(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  token: string,
  payload?: unknown,
) {
  return app.inject({
    method,
    url,
    headers: {
      host: hostA,
      authorization: `Bearer ${token}`,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
}

async function draft(
  files: { name: string; data: Buffer }[],
  extra: Record<string, unknown> = {},
): Promise<Draft> {
  const res = await api(t.app, 'POST', '/api/v1/transfers', tokenA, {
    level: 1,
    recipients: ['buerger@example.org'],
    subject: 'Ihr Bescheid',
    message: 'Anbei der Bescheid.',
    allowReply: true,
    files: files.map((f) => ({ name: f.name, size: f.data.length, type: 'application/pdf' })),
    ...extra,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<Draft>();
}

async function tusUpload(app: FastifyInstance, fileId: string, data: Buffer, from = 0): Promise<number> {
  if (from === 0) {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: {
        host: hostA,
        authorization: `Bearer ${tokenA}`,
        'tus-resumable': '1.0.0',
        'upload-length': String(data.length),
        'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')}`,
      },
    });
    assert.equal(created.statusCode, 201, created.body);
  }
  const patched = await app.inject({
    method: 'PATCH',
    url: `/api/v1/uploads/${fileId}`,
    headers: {
      host: hostA,
      authorization: `Bearer ${tokenA}`,
      'tus-resumable': '1.0.0',
      'upload-offset': String(from),
      'content-type': 'application/offset+octet-stream',
    },
    payload: data.subarray(from),
  });
  assert.equal(patched.statusCode, 204, patched.body);
  return Number(patched.headers['upload-offset']);
}

async function sendAndGetLink(id: string): Promise<string> {
  const sent = await api(t.app, 'POST', `/api/v1/transfers/${id}/send`, tokenA);
  assert.equal(sent.statusCode, 200, sent.body);
  const body = sent.json<{ recipients: { email: string; link: string }[] }>();
  const link = body.recipients[0]?.link;
  assert.ok(link !== undefined);
  return new URL(link).pathname;
}

async function offsetOf(app: FastifyInstance, fileId: string): Promise<number> {
  const head = await app.inject({
    method: 'HEAD',
    url: `/api/v1/uploads/${fileId}`,
    headers: { host: hostA, authorization: `Bearer ${tokenA}`, 'tus-resumable': '1.0.0' },
  });
  assert.equal(head.statusCode, 200);
  return Number(head.headers['upload-offset']);
}

async function allBlobBytes(): Promise<Buffer[]> {
  const root = path.join(t.dataDir, 'blobs');
  const files = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return Promise.all(files.filter((f) => f.isFile()).map((f) => readFile(path.join(f.parentPath, f.name))));
}

describe('level 1: send, open, download', () => {
  const marker = Buffer.concat([Buffer.from('MARKER-PLAINTEXT-4711 '), randomBytes(300_000)]);
  const second = randomBytes(1024 * 1024 + 17);
  const markerName = 'geheimer-dateiname-0815.pdf';
  let link: string;
  let transferId: string;

  before(async () => {
    const d = await draft([
      { name: markerName, data: marker },
      { name: 'plan.pdf', data: second },
    ]);
    transferId = d.id;
    assert.equal(await tusUpload(t.app, d.files[0]?.id ?? '', marker), marker.length);
    assert.equal(await tusUpload(t.app, d.files[1]?.id ?? '', second), second.length);
    link = await sendAndGetLink(d.id);
  });

  it('mails the recipient a link with no content in the mail', async () => {
    const mail = (await outbox(t)).find((m) => m.to.includes('buerger@example.org'));
    assert.ok(mail !== undefined);
    assert.ok(mail.html !== undefined && mail.text.includes(link));
    assert.doesNotMatch(mail.text, /Ihr Bescheid|Anbei|geheimer-dateiname/);
    assert.match(mail.text, /Admin Musterstadt/);
    assert.ok(link.length > '/t/'.length + 22, 'link secret of at least 128 bits');
  });

  it('opens by link and serves both files byte for byte, with Range and as ZIP', async () => {
    const c = new TestClient(t.app, hostA);
    const page = await c.get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Ihr Bescheid/);
    const manifest = (await c.get(`/api/v1/received/${link.split('/').pop() ?? ''}`)).json<{
      files: { id: string; name: string; url: string }[];
    }>();
    assert.deepEqual(
      manifest.files.map((f) => f.name),
      [markerName, 'plan.pdf'],
    );
    const [f1, f2] = manifest.files;
    assert.ok(f1 !== undefined && f2 !== undefined);
    const one = await c.get(f1.url);
    assert.equal(one.statusCode, 200);
    assert.equal(sha(one.rawPayload), sha(marker));
    assert.match(String(one.headers['content-disposition']), /attachment/);
    const part = await c.get(f2.url, { range: 'bytes=1048570-' });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 1048570-${second.length - 1}/${second.length}`);
    assert.ok(part.rawPayload.equals(second.subarray(1048570)));
    const zip = await c.get(`${link}/zip`);
    assert.equal(zip.statusCode, 200);
    const entries = readStoredZip(zip.rawPayload);
    assert.equal(sha(entries.get(markerName) ?? Buffer.alloc(0)), sha(marker));
    assert.equal(sha(entries.get('plan.pdf') ?? Buffer.alloc(0)), sha(second));
  });

  it('shows the sender who opened and downloaded, and mails the first download', async () => {
    const res = await api(t.app, 'GET', `/api/v1/transfers/${transferId}`, tokenA);
    const view = res.json<{
      recipients: { firstOpenedAt: string | null; firstDownloadedAt: string | null; downloads: unknown[] }[];
    }>();
    assert.ok(view.recipients[0]?.firstOpenedAt !== null);
    assert.ok(view.recipients[0]?.firstDownloadedAt !== null);
    assert.ok((view.recipients[0]?.downloads.length ?? 0) >= 2);
    assert.ok(
      (await outbox(t)).some((m) => m.to.includes(a.admin.email) && m.subject.includes('heruntergeladen')),
    );
  });

  it('keeps neither the file content nor its name in plaintext, in the blobs or the database', async () => {
    const needle = Buffer.from('MARKER-PLAINTEXT-4711');
    for (const blob of await allBlobBytes()) {
      assert.ok(!blob.includes(needle), 'marker content in a blob');
      assert.ok(!blob.includes(Buffer.from(markerName)), 'file name in a blob');
    }
    const tables = ['transfers', 'transfer_files', 'file_segments', 'transfer_recipients', 'audit_events'];
    for (const table of tables) {
      const rows = await t.deps.db.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
      const dump = rows.map((r) => r.row).join('\n');
      assert.ok(!dump.includes('geheimer-dateiname'), `file name in ${table}`);
      assert.ok(!dump.includes('Ihr Bescheid'), `subject in ${table}`);
      assert.ok(
        !dump.includes(needle.toString('hex')) && !dump.includes('MARKER-PLAINTEXT'),
        `content in ${table}`,
      );
    }
  });

  it('answers a tampered link with the same 404 page as an unknown one', async () => {
    const c = new TestClient(t.app, hostA);
    const tampered = await c.get(`${link.slice(0, -2)}xx`);
    const unknown = await c.get(`/t/${'A'.repeat(43)}`);
    assert.equal(tampered.statusCode, 404);
    assert.equal(unknown.statusCode, 404);
    // Equal up to the CSRF token and the path echoed in the language links.
    const normal = (body: string) =>
      body.replace(/value="[^"]+"/g, '').replace(/\/t\/[A-Za-z0-9_-]+/g, '/t/…');
    assert.equal(normal(tampered.body), normal(unknown.body));
  });

  it('lets the recipient reply into the sender’s postbox, in the same thread', async () => {
    const token = link.split('/').pop() ?? '';
    const c = new TestClient(t.app, hostA);
    await c.get(link);
    const reply = await c.json('POST', `${link}/replies`, {
      subject: 'Re: Ihr Bescheid',
      message: 'Danke, hier mein Nachweis.',
      files: [],
    });
    assert.equal(reply.statusCode, 201, reply.body);
    const { id } = reply.json<{ id: string }>();
    const sent = await c.json('POST', `${link}/replies/${id}/send`, {});
    assert.equal(sent.statusCode, 200, sent.body);
    const listed = await api(t.app, 'GET', '/api/v1/transfers', tokenA);
    assert.equal(
      listed.statusCode,
      200,
      listed.body + t.logs.filter((l) => l.includes('"level":50')).join('\n'),
    );
    const postbox = listed.json<{ id: string; direction: string; subject: string }[]>();
    const got = postbox.find((e) => e.id === id);
    assert.equal(got?.direction, 'received');
    assert.equal(got.subject, 'Re: Ihr Bescheid');
    assert.ok(token.length > 0);
  });

  it('a staff member of another tenant gets 404 for the transfer and its files', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/transfers/${transferId}`,
      headers: { host: hostB, authorization: `Bearer ${tokenB}` },
    });
    assert.equal(res.statusCode, 404);
    const other = await t.app.inject({ method: 'GET', url: link, headers: { host: hostB } });
    assert.equal(other.statusCode, 404);
  });

  it('revoking stops the link at once and deletes the content', async () => {
    const before = (await allBlobBytes()).length;
    const r = await api(t.app, 'POST', `/api/v1/transfers/${transferId}/revoke`, tokenA);
    assert.equal(r.statusCode, 204);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: link, headers: { host: hostA } })).statusCode,
      404,
    );
    assert.ok((await allBlobBytes()).length < before);
    const view = (await api(t.app, 'GET', `/api/v1/transfers/${transferId}`, tokenA)).json<{
      status: string;
      subject: string | null;
      files: unknown[];
    }>();
    assert.equal(view.status, 'revoked');
    assert.equal(view.subject, null);
    assert.deepEqual(view.files, []);
  });
});

describe('limits', () => {
  it('refuses a file over the tenant limit before any upload, naming the file', async () => {
    await t.deps.db.query(
      `UPDATE tenants SET settings = settings || '{"transfers": {"maxFileSize": 1000}}' WHERE id = $1`,
      [a.tenant.id],
    );
    t.app.invalidateTenantCache();
    try {
      const res = await api(t.app, 'POST', '/api/v1/transfers', tokenA, {
        level: 1,
        recipients: ['x@example.org'],
        subject: 's',
        files: [
          { name: 'ok.pdf', size: 10 },
          { name: 'big.pdf', size: 1001 },
        ],
      });
      assert.equal(res.statusCode, 413);
      const body = res.json<{ error: { code: string; fields: { field: string }[] } }>();
      assert.equal(body.error.code, 'ERR_FILE_TOO_LARGE');
      assert.deepEqual(
        body.error.fields.map((f) => f.field),
        ['files.1'],
      );
      const drafts = await t.deps.db.query(
        `SELECT 1 FROM transfers WHERE tenant_id = $1 AND status = 'draft' AND total_size = 1011`,
        [a.tenant.id],
      );
      assert.equal(drafts.length, 0);
    } finally {
      await t.deps.db.query(`UPDATE tenants SET settings = settings - 'transfers' WHERE id = $1`, [
        a.tenant.id,
      ]);
      t.app.invalidateTenantCache();
    }
  });

  it('refuses an expiry beyond the maximum and sending before the upload is complete', async () => {
    const tooLong = await api(t.app, 'POST', '/api/v1/transfers', tokenA, {
      level: 1,
      recipients: ['x@example.org'],
      subject: 's',
      files: [],
      expiresInDays: 366,
    });
    assert.equal(tooLong.statusCode, 400);
    const d = await draft([{ name: 'a.pdf', data: randomBytes(100) }]);
    const early = await api(t.app, 'POST', `/api/v1/transfers/${d.id}/send`, tokenA);
    assert.equal(early.statusCode, 409);
    assert.equal(early.json<{ error: { code: string } }>().error.code, 'ERR_TRANSFER_INCOMPLETE');
  });
});

describe('resumable uploads', () => {
  it('keeps what arrived before a dropped connection and continues from there', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const d = await draft([{ name: 'gross.bin', data }]);
    const fileId = d.files[0]?.id ?? '';
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: {
        host: hostA,
        authorization: `Bearer ${tokenA}`,
        'tus-resumable': '1.0.0',
        'upload-length': String(data.length),
        'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')}`,
      },
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    // Send half, then cut the connection.
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'PATCH',
        path: `/api/v1/uploads/${fileId}`,
        headers: {
          host: hostA,
          authorization: `Bearer ${tokenA}`,
          'tus-resumable': '1.0.0',
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
          'content-length': String(data.length),
        },
      });
      req.on('error', () => resolve());
      req.write(data.subarray(0, data.length / 2), () => {
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 300);
      });
    });
    let offset = 0;
    for (let i = 0; i < 50 && offset === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      offset = await offsetOf(t.app, fileId);
    }
    assert.ok(offset > 0 && offset <= data.length / 2, `kept ${offset} bytes`);
    // A fresh app instance on the same database and blobs: another node, or the server restarted.
    const node2 = await buildApp(t.deps);
    await node2.ready();
    try {
      assert.equal(await offsetOf(node2, fileId), offset);
      assert.equal(await tusUpload(node2, fileId, data, offset), data.length);
    } finally {
      await node2.close();
    }
    const link = await sendAndGetLink(d.id);
    const token = link.split('/').pop() ?? '';
    const manifest = (
      await t.app.inject({ method: 'GET', url: `/api/v1/received/${token}`, headers: { host: hostA } })
    ).json<{ files: { url: string }[] }>();
    const got = await t.app.inject({
      method: 'GET',
      url: manifest.files[0]?.url ?? '',
      headers: { host: hostA },
    });
    assert.equal(sha(got.rawPayload), sha(data));
    assert.ok(SEGMENT_BYTES > data.length, 'this test exercises the cut inside one segment');
  });
});

describe('graceful restart during an upload', () => {
  it('commits what arrived when the node shuts down mid-PATCH; the upload continues elsewhere', async () => {
    const data = randomBytes(4 * 1024 * 1024);
    const d = await draft([{ name: 'neustart.bin', data }]);
    const fileId = d.files[0]?.id ?? '';
    const nodeDeps = { ...t.deps, config: { ...t.deps.config } };
    const node = await buildApp(nodeDeps);
    await node.listen({ port: 0, host: '127.0.0.1' });
    const address = node.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    // This node's PUBLIC_URL is the address fetch() names (it cannot send another Host).
    nodeDeps.config.publicUrl = `http://127.0.0.1:${String(port)}`;
    const base = { host: hostA, authorization: `Bearer ${tokenA}`, 'tus-resumable': '1.0.0' };
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/uploads`, {
      method: 'POST',
      headers: {
        ...base,
        'upload-length': String(data.length),
        'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')}`,
      },
    });
    assert.equal(created.status, 201);
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'PATCH',
      path: `/api/v1/uploads/${fileId}`,
      headers: {
        ...base,
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        'content-length': String(data.length),
      },
    });
    req.on('error', () => undefined);
    await new Promise<void>((resolve) => req.write(data.subarray(0, 1024 * 1024), () => resolve()));
    await new Promise((r) => setTimeout(r, 300));
    // SIGTERM does this: close() must not wait for the rest of the upload.
    await node.close();
    const offset = await offsetOf(t.app, fileId);
    assert.ok(offset > 0 && offset <= 1024 * 1024, `committed ${offset} bytes before shutting down`);
    assert.equal(await tusUpload(t.app, fileId, data, offset), data.length);
  });
});

describe('level 2: a forwarded link opens nothing', () => {
  let link: string;
  before(async () => {
    const data = randomBytes(2000);
    const d = await draft([{ name: 'nachweis.pdf', data }], {
      level: 2,
      recipients: ['ina@example.org'],
      subject: 'Stufe zwei',
    });
    await tusUpload(t.app, d.files[0]?.id ?? '', data);
    link = await sendAndGetLink(d.id);
  });

  async function requestCode(c: TestClient): Promise<{ codeId: string; code: string }> {
    await c.get(link);
    const before = (await outbox(t)).length;
    const page = await c.postForm(`${link}/code`, {});
    assert.equal(page.statusCode, 200, page.body);
    const codeId = /name="codeId" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(codeId !== undefined);
    const mails = await outbox(t);
    assert.equal(mails.length, before + 1);
    const code = /\b(\d{6})\b/.exec(mails.at(-1)?.text ?? '')?.[1];
    assert.ok(code !== undefined);
    return { codeId, code };
  }

  it('shows only the verification step until the address is proven', async () => {
    const c = new TestClient(t.app, hostA);
    const page = await c.get(link);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Stufe zwei|nachweis\.pdf/);
    assert.match(page.body, /i\*\*\*@example\.org/);
  });

  it('burns a code after five wrong tries', async () => {
    const c = new TestClient(t.app, hostA);
    const { codeId, code } = await requestCode(c);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await c.postForm(`${link}/verify`, { codeId, code: wrong });
      assert.equal(r.statusCode, 400);
    }
    const r = await c.postForm(`${link}/verify`, { codeId, code });
    assert.equal(r.statusCode, 400, 'the right code no longer works');
  });

  it('opens for the account that proved the address, and only for it', async () => {
    await t.deps.db.query('DELETE FROM rate_limits');
    const c = new TestClient(t.app, hostA);
    const { codeId, code } = await requestCode(c);
    const ok = await c.postForm(`${link}/verify`, { codeId, code });
    assert.equal(ok.statusCode, 303);
    const page = await c.get(link);
    assert.match(page.body, /Stufe zwei/);
    const reused = await c.postForm(`${link}/verify`, { codeId, code });
    assert.equal(reused.statusCode, 400, 'a code works once');
    const stranger = new TestClient(t.app, hostA);
    assert.doesNotMatch((await stranger.get(link)).body, /Stufe zwei/);
    const file = await stranger.get(`/api/v1/received/${link.split('/').pop() ?? ''}`);
    assert.equal(file.statusCode, 404);
  });
});

describe('expiry', () => {
  it('destroys content and keys at expiry; the link then shows the not-found page', async () => {
    const data = randomBytes(5000);
    const d = await draft([{ name: 'kurz.pdf', data }], { expiresInDays: 1 });
    await tusUpload(t.app, d.files[0]?.id ?? '', data);
    const link = await sendAndGetLink(d.id);
    const keys = await t.deps.db.query<{ blob_key: string }>(
      `SELECT s.blob_key FROM file_segments s JOIN transfer_files f ON f.tenant_id = s.tenant_id AND f.id = s.file_id WHERE f.transfer_id = $1`,
      [d.id],
    );
    assert.ok(keys.length > 0);
    t.clock.advance(DAY + 1000);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: link, headers: { host: hostA } })).statusCode,
      404,
      'expired before the sweep ran',
    );
    const result = await sweepTransfers(t.deps);
    assert.ok(result.expired >= 1);
    for (const k of keys) assert.equal(await t.deps.blobs.stat(k.blob_key), undefined, 'blob deleted');
    const row = await t.deps.db.query<{ content_key: Buffer | null; status: string }>(
      `SELECT content_key, status FROM transfers WHERE id = $1`,
      [d.id],
    );
    assert.equal(row[0]?.content_key, null);
    assert.equal(row[0].status, 'expired');
    const audit = await t.deps.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'transfer.expired' AND subject_id = $1`,
      [d.id],
    );
    assert.equal(audit.length, 1);
    t.clock.advance(-(DAY + 1000));
  });
});
