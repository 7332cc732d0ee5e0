import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const bin = path.resolve(import.meta.dirname, '../../cli/bin/amtsbote.js');

/** `amtsbote serve` in a child under `umask`, until it listens; then stop() sends SIGTERM. */
async function startPortal(dataDir: string, umask: string) {
  // umask 000 makes anything created without an explicit mode world-writable: nothing may be.
  const child = spawn('sh', ['-c', `umask ${umask} && exec "$0" "$1" serve`, process.execPath, bin], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  while (!/listening on 127\.0\.0\.1:\d+/.test(out) && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 100));
  assert.match(out, /listening on 127\.0\.0\.1:\d+/, out);
  return {
    out: () => out,
    async stop() {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out);
    },
  };
}

/** Every path under root (root included) whose mode is not 0700 (directory) or 0600 (other). */
async function loosePaths(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (p: string) => {
    const info = await lstat(p);
    const want = info.isDirectory() ? 0o700 : 0o600;
    if ((info.mode & 0o7777) !== want)
      found.push(`${path.relative(root, p) || '.'} ${(info.mode & 0o7777).toString(8)}`);
    if (info.isDirectory()) for (const e of await readdir(p)) await visit(path.join(p, e));
  };
  await visit(root);
  return found;
}

/** The log's lines about tightened paths, as [path, from, to]. */
function tightened(out: string): string[][] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; path?: string; from?: string; to?: string })
    .filter((l) => l.msg?.startsWith('DATA_DIR: took group and other permissions off') === true)
    .map((l) => [l.path ?? '', l.from ?? '', l.to ?? '']);
}

describe('files on disk under DATA_DIR', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'amtsbote-files-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('a first start makes every directory 0700 and every file 0600, even under umask 000', async () => {
    const dataDir = path.join(root, 'fresh', 'data');
    const portal = await startPortal(dataDir, '000');
    const names = await readdir(dataDir);
    for (const n of ['db', 'run', 'blobs', 'master.key']) assert.ok(names.includes(n), names.join());
    assert.ok((await readdir(path.join(dataDir, 'db'))).length > 10, 'PGlite has made its files');
    assert.deepEqual(await loosePaths(dataDir), [], 'while it runs (sockets and lock included)');
    assert.equal((await stat(path.join(root, 'fresh'))).mode & 0o777, 0o700, 'parents it made too');
    await portal.stop();
    assert.deepEqual(await loosePaths(dataDir), [], 'after it stopped');
    assert.deepEqual(tightened(portal.out()), [], 'nothing it made itself needed tightening');
  });

  it('tightens what an earlier start or an operator left open, one log line per path', async () => {
    const dataDir = path.join(root, 'loose');
    const key = randomBytes(32).toString('base64');
    await mkdir(path.join(dataDir, 'outbox'), { recursive: true });
    await writeFile(path.join(dataDir, 'master.key'), `${key}\n`);
    await writeFile(path.join(dataDir, 'outbox', 'old.eml'), 'Subject: private\r\n\r\nsecret body');
    await chmod(dataDir, 0o755);
    await chmod(path.join(dataDir, 'outbox'), 0o755);
    await chmod(path.join(dataDir, 'master.key'), 0o644);
    await chmod(path.join(dataDir, 'outbox', 'old.eml'), 0o644);

    const portal = await startPortal(dataDir, '022');
    assert.deepEqual(await loosePaths(dataDir), []);
    await portal.stop();
    assert.deepEqual(
      tightened(portal.out()).sort(),
      [
        [dataDir, '0755', '0700'],
        [path.join(dataDir, 'master.key'), '0644', '0600'],
        [path.join(dataDir, 'outbox'), '0755', '0700'],
        [path.join(dataDir, 'outbox', 'old.eml'), '0644', '0600'],
      ].sort(),
    );
    assert.ok(!portal.out().includes(key), 'the key never reaches the log');
    assert.ok(!portal.out().includes('secret body'), 'nor does a mail');
    assert.doesNotMatch(portal.out(), /WARNING: no MASTER_KEY/, 'the existing key was used');
  });
});
