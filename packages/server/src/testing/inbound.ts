import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { TestApp } from './index.ts';
import { outbox, TEST_PASSWORD, TestClient } from './index.ts';

// Helpers the inbound tests share (postbox, drop-off, upload links, replies): a sender's browser
// going through the drop-off steps, tus uploads with that browser's cookies, and a signed-in
// caseworker.

export const PDF = (text = 'Antrag'): Buffer =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj\n<< /Title (${text}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
/** A Windows program's first bytes: "MZ", then a DOS header. */
export const EXE = (): Buffer =>
  Buffer.concat([
    Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'),
    Buffer.alloc(5000, 0x41),
  ]);

export function fieldValue(html: string, name: string): string {
  const m =
    new RegExp(`name="${name}" [^>]*value="([^"]*)"`).exec(html) ??
    new RegExp(`value="([^"]*)"[^>]* name="${name}"`).exec(html);
  assert.ok(m?.[1] !== undefined, `field ${name} in page`);
  return m[1].replace(/&amp;/g, '&');
}

export function cookieHeader(c: TestClient): string {
  return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** The latest 6-digit code mailed to `email`. */
export async function codeFor(t: TestApp, email: string): Promise<string> {
  const mails = (await outbox(t)).filter((m) => m.to.includes(email) && /\b\d{6}\b/.test(m.text));
  const code = /\b(\d{6})\b/.exec(mails.at(-1)?.text ?? '')?.[1];
  assert.ok(code !== undefined, `a code mailed to ${email}`);
  return code;
}

/** Contact step → code → verified; returns the session id. */
export async function startDropoff(
  t: TestApp,
  c: TestClient,
  startPath: string,
  fields: Record<string, string>,
  action = '/dropoff/start',
): Promise<{ id: string; res: LightMyRequestResponse }> {
  const page = await c.get(startPath);
  assert.equal(page.statusCode, 200, page.body.slice(0, 500));
  const started = fieldValue(page.body, 'started');
  const departmentId = /name="departmentId" value="([^"]+)"/.exec(page.body)?.[1];
  t.clock.advance(5_000);
  const res = await c.postForm(action, {
    ...(departmentId === undefined ? {} : { departmentId }),
    started,
    website: '',
    ...fields,
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
  const id = /\/inbound\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1];
  assert.ok(id !== undefined);
  return { id, res };
}

export async function verify(t: TestApp, c: TestClient, id: string, email: string): Promise<void> {
  await c.get(`/inbound/${id}/code`);
  const res = await c.postForm(`/inbound/${id}/verify`, { code: await codeFor(t, email) });
  assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
  assert.equal(res.headers.location, `/inbound/${id}`);
  const compose = await c.get(`/inbound/${id}`);
  assert.equal(compose.statusCode, 200, compose.body.slice(0, 500));
}

export async function tus(
  app: FastifyInstance,
  c: TestClient,
  host: string,
  fileId: string,
  data: Buffer,
  extra: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const headers = {
    host,
    cookie: cookieHeader(c),
    'x-csrf-token': c.csrfToken ?? '',
    'tus-resumable': '1.0.0',
    ...extra,
  };
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/inbound/uploads',
    headers: {
      ...headers,
      'upload-length': String(data.length),
      'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')}`,
    },
  });
  if (created.statusCode !== 201) return created;
  return app.inject({
    method: 'PATCH',
    url: `/api/v1/inbound/uploads/${fileId}`,
    headers: { ...headers, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
    payload: data,
  });
}

export async function staffClient(app: FastifyInstance, host: string, email: string): Promise<TestClient> {
  const c = new TestClient(app, host);
  await c.get('/login');
  const r = await c.postForm('/login', { email, password: TEST_PASSWORD });
  assert.equal(r.statusCode, 303, r.body.slice(0, 300));
  return c;
}
