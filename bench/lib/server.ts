/**
 * The portal under benchmark, in a child process (bench/lib/server-child.ts runs serve()), on PostgreSQL
 * (a fresh database on 127.0.0.1:5432, dropped afterwards) or on the embedded default (PGlite); its RSS
 * read from /proc; and the HTTP client side: tus uploads as tus-js-client sends them from a browser,
 * downloads, JSON calls.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';

/** The PostgreSQL server the benchmarks create their databases on (trust auth on loopback). */
export const POSTGRES_ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type DbKind = 'postgres' | 'pglite';

/** What the child prints once it listens. */
export interface ServerInfo {
  readonly url: string;
  readonly token: string;
  readonly email: string;
  readonly password: string;
  readonly tenantId: string;
  readonly staffId: string;
}

export interface SweepRequest {
  readonly cmd: 'sweep';
  /** The sweep's clock runs this far ahead of the real one. */
  readonly clockAheadMs: number;
  /** Statements are refused after this long: the sweep stops there. */
  readonly budgetMs: number;
}

export interface SweepReply {
  readonly done: boolean;
  readonly seconds: number;
  readonly queries: number;
  /** Statements by their first words: count and milliseconds waited for them. */
  readonly statements: Record<string, { n: number; ms: number }>;
  /** CPU time of the whole portal process during the sweep. */
  readonly cpuSeconds: number;
  /** CPU time of the PostgreSQL backends of the sweep's own connections (undefined: not measurable). */
  readonly pgCpuSeconds?: number | undefined;
  readonly result?: Record<string, number>;
  readonly error?: string;
}

export interface MemoryRequest {
  readonly cmd: 'memory';
  /** Run a full garbage collection first. */
  readonly gc?: boolean;
}

export interface MemoryReply {
  readonly cmd: 'memory';
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** V8 heap spaces: bytes used. */
  readonly spaces: Record<string, number>;
}

/** Starts, or stops and summarises, a sampling allocation profile of the portal (garbage included). */
export interface AllocationProfileRequest {
  readonly cmd: 'allocations';
  readonly action: 'start' | 'stop';
}

export interface AllocationProfileReply {
  readonly cmd: 'allocations';
  /** Bytes allocated (sampled) by the innermost frames of each stack, largest first. */
  readonly sites: { readonly site: string; readonly bytes: number }[];
}

/** Asks the child for a message over IPC and waits for the reply. */
export function ask<T>(
  child: ChildProcess,
  message: SweepRequest | MemoryRequest | AllocationProfileRequest,
  timeoutMs = 600_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`no answer to ${message.cmd} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (reply: unknown): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(reply as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

export interface BenchServer {
  readonly info: ServerInfo;
  readonly kind: DbKind;
  readonly pid: number;
  readonly dataDir: string;
  /** PostgreSQL: the database's URL (for EXPLAIN and counters). */
  readonly databaseUrl: string | undefined;
  readonly child: ChildProcess;
  /** Current RSS of the server process, bytes. */
  rss(): number;
  /** Peak RSS (VmHWM) since start or the last resetPeak(), bytes. */
  peakRss(): number;
  /** Resets the kernel's peak-RSS counter of the process (clear_refs 5). */
  resetPeak(): void;
  stop(): Promise<void>;
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] === undefined ? Number.NaN : Number(m[1]) * 1024;
}

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await new Promise((resolve) => s.once('listening', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs `fn` on a client of the given database. */
export async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const childScript = path.join(import.meta.dirname, 'server-child.ts');

/**
 * Starts the portal in a child process on a fresh database with a fresh DATA_DIR under `scratch`.
 * `env` adds seed settings (BENCH_SEED_POSTBOX, BENCH_SEED_EXPIRED).
 */
export async function startServer(
  scratch: string,
  kind: DbKind,
  env: Readonly<Record<string, string>> = {},
  log: (line: string) => void = () => undefined,
): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(scratch, `portal-${kind}-`));
  let dbName: string | undefined;
  if (kind === 'postgres') {
    dbName = `amtsbote_bench_${randomBytes(6).toString('hex')}`;
    const name = dbName;
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
  }
  const databaseUrl = dbName === undefined ? undefined : withDatabase(POSTGRES_ADMIN_URL, dbName);
  const dropDb = async (): Promise<void> => {
    if (dbName === undefined) return;
    const name = dbName;
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS: extra Node flags for the portal only (e.g. --trace-gc while investigating).
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, ['--expose-gc', ...extra, childScript], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      DEFAULT_TENANT: 'bench',
      ...(databaseUrl === undefined ? { DATABASE_URL: '' } : { DATABASE_URL: databaseUrl }),
      ...env,
    },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    stderr = (stderr + c).slice(-8000);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const info = await new Promise<ServerInfo>((resolve, reject) => {
      let out = '';
      child.stdout?.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line !== undefined) resolve(JSON.parse(line) as ServerInfo);
      });
      void exited.then((code) =>
        reject(new Error(`server child exited (${String(code)}) before listening:\n${stderr.trim()}`)),
      );
    });
    const pid = child.pid ?? 0;
    log(`portal on ${kind} listening at ${info.url} (pid ${pid})`);
    return {
      info,
      kind,
      pid,
      dataDir,
      databaseUrl,
      child,
      rss: () => procStatus(pid, 'VmRSS'),
      peakRss: () => procStatus(pid, 'VmHWM'),
      resetPeak: () => {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      },
      async stop() {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
        }
        await dropDb();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    await dropDb();
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Samples a value every `ms` while running; returns the maximum seen and the series. */
export function sampler(
  read: () => number,
  ms = 50,
): { stop(): { max: number; series: [number, number][] } } {
  const t0 = performance.now();
  const series: [number, number][] = [];
  let max = 0;
  const tick = (): void => {
    try {
      const v = read();
      if (Number.isFinite(v)) {
        max = Math.max(max, v);
        series.push([(performance.now() - t0) / 1000, v]);
      }
    } catch {
      // the process is gone
    }
  };
  tick();
  const timer = setInterval(tick, ms);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { max, series };
    },
  };
}

// ---- HTTP client ---------------------------------------------------------------------------------

interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function send(
  url: string,
  method: string,
  headers: Record<string, string | number>,
  body?: Buffer | string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function apiJson<T>(info: ServerInfo, method: string, p: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const r = await send(
    `${info.url}${p}`,
    method,
    {
      authorization: `Bearer ${info.token}`,
      ...(payload === undefined
        ? {}
        : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
    },
    payload,
  );
  if (r.status >= 300)
    throw new Error(`${method} ${p}: HTTP ${r.status} ${r.body.toString('utf8').slice(0, 300)}`);
  return (r.body.length === 0 ? undefined : JSON.parse(r.body.toString('utf8'))) as T;
}

/** A draft transfer with one declared file of `size` bytes. */
export async function createTransfer(
  info: ServerInfo,
  size: number,
): Promise<{ id: string; fileId: string }> {
  const draft = await apiJson<{ id: string; files: { id: string }[] }>(info, 'POST', '/api/v1/transfers', {
    level: 1,
    recipients: ['empfaenger@example.org'],
    subject: 'Benchmark',
    files: [{ name: 'daten.bin', size }],
  });
  const fileId = draft.files[0]?.id;
  if (fileId === undefined) throw new Error('draft without a file');
  return { id: draft.id, fileId };
}

/** Produces the bytes of an upload into `write` (back-pressure: resolve when the socket drained). */
export type BodySource = (write: (chunk: Uint8Array) => Promise<void>) => Promise<void>;

/** `bytes` bytes of one repeated 1 MiB pattern, as the HTTP limit sends them. */
export function patternSource(bytes: number): BodySource {
  const slice = new Uint8Array(1024 * 1024).fill(0x5a);
  return async (write) => {
    for (let sent = 0; sent < bytes;) {
      const n = Math.min(slice.length, bytes - sent);
      await write(n === slice.length ? slice : slice.subarray(0, n));
      sent += n;
    }
  };
}

/**
 * Uploads as tus-js-client does from a browser with the default chunkSize (Infinity): a creation request,
 * then ONE PATCH streaming the whole file with its Content-Length. Returns the seconds from the creation
 * request to the PATCH's answer.
 */
export async function tusUpload(
  info: ServerInfo,
  fileId: string,
  size: number,
  source: BodySource,
): Promise<number> {
  const t0 = performance.now();
  const created = await send(`${info.url}/api/v1/uploads`, 'POST', {
    authorization: `Bearer ${info.token}`,
    'tus-resumable': '1.0.0',
    'upload-length': size,
    'upload-metadata': `fileId ${Buffer.from(fileId).toString('base64')},filename ${Buffer.from('daten.bin').toString('base64')}`,
    'content-length': 0,
  });
  if (created.status !== 201)
    throw new Error(`tus creation: HTTP ${created.status} ${created.body.toString('utf8')}`);
  const location = new URL(String(created.headers.location), `${info.url}/api/v1/uploads/`).toString();
  const offset = await new Promise<string>((resolve, reject) => {
    const req = request(
      location,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${info.token}`,
          'tus-resumable': '1.0.0',
          'upload-offset': 0,
          'content-type': 'application/offset+octet-stream',
          'content-length': size,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          if (res.statusCode === 204) resolve(String(res.headers['upload-offset']));
          else
            reject(
              new Error(`tus PATCH: HTTP ${String(res.statusCode)} ${Buffer.concat(parts).toString('utf8')}`),
            );
        });
      },
    );
    req.on('error', reject);
    const write = (chunk: Uint8Array): Promise<void> =>
      req.write(chunk) ? Promise.resolve() : new Promise((resolve) => req.once('drain', resolve));
    source(write).then(
      () => req.end(),
      (err: unknown) => req.destroy(err instanceof Error ? err : new Error(String(err))),
    );
  });
  if (Number(offset) !== size) throw new Error(`tus PATCH: offset ${offset} of ${size}`);
  return (performance.now() - t0) / 1000;
}

/**
 * Downloads the file through the staff API, handing each chunk to `sink` (may be async: back-pressure).
 * Returns the seconds and the bytes received.
 */
export function download(
  info: ServerInfo,
  transferId: string,
  fileId: string,
  sink?: (chunk: Buffer) => Promise<void> | void,
): Promise<{ seconds: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    request(
      `${info.url}/api/v1/transfers/${transferId}/files/${fileId}`,
      {
        headers: { authorization: `Bearer ${info.token}` },
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`download: HTTP ${String(res.statusCode)}`));
          res.resume();
          return;
        }
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (sink !== undefined) {
            const r = sink(c);
            if (r instanceof Promise) {
              res.pause();
              r.then(
                () => res.resume(),
                (err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))),
              );
            }
          }
        });
        res.on('end', () => resolve({ seconds: (performance.now() - t0) / 1000, bytes }));
        res.on('error', reject);
      },
    )
      .on('error', reject)
      .end();
  });
}

/** Sends, then revokes the transfer: the portal deletes its blobs at once (frees the disk between rounds). */
export async function revoke(info: ServerInfo, transferId: string): Promise<void> {
  await apiJson(info, 'POST', `/api/v1/transfers/${transferId}/send`);
  await apiJson(info, 'POST', `/api/v1/transfers/${transferId}/revoke`);
}
