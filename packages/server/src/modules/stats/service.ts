import type { Queryable } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { listTenants } from '../tenants/index.ts';
import { addDays, berlinDay, berlinDayStart } from './days.ts';
import type { Metric } from './store.ts';
import {
  countedFromRows,
  countOne,
  deleteCountsBefore,
  keepLarger,
  markAccountActive,
  METRICS,
  storedCounts,
} from './store.ts';

/**
 * Aggregate usage statistics for the tenant admin: counts per day, from the database alone. No
 * cookies, no IP addresses, no list of who did what: a service account's activity is counted
 * once per day by marking the account with that day (accounts.active_counted_day).
 */

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
  const day = berlinDay(now);
  if (await markAccountActive(q, tenantId, accountId, now, day))
    await countOne(q, tenantId, day, 'active_accounts');
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
): Promise<{ written: number }> {
  let written = 0;
  const today = berlinDay(now);
  for (const tenant of await listTenants(deps.db)) {
    for (let i = daysBack; i >= 0; i--) {
      const day = addDays(today, -i);
      const from = berlinDayStart(day);
      const to = berlinDayStart(addDays(day, 1));
      for (const r of await countedFromRows(deps.db, tenant.id, from, to)) {
        if (r.value === 0) continue;
        await keepLarger(deps.db, tenant.id, day, r.metric, r.value);
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
  const rows = await storedCounts(q, tenantId, addDays(today, -(days - 1)), today);
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
export async function deleteOldStats(deps: Pick<AppDeps, 'db'>, now: Date): Promise<{ deleted: number }> {
  return { deleted: await deleteCountsBefore(deps.db, addDays(berlinDay(now), -STATS_DAYS)) };
}
