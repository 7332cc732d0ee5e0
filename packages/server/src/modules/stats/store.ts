import type { Queryable } from '../../adapters/db/index.ts';

/**
 * The statistics' SQL: one row per tenant, day and metric in stats_daily. Counts only, never
 * who did what.
 */
export const METRICS = ['transfers_sent', 'dropoffs', 'uploads', 'downloads', 'active_accounts'] as const;
export type Metric = (typeof METRICS)[number];

/**
 * Marks the account as active on `day` (once per day) and says whether this was the first time
 * that day. The mark lives on the account, so no list of active people is kept anywhere.
 */
export async function markAccountActive(
  q: Queryable,
  tenantId: string,
  accountId: string,
  now: Date,
  day: string,
): Promise<boolean> {
  // Writes accounts (owner: accounts): signing in happens in auth, which may not import accounts;
  // see the report on noteAccountActive.
  await q.query(
    `UPDATE accounts SET last_active_at = greatest(last_active_at, $3) WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId, now],
  );
  const first = await q.query(
    `UPDATE accounts SET active_counted_day = $3::date WHERE tenant_id = $1 AND id = $2 AND active_counted_day IS DISTINCT FROM $3::date RETURNING 1`,
    [tenantId, accountId, day],
  );
  return first.length > 0;
}

/** Adds one to a day's count. */
export async function countOne(q: Queryable, tenantId: string, day: string, metric: Metric): Promise<void> {
  await q.query(
    `INSERT INTO stats_daily (tenant_id, day, metric, value) VALUES ($1, $2::date, $3, 1)
     ON CONFLICT (tenant_id, day, metric) DO UPDATE SET value = stats_daily.value + 1`,
    [tenantId, day, metric],
  );
}

/** The day's counts taken from the rows themselves (transfers, downloads). */
export async function countedFromRows(
  q: Queryable,
  tenantId: string,
  from: Date,
  to: Date,
): Promise<{ metric: Metric; value: number }[]> {
  return q.query<{ metric: Metric; value: number }>(
    `SELECT 'transfers_sent' AS metric, count(*)::int AS value FROM transfers WHERE tenant_id = $1 AND inbound IS NULL AND sent_at >= $2 AND sent_at < $3
     -- reads transfers, transfer_downloads (owner: transfers): one query a day; transfers comes later in the module order
     UNION ALL SELECT 'dropoffs', count(*)::int FROM transfers WHERE tenant_id = $1 AND inbound = 'dropoff' AND sent_at >= $2 AND sent_at < $3
     UNION ALL SELECT 'uploads', count(*)::int FROM transfers WHERE tenant_id = $1 AND inbound = 'upload' AND sent_at >= $2 AND sent_at < $3
     UNION ALL SELECT 'downloads', count(*)::int FROM transfer_downloads WHERE tenant_id = $1 AND at >= $2 AND at < $3`,
    [tenantId, from, to],
  );
}

/** Keeps the larger of the stored and the counted value. */
export async function keepLarger(
  q: Queryable,
  tenantId: string,
  day: string,
  metric: Metric,
  value: number,
): Promise<void> {
  await q.query(
    `INSERT INTO stats_daily (tenant_id, day, metric, value) VALUES ($1, $2::date, $3, $4)
     ON CONFLICT (tenant_id, day, metric) DO UPDATE SET value = greatest(stats_daily.value, EXCLUDED.value)`,
    [tenantId, day, metric, value],
  );
}

/** The stored counts of the days from `first` to `last`. */
export async function storedCounts(
  q: Queryable,
  tenantId: string,
  first: string,
  last: string,
): Promise<{ day: string; metric: Metric; value: number }[]> {
  return q.query<{ day: string; metric: Metric; value: number }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, value FROM stats_daily WHERE tenant_id = $1 AND day >= $2::date AND day <= $3::date`,
    [tenantId, first, last],
  );
}

/** Deletes the counts of the days before `day`. */
export async function deleteCountsBefore(q: Queryable, day: string): Promise<number> {
  const rows = await q.query(`DELETE FROM stats_daily WHERE day < $1::date RETURNING 1`, [day]);
  return rows.length;
}
