import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from '../testing/index.ts';
import { createTestApp, seedTenant } from '../testing/index.ts';

// Answers given before any route runs: by Node's HTTP parser (header limit) and by Fastify's
// router (path encoding, parameter length). inject() bypasses both, so these talk raw HTTP.

let t: TestApp;
let port: number;

before(async () => {
  t = await createTestApp();
  await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  assert.ok(typeof address === 'object' && address !== null);
  port = address.port;
});
after(() => t.close());

/** Sends `request` as is and reads the whole answer (the server closes or we stop after 5 s). */
function raw(request: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text.slice(0, split))?.[1];
      if (split !== -1 && length !== undefined && Buffer.byteLength(text.slice(split + 4)) >= Number(length))
        socket.end();
    });
    // The server may close while we still write an oversized request: the answer counts.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      if (Number.isNaN(status)) {
        reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      const split = text.indexOf('\r\n\r\n');
      resolve({ status, headers: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.write(request);
  });
}

function codeOf(body: string): unknown {
  const parsed: unknown = JSON.parse(body);
  assert.ok(typeof parsed === 'object' && parsed !== null && 'error' in parsed);
  const error: unknown = parsed.error;
  assert.ok(typeof error === 'object' && error !== null && 'code' in error && 'message' in error);
  assert.equal(typeof error.message, 'string');
  return error.code;
}

describe('framework answers carry registry codes', () => {
  it('414 ERR_URI_TOO_LONG for a request line beyond the header limit', async () => {
    const res = await raw(`GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    assert.equal(res.status, 414);
    assert.match(res.headers, /content-type: application\/json/i);
    assert.equal(codeOf(res.body), 'ERR_URI_TOO_LONG');
  });

  it('414 ERR_URI_TOO_LONG for a URL within the header limit but longer than any of ours', async () => {
    const res = await raw(
      `GET /?q=${'a'.repeat(10_000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(res.status, 414);
    assert.equal(codeOf(res.body), 'ERR_URI_TOO_LONG');
  });

  it('414 ERR_URI_TOO_LONG for a path parameter longer than the router takes', async () => {
    const res = await raw(
      `GET /api/v1/transfers/${'a'.repeat(500)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(res.status, 414);
    assert.equal(codeOf(res.body), 'ERR_URI_TOO_LONG');
  });

  it('431 ERR_HEADERS_TOO_LARGE for headers beyond the limit', async () => {
    const res = await raw(`GET / HTTP/1.1\r\nHost: localhost\r\nCookie: a=${'b'.repeat(20_000)}\r\n\r\n`);
    assert.equal(res.status, 431);
    assert.match(res.headers, /content-type: application\/json/i);
    assert.equal(codeOf(res.body), 'ERR_HEADERS_TOO_LARGE');
  });

  for (const path of ['/%zz', '/transfers/%c0%af', '/api/v1/transfers/%E0%A4%A']) {
    it(`400 ERR_BAD_PATH_ENCODING for ${path}`, async () => {
      const res = await raw(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      assert.equal(res.status, 400);
      assert.match(res.headers, /content-type: application\/json/i);
      assert.equal(codeOf(res.body), 'ERR_BAD_PATH_ENCODING');
    });
  }
});
