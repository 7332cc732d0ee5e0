import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DAY, MINUTE } from '../../adapters/clock.ts';
import type { JobResult } from '../../job-result.ts';
import {
  deleteExpiredAccountLinks,
  deleteExpiredAccountTokens,
  deleteExpiredLoginChallenges,
  deleteExpiredOidcPendingIdentities,
  deleteExpiredWebauthnChallenges,
} from '../accounts/index.ts';
import { deleteAuditEventsBefore } from '../audit/index.ts';
import {
  deleteExpiredApiTokens,
  deleteExpiredEmailCodes,
  deleteExpiredLoginLinks,
  deleteExpiredOidcLogins,
  deleteExpiredSessions,
  deleteStaleRateLimits,
} from '../auth/index.ts';
import { deleteExpiredSessions as deleteExpiredDropoffSessions } from '../dropoff/index.ts';
import { listTenants } from '../tenants/index.ts';
import type { RetentionDeps, RetentionJobDeps, RetentionRule } from './registry.ts';
import { daysFor, recordRetentionDeletion } from './registry.ts';

/**
 * Sign-in data that ran out: sessions (24 hours at most), mailed codes, sign-in and reset links,
 * challenges, OpenID round trips, rate-limit counters, unfinished drop-offs, expired access tokens. Kept a day past
 * expiry where a late click should still get a clear "expired" answer, not "unknown".
 */
export async function deleteExpiredSignInData(
  deps: Pick<RetentionDeps, 'db' | 'clock'>,
  now: Date,
): Promise<JobResult> {
  const dayAgo = new Date(now.getTime() - DAY);
  const monthAgo = new Date(now.getTime() - 30 * DAY);
  return {
    sessions: await deleteExpiredSessions(deps.db, { now: () => now }),
    emailCodes: await deleteExpiredEmailCodes(deps.db, dayAgo),
    loginLinks: await deleteExpiredLoginLinks(deps.db, dayAgo),
    accountLinks: await deleteExpiredAccountLinks(deps.db, dayAgo),
    loginChallenges: await deleteExpiredLoginChallenges(deps.db, now),
    webauthnChallenges: await deleteExpiredWebauthnChallenges(deps.db, now),
    oidcLogins: await deleteExpiredOidcLogins(deps.db, dayAgo),
    oidcPendingIdentities: await deleteExpiredOidcPendingIdentities(deps.db, now),
    rateLimits: await deleteStaleRateLimits(deps.db, dayAgo),
    // Expired access tokens stay listed (as expired) for a month, so their holder sees why a
    // script stopped working; then they go.
    staffTokens: await deleteExpiredApiTokens(deps.db, monthAgo),
    accountTokens: await deleteExpiredAccountTokens(deps.db, monthAgo),
    dropoffSessions: await deleteExpiredDropoffSessions({ db: deps.db, clock: { now: () => now } }),
  };
}

/** The audit log keeps each tenant's period (default one year); the deletion itself is logged. */
export async function deleteOldAuditEvents(
  deps: Pick<RetentionDeps, 'db'>,
  rule: RetentionRule,
  now: Date,
): Promise<JobResult> {
  let deleted = 0;
  for (const tenant of await listTenants(deps.db)) {
    const cutoff = new Date(now.getTime() - daysFor(rule, tenant) * DAY);
    deleted += await deps.db.transaction(async (tx) => {
      const count = await deleteAuditEventsBefore(tx, tenant.id, cutoff);
      if (count > 0) await recordRetentionDeletion(tx, tenant.id, now, rule.id, count);
      return count;
    });
  }
  return { deleted };
}

/** Finished jobs (and their runs) after 30 days. */
export const JOB_RECORD_DAYS = 30;
export async function deleteOldJobRecords(
  deps: Pick<RetentionJobDeps, 'jobRecords'>,
  now: Date,
): Promise<JobResult> {
  return {
    deleted: await deps.jobRecords.deleteFinishedBefore(new Date(now.getTime() - JOB_RECORD_DAYS * DAY)),
  };
}

/**
 * Deletes access-log files whose first possible line is `days` old (a quarter of an hour early,
 * so with this job running every 10 minutes no line ever outlives `days`; at most 7 by config).
 */
export async function pruneAccessLogs(dir: string, now: Date, days: number): Promise<JobResult> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { deleted: 0 };
    throw err;
  }
  let deleted = 0;
  for (const name of names) {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2})\.log$/.exec(name);
    if (m?.[1] === undefined) continue;
    const start = Date.parse(`${m[1]}:00:00Z`);
    if (Number.isNaN(start) || now.getTime() < start + days * DAY - 15 * MINUTE) continue;
    await rm(path.join(dir, name), { force: true });
    deleted++;
  }
  return { deleted };
}
