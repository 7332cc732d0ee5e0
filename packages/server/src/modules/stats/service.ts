import { DAY } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import type { JobResult } from '../../jobs/runner.ts';
import { listTenants } from '../tenants/service.ts';

/**
 * Aggregate usage statistics for the tenant admin: counts per day, from the database alone. No
 * cookies, no IP addresses, no list of who did what: a service account's activity is counted
 * once per day by marking the account with that day (accounts.active_counted_day).
 */
export const METRICS = ['transfers_sent', 'dropoffs', 'uploads', 'downloads', 'active_accounts'] as const;
export type Metric = (typeof METRICS)[number];

const TZ = 'Europe/Berlin';

/** The calendar day in Germany, `YYYY-MM-DD`. */
export function berlinDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

function offsetMs(at: Date): number {
  const name =
    new Intl.DateTimeFormat('en', { timeZone: TZ, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (m === null) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** The first instant of a German calendar day. */
export function berlinDayStart(day: string): Date {
  const utc = Date.parse(`${day}T00:00:00Z`);
  const guess = utc - offsetMs(new Date(utc));
  return new Date(utc - offsetMs(new Date(guess)));
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

/**
 * A service account was active (signed in): moves its last activity forward, which stops its
 * inactivity deletion, and counts it once for today.
 */
export async function noteAccountActive(
  q: Queryable,
  tenantId: string,
  accountId: string,
  now: Date,
): Promise<void> {
  await q.query(
    `UPDATE accounts SET last_active_at = greatest(last_active_at, $3) WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId, now],
  );
  const day = berlinDay(now);
  const first = await q.query(
    `UPDATE accounts SET active_counted_day = $3::date WHERE tenant_id = $1 AND id = $2 AND active_counted_day IS DISTINCT FROM $3::date RETURNING 1`,
    [tenantId, accountId, day],
  );
  if (first.length > 0) {
    await q.query(
      `INSERT INTO stats_daily (tenant_id, day, metric, value) VALUES ($1, $2::date, 'active_accounts', 1)
       ON CONFLICT (tenant_id, day, metric) DO UPDATE SET value = stats_daily.value + 1`,
      [tenantId, day],
    );
  }
}

/**
 * Takes today's and the two previous days' counts from the rows and keeps the larger of the
 * stored and the counted value (rows only ever disappear, through retention), so history stays
 * when the rows are gone. Idempotent; run every few minutes.
 */
export async function aggregateDailyStats(
  deps: Pick<AppDeps, 'db'>,
  now: Date,
  daysBack = 2,
): Promise<JobResult> {
  let written = 0;
  const today = berlinDay(now);
  for (const tenant of await listTenants(deps.db)) {
    for (let i = daysBack; i >= 0; i--) {
      const day = addDays(today, -i);
      const from = berlinDayStart(day);
      const to = berlinDayStart(addDays(day, 1));
      const rows = await deps.db.query<{ metric: Metric; value: number }>(
        `SELECT 'transfers_sent' AS metric, count(*)::int AS value FROM transfers WHERE tenant_id = $1 AND inbound IS NULL AND sent_at >= $2 AND sent_at < $3
         UNION ALL SELECT 'dropoffs', count(*)::int FROM transfers WHERE tenant_id = $1 AND inbound = 'dropoff' AND sent_at >= $2 AND sent_at < $3
         UNION ALL SELECT 'uploads', count(*)::int FROM transfers WHERE tenant_id = $1 AND inbound = 'upload' AND sent_at >= $2 AND sent_at < $3
         UNION ALL SELECT 'downloads', count(*)::int FROM transfer_downloads WHERE tenant_id = $1 AND at >= $2 AND at < $3`,
        [tenant.id, from, to],
      );
      for (const r of rows) {
        if (r.value === 0) continue;
        await deps.db.query(
          `INSERT INTO stats_daily (tenant_id, day, metric, value) VALUES ($1, $2::date, $3, $4)
           ON CONFLICT (tenant_id, day, metric) DO UPDATE SET value = greatest(stats_daily.value, EXCLUDED.value)`,
          [tenant.id, day, r.metric, r.value],
        );
        written++;
      }
    }
  }
  return { written };
}

export interface DailyStats {
  day: string;
  values: Record<Metric, number>;
}

/** The last `days` days (today included), newest first, zeros where nothing happened. */
export async function dailyStats(
  q: Queryable,
  tenantId: string,
  now: Date,
  days = 30,
): Promise<DailyStats[]> {
  const today = berlinDay(now);
  const first = addDays(today, -(days - 1));
  const rows = await q.query<{ day: string; metric: Metric; value: number }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, value FROM stats_daily WHERE tenant_id = $1 AND day >= $2::date AND day <= $3::date`,
    [tenantId, first, today],
  );
  const out: DailyStats[] = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(today, -i);
    const values = Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<Metric, number>;
    for (const r of rows) if (r.day === day) values[r.metric] = r.value;
    out.push({ day, values });
  }
  return out;
}

/** Stats rows are counts, not personal data; still, they end: after two years. */
export const STATS_DAYS = 730;
export async function deleteOldStats(deps: Pick<AppDeps, 'db'>, now: Date): Promise<JobResult> {
  const rows = await deps.db.query(`DELETE FROM stats_daily WHERE day < $1::date RETURNING 1`, [
    addDays(berlinDay(now), -STATS_DAYS),
  ]);
  return { deleted: rows.length };
}
