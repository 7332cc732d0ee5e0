import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { MINUTE, HOUR } from '../adapters/clock.ts';
import type { Queryable } from '../adapters/db/index.ts';
import type { AppDeps } from '../deps.ts';
import type { JobResult, JsonValue } from '../job-result.ts';

/**
 * Why our own tables and not pg-boss: pg-boss 12 runs on PGlite only with the raw PGlite handle
 * (its `fromPglite` adapter) or over the embedded socket. Through our `Db` adapter it fails at
 * start: it sends parameterless multi-statement blocks (`BEGIN; … RETURNING …; COMMIT`) and needs
 * the rows from the middle, which neither `query` (one statement, extended protocol) nor `exec`
 * (no rows) gives. Over the embedded socket it runs, but only where a socket exists (not for the
 * in-memory databases every medium test uses), on its own pool sharing one PGlite session with the
 * request path and the CLI, and it takes due times, back-off and cron from the database's now(),
 * not from our Clock adapter, so retention could not be tested by moving the clock. The guarantees
 * needed here are small and are kept below on two tables (migration 005):
 * - each job runs once across nodes: claimed in one UPDATE over `FOR UPDATE SKIP LOCKED`, and
 *   (name, key) is unique, so a schedule slot becomes one job however many nodes enqueue it;
 * - a node that dies mid-job frees it when its lease runs out; the next attempt counts;
 * - failures are retried with growing pauses, up to max_attempts, then marked failed;
 * - every attempt's outcome is recorded in job_runs (node, times, result or error);
 * - jobs are written to be idempotent, so a retry or a second run changes nothing more.
 */

export type { JobResult, JsonValue } from '../job-result.ts';

export interface JobContext {
  jobId: string;
  name: string;
  key: string;
  payload: Record<string, JsonValue>;
  /** 1 for the first try. */
  attempt: number;
  /** The clock's time when the job was claimed. */
  now: Date;
}

export interface JobDefinition {
  name: string;
  handler: (ctx: JobContext) => Promise<JobResult | undefined>;
  /** Tries before the job is marked failed; default 5. */
  maxAttempts?: number;
  /** How long a claim holds before another node may take the job over; default 15 minutes. */
  leaseMs?: number;
}

export interface ScheduleDefinition {
  job: string;
  /** One job per slot of this length (slots start at multiples of it since the epoch). */
  everyMs: number;
  payload?: Record<string, JsonValue>;
}

export interface RunSummary {
  ran: number;
  succeeded: number;
  retried: number;
  failed: number;
}

type Deps = Pick<AppDeps, 'db' | 'clock' | 'logger'>;

const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_LEASE_MS = 15 * MINUTE;

/** The pause before try n+1 after try n failed: 30 s, 1 min, 2 min, … at most an hour. */
export function retryDelayMs(failedAttempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failedAttempt - 1), HOUR);
}

interface ClaimedRow {
  id: string;
  name: string;
  key: string;
  payload: Record<string, JsonValue>;
  attempts: number;
  max_attempts: number;
}

/** Errors are recorded by type and message only (never a pg `detail`, which may quote values). */
function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.slice(0, 500);
}

/**
 * Runs jobs from the `jobs` table on any number of nodes. Each node defines the same jobs and
 * schedules; `tick()` enqueues due schedule slots and runs what is due, one job at a time.
 * Tests call `tick()` (or `runDue()`) after moving the clock instead of starting the timer.
 */
export class JobRunner {
  readonly node: string;
  readonly #deps: Deps;
  readonly #definitions = new Map<string, JobDefinition>();
  readonly #schedules: ScheduleDefinition[] = [];
  readonly #lastSlot = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(deps: Deps, opts: { node?: string } = {}) {
    this.#deps = deps;
    this.node = opts.node ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  define(def: JobDefinition): this {
    if (this.#definitions.has(def.name)) throw new Error(`job ${def.name} is defined twice`);
    this.#definitions.set(def.name, def);
    return this;
  }

  schedule(s: ScheduleDefinition): this {
    if (!this.#definitions.has(s.job)) throw new Error(`schedule for undefined job ${s.job}`);
    if (!Number.isInteger(s.everyMs) || s.everyMs < 1000)
      throw new Error(`schedule for ${s.job}: everyMs must be at least 1000`);
    this.#schedules.push(s);
    return this;
  }

  get jobNames(): string[] {
    return [...this.#definitions.keys()];
  }

  get schedules(): readonly ScheduleDefinition[] {
    return this.#schedules;
  }

  /**
   * Queues a job. With a key, a second enqueue of the same (name, key) is a no-op (whatever state
   * the first is in), which is what makes enqueueing idempotent.
   * @returns the job's id and whether this call created it.
   */
  async enqueue(
    q: Queryable,
    name: string,
    payload: Record<string, JsonValue> = {},
    opts: { key?: string; runAt?: Date; maxAttempts?: number } = {},
  ): Promise<{ id: string; created: boolean }> {
    const def = this.#definitions.get(name);
    if (def === undefined) throw new Error(`unknown job ${name}`);
    const id = randomUUID();
    const now = this.#deps.clock.now();
    const rows = await q.query<{ id: string }>(
      `INSERT INTO jobs (id, name, key, payload, state, run_at, max_attempts, created_at) VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7)
       ON CONFLICT (name, key) DO NOTHING RETURNING id`,
      [
        id,
        name,
        opts.key ?? id,
        JSON.stringify(payload),
        opts.runAt ?? now,
        opts.maxAttempts ?? def.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        now,
      ],
    );
    if (rows.length > 0) return { id, created: true };
    const existing = await q.query<{ id: string }>(`SELECT id FROM jobs WHERE name = $1 AND key = $2`, [
      name,
      opts.key ?? id,
    ]);
    return { id: existing[0]?.id ?? id, created: false };
  }

  /**
   * Enqueues the current slot of every schedule, unless that schedule still has a job waiting or
   * running (a slow or failing job is not piled up behind). Several nodes may do this at once:
   * the slot key makes it one job.
   * @returns how many jobs this call created.
   */
  async enqueueDueSchedules(): Promise<number> {
    const now = this.#deps.clock.now().getTime();
    let created = 0;
    for (const s of this.#schedules) {
      const slot = Math.floor(now / s.everyMs) * s.everyMs;
      const memo = `${s.job}\u0000${s.everyMs}`;
      if (this.#lastSlot.get(memo) === slot) continue;
      const def = this.#definitions.get(s.job);
      const rows = await this.#deps.db.query(
        `INSERT INTO jobs (id, name, key, payload, state, run_at, max_attempts, created_at)
         SELECT $1, $2, $3, $4, 'queued', $5, $6, $7
         WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE name = $2 AND state IN ('queued', 'running'))
         ON CONFLICT (name, key) DO NOTHING RETURNING id`,
        [
          randomUUID(),
          s.job,
          `slot:${new Date(slot).toISOString()}`,
          JSON.stringify(s.payload ?? {}),
          new Date(slot),
          def?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
          new Date(now),
        ],
      );
      created += rows.length;
      this.#lastSlot.set(memo, slot);
    }
    return created;
  }

  /**
   * Enqueues every scheduled job for now, outside its slots (an operator's "run now", and tests
   * that move the clock by less than a slot). Idempotent jobs make an extra run harmless.
   */
  async triggerAll(): Promise<number> {
    let created = 0;
    for (const s of this.#schedules) {
      if ((await this.enqueue(this.#deps.db, s.job, s.payload ?? {})).created) created++;
    }
    return created;
  }

  /**
   * Claims one due job (queued and due, or running with an expired lease) for this node.
   * The claim is one statement over SKIP LOCKED: two nodes never get the same job.
   */
  async #claim(): Promise<ClaimedRow | undefined> {
    const now = this.#deps.clock.now();
    // A job whose lease ran out after its last allowed try is not tried again: it failed.
    await this.#deps.db.query(
      `UPDATE jobs SET state = 'failed', finished_at = $1, locked_by = NULL, locked_until = NULL,
         last_error = coalesce(last_error, 'lease expired')
       WHERE state = 'running' AND locked_until <= $1 AND attempts >= max_attempts`,
      [now],
    );
    const names = this.jobNames;
    if (names.length === 0) return undefined;
    const rows = await this.#deps.db.query<ClaimedRow>(
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = $2, locked_until = $3
       WHERE id = (
         SELECT id FROM jobs
         WHERE name = ANY($4::text[]) AND ((state = 'queued' AND run_at <= $1) OR (state = 'running' AND locked_until <= $1 AND attempts < max_attempts))
         ORDER BY run_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, name, key, payload, attempts, max_attempts`,
      [now, this.node, new Date(now.getTime() + DEFAULT_LEASE_MS), names],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const lease = this.#definitions.get(row.name)?.leaseMs;
    if (lease !== undefined && lease !== DEFAULT_LEASE_MS) {
      await this.#deps.db.query(`UPDATE jobs SET locked_until = $2 WHERE id = $1 AND locked_by = $3`, [
        row.id,
        new Date(now.getTime() + lease),
        this.node,
      ]);
    }
    return row;
  }

  async #runOne(row: ClaimedRow): Promise<'succeeded' | 'retry' | 'failed'> {
    const def = this.#definitions.get(row.name);
    const startedAt = this.#deps.clock.now();
    let result: JobResult | undefined;
    let error: unknown;
    try {
      if (def === undefined) throw new Error(`no handler for job ${row.name} on this node`);
      result = await def.handler({
        jobId: row.id,
        name: row.name,
        key: row.key,
        payload: row.payload,
        attempt: row.attempts,
        now: startedAt,
      });
    } catch (err) {
      error = err ?? new Error('job failed');
    }
    const finishedAt = this.#deps.clock.now();
    const outcome = error === undefined ? 'succeeded' : row.attempts >= row.max_attempts ? 'failed' : 'retry';
    const message = error === undefined ? null : describeError(error);
    await this.#deps.db.transaction(async (tx) => {
      // Fenced by node and attempt: a node whose lease ran out (and whose job was taken over)
      // records its run but does not overwrite the newer attempt's state.
      const params = [
        row.id,
        this.node,
        row.attempts,
        finishedAt,
        message,
        result === undefined ? null : JSON.stringify(result),
      ];
      if (outcome === 'succeeded') {
        await tx.query(
          `UPDATE jobs SET state = 'succeeded', finished_at = $4, result = $6, last_error = $5, locked_by = NULL, locked_until = NULL
           WHERE id = $1 AND locked_by = $2 AND attempts = $3`,
          params,
        );
      } else if (outcome === 'failed') {
        await tx.query(
          `UPDATE jobs SET state = 'failed', finished_at = $4, last_error = $5, result = $6, locked_by = NULL, locked_until = NULL
           WHERE id = $1 AND locked_by = $2 AND attempts = $3`,
          params,
        );
      } else {
        await tx.query(
          `UPDATE jobs SET state = 'queued', run_at = $4, last_error = $5, result = $6, locked_by = NULL, locked_until = NULL
           WHERE id = $1 AND locked_by = $2 AND attempts = $3`,
          [
            row.id,
            this.node,
            row.attempts,
            new Date(finishedAt.getTime() + retryDelayMs(row.attempts)),
            message,
            params[5],
          ],
        );
      }
      await tx.query(
        `INSERT INTO job_runs (job_id, attempt, node, started_at, finished_at, outcome, error, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          row.id,
          row.attempts,
          this.node,
          startedAt,
          finishedAt,
          outcome,
          message,
          result === undefined ? null : JSON.stringify(result),
        ],
      );
    });
    if (error !== undefined) {
      const log =
        outcome === 'failed'
          ? this.#deps.logger.error.bind(this.#deps.logger)
          : this.#deps.logger.warn.bind(this.#deps.logger);
      log(
        { job: row.name, jobId: row.id, attempt: row.attempts, err: message },
        outcome === 'failed' ? 'job failed for good' : 'job failed; will retry',
      );
    }
    return outcome;
  }

  /** Runs due jobs one after another until none is due (or `limit` ran). */
  async runDue(opts: { limit?: number } = {}): Promise<RunSummary> {
    const summary: RunSummary = { ran: 0, succeeded: 0, retried: 0, failed: 0 };
    const limit = opts.limit ?? 1000;
    while (summary.ran < limit && !this.#stopped) {
      const row = await this.#claim();
      if (row === undefined) break;
      const outcome = await this.#runOne(row);
      summary.ran++;
      if (outcome === 'succeeded') summary.succeeded++;
      else if (outcome === 'retry') summary.retried++;
      else summary.failed++;
    }
    return summary;
  }

  /** One round: schedules, then due jobs. */
  async tick(opts: { limit?: number } = {}): Promise<RunSummary> {
    await this.enqueueDueSchedules();
    return this.runDue(opts);
  }

  /** Ticks now and every `pollMs` until stopped; a failing round is logged and the next one tries again. */
  start(pollMs = 5000): void {
    this.#stopped = false;
    const round = () => {
      this.#running ??= this.tick()
        .then(() => undefined)
        .catch((err: unknown) => {
          this.#deps.logger.error({ err: describeError(err) }, 'job round failed; trying again next round');
        })
        .finally(() => {
          this.#running = undefined;
        });
    };
    this.#timer = setInterval(round, pollMs);
    this.#timer.unref();
    round();
  }

  /** Stops taking jobs and waits for the one in hand. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}

function randomUUID(): string {
  return globalThis.crypto.randomUUID();
}
