/**
 * Benchmark `api-load` (issue 8): the API under load with autocannon on loopback, bounded in time: the postbox
 * listing of a staff member with 100 000 transfers in the tenant, opening one transfer, and a password login,
 * at 1, 16 and 64 connections, on PostgreSQL and on PGlite. Requests/s, p50 and p99 latency, errors.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { perfAvailable, perfMarkdown, perfWhile } from './lib/perf.ts';
import type { BenchServer, DbKind } from './lib/server.ts';
import { apiJson, startServer, withPg } from './lib/server.ts';
import { postboxSql } from '../packages/server/src/modules/transfers/store/postbox-listing.ts';
import { median } from './lib/stats.ts';
import type { Benchmark, BenchContext, BenchResult, Figure, Goal, Plot } from './lib/types.ts';

const ROWS = Number(process.env.BENCH_POSTBOX_ROWS ?? 100_000);
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 3);
const CONNECTIONS = [1, 16, 64];
const autocannon = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const postboxGoal: Goal = { kind: 'at-most', value: 50, source: 'issue 8' };
const errorGoal: Goal = { kind: 'at-most', value: 0, source: 'issue 8' };

type Endpoint = 'postbox' | 'open' | 'login';
const ENDPOINTS: Endpoint[] = ['postbox', 'open', 'login'];
const ENDPOINT_LABEL: Record<Endpoint, string> = {
  postbox: 'postbox listing (GET /api/v1/transfers, 50 newest)',
  open: 'opening a transfer (GET /api/v1/transfers/:id)',
  login: 'password login (POST /login, Argon2id)',
};
const DB_LABEL: Record<DbKind, string> = { postgres: 'PostgreSQL', pglite: 'PGlite' };

interface Target {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** The status every request must answer with. */
  status: number;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Socket errors, timeouts and answers with another status than expected. */
  errors: number;
  statuses: Record<string, number>;
}

function runAutocannon(target: Target, connections: number, seconds: number): Promise<Load> {
  const args = [
    autocannon,
    '-j',
    '-n',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    '-t',
    '10',
    '-m',
    target.method,
    ...Object.entries(target.headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
    ...(target.body === undefined ? [] : ['-b', target.body]),
    target.url,
  ];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    p.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const killer = setTimeout(() => p.kill('SIGKILL'), (seconds + 30) * 1000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(killer);
      if (code !== 0) {
        reject(new Error(`autocannon exited ${String(code)}: ${err.trim()}`));
        return;
      }
      const r = JSON.parse(out) as {
        latency: { p50: number; p99: number };
        requests: { average: number; total: number };
        errors: number;
        timeouts: number;
        statusCodeStats: Record<string, { count: number }>;
      };
      const statuses = Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count]));
      const wrong = Object.entries(statuses)
        .filter(([k]) => Number(k) !== target.status)
        .reduce((s, [, n]) => s + n, 0);
      resolve({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        requests: r.requests.total,
        errors: r.errors + r.timeouts + wrong,
        statuses,
      });
    });
  });
}

/** The login form's CSRF token and cookie, so a load test can post the form as a browser does. */
async function loginTarget(server: BenchServer): Promise<Target> {
  const res = await fetch(`${server.info.url}/login`);
  const html = await res.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookies = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (token === undefined) throw new Error('no CSRF token in the login form');
  const body = new URLSearchParams({
    email: server.info.email,
    password: server.info.password,
    _csrf: token,
  }).toString();
  return {
    url: `${server.info.url}/login`,
    method: 'POST',
    headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
    body,
    status: 303,
  };
}

function cpuSeconds(pid: number): number {
  // utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** EXPLAIN ANALYZE of listPostbox's query (the very string modules/transfers/service.ts runs) on the seeded database. */
async function explainPostbox(server: BenchServer): Promise<string> {
  if (server.databaseUrl === undefined) return '';
  const url = server.databaseUrl;
  return withPg(url, async (c) => {
    const params = [server.info.tenantId, server.info.staffId, null, 50];
    await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${postboxSql}`, params); // warm
    const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${postboxSql}`, params);
    return r.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const figures = new Map<string, Figure>();
  const fig = (db: DbKind, e: Endpoint, c: number, what: 'rps' | 'p50' | 'p99'): Figure => {
    const id = `${e}-${db}-c${c}-${what}`;
    let f = figures.get(id);
    if (f === undefined) {
      const unit = what === 'rps' ? 'req/s' : 'ms';
      const goal =
        e === 'postbox' && db === 'postgres' && c === 64 && what === 'p99' ? { goal: postboxGoal } : {};
      f = {
        id,
        label: `${ENDPOINT_LABEL[e]}, ${DB_LABEL[db]}, ${c} connection${c === 1 ? '' : 's'}: ${what === 'rps' ? 'requests/s' : what}`,
        unit,
        samples: [],
        better: what === 'rps' ? 'higher' : 'lower',
        ...goal,
      };
      figures.set(id, f);
    }
    return f;
  };
  const errorFigures: Record<DbKind, Figure> = {
    postgres: {
      id: 'errors-postgres',
      label: 'errors, all runs on PostgreSQL (per round)',
      unit: 'requests',
      samples: [],
      better: 'lower',
      goal: errorGoal,
    },
    pglite: {
      id: 'errors-pglite',
      label: 'errors, all runs on PGlite (per round)',
      unit: 'requests',
      samples: [],
      better: 'lower',
      goal: errorGoal,
    },
  };
  const notes: string[] = [];
  const statusSeen: Record<string, Record<string, number>> = {};
  const cpuShare: Record<string, number> = {};

  for (const db of ['postgres', 'pglite'] as const) {
    ctx.log(`${DB_LABEL[db]}: seeding ${ROWS} transfers and starting the portal`);
    const t0 = performance.now();
    const server = await startServer(ctx.tmpDir, db, { BENCH_SEED_POSTBOX: String(ROWS) }, (l) => ctx.log(l));
    ctx.log(`${DB_LABEL[db]}: ready after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    try {
      const newest = await apiJson<{ id: string }[]>(server.info, 'GET', '/api/v1/transfers');
      const openId = newest[0]?.id;
      if (openId === undefined) throw new Error('empty postbox');
      const auth = { authorization: `Bearer ${server.info.token}` };
      const targets: Record<Endpoint, Target> = {
        postbox: { url: `${server.info.url}/api/v1/transfers`, method: 'GET', headers: auth, status: 200 },
        open: {
          url: `${server.info.url}/api/v1/transfers/${openId}`,
          method: 'GET',
          headers: auth,
          status: 200,
        },
        login: await loginTarget(server),
      };
      // Warm-up: JIT, pools, caches.
      for (const e of ENDPOINTS) await runAutocannon(targets[e], 4, 1);
      for (let round = 0; round < ctx.rounds; round++) {
        let errors = 0;
        const order = ENDPOINTS.map((_, i) => ENDPOINTS[(i + round) % ENDPOINTS.length]).filter(
          (e) => e !== undefined,
        );
        for (const e of order) {
          for (const c of CONNECTIONS) {
            const cpu0 = cpuSeconds(server.pid);
            const r = await runAutocannon(targets[e], c, SECONDS);
            if (c === 64) cpuShare[`${e}-${db}`] = (cpuSeconds(server.pid) - cpu0) / SECONDS;
            ctx.log(
              `round ${round + 1}/${ctx.rounds} ${db} ${e} c=${c}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.errors} errors`,
            );
            fig(db, e, c, 'rps').samples.push(r.rps);
            fig(db, e, c, 'p50').samples.push(r.p50);
            fig(db, e, c, 'p99').samples.push(r.p99);
            errors += r.errors;
            const seen = (statusSeen[`${db} ${e}`] ??= {});
            for (const [k, n] of Object.entries(r.statuses)) seen[k] = (seen[k] ?? 0) + n;
          }
        }
        errorFigures[db].samples.push(errors);
      }
      if (db === 'postgres') {
        const plan = await explainPostbox(server);
        notes.push(
          `**EXPLAIN (ANALYZE, BUFFERS) of the postbox query** (\`listPostbox\`, modules/transfers/service.ts) on PostgreSQL with ${ROWS} transfers of this staff member, first page of 50:\n\n\`\`\`\n${plan}\n\`\`\``,
        );
        if (perfAvailable()) {
          let during: Load | undefined;
          const summary = await perfWhile(
            [server.pid],
            path.join(ctx.tmpDir, 'perf-postbox.data'),
            async () => {
              during = await runAutocannon(targets.postbox, 64, SECONDS);
            },
          );
          notes.push(
            perfMarkdown(
              `**Profile: the portal process serving the postbox listing at 64 connections on PostgreSQL** (perf, all threads, ${summary.samples} samples; ${during?.rps.toFixed(0) ?? '?'} req/s, p99 ${String(during?.p99 ?? '?')} ms while profiled):`,
              summary,
            ),
          );
        }
      }
    } finally {
      await server.stop();
    }
  }

  notes.unshift(
    `How: the portal runs as \`serve()\` in a child process (bench/lib/server-child.ts). Before it starts, ${ROWS} live ` +
      'transfers are written into the tenant directly in SQL, all sent by the staff member whose postbox is listed (the worst ' +
      'case: a central Poststelle account), each with a subject and message sealed under its own content key, two recipients ' +
      '(one opened, every fourth downloaded) and one file, created over the past 30 days. autocannon (in its own process) runs ' +
      `${SECONDS} s per endpoint and connection count and round, after a warm-up. Postbox and opening use an API token ` +
      '(Bearer); login posts the password form with its CSRF cookie and token and must answer 303. Any other status, socket ' +
      'error or timeout counts as an error. The load generator, the portal and PostgreSQL share the machine’s 2 cores.',
    `Portal process CPU at 64 connections (cores busy on average, from /proc/PID/stat; the rest of the 2 cores went to ` +
      `PostgreSQL and autocannon): ${Object.entries(cpuShare)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ')}. Answers seen: ${Object.entries(statusSeen)
        .map(
          ([k, v]) =>
            `${k}: ${Object.entries(v)
              .map(([s, n]) => `${n}× ${s}`)
              .join(', ')}`,
        )
        .join('; ')}.`,
  );

  const plots: Plot[] = ENDPOINTS.map((e) => ({
    id: `latency-${e}`,
    title: `${ENDPOINT_LABEL[e]}: p99 latency by concurrency (median of rounds)`,
    x: {
      label: 'connections (log scale)',
      log2: true,
      ticks: CONNECTIONS.map((c) => [c, String(c)] as const),
    },
    y: { label: 'ms' },
    series: (['postgres', 'pglite'] as const).flatMap((db) =>
      (['p50', 'p99'] as const).map((w) => ({
        label: `${DB_LABEL[db]} ${w}`,
        points: CONNECTIONS.map(
          (c) => [c, median(figures.get(`${e}-${db}-c${c}-${w}`)?.samples ?? [])] as const,
        ),
      })),
    ),
    ...(e === 'postbox'
      ? { rules: [{ label: 'goal: p99 50 ms at 64 connections (PostgreSQL)', y: 50 }] }
      : {}),
  }));
  return {
    figures: [...figures.values(), errorFigures.postgres, errorFigures.pglite],
    limits: {},
    plots,
    notes,
    details: { rows: ROWS, seconds: SECONDS, connections: CONNECTIONS, statuses: statusSeen },
  };
}

const benchmark: Benchmark = {
  name: 'api-load',
  description:
    'API under load (autocannon on loopback): postbox listing with 100 000 transfers, opening a transfer, login, at 1/16/64 connections on PostgreSQL and PGlite.',
  run,
};
export default benchmark;
