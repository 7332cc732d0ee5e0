/**
 * The machine's limits, measured in the same run as the figures compared with them (issue 8): OpenSSL's
 * AES-256-GCM on one core, a sequential disk write with fsync, and a plain loopback HTTP copy through a
 * minimal node:http server streaming to and from a file on the repository's disk. Benchmarks call these
 * once per round, between their own measurements, so that drift of a shared machine hits both sides.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** A limit that cannot be measured here (a tool is missing). */
export class LimitUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitUnavailableError';
  }
}

export interface HttpCopy {
  /** Client → server → file, bytes per second. */
  readonly upload: number;
  /** File → server → client, bytes per second. */
  readonly download: number;
}

export interface Limits {
  /** `openssl speed -evp aes-256-gcm`, 16384-byte blocks, one process: bytes per second. */
  openssl(seconds?: number): Promise<number>;
  /** `dd if=/dev/zero bs=1M conv=fsync` into the scratch directory: bytes per second. */
  disk(bytes?: number): Promise<number>;
  /** Loopback HTTP copy of `bytes` in both directions through a minimal streaming server. */
  http(bytes?: number): Promise<HttpCopy>;
}

/** How each limit is measured, for the report. */
export const LIMIT_METHODS = {
  openssl:
    '`openssl speed -evp aes-256-gcm -bytes 16384 -seconds 3` (one process, one core; the 16384-byte column)',
  disk: '`dd if=/dev/zero of=<scratch> bs=1M count=1024 conv=fsync` on the repository’s disk (1 GiB, file removed after)',
  http: 'a minimal node:http server on 127.0.0.1 that streams an upload into a file on the repository’s disk and serves it back; a streaming node:http client sends and receives the bytes',
} as const;

function commandExists(command: string): boolean {
  return spawnSync(command, ['version'], { stdio: 'ignore' }).error === undefined;
}

/** The OpenSSL command-line version (may differ from the OpenSSL inside Node). */
export function opensslVersion(): string | undefined {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.error === undefined ? r.stdout.trim() : undefined;
}

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses the 16384-byte column of `openssl speed` output (numbers in 1000s of bytes per second). */
export function parseOpensslSpeed(output: string): number {
  const lines = output.split('\n');
  const headerIndex = lines.findIndex((l) => /^type\s/.test(l) && l.includes('16384 bytes'));
  const header = lines[headerIndex];
  if (header === undefined) throw new Error('openssl speed: no 16384-byte column in the output');
  const columns = header.trim().split(/\s{2,}|\s+(?=\d)/);
  const column = columns.findIndex((c) => c.trim() === '16384 bytes');
  const row = lines.slice(headerIndex + 1).find((l) => /aes-256-gcm/i.test(l));
  if (row === undefined || column < 0) throw new Error('openssl speed: no AES-256-GCM row');
  const values = row.trim().split(/\s+/).slice(1);
  const value = values[column - 1];
  const m = /^([\d.]+)k$/.exec(value ?? '');
  if (m?.[1] === undefined) throw new Error(`openssl speed: cannot read "${value ?? ''}"`);
  return Number(m[1]) * 1000;
}

/** Parses dd's summary line: "1073741824 bytes (1.1 GB, 1.0 GiB) copied, 2.05 s, 524 MB/s". */
export function parseDd(stderr: string): { bytes: number; seconds: number } {
  const m = /^(\d+) bytes .*copied, ([\d.,]+) s/m.exec(stderr);
  if (m?.[1] === undefined || m[2] === undefined) throw new Error(`dd: cannot read "${stderr.trim()}"`);
  return { bytes: Number(m[1]), seconds: Number(m[2].replace(',', '.')) };
}

const SLICE = new Uint8Array(1024 * 1024).fill(0x5a);

async function httpCopy(dir: string, bytes: number): Promise<HttpCopy> {
  const file = path.join(dir, `http-limit-${process.pid}.bin`);
  const server = createServer((req, res) => {
    if (req.method === 'POST') {
      pipeline(req, createWriteStream(file)).then(
        () => res.writeHead(204).end(),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else {
      stat(file)
        .then((s) => {
          res.writeHead(200, { 'content-length': s.size });
          return pipeline(createReadStream(file), res);
        })
        .catch(() => res.destroy());
    }
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    let t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-length': bytes } },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 204 ? resolve() : reject(new Error(`upload: HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      let sent = 0;
      const write = (): void => {
        while (sent < bytes) {
          const n = Math.min(SLICE.length, bytes - sent);
          sent += n;
          if (!req.write(n === SLICE.length ? SLICE : SLICE.subarray(0, n))) {
            req.once('drain', write);
            return;
          }
        }
        req.end();
      };
      write();
    });
    const upload = bytes / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    const received = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port, method: 'GET', path: '/' }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    const download = received / ((performance.now() - t0) / 1000);
    if (received !== bytes) throw new Error(`http limit: received ${received} of ${bytes} bytes`);
    return { upload, download };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(file, { force: true });
  }
}

export function createLimits(scratchDir: string): Limits {
  return {
    async openssl(seconds = 3) {
      if (!commandExists('openssl'))
        throw new LimitUnavailableError('openssl is not installed (apt-get install openssl)');
      const r = await run('openssl', [
        'speed',
        '-evp',
        'aes-256-gcm',
        '-bytes',
        '16384',
        '-seconds',
        String(seconds),
      ]);
      if (r.code !== 0) throw new Error(`openssl speed failed: ${r.stderr.trim()}`);
      return parseOpensslSpeed(r.stdout);
    },
    async disk(bytes = 2 ** 30) {
      const mib = Math.max(1, Math.round(bytes / 2 ** 20));
      const file = path.join(scratchDir, `dd-limit-${process.pid}.bin`);
      try {
        const r = await run('dd', ['if=/dev/zero', `of=${file}`, 'bs=1M', `count=${mib}`, 'conv=fsync']);
        if (r.code !== 0) throw new Error(`dd failed: ${r.stderr.trim()}`);
        const { bytes: written, seconds } = parseDd(r.stderr);
        return written / seconds;
      } finally {
        await rm(file, { force: true });
      }
    },
    http: (bytes = 2 ** 30) => httpCopy(scratchDir, bytes),
  };
}
