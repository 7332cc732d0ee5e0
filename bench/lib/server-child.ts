// Child process of the server benchmarks: the portal exactly as `npm start` runs it (serve()), in a process
// of its own so that its RSS and CPU are its own. Before it serves, it provisions what the benchmark needs
// directly in the database (as the CLI's admin commands would): a tenant `bench`, a staff member with a
// password and an API token, and optionally seed rows.
//   node bench/lib/server-child.ts
//   env: DATA_DIR, PORT, PUBLIC_URL, DATABASE_URL (absent: embedded PGlite), MASTER_KEY,
//        BENCH_SEED_POSTBOX=N     N live transfers in the bench staff member's postbox (2 recipients, 1 file)
//        BENCH_SEED_EXPIRED=N:B   N sent transfers of another staff member that expire in one day, B of them
//                                 with one small segment blob each (PostgreSQL only)
// Prints one JSON line (ServerInfo) on stdout once it listens. Over IPC it answers {cmd: 'sweep'} by running
// the transfer retention sweep inside this process (as the job runner does on a serving node).
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Session } from 'node:inspector';
import { getHeapSpaceStatistics } from 'node:v8';
import { loadConfig, openDeps, serve } from '@amtsbote/server';
import {
  apiTokenFor,
  createStaffMember,
  createTenantWithDepartment,
  migrate,
  openClientDatabase,
} from '@amtsbote/server/operations';
import type { Db } from '@amtsbote/server/operations';
import { masterKeyring, sealText } from '../../packages/server/src/at-rest.ts';
import type { Keyring } from '../../packages/server/src/at-rest.ts';
import type { Queryable } from '../../packages/server/src/adapters/db/types.ts';
import { sweepTransfers } from '../../packages/server/src/modules/transfers/expiry.ts';
import type {
  AllocationProfileReply,
  AllocationProfileRequest,
  MemoryReply,
  MemoryRequest,
  ServerInfo,
  SweepReply,
  SweepRequest,
} from './server.ts';

const EMAIL = 'bench@bench.example';
const PASSWORD = 'bench-password-long-enough';
const SWEEP_EMAIL = 'sweep@bench.example';
const DAY = 86_400_000;

const config = loadConfig(process.env);
if (config.masterKey === undefined) throw new Error('server-child: MASTER_KEY must be set');
const keyring = masterKeyring(config.masterKey);

/** Multi-row INSERT … VALUES with `$n` parameters, `width` columns per row. */
function values(rows: number, width: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    out.push(`(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`);
  }
  return out.join(', ');
}

/**
 * N live transfers sent by `staffId` (what listPostbox and transferForStaff read): sealed subject and message
 * under a per-transfer content key, two recipients (one opened, every fourth downloaded), one file.
 */
async function seedPostbox(
  db: Db,
  keys: Keyring,
  tenantId: string,
  staffId: string,
  n: number,
): Promise<void> {
  const BATCH = 400;
  const now = Date.now();
  for (let done = 0; done < n; done += BATCH) {
    const count = Math.min(BATCH, n - done);
    const transfers: unknown[] = [];
    const recipients: unknown[] = [];
    const files: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const k = done + i;
      const id = randomUUID();
      // Newest last: created over the past 30 days, one row every ~26 s.
      const created = new Date(now - 30 * DAY + (k / n) * 30 * DAY - 60_000);
      const content = keys.newDataKey(`transfer-content:${tenantId}:${id}`);
      transfers.push(
        tenantId,
        id,
        id,
        1,
        'sent',
        staffId,
        content.wrapped,
        sealText(content.key, `Bescheid Nr. ${k}`, `subject:${id}`),
        sealText(content.key, 'Sehr geehrte Damen und Herren, anbei der Bescheid.', `message:${id}`),
        1,
        1_000_000,
        created,
        created,
        new Date(now + 60 * DAY),
      );
      recipients.push(
        tenantId,
        randomUUID(),
        id,
        `buerger${k}@example.org`,
        'de',
        created,
        created,
        k % 4 === 0 ? created : null,
      );
      recipients.push(tenantId, randomUUID(), id, `kopie${k}@example.org`, 'de', created, null, null);
      const fileId = randomUUID();
      files.push(
        tenantId,
        fileId,
        id,
        0,
        sealText(content.key, `bescheid-${k}.pdf`, `name:${fileId}`),
        sealText(content.key, 'application/pdf', `type:${fileId}`),
        1_000_000,
        1_000_000,
        keys.newDataKey(`transfer-file:${tenantId}:${fileId}`).wrapped,
        created,
      );
    }
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO transfers (tenant_id, id, thread_id, level, status, sender_staff_id, content_key, subject, message,
           file_count, total_size, created_at, sent_at, expires_at) VALUES ${values(count, 14)}`,
        transfers,
      );
      await tx.query(
        `INSERT INTO transfer_recipients (tenant_id, id, transfer_id, email, locale, notified_at, first_opened_at, first_downloaded_at)
         VALUES ${values(count * 2, 8)}`,
        recipients,
      );
      await tx.query(
        `INSERT INTO transfer_files (tenant_id, id, transfer_id, position, name, media_type, size, received, file_key, completed_at)
         VALUES ${values(count, 10)}`,
        files,
      );
    });
    // The foreign-key checks' plans are cached per session from when the tables were empty (sequential
    // scans, quadratic over the seed); fresh statistics invalidate them.
    if (done % (BATCH * 25) === 0) await analyze(db, ['transfers', 'transfer_recipients', 'transfer_files']);
  }
  await analyze(db, ['transfers', 'transfer_recipients', 'transfer_files']);
}

async function analyze(db: Db, tables: string[]): Promise<void> {
  for (const t of tables) await db.query(`ANALYZE ${t}`);
}

/**
 * N sent transfers of another staff member, expiring one day from now (the benchmark sweeps with a clock
 * two days ahead, so the portal's own scheduled sweep leaves them alone), each with one recipient; `blobs`
 * of them with one file and one small (1 KiB) segment blob in the filesystem blob store.
 */
async function seedExpired(
  db: Db,
  tenantId: string,
  staffId: string,
  n: number,
  blobs: number,
): Promise<void> {
  const expires = new Date(Date.now() + DAY);
  const junk = Buffer.alloc(60, 0x42);
  // In slices of 100 000 rows so one statement never holds everything in memory.
  const SLICE = 100_000;
  for (let done = 0; done < n; done += SLICE) {
    const count = Math.min(SLICE, n - done);
    await db.query(
      `INSERT INTO transfers (tenant_id, id, thread_id, level, status, sender_staff_id, content_key, subject, message,
         file_count, total_size, created_at, sent_at, expires_at)
       SELECT $1, g.id, g.id, 1, 'sent', $2, $3, $3, $3, 0, 0, $4, $4, $5 FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, $6)) g`,
      [tenantId, staffId, junk, new Date(expires.getTime() - 30 * DAY), expires, count],
    );
  }
  await analyze(db, ['transfers']);
  await db.query(
    `INSERT INTO transfer_recipients (tenant_id, id, transfer_id, email, locale, notified_at)
     SELECT tenant_id, gen_random_uuid(), id, 'empfaenger@example.org', 'de', sent_at FROM transfers WHERE tenant_id = $1 AND sender_staff_id = $2`,
    [tenantId, staffId],
  );
  if (blobs > 0) {
    const rows = await db.query<{ transfer_id: string; file_id: string }>(
      `INSERT INTO transfer_files (tenant_id, id, transfer_id, position, name, media_type, size, received, file_key, completed_at)
       SELECT tenant_id, gen_random_uuid(), id, 0, $3, $3, 1024, 1024, $3, sent_at FROM transfers
       WHERE tenant_id = $1 AND sender_staff_id = $2 ORDER BY id LIMIT $4
       RETURNING transfer_id, id AS file_id`,
      [tenantId, staffId, junk, blobs],
    );
    const blob = Buffer.alloc(1024, 0x17);
    const BATCH = 1000;
    for (let i = 0; i < rows.length; i += BATCH) {
      const slice = rows.slice(i, i + BATCH);
      const params: unknown[] = [];
      for (const r of slice) {
        const key = `transfers/${tenantId}/${r.transfer_id}/${r.file_id}/${'0'.padStart(15, '0')}-${randomUUID()}`;
        params.push(tenantId, r.file_id, 0, 1024, key, new Date());
        const file = path.join(config.dataDir, 'blobs', ...key.split('/'));
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, blob);
      }
      await db.query(
        `INSERT INTO file_segments (tenant_id, file_id, start, length, blob_key, created_at) VALUES ${values(slice.length, 6)}`,
        params,
      );
    }
  }
  await db.query('ANALYZE');
}

async function provision(): Promise<{ tenantId: string; staffId: string; token: string }> {
  const db = await openClientDatabase(config);
  try {
    await migrate(db);
    const { tenant } = await createTenantWithDepartment(db, {
      slug: 'bench',
      name: 'Benchmark',
      hostnames: ['127.0.0.1'],
      department: 'Poststelle',
    });
    const staff = await createStaffMember(db, tenant, {
      email: EMAIL,
      isTenantAdmin: false,
      department: 'Poststelle',
      password: PASSWORD,
    });
    const token = await apiTokenFor(db, tenant, EMAIL, 'bench');
    const postbox = Number(process.env.BENCH_SEED_POSTBOX ?? 0);
    if (postbox > 0) await seedPostbox(db, keyring, tenant.id, staff.id, postbox);
    const expired = /^(\d+):(\d+)$/.exec(process.env.BENCH_SEED_EXPIRED ?? '');
    if (expired !== null) {
      const other = await createStaffMember(db, tenant, { email: SWEEP_EMAIL, isTenantAdmin: false });
      await seedExpired(db, tenant.id, other.id, Number(expired[1]), Number(expired[2]));
    }
    return { tenantId: tenant.id, staffId: staff.id, token };
  } finally {
    await db.close();
  }
}

/** Statements by their first words: how many, and the milliseconds they took (wall time, as the caller waits). */
type StatementStats = Record<string, { n: number; ms: number }>;

/** The database with every statement counted and timed, and refused after `deadline` (performance.now()). */
function countingDb(db: Db, counter: { queries: number; statements: StatementStats }, deadline: number): Db {
  const wrap = (q: Queryable): Queryable['query'] =>
    async function query<R extends object>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      if (performance.now() > deadline) throw new Error('bench deadline reached');
      counter.queries++;
      const name = sql.replace(/\s+/g, ' ').trim().slice(0, 70);
      const t0 = performance.now();
      try {
        return await q.query<R>(sql, params);
      } finally {
        const st = (counter.statements[name] ??= { n: 0, ms: 0 });
        st.n++;
        st.ms += performance.now() - t0;
      }
    };
  return {
    ...db,
    query: wrap(db),
    transaction: (fn) => db.transaction((tx) => fn({ query: wrap(tx) })),
  };
}

async function sweep(req: SweepRequest): Promise<SweepReply> {
  // The sweep's own pool connects from here on: its backends are the ones that started after this.
  const startedAt = new Date(Date.now() - 1000);
  const deps = await openDeps(config, () => undefined);
  const counter = { queries: 0, statements: {} as StatementStats };
  const t0 = performance.now();
  const db = countingDb(deps.db, counter, t0 + req.budgetMs);
  const cpu0 = process.cpuUsage();
  try {
    return await measuredSweep();
  } finally {
    await deps.db.close();
  }
  async function measuredSweep(): Promise<SweepReply> {
    let outcome: { done: true; result: Record<string, number> } | { done: false; error: string };
    try {
      const result = await sweepTransfers({
        ...deps,
        db,
        clock: { now: () => new Date(Date.now() + req.clockAheadMs) },
      });
      outcome = { done: true, result: { ...result } };
    } catch (err) {
      outcome = { done: false, error: err instanceof Error ? err.message : String(err) };
    }
    const seconds = (performance.now() - t0) / 1000;
    return {
      ...outcome,
      seconds,
      queries: counter.queries,
      statements: counter.statements,
      cpuSeconds: cpuOf(cpu0),
      pgCpuSeconds: await backendCpuSince(deps.db, startedAt),
    };
  }
}

/**
 * CPU seconds of the PostgreSQL backends that connected since `since` (the sweep's own pool), read from
 * /proc while they still exist; undefined for PGlite or a server on another machine.
 */
async function backendCpuSince(db: Db, since: Date): Promise<number | undefined> {
  if (db.kind !== 'postgres') return undefined;
  const rows = await db.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_start >= $1',
    [since],
  );
  let total = 0;
  for (const { pid } of rows) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return undefined;
    }
  }
  return total;
}

function cpuOf(from: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(from);
  return (c.user + c.system) / 1e6;
}

const ids = await provision();
const portal = await serve(config, (line) => process.stderr.write(`${line}\n`));
const info: ServerInfo = { url: portal.url, email: EMAIL, password: PASSWORD, ...ids };
process.stdout.write(`${JSON.stringify(info)}\n`);

// A sampling allocation profile (V8's heap profiler, garbage included) while the benchmark asks for it:
// says which code allocates what the garbage collector then has to clear.
const inspector = new Session();
let profiling = false;
function post<T>(method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    inspector.post(method, params, (err, result) => {
      if (err === null) resolve(result as T);
      else reject(err);
    });
  });
}
async function allocationProfile(req: AllocationProfileRequest): Promise<AllocationProfileReply> {
  if (req.action === 'start') {
    if (!profiling) inspector.connect();
    profiling = true;
    await post('HeapProfiler.startSampling', {
      samplingInterval: 16_384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return { cmd: 'allocations', sites: [] };
  }
  const { profile } = await post<{ profile: SamplingHeapProfile }>('HeapProfiler.stopSampling');
  const bySite = new Map<string, number>();
  const walk = (node: SamplingHeapProfileNode, stack: string[]): void => {
    const f = node.callFrame;
    const here = `${f.functionName === '' ? '(anonymous)' : f.functionName} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    const path = [...stack, here].slice(-4);
    if (node.selfSize > 0) bySite.set(path.join(' < '), (bySite.get(path.join(' < ')) ?? 0) + node.selfSize);
    for (const c of node.children) walk(c, path);
  };
  walk(profile.head, []);
  const sites = [...bySite]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([site, bytes]) => ({ site, bytes }));
  return { cmd: 'allocations', sites };
}
interface SamplingHeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingHeapProfileNode[];
}
interface SamplingHeapProfile {
  head: SamplingHeapProfileNode;
}

process.on('message', (message: SweepRequest | MemoryRequest | AllocationProfileRequest) => {
  if (message.cmd === 'sweep') void sweep(message).then((reply) => process.send?.(reply));
  if (message.cmd === 'allocations') void allocationProfile(message).then((reply) => process.send?.(reply));
  if (message.cmd === 'memory') {
    // --expose-gc (set by bench/lib/server.ts): a forced full collection tells garbage from memory held.
    if (message.gc === true) (globalThis as { gc?: () => void }).gc?.();
    process.send?.(memoryReport());
  }
});

/** Where the process's memory is: Node's own counters, V8's heap spaces, and mapped files. */
function memoryReport(): MemoryReply {
  const m = process.memoryUsage();
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_used_size]));
  return {
    cmd: 'memory',
    rss: m.rss,
    heapTotal: m.heapTotal,
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    spaces,
  };
}
const stop = (): void => {
  portal.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The benchmark died (or was killed): do not outlive it.
process.on('disconnect', stop);
