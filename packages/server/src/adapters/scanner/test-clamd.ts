import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClamdScanner } from './clamd.ts';

/** The EICAR test string: harmless, and every scanner's agreed stand-in for malware. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** What the test signature database calls its finds. */
export const TEST_SIGNATURE_HASH = 'Amtsbote.Test.EICAR.Hash';
export const TEST_SIGNATURE_BODY = 'Amtsbote.Test.EICAR.Body';

export const CLAMD_BINARY = process.env.CLAMD_PATH ?? '/usr/sbin/clamd';

/**
 * Whether a real clamd can be started. Missing, the tests that need it are skipped with a
 * reason on a developer's machine, but fail on CI (`.ci/run` installs clamav-daemon).
 */
export function clamdAvailable(): { ok: true } | { ok: false; reason: string } {
  if (existsSync(CLAMD_BINARY)) return { ok: true };
  const reason = `clamd not found at ${CLAMD_BINARY} (apt-get install clamav-daemon)`;
  if (process.env.CI !== undefined || process.env.REQUIRE_CLAMD !== undefined) throw new Error(reason);
  return { ok: false, reason };
}

export interface TestClamd {
  /** `tcp://127.0.0.1:<port>`, for CLAMD_URL. */
  url: string;
  port: number;
  /** Stops clamd (the port goes dead); the database stays for {@link start}. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it answers. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const p = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(p));
    });
  });
}

/**
 * A clamd of the test's own, in the foreground on a free port of 127.0.0.1, with a signature
 * database the test writes itself (nothing is downloaded): the MD5 of the EICAR string (a file
 * that is exactly EICAR) and the EICAR string as a body signature (EICAR anywhere in a file, e.g.
 * inside a PDF).
 */
export async function startTestClamd(): Promise<TestClamd> {
  const dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-clamd-'));
  const db = path.join(dir, 'db');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(db);
  const eicar = Buffer.from(EICAR, 'latin1');
  await writeFile(
    path.join(db, 'amtsbote-test.hdb'),
    `${createHash('md5').update(eicar).digest('hex')}:${eicar.length}:${TEST_SIGNATURE_HASH}\n`,
  );
  await writeFile(
    path.join(db, 'amtsbote-test.ndb'),
    `${TEST_SIGNATURE_BODY}:0:*:${eicar.toString('hex')}\n`,
  );
  const port = await freePort();
  const conf = path.join(dir, 'clamd.conf');
  await writeFile(
    conf,
    [
      'Foreground yes',
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `DatabaseDirectory ${db}`,
      `LogFile ${path.join(dir, 'clamd.log')}`,
      'LogTime yes',
      'Bytecode no',
      'StreamMaxLength 64M',
      'MaxThreads 4',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  const output: string[] = [];
  const url = `tcp://127.0.0.1:${port}`;

  const start = async (): Promise<void> => {
    const proc = spawn(CLAMD_BINARY, ['--config-file', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    proc.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    const scanner = new ClamdScanner(url);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`clamd exited with ${proc.exitCode}:\n${output.join('')}`);
      if (await scanner.ping()) return;
      if (Date.now() > deadline) throw new Error(`clamd did not answer within 60 s:\n${output.join('')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc?.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    url,
    port,
    start,
    stop,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
