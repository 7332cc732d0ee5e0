import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { TestApp } from '@amtsbote/server/testing';
import { createTestApp, outbox, seedTenant } from '@amtsbote/server/testing';
import { apiTokenFor } from '@amtsbote/server/operations';

const exec = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/amtsbote.js');

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('amtsbote send and fetch against a running portal', () => {
  let t: TestApp;
  let server: string;
  let token: string;
  let dir: string;
  const a = randomBytes(700_000);
  const b = randomBytes(3 * 1024 * 1024 + 5);

  before(async () => {
    t = await createTestApp();
    const seeded = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt' });
    token = await apiTokenFor(t.deps.db, seeded.tenant, seeded.admin.email);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    server = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    // Links in mails point at PUBLIC_URL: here, the port the test server got.
    t.deps.config.publicUrl = server;
    dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-send-'));
    await writeFile(path.join(dir, 'bescheid.pdf'), a);
    await writeFile(path.join(dir, 'plan.dwg'), b);
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends with --json: exactly one JSON object with the id and each recipient’s link', async () => {
    const r = await cli(
      [
        'send',
        '--server',
        server,
        '--to',
        'eins@example.org',
        '--to',
        'zwei@example.org',
        '--level',
        '1',
        '--subject',
        'Unterlagen',
        '--message',
        'Bitte prüfen.',
        '--expires',
        '30d',
        '--json',
        path.join(dir, 'bescheid.pdf'),
        path.join(dir, 'plan.dwg'),
      ],
      { AMTSBOTE_TOKEN: token },
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { id: string; recipients: { email: string; link: string }[] };
    assert.match(out.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      out.recipients.map((x) => x.email),
      ['eins@example.org', 'zwei@example.org'],
    );
    const mails = await outbox(t);
    for (const rec of out.recipients)
      assert.ok(mails.some((m) => m.to.includes(rec.email) && m.links.includes(rec.link)));

    // fetch into a fresh directory; then again after cutting one file short, which resumes.
    const into = path.join(dir, 'fetched');
    const link = out.recipients[0]?.link ?? '';
    const f = await cli(['fetch', link, '-o', into]);
    assert.equal(f.code, 0, f.stderr);
    assert.equal(sha(await readFile(path.join(into, 'bescheid.pdf'))), sha(a));
    assert.equal(sha(await readFile(path.join(into, 'plan.dwg'))), sha(b));

    const again = path.join(dir, 'resumed');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(again);
    await writeFile(path.join(again, 'plan.dwg.part'), b.subarray(0, 1_000_000));
    const resumed = await cli(['fetch', link, '-o', again]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(sha(await readFile(path.join(again, 'plan.dwg'))), sha(b));
    await assert.rejects(stat(path.join(again, 'plan.dwg.part')));
  });

  it('refuses a file over the limit before uploading, with the error code and the file named', async () => {
    await t.deps.db.query(
      `UPDATE tenants SET settings = settings || '{"transfers": {"maxFileSize": 1000000}}'`,
    );
    t.app.invalidateTenantCache();
    const r = await cli([
      'send',
      '--server',
      server,
      '--token',
      token,
      '--to',
      'x@example.org',
      '--level',
      '1',
      '--subject',
      's',
      path.join(dir, 'plan.dwg'),
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERR_FILE_TOO_LARGE/);
    assert.match(r.stderr, /files\.0/);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
    await t.deps.db.query(`UPDATE tenants SET settings = settings - 'transfers'`);
    t.app.invalidateTenantCache();
  });

  it('answers usage mistakes with exit code 2 and one line', async () => {
    const r = await cli([
      'send',
      '--server',
      server,
      '--token',
      token,
      '--level',
      '5',
      '--subject',
      's',
      '--to',
      'x@example.org',
      'f',
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--level/);
    const bad = await cli(['fetch', 'not a url']);
    assert.equal(bad.code, 2);
  });
});
