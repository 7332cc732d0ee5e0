import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LockFacts, LockRecord } from './embedded-lock.ts';
import {
  acquireEmbeddedLock,
  currentBootId,
  EmbeddedDatabaseBusyError,
  parseLockRecord,
  processStartTime,
  staleReason,
} from './embedded-lock.ts';

const BOOT = '7f7ba939-d0f4-4186-b4a9-396adf679ed0';
const OTHER_BOOT = '0c2b3a53-1c1e-4f7e-9f0a-3b8a4c8d2e11';

/** This process is 1000; process 42 is alive and was started at tick 5000. */
function facts(over: Partial<LockFacts> = {}): LockFacts {
  return {
    pid: 1000,
    bootId: BOOT,
    heldHere: () => false,
    alive: (pid) => pid === 42 || pid === 1000,
    startTime: (pid) => (pid === 42 ? '5000' : pid === 1000 ? '7000' : undefined),
    socket: 'unknown',
    ...over,
  };
}
const foreign: LockRecord = { pid: 42, instance: 'a'.repeat(16), startTime: '5000', bootId: BOOT };

describe('staleReason', () => {
  it('keeps the lock of a live foreign process with the recorded start time', () => {
    assert.equal(staleReason(foreign, facts()), undefined);
  });

  it('is stale when it names our own pid: an earlier run of us (PID 1 again after a restart)', () => {
    assert.match(staleReason({ ...foreign, pid: 1000 }, facts()) ?? '', /earlier run with the same pid/);
    // Files of the old format hold the pid alone.
    assert.match(staleReason({ pid: 1000 }, facts()) ?? '', /earlier run/);
  });

  it('is not stale when it names our own pid and an instance this process holds', () => {
    const mine = { ...foreign, pid: 1000 };
    assert.equal(staleReason(mine, facts({ heldHere: (i) => i === mine.instance })), undefined);
  });

  it('is stale when the process is not alive', () => {
    assert.match(staleReason({ ...foreign, pid: 43 }, facts()) ?? '', /process 43 is gone/);
    assert.match(staleReason({ pid: 43 }, facts()) ?? '', /gone/);
  });

  it('is stale when the pid now belongs to a process started at another time', () => {
    assert.match(staleReason({ ...foreign, startTime: '4999' }, facts()) ?? '', /started later/);
  });

  it('keeps the lock when the start time cannot be read now (no /proc): the pid decides', () => {
    assert.equal(staleReason(foreign, facts({ startTime: () => undefined })), undefined);
    assert.equal(staleReason({ pid: 42 }, facts()), undefined);
  });

  it('is stale when it was taken in another boot, whatever the pid', () => {
    assert.match(staleReason({ ...foreign, bootId: OTHER_BOOT }, facts()) ?? '', /booted/);
  });

  it('believes the liveness socket over the pid: answering keeps it, refused drops it', () => {
    // A second container on the same volume is PID 1 too: its socket still answers.
    assert.equal(staleReason({ ...foreign, pid: 1000 }, facts({ socket: 'answers' })), undefined);
    assert.match(staleReason(foreign, facts({ socket: 'refused' })) ?? '', /no longer answers/);
  });
});

describe('parseLockRecord', () => {
  it('reads the old format (a pid) and the new one (JSON), and drops malformed fields', () => {
    assert.deepEqual(parseLockRecord('1234\n'), { pid: 1234 });
    assert.deepEqual(parseLockRecord(JSON.stringify({ ...foreign, socket: true })), {
      ...foreign,
      socket: true,
    });
    assert.deepEqual(parseLockRecord(JSON.stringify({ pid: 7, instance: '../x', startTime: 'x' })), {
      pid: 7,
    });
    for (const bad of ['', '{', '0', '-3', '{"pid":"7"}', 'null', '[1]']) {
      assert.equal(parseLockRecord(bad), undefined, bad);
    }
  });
});

describe('process facts on Linux', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  it('reads the start time of a process and the boot id', () => {
    assert.match(processStartTime(process.pid) ?? '', /^\d+$/);
    assert.equal(processStartTime(process.pid), processStartTime(process.pid));
    assert.match(currentBootId() ?? '', /^[0-9a-f-]{36}$/);
  });
});

describe('acquireEmbeddedLock on files', () => {
  let root: string;
  let dataDir: string;
  let lockFile: string;
  let n = 0;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'amtsbote-lock-'));
  });
  after(() => rm(root, { recursive: true, force: true }));
  beforeEach(async () => {
    dataDir = path.join(root, String(n++));
    lockFile = path.join(dataDir, 'run', 'embedded.lock');
    await mkdir(path.dirname(lockFile), { recursive: true, mode: 0o700 });
  });

  async function takesOver(content: string, reason: RegExp, ageMs = 0): Promise<void> {
    await writeFile(lockFile, content);
    if (ageMs > 0) {
      const then = new Date(Date.now() - ageMs);
      await utimes(lockFile, then, then);
    }
    const seen: string[] = [];
    const release = await acquireEmbeddedLock(dataDir, { onTakeover: (t) => seen.push(t.reason) });
    assert.equal(seen.length, 1);
    assert.match(seen[0] ?? '', reason);
    assert.equal(parseLockRecord(await readFile(lockFile, 'utf8'))?.pid, process.pid);
    await release();
  }

  it('takes, holds and releases the lock: private files, nothing left behind', async () => {
    const release = await acquireEmbeddedLock(dataDir);
    const rec = parseLockRecord(await readFile(lockFile, 'utf8'));
    assert.equal(rec?.pid, process.pid);
    assert.equal((await stat(lockFile)).mode & 0o777, 0o600);
    assert.equal((await stat(path.dirname(lockFile))).mode & 0o777, 0o700);
    assert.equal(rec.socket, true, 'the holder listens on its liveness socket');
    const sock = path.join(dataDir, 'run', `lock-${rec.instance ?? ''}.sock`);
    assert.equal((await stat(sock)).mode & 0o777, 0o600);
    // Held by this very process: a second acquisition here must wait like any other.
    await assert.rejects(acquireEmbeddedLock(dataDir), EmbeddedDatabaseBusyError);
    await release();
    assert.deepEqual(await readdir(path.join(dataDir, 'run')), []);
    const again = await acquireEmbeddedLock(dataDir);
    await again();
  });

  it('takes over a lock naming our own pid (old format and new)', async () => {
    await takesOver(String(process.pid), /earlier run/);
    await takesOver(JSON.stringify({ pid: process.pid, instance: 'b'.repeat(16) }), /earlier run/);
  });

  it('takes over a lock naming a process that is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await takesOver(JSON.stringify({ pid: gone }), /is gone/);
  });

  it('takes over a lock whose pid is now another process', async () => {
    const start = processStartTime(process.ppid);
    if (start === undefined) return;
    await takesOver(
      JSON.stringify({ pid: process.ppid, startTime: String(Number(start) + 1) }),
      /started later/,
    );
  });

  it('takes over a lock from another boot', async () => {
    if (currentBootId() === undefined) return;
    await takesOver(JSON.stringify({ pid: process.ppid, bootId: OTHER_BOOT }), /booted/);
  });

  it('takes over a lock whose holder socket refuses, and removes that socket file', async () => {
    const stale = 'c'.repeat(16);
    const sock = path.join(dataDir, 'run', `lock-${stale}.sock`);
    await writeFile(sock, '');
    await takesOver(
      JSON.stringify({ pid: process.ppid, instance: stale, socket: true }),
      /no longer answers/,
    );
    await assert.rejects(stat(sock));
  });

  it('waits for a live foreign holder, then reports it busy with its pid', async () => {
    const start = processStartTime(process.ppid);
    await writeFile(
      lockFile,
      JSON.stringify({ pid: process.ppid, ...(start === undefined ? {} : { startTime: start }) }),
    );
    const t0 = Date.now();
    await assert.rejects(acquireEmbeddedLock(dataDir, { waitMs: 500 }), (err: unknown) => {
      assert.ok(err instanceof EmbeddedDatabaseBusyError);
      assert.match(err.message, new RegExp(`process ${process.ppid}\\b`));
      return true;
    });
    assert.ok(Date.now() - t0 >= 450);
    assert.equal(parseLockRecord(await readFile(lockFile, 'utf8'))?.pid, process.ppid);
    // Our liveness socket is not left behind after giving up.
    assert.deepEqual(await readdir(path.join(dataDir, 'run')), ['embedded.lock']);
  });

  it('treats an unreadable lock as being written for a while, then as debris', async () => {
    await writeFile(lockFile, '');
    await assert.rejects(acquireEmbeddedLock(dataDir), /in use by another process/);
    await takesOver('', /unreadable/, 60_000);
  });

  it('release leaves a lock alone that is no longer ours', async () => {
    const release = await acquireEmbeddedLock(dataDir);
    const theirs = JSON.stringify({ pid: process.ppid });
    await writeFile(lockFile, theirs);
    await release();
    assert.equal(await readFile(lockFile, 'utf8'), theirs);
  });
});
