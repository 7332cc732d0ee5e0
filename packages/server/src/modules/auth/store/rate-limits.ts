import { createHash } from 'node:crypto';
import type { Clock } from '../../../adapters/clock.ts';
import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

/**
 * Rate limits in the database, so every app node sees the same count. Keys are hashed: the
 * table says nothing about whom it counts.
 *
 * Every decision is one statement (`INSERT … ON CONFLICT … DO UPDATE … WHERE … RETURNING`): the
 * row lock orders parallel requests and each sees the count its predecessor left, so a burst
 * cannot get more than the limit. (A read followed by a write let 26 of 40 parallel wrong
 * passwords through a limit of 5.)
 *
 * Two kinds:
 * - {@link Limit}, a token bucket in its GCRA form: a burst of `max`, then one more every
 *   `windowMs / max`. Chosen over a sliding window because it needs one timestamp per key (a
 *   sliding log needs a row per hit, a sliding counter two counters and still approximates), a
 *   taken token can be given back exactly, and it has no window edge at which a fixed window
 *   allows twice its limit. After `windowMs` without hits the bucket is full again.
 * - {@link DelayLimit}, a progressive delay: `free` tries, then each try must wait twice as long
 *   as the one before, up to `maxDelayMs`. It never refuses for longer than that, so whoever
 *   knows the password gets in once the delay has passed.
 *
 * Columns: `tat` is when the bucket is full again, or when the next try is allowed (delay);
 * `window_start` when the row was last touched (the housekeeping sweep deletes idle rows);
 * `hits` the tokens in use, or the tries in a row (delay).
 */
export interface Limit {
  /** What is counted, e.g. `login:ip:<ip>`. */
  key: string;
  max: number;
  windowMs: number;
}

export interface DelayLimit {
  /** What is counted, e.g. `login:account:<tenant>:<email>`. */
  key: string;
  /** Tries without delay. */
  free: number;
  /** The wait after the last free try; it doubles with every further try. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Tries in a row are forgotten after this long without one. */
  resetMs: number;
}

function keyHash(key: string): Buffer {
  return createHash('sha256').update(`amtsbote-rate-limit\0${key}`).digest();
}

const MS = `interval '1 millisecond'`;

/** The GCRA spacing of one token. */
function interval(limit: Limit): number {
  return limit.windowMs / limit.max;
}

/**
 * Takes a token if the bucket has one, in one statement.
 * @returns whether the token was taken (false: limited, nothing counted).
 */
export async function takeToken(q: Queryable, clock: Clock, limit: Limit): Promise<boolean> {
  if (limit.max < 1) return false;
  const row = await one<{ hits: number }>(
    q,
    // $3 the spacing of one token, $4 the window: a token is there while the bucket, after
    // taking it, would still be full again within the window.
    `INSERT INTO rate_limits AS r (key_hash, window_start, hits, tat)
     VALUES ($1, $2::timestamptz, 1, $2::timestamptz + $3::float8 * ${MS})
     ON CONFLICT (key_hash) DO UPDATE SET
       tat = greatest(r.tat, $2::timestamptz) + $3::float8 * ${MS},
       window_start = $2::timestamptz,
       hits = ceil(extract(epoch FROM greatest(r.tat, $2::timestamptz) - $2::timestamptz) * 1000 / $3::float8)::integer + 1
     WHERE greatest(r.tat, $2::timestamptz) + $3::float8 * ${MS} <= $2::timestamptz + $4::float8 * ${MS}
     RETURNING hits`,
    [keyHash(limit.key), clock.now(), interval(limit), limit.windowMs],
  );
  return row !== undefined;
}

/** Returns a token taken by {@link takeToken} (a sign-in that succeeded is not counted). */
export async function giveBackToken(q: Queryable, limit: Limit): Promise<void> {
  await q.query(
    `UPDATE rate_limits SET tat = tat - $2::float8 * ${MS}, hits = greatest(hits - 1, 0)
     WHERE key_hash = $1 AND tat IS NOT NULL`,
    [keyHash(limit.key), interval(limit)],
  );
}

/**
 * Takes a token from every bucket or from none: a refusal gives back what was taken before it.
 * @returns whether all were taken.
 */
export async function takeTokens(q: Queryable, clock: Clock, limits: readonly Limit[]): Promise<boolean> {
  const taken: Limit[] = [];
  for (const l of limits) {
    if (!(await takeToken(q, clock, l))) {
      for (const t of taken) await giveBackToken(q, t);
      return false;
    }
    taken.push(l);
  }
  return true;
}

/**
 * Takes the next try of a progressive delay, in one statement: allowed when the delay of the
 * previous try has passed; it then sets the delay for the next one.
 * @returns whether the try may go ahead (false: too early, nothing counted).
 */
export async function takeTurn(q: Queryable, clock: Clock, limit: DelayLimit): Promise<boolean> {
  // The tries in a row including this one; $3 the reset period.
  const tries = `CASE WHEN r.window_start <= $2::timestamptz - $3::float8 * ${MS} THEN 1 ELSE r.hits + 1 END`;
  // The wait after try n: none for the free ones, then $5 · 2^(n - $4), at most $6.
  const delay = (n: string) =>
    `(CASE WHEN ${n} < $4::integer THEN 0
           ELSE least($5::float8 * power(2::float8, (${n} - $4::integer)::float8), $6::float8) END) * ${MS}`;
  const row = await one<{ hits: number }>(
    q,
    `INSERT INTO rate_limits AS r (key_hash, window_start, hits, tat)
     VALUES ($1, $2::timestamptz, 1, $2::timestamptz + ${delay('1')})
     ON CONFLICT (key_hash) DO UPDATE SET
       hits = ${tries},
       window_start = $2::timestamptz,
       tat = $2::timestamptz + ${delay(tries)}
     WHERE r.tat IS NULL OR r.tat <= $2::timestamptz OR r.window_start <= $2::timestamptz - $3::float8 * ${MS}
     RETURNING hits`,
    [keyHash(limit.key), clock.now(), limit.resetMs, limit.free, limit.baseDelayMs, limit.maxDelayMs],
  );
  return row !== undefined;
}

/** Forgets a key: a bucket is full again, a delay starts over. */
export async function clearHits(q: Queryable, limit: Pick<Limit, 'key'>): Promise<void> {
  await q.query(`DELETE FROM rate_limits WHERE key_hash = $1`, [keyHash(limit.key)]);
}
