import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DAY, MINUTE } from '../../adapters/clock.ts';
import type { JobResult } from '../../jobs/runner.ts';
import { deleteExpiredSessions } from '../auth/sessions.ts';
import { deleteExpiredSessions as deleteExpiredDropoffSessions } from '../dropoff/sessions.ts';
import { listTenants } from '../tenants/service.ts';
import type { RetentionDeps, RetentionRule } from './registry.ts';
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
  const count = async (sql: string, params: unknown[]) =>
    (await deps.db.query(`${sql} RETURNING 1`, params)).length;
  return {
    sessions: await deleteExpiredSessions(deps.db, { now: () => now }),
    emailCodes: await count(`DELETE FROM email_codes WHERE expires_at <= $1`, [dayAgo]),
    loginLinks: await count(`DELETE FROM login_links WHERE expires_at <= $1`, [dayAgo]),
    accountLinks: await count(`DELETE FROM account_links WHERE expires_at <= $1`, [dayAgo]),
    loginChallenges: await count(`DELETE FROM login_challenges WHERE expires_at <= $1`, [now]),
    webauthnChallenges: await count(`DELETE FROM webauthn_challenges WHERE expires_at <= $1`, [now]),
    oidcLogins: await count(`DELETE FROM oidc_logins WHERE expires_at <= $1`, [dayAgo]),
    oidcPendingIdentities: await count(`DELETE FROM oidc_pending_identities WHERE expires_at <= $1`, [now]),
    rateLimits: await count(`DELETE FROM rate_limits WHERE window_start <= $1`, [dayAgo]),
    // Expired access tokens stay listed (as expired) for a month, so their holder sees why a
    // script stopped working; then they go.
    staffTokens: await count(`DELETE FROM api_tokens WHERE expires_at <= $1`, [monthAgo]),
    accountTokens: await count(`DELETE FROM account_tokens WHERE expires_at <= $1`, [monthAgo]),
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
      const rows = await tx.query(`DELETE FROM audit_events WHERE tenant_id = $1 AND at <= $2 RETURNING 1`, [
        tenant.id,
        cutoff,
      ]);
      if (rows.length > 0) await recordRetentionDeletion(tx, tenant.id, now, rule.id, rows.length);
      return rows.length;
    });
  }
  return { deleted };
}

/** Finished jobs (and their runs) after 30 days. */
export const JOB_RECORD_DAYS = 30;
export async function deleteOldJobRecords(deps: Pick<RetentionDeps, 'db'>, now: Date): Promise<JobResult> {
  const rows = await deps.db.query(
    `DELETE FROM jobs WHERE state IN ('succeeded', 'failed') AND finished_at <= $1 RETURNING 1`,
    [new Date(now.getTime() - JOB_RECORD_DAYS * DAY)],
  );
  return { deleted: rows.length };
}

/** Access-log files, one per UTC hour: `2026-01-15T09.log`. */
export function accessLogDir(dataDir: string): string {
  return path.join(dataDir, 'access-log');
}

export function accessLogFileName(at: Date): string {
  return `${at.toISOString().slice(0, 13)}.log`;
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
