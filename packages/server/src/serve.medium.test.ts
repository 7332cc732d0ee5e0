import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestApp } from './testing/index.ts';
import { createTestApp, seedTenant } from './testing/index.ts';

describe('graceful shutdown', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
    await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt' });
  });
  after(() => t.close());

  it('close() lets a request in flight finish, then refuses new ones', async () => {
    const app = (await import('./app.ts')).buildApp;
    const slowDeps = { ...t.deps, config: { ...t.deps.config } };
    const slowApp = await app(slowDeps);
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      slowApp.get('/slow', { config: { access: 'public' } }, async () => {
        resolve();
        await new Promise<void>((r) => (release = r));
        return { done: true };
      });
    });
    await slowApp.listen({ port: 0, host: '127.0.0.1' });
    const address = slowApp.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    // Its PUBLIC_URL is the address fetch() names: the portal refuses a Host it does not know.
    slowDeps.config.publicUrl = `http://127.0.0.1:${String(port)}`;
    const inFlight = fetch(`http://127.0.0.1:${port}/slow`);
    await started;
    const closing = slowApp.close();
    setTimeout(() => release(), 200);
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { done: true });
    await closing;
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
  });
});

describe('amtsbote serve as a process', () => {
  it('starts on embedded defaults, prints the admin link, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'amtsbote-serve-'));
    const bin = path.resolve(import.meta.dirname, '../../cli/bin/amtsbote.js');
    try {
      const child = spawn(process.execPath, [bin, 'serve'], {
        env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const deadline = Date.now() + 60_000;
      while (!/listening on 127\.0\.0\.1:(\d+)/.test(out) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      const port = /listening on 127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      assert.ok(port !== undefined, out);
      assert.match(out, /One-time login link for admin@musterstadt\.example/);
      assert.match(out, /WARNING: no MASTER_KEY/);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      assert.equal(ready.status, 200);
      // As a visitor of PUBLIC_URL (http://localhost:0 here): fetch() cannot name that Host.
      const start = await new Promise<string>((resolve, reject) => {
        const req = httpGet(`http://127.0.0.1:${port}/`, { headers: { host: 'localhost' } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
      });
      assert.match(start, /Musterstadt/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out);
      await assert.rejects(
        stat(path.join(dataDir, 'run', 'embedded.lock')),
        'the embedded database lock is released',
      );
      assert.ok(
        (await stat(path.join(dataDir, 'master.key'))).mode % 0o1000 === 0o600,
        'master.key is private',
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
