import { createHash } from 'node:crypto';
import type { Clock } from '../../../adapters/clock.ts';
import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

/**
 * Fixed-window counters in the database, so every app node sees the same count. Keys are
 * hashed: the table says nothing about whom it counts.
 */
export interface Limit {
  /** What is counted, e.g. `login:account:<tenant>:<email>`. */
  key: string;
  max: number;
  windowMs: number;
}

function keyHash(key: string): Buffer {
  return createHash('sha256').update(`amtsbote-rate-limit\0${key}`).digest();
}

/** Hits recorded in the current window (0 when none or the window has passed). */
export async function currentHits(q: Queryable, clock: Clock, limit: Limit): Promise<number> {
  const row = await one<{ hits: number; window_start: Date }>(
    q,
    `SELECT hits, window_start FROM rate_limits WHERE key_hash = $1`,
    [keyHash(limit.key)],
  );
  if (row === undefined) return 0;
  return clock.now().getTime() - row.window_start.getTime() >= limit.windowMs ? 0 : row.hits;
}

export async function isLimited(q: Queryable, clock: Clock, limit: Limit): Promise<boolean> {
  return (await currentHits(q, clock, limit)) >= limit.max;
}

/** Counts one hit; returns the count in the current window including this one. */
export async function recordHit(q: Queryable, clock: Clock, limit: Limit): Promise<number> {
  const now = clock.now();
  const windowOpenedAfter = new Date(now.getTime() - limit.windowMs);
  const row = await one<{ hits: number }>(
    q,
    `INSERT INTO rate_limits AS r (key_hash, window_start, hits) VALUES ($1, $2, 1)
     ON CONFLICT (key_hash) DO UPDATE SET
       hits = CASE WHEN r.window_start <= $3 THEN 1 ELSE r.hits + 1 END,
       window_start = CASE WHEN r.window_start <= $3 THEN $2 ELSE r.window_start END
     RETURNING hits`,
    [keyHash(limit.key), now, windowOpenedAfter],
  );
  return row?.hits ?? 1;
}

export async function clearHits(q: Queryable, limit: Limit): Promise<void> {
  await q.query(`DELETE FROM rate_limits WHERE key_hash = $1`, [keyHash(limit.key)]);
}
