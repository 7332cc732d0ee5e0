import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ModeChange } from './data-dir.ts';
import { privateMode, secureDataDir, tightenTree } from './data-dir.ts';

const mode = async (p: string) => (await stat(p)).mode & 0o7777;

describe('privateMode', () => {
  it('takes off group and other bits and keeps the owner bits', () => {
    assert.equal(privateMode(0o100644), 0o600);
    assert.equal(privateMode(0o40755), 0o700);
    assert.equal(privateMode(0o100666), 0o600);
    assert.equal(privateMode(0o100400), 0o400);
    assert.equal(privateMode(0o40700), 0o700);
  });
});

describe('tightenTree', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'amtsbote-datadir-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('makes every directory and file private, top down, without following links', async () => {
    const data = path.join(root, 'data');
    const outside = path.join(root, 'outside.txt');
    await mkdir(path.join(data, 'db', 'base'), { recursive: true });
    await writeFile(path.join(data, 'master.key'), 'c2VjcmV0');
    await writeFile(path.join(data, 'db', 'base', '1'), 'x');
    await writeFile(path.join(data, 'db', 'PG_VERSION'), '17');
    await writeFile(path.join(data, 'owner-only'), 'x');
    await writeFile(outside, 'not ours');
    await symlink(outside, path.join(data, 'link-to-outside'));
    await chmod(data, 0o755);
    await chmod(path.join(data, 'db'), 0o777);
    await chmod(path.join(data, 'db', 'base'), 0o755);
    await chmod(path.join(data, 'master.key'), 0o644);
    await chmod(path.join(data, 'db', 'base', '1'), 0o666);
    await chmod(path.join(data, 'db', 'PG_VERSION'), 0o600);
    await chmod(path.join(data, 'owner-only'), 0o400);
    await chmod(outside, 0o644);
    const sockPath = path.join(data, 'db', 's.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(sockPath, resolve));
    await chmod(sockPath, 0o777);

    const changes: ModeChange[] = [];
    const failures: unknown[] = [];
    await tightenTree(data, { changed: (c) => changes.push(c), failed: (f) => failures.push(f) });
    assert.deepEqual(failures, []);
    assert.deepEqual(
      changes.map((c) => [path.relative(data, c.path), c.from & 0o777, c.to]).sort(),
      [
        ['', 0o755, 0o700],
        ['db', 0o777, 0o700],
        ['db/base', 0o755, 0o700],
        ['db/base/1', 0o666, 0o600],
        ['db/s.sock', 0o777, 0o700],
        ['master.key', 0o644, 0o600],
      ].sort(),
    );
    assert.equal(await mode(path.join(data, 'owner-only')), 0o400, 'never loosened');
    assert.equal(await mode(outside), 0o644, 'a link target outside is left alone');

    const again: ModeChange[] = [];
    await tightenTree(data, { changed: (c) => again.push(c), failed: () => undefined });
    assert.deepEqual(again, [], 'nothing left to change');
    await new Promise((resolve) => server.close(resolve));
  });

  it('does nothing for a DATA_DIR that does not exist yet', async () => {
    const changes: ModeChange[] = [];
    await tightenTree(path.join(root, 'missing'), {
      changed: (c) => changes.push(c),
      failed: () => undefined,
    });
    assert.deepEqual(changes, []);
  });

  it('secureDataDir logs one line per changed path, with modes and never the contents', async () => {
    const data = path.join(root, 'logged');
    await mkdir(data, { mode: 0o755 });
    await chmod(data, 0o755);
    await writeFile(path.join(data, 'master.key'), 'S0VZLUNPTlRFTlRT', { mode: 0o644 });
    await chmod(path.join(data, 'master.key'), 0o644);
    const lines: { details: object; message: string }[] = [];
    const result = await secureDataDir(data, {
      warn: (details, message) => lines.push({ details, message }),
    });
    assert.deepEqual(result, { changed: 2, failed: 0 });
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map((l) => l.details).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [
        { path: data, from: '0755', to: '0700' },
        { path: path.join(data, 'master.key'), from: '0644', to: '0600' },
      ],
    );
    assert.doesNotMatch(JSON.stringify(lines), /S0VZLUNPTlRFTlRT/);
  });
});
