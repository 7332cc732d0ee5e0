import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { ClientRequest } from 'node:http';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, seedTenant } from '../../testing/index.ts';
import { createApiToken } from '../auth/index.ts';
import { readFile } from './storage.ts';

let t: TestApp;
let tenantId: string;
let token: string;
const host = 'musterstadt.localhost';
const MiB = 1024 * 1024;

before(async () => {
  t = await createTestApp();
  const a = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt', hostnames: [host] });
  t.app.invalidateTenantCache();
  tenantId = a.tenant.id;
  token = (await createApiToken(t.deps.db, t.deps, { tenantId, staffId: a.admin.id })).token;
});
after(() => t.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tus = { host, authorization: '', 'tus-resumable': '1.0.0' };
const auth = () => ({ ...tus, authorization: `Bearer ${token}` });

async function declaredFile(size: number): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/transfers',
    headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify({
      level: 1,
      recipients: ['buerger@example.org'],
      subject: 'Akte',
      files: [{ name: 'akte.bin', size }],
    }),
  });
  assert.equal(res.statusCode, 201, res.body);
  const fileId = res.json<{ files: { id: string }[] }>().files[0]?.id ?? '';
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: {
      ...auth(),
      'upload-length': String(size),
      'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')}`,
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  return fileId;
}

async function offsetOf(app: FastifyInstance, fileId: string): Promise<number> {
  const head = await app.inject({ method: 'HEAD', url: `/api/v1/uploads/${fileId}`, headers: auth() });
  assert.equal(head.statusCode, 200);
  return Number(head.headers['upload-offset']);
}

async function patchRest(app: FastifyInstance, fileId: string, data: Buffer, from: number): Promise<number> {
  const res = await app.inject({
    method: 'PATCH',
    url: `/api/v1/uploads/${fileId}`,
    headers: { ...auth(), 'upload-offset': String(from), 'content-type': 'application/offset+octet-stream' },
    payload: data.subarray(from),
  });
  assert.equal(res.statusCode, 204, res.body);
  return Number(res.headers['upload-offset']);
}

/** Opens a PATCH on a listening node, sends `sent` bytes of `data` and leaves the request open. */
async function startPatch(
  port: number,
  fileId: string,
  data: Buffer,
  sent: number,
): Promise<{ req: ClientRequest; status: Promise<number> }> {
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'PATCH',
    path: `/api/v1/uploads/${fileId}`,
    headers: {
      ...auth(),
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
      'content-length': String(data.length),
    },
  });
  const status = new Promise<number>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });
  await new Promise<void>((resolve) => req.write(data.subarray(0, sent), () => resolve()));
  // Let the node read and encrypt what was sent.
  await new Promise((r) => setTimeout(r, 300));
  return { req, status };
}

async function listening(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> =>
  Promise.race([p, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref())]);

async function stored(fileId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of await readFile(t.deps, tenantId, fileId, undefined, { forScan: true }))
    parts.push(p as Buffer);
  return Buffer.concat(parts);
}

describe('tus PATCH handled by the portal', () => {
  it('a client that vanishes mid-PATCH leaves no waiting handler; the upload resumes from what was committed', async () => {
    const data = randomBytes(3 * MiB);
    const fileId = await declaredFile(data.length);
    const node = await buildApp(t.deps);
    const port = await listening(node);
    let closed = false;
    try {
      const { req } = await startPatch(port, fileId, data, MiB);
      req.destroy();
      let offset = 0;
      for (let i = 0; i < 50 && offset === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        offset = await offsetOf(t.app, fileId);
      }
      assert.ok(offset > 0 && offset <= MiB, `committed ${offset} bytes of the ${MiB} sent`);
      // Closing waits for every write in progress (preClose): a handler still waiting for the rest
      // of the vanished body would hold it up for good.
      assert.equal(await within(node.close(), 2000), undefined, 'no handler is left waiting');
      closed = true;
      assert.equal(await patchRest(t.app, fileId, data, offset), data.length);
      assert.equal(sha(await stored(fileId)), sha(data));
    } finally {
      if (!closed) await node.close();
    }
  });

  it('a resume while the old connection still hangs stops the old write, which commits first', async () => {
    const data = randomBytes(3 * MiB);
    const fileId = await declaredFile(data.length);
    const node = await buildApp(t.deps);
    const port = await listening(node);
    try {
      const first = await startPatch(port, fileId, data, MiB);
      // The client gave up on the first connection (the server cannot tell) and starts again at 0.
      const second = await within(
        node.inject({
          method: 'PATCH',
          url: `/api/v1/uploads/${fileId}`,
          headers: { ...auth(), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
          payload: data,
        }),
        5000,
      );
      if (second === 'timeout') assert.fail('the second PATCH is answered, not queued behind the first');
      // The first write committed what it had, so offset 0 is stale: the client asks and continues.
      assert.equal(second.statusCode, 409, second.body);
      assert.equal(await within(first.status, 5000), 204, 'the first request is answered with its offset');
      const offset = await offsetOf(node, fileId);
      assert.ok(offset > 0 && offset <= MiB, `committed ${offset} bytes`);
      first.req.destroy();
      assert.equal(await patchRest(node, fileId, data, offset), data.length);
      assert.equal(sha(await stored(fileId)), sha(data));
    } finally {
      await node.close();
    }
  });

  it('refuses a PATCH without the tus version, with another content type or past the declared size', async () => {
    const fileId = await declaredFile(100);
    const url = `/api/v1/uploads/${fileId}`;
    const body = { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' };
    const noVersion = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { host, authorization: `Bearer ${token}`, ...body },
      payload: Buffer.alloc(10),
    });
    assert.equal(noVersion.statusCode, 400);
    const badOffset = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth(), ...body, 'upload-offset': '-1' },
      payload: Buffer.alloc(10),
    });
    assert.equal(badOffset.statusCode, 400);
    const tooLong = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth(), ...body },
      payload: Buffer.alloc(101),
    });
    assert.equal(tooLong.statusCode, 413);
    const wrongOffset = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth(), ...body, 'upload-offset': '5' },
      payload: Buffer.alloc(10),
    });
    assert.equal(wrongOffset.statusCode, 409);
    assert.equal(await offsetOf(t.app, fileId), 0, 'nothing was stored');
  });
});
