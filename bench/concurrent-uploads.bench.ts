/**
 * Benchmark `concurrent-uploads` (issue 8): 50 uploads of 20 MiB each at the same time through the portal
 * (one tus PATCH per file, as tus-js-client sends), on PostgreSQL and on PGlite: total throughput against a
 * single plain loopback HTTP copy of the same total to a file, errors (must be 0), and the server's peak RSS.
 */
import type { BenchServer, DbKind } from './lib/server.ts';
import { createTransfer, patternSource, revoke, sampler, startServer, tusUpload } from './lib/server.ts';
import { LIMIT_METHODS } from './lib/limits.ts';
import { summarize } from './lib/stats.ts';
import type { Benchmark, BenchContext, BenchResult, Figure, Goal, LimitSeries } from './lib/types.ts';

const MiB = 2 ** 20;
const GB = 1e9;
const UPLOADS = Number(process.env.BENCH_CONCURRENT_UPLOADS ?? 50);
const SIZE = Number(process.env.BENCH_CONCURRENT_MIB ?? 20) * MiB;
const errorGoal: Goal = { kind: 'at-most', value: 0, source: 'issue 8' };
const DB_LABEL: Record<DbKind, string> = { postgres: 'PostgreSQL', pglite: 'PGlite' };

interface RoundResult {
  throughput: number;
  errors: number;
  peak: number;
  p50: number;
  max: number;
  firstError?: string;
}

async function oneRound(server: BenchServer): Promise<RoundResult> {
  const drafts = [];
  for (let i = 0; i < UPLOADS; i++) drafts.push(await createTransfer(server.info, SIZE));
  server.resetPeak();
  const rss = sampler(() => server.rss(), 100);
  const t0 = performance.now();
  const results = await Promise.allSettled(
    drafts.map((d) => tusUpload(server.info, d.fileId, SIZE, patternSource(SIZE))),
  );
  const seconds = (performance.now() - t0) / 1000;
  rss.stop();
  const peak = server.peakRss();
  const ok = results
    .filter((r): r is PromiseFulfilledResult<number> => r.status === 'fulfilled')
    .map((r) => r.value);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const d of drafts) {
    // Only complete drafts can be sent; the others are left for the portal's draft sweep.
    await revoke(server.info, d.id).catch(() => undefined);
  }
  const s = summarize(ok);
  const reason: unknown = failed[0]?.reason;
  return {
    throughput: (ok.length * SIZE) / seconds,
    errors: failed.length,
    peak,
    p50: s.median,
    max: s.max,
    ...(reason === undefined
      ? {}
      : { firstError: reason instanceof Error ? reason.message : JSON.stringify(reason) }),
  };
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const limit: LimitSeries = {
    label: `loopback HTTP upload to a file, one stream of ${(UPLOADS * SIZE) / MiB} MiB`,
    unit: 'GB/s',
    samples: [],
    method: LIMIT_METHODS.http,
  };
  const figures: Figure[] = [];
  const notes: string[] = [];
  const per: Record<DbKind, { tput: Figure; errors: Figure; peak: Figure; p50: Figure; max: Figure }> = {
    postgres: make('postgres'),
    pglite: make('pglite'),
  };
  function make(db: DbKind): { tput: Figure; errors: Figure; peak: Figure; p50: Figure; max: Figure } {
    const what = `${UPLOADS} × ${SIZE / MiB} MiB at once, ${DB_LABEL[db]}`;
    return {
      tput: {
        id: `throughput-${db}`,
        label: `total upload throughput, ${what}`,
        unit: 'GB/s',
        samples: [],
        better: 'higher',
        limit: 'httpUp',
      },
      errors: {
        id: `errors-${db}`,
        label: `failed uploads, ${what}`,
        unit: 'uploads',
        samples: [],
        better: 'lower',
        goal: errorGoal,
      },
      peak: { id: `rss-${db}`, label: `server peak RSS, ${what}`, unit: 'MiB', samples: [], better: 'lower' },
      p50: {
        id: `upload-p50-${db}`,
        label: `time per upload (median), ${what}`,
        unit: 's',
        samples: [],
        better: 'lower',
      },
      max: {
        id: `upload-max-${db}`,
        label: `time per upload (slowest), ${what}`,
        unit: 's',
        samples: [],
        better: 'lower',
      },
    };
  }
  const errorsSeen: string[] = [];
  {
    for (let round = 0; round < ctx.rounds; round++) {
      const steps: [string, () => Promise<void>][] = [
        [
          'limit',
          async () => {
            limit.samples.push((await ctx.limits.http(UPLOADS * SIZE)).upload / GB);
          },
        ],
        ...(['postgres', 'pglite'] as const).map((db): [string, () => Promise<void>] => [
          db,
          async () => {
            // A fresh portal each time, so that every round's peak starts from the same idle state.
            const server = await startServer(ctx.tmpDir, db, {}, (l) => ctx.log(l));
            const r = await oneRound(server).finally(() => server.stop());
            per[db].tput.samples.push(r.throughput / GB);
            per[db].errors.samples.push(r.errors);
            per[db].peak.samples.push(r.peak / MiB);
            per[db].p50.samples.push(r.p50);
            per[db].max.samples.push(r.max);
            if (r.firstError !== undefined) errorsSeen.push(`${db}: ${r.firstError}`);
          },
        ]),
      ];
      const order = steps.map((_, i) => steps[(i + round) % steps.length]).filter((x) => x !== undefined);
      for (const [name, step] of order) {
        ctx.log(`round ${round + 1}/${ctx.rounds}: ${name}`);
        await step();
      }
    }
  }
  for (const db of ['postgres', 'pglite'] as const) {
    const f = per[db];
    figures.push(f.tput, f.errors, f.peak, f.p50, f.max);
  }
  notes.push(
    `How: ${UPLOADS} drafts are created first; then ${UPLOADS} clients start at once, each a tus creation request and one PATCH ` +
      `streaming ${SIZE / MiB} MiB (Content-Length known, as tus-js-client sends). Throughput = bytes of the uploads that ` +
      'succeeded / wall time from the first request to the last answer. The limit is one plain node:http stream of the same ' +
      'total into a file on the same disk. Each round starts a fresh portal process per database. Peak RSS = VmHWM of the ' +
      'portal process, reset before the uploads (after the drafts were created).' +
      (errorsSeen.length > 0 ? ` First errors: ${errorsSeen.join('; ')}.` : ' No upload failed.'),
  );
  return { figures, limits: { httpUp: limit }, notes, details: { uploads: UPLOADS, bytesEach: SIZE } };
}

const benchmark: Benchmark = {
  name: 'concurrent-uploads',
  description:
    '50 concurrent uploads of 20 MiB each through the portal (one tus PATCH each) on PostgreSQL and PGlite: total throughput, errors, server peak RSS.',
  run,
};
export default benchmark;
