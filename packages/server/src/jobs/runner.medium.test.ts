import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ManualClock, MINUTE } from '../adapters/clock.ts';
import type { Db } from '../adapters/db/index.ts';
import { createLogger } from '../log.ts';
import { testDatabase } from '../testing/index.ts';
import { JobRunner, retryDelayMs } from './runner.ts';

let db: Db;
const clock = new ManualClock('2026-03-02T08:00:00Z');
const logger = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

before(async () => {
  db = await testDatabase();
});
after(() => db.close());
beforeEach(async () => {
  await db.query('DELETE FROM jobs');
});

const runsOf = (name: string) =>
  db.query<{ outcome: string; node: string; attempt: number }>(
    `SELECT r.outcome, r.node, r.attempt FROM job_runs r JOIN jobs j ON j.id = r.job_id WHERE j.name = $1 ORDER BY r.id`,
    [name],
  );

describe('job runner', () => {
  it('turns one schedule slot into one job, however many nodes enqueue it, and runs it once', async () => {
    const ran: string[] = [];
    const make = (node: string) => {
      const r = new JobRunner({ db, clock, logger }, { node });
      r.define({
        name: 'slot.job',
        handler: async () => {
          ran.push(node);
          return { ok: true };
        },
      });
      r.schedule({ job: 'slot.job', everyMs: 15 * MINUTE });
      return r;
    };
    const a = make('node-a');
    const b = make('node-b');
    await Promise.all([a.enqueueDueSchedules(), b.enqueueDueSchedules(), a.enqueueDueSchedules()]);
    const jobs = await db.query<{ key: string; state: string }>(
      `SELECT key, state FROM jobs WHERE name = 'slot.job'`,
    );
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.key, 'slot:2026-03-02T08:00:00.000Z');
    await Promise.all([a.runDue(), b.runDue()]);
    assert.equal(ran.length, 1);
    // The same slot again: nothing new. The next slot: one more job.
    await Promise.all([a.tick(), b.tick()]);
    assert.equal(ran.length, 1);
    clock.advance(15 * MINUTE);
    await Promise.all([a.tick(), b.tick()]);
    assert.equal(ran.length, 2);
    const outcomes = await runsOf('slot.job');
    assert.deepEqual(
      outcomes.map((o) => o.outcome),
      ['succeeded', 'succeeded'],
    );
    const stored = await db.query<{ result: unknown; state: string }>(
      `SELECT result, state FROM jobs WHERE name = 'slot.job' ORDER BY run_at`,
    );
    assert.deepEqual(
      stored.map((s) => s.state),
      ['succeeded', 'succeeded'],
    );
    assert.deepEqual(stored[0]?.result, { ok: true });
  });

  it('retries a failing job with growing pauses and records every attempt', async () => {
    let calls = 0;
    const r = new JobRunner({ db, clock, logger }, { node: 'n1' });
    r.define({
      name: 'flaky',
      maxAttempts: 4,
      handler: async () => {
        calls++;
        if (calls < 3) throw new Error(`attempt ${calls} broke`);
        return { calls };
      },
    });
    const { id } = await r.enqueue(db, 'flaky', { tenant: 'x' });
    assert.equal((await r.runDue()).retried, 1);
    // Not yet: the pause after the first failure is 30 seconds.
    clock.advance(retryDelayMs(1) - 1000);
    assert.equal((await r.runDue()).ran, 0);
    clock.advance(1000);
    assert.equal((await r.runDue()).retried, 1);
    clock.advance(retryDelayMs(2) - 1000);
    assert.equal((await r.runDue()).ran, 0);
    clock.advance(1000);
    assert.equal((await r.runDue()).succeeded, 1);
    assert.equal(calls, 3);
    const runs = await runsOf('flaky');
    assert.deepEqual(
      runs.map((x) => [x.attempt, x.outcome]),
      [
        [1, 'retry'],
        [2, 'retry'],
        [3, 'succeeded'],
      ],
    );
    const job = await db.query<{ state: string; attempts: number; last_error: string | null }>(
      `SELECT state, attempts, last_error FROM jobs WHERE id = $1`,
      [id],
    );
    assert.equal(job[0]?.state, 'succeeded');
    assert.equal(job[0].attempts, 3);
  });

  it('gives up after the last attempt and keeps the error', async () => {
    const r = new JobRunner({ db, clock, logger }, { node: 'n1' });
    r.define({ name: 'broken', maxAttempts: 2, handler: () => Promise.reject(new Error('always broken')) });
    await r.enqueue(db, 'broken');
    await r.runDue();
    clock.advance(retryDelayMs(1));
    const s = await r.runDue();
    assert.equal(s.failed, 1);
    clock.advance(24 * 60 * MINUTE);
    assert.equal((await r.runDue()).ran, 0);
    const job = await db.query<{ state: string; last_error: string }>(
      `SELECT state, last_error FROM jobs WHERE name = 'broken'`,
    );
    assert.equal(job[0]?.state, 'failed');
    assert.match(job[0].last_error, /always broken/);
  });

  it('takes over a job whose node died once its lease ran out', async () => {
    const r = new JobRunner({ db, clock, logger }, { node: 'survivor' });
    let ran = 0;
    r.define({
      name: 'orphaned',
      handler: async () => {
        ran++;
        return undefined;
      },
    });
    const { id } = await r.enqueue(db, 'orphaned');
    // Another node claimed it and died: running, lease still valid.
    await db.query(
      `UPDATE jobs SET state = 'running', attempts = 1, locked_by = 'dead', locked_until = $2 WHERE id = $1`,
      [id, new Date(clock.now().getTime() + 10 * MINUTE)],
    );
    assert.equal((await r.runDue()).ran, 0);
    clock.advance(10 * MINUTE);
    assert.equal((await r.runDue()).succeeded, 1);
    assert.equal(ran, 1);
    const runs = await runsOf('orphaned');
    assert.deepEqual(
      runs.map((x) => [x.node, x.attempt]),
      [['survivor', 2]],
    );
  });

  it('enqueues a keyed job once', async () => {
    const r = new JobRunner({ db, clock, logger }, { node: 'n1' });
    r.define({ name: 'keyed', handler: async () => undefined });
    const first = await r.enqueue(db, 'keyed', {}, { key: 'account:1' });
    const second = await r.enqueue(db, 'keyed', {}, { key: 'account:1' });
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.id, first.id);
  });

  it('does not pile up slots behind a job that is still waiting to be retried', async () => {
    const r = new JobRunner({ db, clock, logger }, { node: 'n1' });
    r.define({ name: 'slow', handler: () => Promise.reject(new Error('down')) });
    r.schedule({ job: 'slow', everyMs: MINUTE });
    await r.tick();
    clock.advance(MINUTE);
    await r.enqueueDueSchedules();
    const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE name = 'slow'`);
    assert.equal(n[0]?.n, 1);
  });
});
