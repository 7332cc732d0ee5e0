import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { acquireEmbeddedLock, EmbeddedDatabaseBusyError, parseLockRecord } from './embedded-lock.ts';

const fixture = path.join(import.meta.dirname, 'fixtures', 'portal-holder.ts');
const unshareArgs = ['--pid', '--fork', '--mount-proc', '--kill-child'];

/**
 * Why this machine cannot make PID namespaces (off Linux, without util-linux, without the
 * privilege), or undefined when it can.
 */
function namespaceProblem(): string | undefined {
  const probe = spawnSync('unshare', [...unshareArgs, 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error === undefined && probe.status === 0) return undefined;
  const why = probe.error?.message ?? `exit ${String(probe.status)}: ${probe.stderr.trim()}`;
  return `unshare --pid is missing or not permitted here (${why})`;
}
const problem = namespaceProblem();
// CI runs as root and must run it; elsewhere it is skipped with the reason.
const inCi = process.env.CI !== undefined && process.env.CI !== '';
const skip = problem !== undefined && !inCi ? problem : false;

interface Portal {
  child: ChildProcessWithoutNullStreams;
  out(): string;
  waitFor(re: RegExp): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

/** The fixture as PID 1 of a fresh PID namespace, the way a container runs the portal. */
function startInNamespace(mode: 'hold' | 'try', dataDir: string): Portal {
  const child = spawn('unshare', [...unshareArgs, process.execPath, fixture, mode, dataDir], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    child,
    out: () => out,
    exited,
    async waitFor(re) {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const m = re.exec(out);
        if (m !== null) return m;
        if (gone || Date.now() > deadline) assert.fail(`no ${String(re)} from the fixture:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** The host pid of unshare's forked child: PID 1 inside its namespace. */
function namespaceInit(unsharePid: number): number {
  const children = readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim();
  const pid = Number(children.split(' ')[0]);
  assert.ok(Number.isInteger(pid) && pid > 0, `no child of unshare (${children})`);
  return pid;
}

describe('embedded database lock across PID namespaces', () => {
  let dataDir: string;
  const running: Portal[] = [];
  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'amtsbote-pid1-'));
  });
  after(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a portal killed as PID 1 starts again as PID 1 and opens its database', { skip }, async () => {
    if (problem !== undefined) assert.fail(`${problem}; CI must run this test`);
    const first = startInNamespace('hold', dataDir);
    running.push(first);
    assert.match((await first.waitFor(/READY pid=(\d+) starts=(\d+)/))[0], /pid=1 starts=1/);
    const lock = parseLockRecord(readFileSync(path.join(dataDir, 'run', 'embedded.lock'), 'utf8'));
    assert.equal(lock?.pid, 1);

    // While it lives, no one else gets the lock: neither this process (to which pid 1 is
    // another, older process) nor a second "container" that is PID 1 as well.
    await assert.rejects(acquireEmbeddedLock(dataDir, { waitMs: 300 }), EmbeddedDatabaseBusyError);
    const second = startInNamespace('try', dataDir);
    running.push(second);
    await second.waitFor(/BUSY the embedded database is in use by process 1\b/);
    assert.equal(await second.exited, 0, second.out());

    const init = namespaceInit(first.child.pid ?? 0);
    process.kill(init, 'SIGKILL');
    await first.exited;
    // The crash left its lock naming pid 1 behind, as a real one would.
    assert.equal(parseLockRecord(readFileSync(path.join(dataDir, 'run', 'embedded.lock'), 'utf8'))?.pid, 1);

    const again = startInNamespace('hold', dataDir);
    running.push(again);
    const ready = await again.waitFor(/READY pid=(\d+) starts=(\d+)/);
    assert.equal(ready[1], '1', again.out());
    assert.equal(ready[2], '2', 'the first start was committed before the kill and is still there');
    assert.match(again.out(), /WARN took over the embedded database lock/);
    again.child.stdin.end();
    assert.equal(await again.exited, 0, again.out());
    assert.match(again.out(), /CLOSED/);
    await assert.rejects(stat(path.join(dataDir, 'run', 'embedded.lock')), 'released on a clean stop');
  });
});
