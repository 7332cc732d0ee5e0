// One app node for the two-process runner test (runner.two-nodes.medium.test.ts): connects to the
// database given as the first argument, defines the test jobs and ticks until the deadline.
// Prints one JSON line with what it ran.
import { Writable } from 'node:stream';
import { systemClock } from '../../adapters/clock.ts';
import { createPostgresDb } from '../../adapters/db/index.ts';
import { createLogger } from '../../log.ts';
import { JobRunner } from '../runner.ts';

const [url, node, durationMs] = process.argv.slice(2);
if (url === undefined || node === undefined)
  throw new Error('usage: runner-node.ts DATABASE_URL NODE [DURATION_MS]');
const db = createPostgresDb(url, { max: 4 });
const logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
const runner = new JobRunner({ db, clock: systemClock, logger }, { node });
const record = async (jobId: string) => {
  await db.query(`INSERT INTO two_node_log (job_id, node) VALUES ($1, $2)`, [jobId, node]);
  // A little work, so both nodes are busy at the same time.
  await new Promise((r) => setTimeout(r, 3));
  return { node };
};
runner.define({ name: 'two.work', handler: (ctx) => record(ctx.jobId) });
runner.define({ name: 'two.tick', handler: (ctx) => record(ctx.jobId) });
runner.schedule({ job: 'two.tick', everyMs: 1000 });

const deadline = Date.now() + Number(durationMs ?? 4000);
let ran = 0;
while (Date.now() < deadline) {
  ran += (await runner.tick()).ran;
  await new Promise((r) => setTimeout(r, 20));
}
await db.close();
process.stdout.write(`${JSON.stringify({ node, ran })}\n`);
