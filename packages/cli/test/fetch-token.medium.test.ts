import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { TestApp } from '@amtsbote/server/testing';
import { TestClient, createTestApp, outbox, seedTenant } from '@amtsbote/server/testing';
import { apiTokenFor } from '@amtsbote/server/operations';

// `amtsbote fetch LINK --token T` for level-2 transfers, against a portal listening on loopback:
// the citizen proves the address in the "browser" (app.inject), makes a personal access token on
// the account page, and the CLI downloads with it, resuming a cut-off file with Range.

const exec = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/amtsbote.js');
const DAY = 24 * 3600_000;

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], {
      env: { ...process.env, AMTSBOTE_TOKEN: '', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('amtsbote fetch --token (level 2)', () => {
  let t: TestApp;
  let server: string;
  let staffToken: string;
  let dir: string;
  const small = randomBytes(200_000);
  const big = randomBytes(3 * 1024 * 1024 + 11);

  /** Sends a level-2 transfer with the CLI; returns the recipient's link. */
  async function send(to: string, files: string[], extra: string[] = []): Promise<string> {
    const r = await cli([
      'send',
      '--server',
      server,
      '--token',
      staffToken,
      '--to',
      to,
      '--level',
      '2',
      '--subject',
      `Für ${to}`,
      '--json',
      ...extra,
      ...files,
    ]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { recipients: { link: string }[] }).recipients[0]?.link ?? '';
  }

  /** Proves the address behind the link with the mailed code, then makes a token on the account page. */
  async function accountToken(link: string): Promise<{ token: string; client: TestClient }> {
    const c = new TestClient(t.app, '127.0.0.1');
    const linkPath = new URL(link).pathname;
    await c.get(linkPath);
    const page = await c.postForm(`${linkPath}/code`, {});
    const codeId = /name="codeId" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const code = /\b(\d{6})\b/.exec((await outbox(t)).at(-1)?.text ?? '')?.[1] ?? '';
    assert.equal((await c.postForm(`${linkPath}/verify`, { codeId, code })).statusCode, 303);
    await c.get('/account/tokens');
    const made = await c.postForm('/account/tokens', { name: 'Kommandozeile', expiresInDays: '90' });
    const token = /id="token-secret">([^<]+)</.exec(made.body)?.[1] ?? '';
    assert.match(token, /^amta_/);
    return { token, client: c };
  }

  // File names are encrypted at rest; the big file is the only one of its size.
  const downloadsOfBig = async (): Promise<number> => {
    const rows = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM transfer_downloads d JOIN transfer_files f ON f.tenant_id = d.tenant_id AND f.id = d.file_id WHERE f.size = $1`,
      [big.length],
    );
    return rows[0]?.n ?? 0;
  };

  before(async () => {
    t = await createTestApp();
    const seeded = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt' });
    staffToken = await apiTokenFor(t.deps.db, seeded.tenant, seeded.admin.email);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    server = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    t.deps.config.publicUrl = server;
    dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-fetch-token-'));
    await writeFile(path.join(dir, 'bescheid.pdf'), small);
    await writeFile(path.join(dir, 'plan.dwg'), big);
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads with the token, resumes with Range, and says in one line why it cannot', async () => {
    const link = await send('ina@example.org', [path.join(dir, 'bescheid.pdf'), path.join(dir, 'plan.dwg')]);

    const without = await cli(['fetch', link, '-o', path.join(dir, 'nothing')]);
    assert.equal(without.code, 1);
    assert.match(without.stderr, /needs --token/);
    assert.equal(without.stderr.trim().split('\n').length, 1, 'one line');

    const ina = await accountToken(link);
    const into = path.join(dir, 'fetched');
    const f = await cli(['fetch', link, '-o', into, '--token', ina.token]);
    assert.equal(f.code, 0, f.stderr);
    assert.match(f.stdout, /fetched 2 file/);
    assert.equal(sha(await readFile(path.join(into, 'bescheid.pdf'))), sha(small));
    assert.equal(sha(await readFile(path.join(into, 'plan.dwg'))), sha(big));
    assert.equal(await downloadsOfBig(), 1);

    // A download cut off after 1 MB resumes from there (token from the environment this time):
    // the server sees a Range request, which is not counted as a new download.
    const again = path.join(dir, 'resumed');
    await mkdir(again);
    await writeFile(path.join(again, 'plan.dwg.part'), big.subarray(0, 1_000_000));
    await writeFile(path.join(again, 'bescheid.pdf'), small);
    const resumed = await cli(['fetch', link, '-o', again], { AMTSBOTE_TOKEN: ina.token });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(sha(await readFile(path.join(again, 'plan.dwg'))), sha(big));
    await assert.rejects(stat(path.join(again, 'plan.dwg.part')));
    assert.equal(await downloadsOfBig(), 1, 'the resumed part came by Range');

    // Another account's token: the same answer as a link that does not exist.
    const otherLink = await send('otto@example.org', [path.join(dir, 'bescheid.pdf')]);
    const otto = await accountToken(otherLink);
    const foreign = await cli(['fetch', link, '-o', path.join(dir, 'foreign'), '--token', otto.token]);
    assert.equal(foreign.code, 1);
    assert.match(foreign.stderr, /another account/);
    assert.equal(foreign.stderr.trim().split('\n').length, 1);

    // A wrong token.
    const wrong = await cli([
      'fetch',
      link,
      '-o',
      path.join(dir, 'wrong'),
      '--token',
      `amta_${'x'.repeat(43)}`,
    ]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /not accepted: it is wrong, expired or revoked/);

    // A revoked token.
    const rows = await t.deps.db.query<{ id: string }>(
      `SELECT t.id FROM account_tokens t JOIN accounts a ON a.id = t.account_id WHERE a.email = 'otto@example.org'`,
    );
    await otto.client.get('/account/tokens');
    assert.equal(
      (await otto.client.postForm(`/account/tokens/${rows[0]?.id ?? ''}/revoke`, {})).statusCode,
      303,
    );
    const revoked = await cli(['fetch', otherLink, '-o', path.join(dir, 'revoked'), '--token', otto.token]);
    assert.equal(revoked.code, 1);
    assert.match(revoked.stderr, /not accepted/);
  });

  it('says so when the transfer expired', async () => {
    const link = await send('ina@example.org', [path.join(dir, 'bescheid.pdf')], ['--expires', '1d']);
    const { token } = await accountToken(link);
    t.clock.advance(2 * DAY);
    try {
      const r = await cli(['fetch', link, '-o', path.join(dir, 'late'), '--token', token]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /unknown, expired or revoked/);
    } finally {
      t.clock.advance(-2 * DAY);
    }
  });

  it('never sends a token over plain http to another machine', async () => {
    const r = await cli([
      'fetch',
      'http://portal.example.org/t/abcdefghijklmnopqrstuvwxyz',
      '--token',
      'amta_x',
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /only over https/);
  });
});
