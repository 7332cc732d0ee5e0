import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { createPostgresDb } from '../adapters/db/index.ts';
import type { Db } from '../adapters/db/index.ts';
import { migrate } from '../adapters/migrations/migrate.ts';
import { systemClock } from '../adapters/clock.ts';
import { freshDatabaseUrl } from '../testing/index.ts';
import { JobRunner } from './runner.ts';
import { createLogger } from '../log.ts';

// Two app processes on one PostgreSQL: PGlite admits one process, so this needs a server.
// CI sets TEST_DATABASE_URL; without it the test is skipped (and says why).
const run = promisify(execFile);
const worker = path.join(import.meta.dirname, 'testing', 'runner-node.ts');
const skip =
  process.env.TEST_DATABASE_URL === undefined || process.env.TEST_DATABASE_URL === ''
    ? 'needs PostgreSQL: set TEST_DATABASE_URL (CI does)'
    : false;

let fresh: Awaited<ReturnType<typeof freshDatabaseUrl>>;
let db: Db | undefined;

before(async () => {
  if (skip !== false) return;
  fresh = await freshDatabaseUrl();
  if (fresh === undefined) return;
  db = createPostgresDb(fresh.url, { max: 2 });
  await migrate(db);
  await db.query(`CREATE TABLE two_node_log (job_id uuid NOT NULL, node text NOT NULL)`);
});
after(async () => {
  await db?.close();
  await fresh?.drop();
});

it('two app processes on one PostgreSQL run every job exactly once', { skip }, async () => {
  assert.ok(db !== undefined && fresh !== undefined);
  const enqueuer = new JobRunner(
    { db, clock: systemClock, logger: createLogger('silent') },
    { node: 'enqueuer' },
  );
  enqueuer.define({ name: 'two.work', handler: async () => undefined });
  const queued = 300;
  for (let i = 0; i < queued; i++) await enqueuer.enqueue(db, 'two.work', { i });

  const nodes = await Promise.all(
    ['node-a', 'node-b'].map(async (node) => {
      const { stdout } = await run(process.execPath, [worker, fresh?.url ?? '', node, '4500'], {
        timeout: 60_000,
      });
      return JSON.parse(stdout.trim()) as { node: string; ran: number };
    }),
  );

  // Every queued job ran, once, and both nodes did some of the work.
  const log = await db.query<{ job_id: string; node: string; name: string }>(
    `SELECT l.job_id, l.node, j.name FROM two_node_log l JOIN jobs j ON j.id = l.job_id`,
  );
  const perJob = new Map<string, number>();
  for (const l of log) perJob.set(l.job_id, (perJob.get(l.job_id) ?? 0) + 1);
  assert.equal([...perJob.values()].filter((n) => n !== 1).length, 0, 'a job ran more than once');
  assert.equal(log.filter((l) => l.name === 'two.work').length, queued);
  const byNode = (n: string) => log.filter((l) => l.node === n).length;
  assert.ok(byNode('node-a') > 0 && byNode('node-b') > 0, `both nodes should work: ${JSON.stringify(nodes)}`);

  // The schedule: both nodes enqueued each one-second slot; each slot became one job, run once.
  const ticks = await db.query<{ key: string; runs: number; state: string }>(
    `SELECT j.key, j.state, (SELECT count(*)::int FROM job_runs r WHERE r.job_id = j.id) AS runs FROM jobs j WHERE j.name = 'two.tick'`,
  );
  assert.ok(ticks.length >= 3, `expected several slots, got ${ticks.length}`);
  assert.equal(new Set(ticks.map((t) => t.key)).size, ticks.length);
  for (const t of ticks.filter((x) => x.state === 'succeeded')) assert.equal(t.runs, 1);
  assert.equal(
    log.filter((l) => l.name === 'two.tick').length,
    ticks.filter((t) => t.state === 'succeeded').length,
  );
  // Every outcome is on record.
  const runs = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM job_runs WHERE outcome = 'succeeded'`,
  );
  assert.equal(runs[0]?.n, log.length);
});
