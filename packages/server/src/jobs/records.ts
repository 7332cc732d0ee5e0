import type { Queryable } from '../adapters/db/index.ts';

/**
 * Finished jobs (their runs go by cascade) that finished at or before `cutoff`. The retention
 * rule `jobs.records` decides when; the runner's tables are pruned only here.
 */
export async function deleteFinishedJobsBefore(q: Queryable, cutoff: Date): Promise<number> {
  const rows = await q.query(
    `DELETE FROM jobs WHERE state IN ('succeeded', 'failed') AND finished_at <= $1 RETURNING 1`,
    [cutoff],
  );
  return rows.length;
}
