import { DAY } from '../../adapters/clock.ts';
import { one } from '../../adapters/db/index.ts';
import { hashToken } from '../../adapters/secrets.ts';
import { tenantBaseUrl } from '../../http/urls.ts';
import type { JobResult } from '../../jobs/runner.ts';
import { recordAudit } from '../audit/service.ts';
import { eraseOrganisation, eraseServiceAccount } from '../privacy/erase.ts';
import type { Tenant } from '../tenants/service.ts';
import { listTenants } from '../tenants/service.ts';
import { accountInactivityWarningMail, organisationDeletionAnnouncementMail } from './mails.ts';
import type { RetentionDeps } from './registry.ts';

/**
 * Inactivity rules share one shape: a subject (service account, organisation) with its last
 * activity; a notice `warnDays` before the period ends; deletion when the period is over and the
 * notice has had its time. Activity after the notice (its `anchor`) voids it: signing in, or the
 * stop link, keeps the subject and the clock starts again. Deletion is never earlier than the
 * date the notice announced, even when the notice went out late.
 */
export interface InactivityPolicy {
  days: number;
  warnDays: number;
}

interface Candidate {
  id: string;
  last_active: Date;
  notice_anchor: Date | null;
  notice_due: Date | null;
}

const BATCH = 200;

export function accountLoginUrl(tenant: Tenant, deps: Pick<RetentionDeps, 'config'>): string {
  return `${tenantBaseUrl(tenant, deps.config)}/account/login`;
}

export function keepOrganisationUrl(
  tenant: Tenant,
  deps: Pick<RetentionDeps, 'config'>,
  token: string,
): string {
  return `${tenantBaseUrl(tenant, deps.config)}/retention/keep/${token}`;
}

/** Service accounts: warn 14 days before the 90 days (by default) run out, then delete. */
export async function enforceAccountInactivity(
  deps: RetentionDeps,
  tenant: Tenant,
  policy: InactivityPolicy,
  now: Date,
): Promise<{ warned: number; deleted: number; voided: number }> {
  const result = { warned: 0, deleted: 0, voided: 0 };
  const rule = 'accounts.inactive';
  result.voided = (
    await deps.db.query(
      `DELETE FROM retention_notices n USING accounts a
       WHERE n.tenant_id = $1 AND n.rule = $2 AND a.tenant_id = n.tenant_id AND a.id = n.subject_id AND a.last_active_at > n.anchor RETURNING 1`,
      [tenant.id, rule],
    )
  ).length;
  const warnBefore = new Date(now.getTime() - (policy.days - policy.warnDays) * DAY);
  // Deletion first: whatever is due goes, each account in its own transaction.
  for (;;) {
    const due = await deps.db.query<{ id: string }>(
      `SELECT a.id FROM accounts a JOIN retention_notices n ON n.tenant_id = a.tenant_id AND n.rule = $2 AND n.subject_id = a.id
       WHERE a.tenant_id = $1 AND n.anchor = a.last_active_at AND n.due_at <= $3 AND a.last_active_at <= $4
       ORDER BY a.last_active_at LIMIT $5`,
      [tenant.id, rule, now, new Date(now.getTime() - policy.days * DAY), BATCH],
    );
    for (const a of due) {
      const deleted = await deps.db.transaction(async (tx) => {
        // Re-checked under the account's row lock: a sign-in a moment ago keeps it.
        const still = await one(
          tx,
          `SELECT 1 AS x FROM accounts a JOIN retention_notices n ON n.tenant_id = a.tenant_id AND n.rule = $3 AND n.subject_id = a.id
          WHERE a.tenant_id = $1 AND a.id = $2 AND n.anchor = a.last_active_at FOR UPDATE OF a SKIP LOCKED`,
          [tenant.id, a.id, rule],
        );
        if (still === undefined) return false;
        return eraseServiceAccount(tx, deps, {
          tenant,
          accountId: a.id,
          reason: 'inactivity',
          actor: { kind: 'system' },
          enforceLastAdmin: false,
        });
      });
      if (deleted) result.deleted++;
    }
    if (due.length < BATCH) break;
  }
  // Warnings: inactive long enough, and no notice about the current stretch of inactivity yet.
  for (;;) {
    const rows = await deps.db.query<Candidate & { email: string; locale: 'de' | 'en' | null }>(
      `SELECT a.id, a.last_active_at AS last_active, a.email, a.locale, NULL AS notice_anchor, NULL AS notice_due FROM accounts a
       WHERE a.tenant_id = $1 AND a.last_active_at <= $2
         AND NOT EXISTS (SELECT 1 FROM retention_notices n WHERE n.tenant_id = a.tenant_id AND n.rule = $3 AND n.subject_id = a.id AND n.anchor = a.last_active_at)
       ORDER BY a.last_active_at LIMIT $4`,
      [tenant.id, warnBefore, rule, BATCH],
    );
    for (const a of rows) {
      const dueAt = new Date(
        Math.max(a.last_active.getTime() + policy.days * DAY, now.getTime() + policy.warnDays * DAY),
      );
      const sent = await deps.db.transaction(async (tx) => {
        // The anchor is copied inside the database, so it compares equal to the column exactly.
        const claimed = await tx.query(
          `INSERT INTO retention_notices (tenant_id, rule, subject_id, anchor, notified_at, due_at)
           SELECT a.tenant_id, $2, a.id, a.last_active_at, $4, $5 FROM accounts a WHERE a.tenant_id = $1 AND a.id = $3
           ON CONFLICT (tenant_id, rule, subject_id) DO UPDATE SET anchor = EXCLUDED.anchor, notified_at = EXCLUDED.notified_at, due_at = EXCLUDED.due_at
           WHERE retention_notices.anchor <> EXCLUDED.anchor RETURNING 1`,
          [tenant.id, rule, a.id, now, dueAt],
        );
        if (claimed.length === 0) return false;
        // In the same transaction: a mail that cannot go out leaves no notice, and the next run tries again.
        await deps.mailer.send(
          accountInactivityWarningMail(a.email, a.locale ?? tenant.settings.defaultLocale ?? 'de', {
            tenantName: tenant.name,
            lastActive: a.last_active,
            dueAt,
            link: accountLoginUrl(tenant, deps),
          }),
        );
        return true;
      });
      if (sent) result.warned++;
    }
    if (rows.length < BATCH) break;
  }
  return result;
}

/**
 * The last activity of an organisation: its own (created, stop link) or any member's sign-in.
 */
const orgActivity = `greatest(o.last_active_at, (SELECT max(a.last_active_at) FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
  WHERE m.tenant_id = o.tenant_id AND m.organisation_id = o.id))`;

/** Organisation accounts: announce 30 days before the 3 years (by default) run out, with a stop link. */
export async function enforceOrganisationInactivity(
  deps: RetentionDeps,
  tenant: Tenant,
  policy: InactivityPolicy,
  now: Date,
): Promise<{ announced: number; deleted: number; voided: number }> {
  const result = { announced: 0, deleted: 0, voided: 0 };
  const rule = 'organisations.inactive';
  result.voided = (
    await deps.db.query(
      `DELETE FROM retention_notices n USING organisations o
       WHERE n.tenant_id = $1 AND n.rule = $2 AND o.tenant_id = n.tenant_id AND o.id = n.subject_id AND ${orgActivity} > n.anchor RETURNING 1`,
      [tenant.id, rule],
    )
  ).length;
  const due = await deps.db.query<{ id: string }>(
    `SELECT o.id FROM organisations o JOIN retention_notices n ON n.tenant_id = o.tenant_id AND n.rule = $2 AND n.subject_id = o.id
     WHERE o.tenant_id = $1 AND n.due_at <= $3 AND ${orgActivity} = n.anchor AND ${orgActivity} <= $4`,
    [tenant.id, rule, now, new Date(now.getTime() - policy.days * DAY)],
  );
  for (const o of due) {
    const deleted = await deps.db.transaction(async (tx) => {
      const locked = await one(
        tx,
        `SELECT 1 AS x FROM organisations WHERE tenant_id = $1 AND id = $2 FOR UPDATE SKIP LOCKED`,
        [tenant.id, o.id],
      );
      if (locked === undefined) return false;
      const still = await one(
        tx,
        `SELECT 1 AS x FROM organisations o JOIN retention_notices n ON n.tenant_id = o.tenant_id AND n.rule = $3 AND n.subject_id = o.id
         WHERE o.tenant_id = $1 AND o.id = $2 AND ${orgActivity} = n.anchor`,
        [tenant.id, o.id, rule],
      );
      if (still === undefined) return false;
      return eraseOrganisation(tx, deps, { tenantId: tenant.id, organisationId: o.id, reason: 'inactivity' });
    });
    if (deleted) result.deleted++;
  }
  const rows = await deps.db.query<{ id: string; name: string; contact_email: string; last_active: Date }>(
    `SELECT o.id, o.name, o.contact_email, ${orgActivity} AS last_active FROM organisations o
     WHERE o.tenant_id = $1 AND ${orgActivity} <= $2
       AND NOT EXISTS (SELECT 1 FROM retention_notices n WHERE n.tenant_id = o.tenant_id AND n.rule = $3 AND n.subject_id = o.id AND n.anchor = ${orgActivity})
     ORDER BY o.id LIMIT $4`,
    [tenant.id, new Date(now.getTime() - (policy.days - policy.warnDays) * DAY), rule, BATCH],
  );
  for (const o of rows) {
    const dueAt = new Date(
      Math.max(o.last_active.getTime() + policy.days * DAY, now.getTime() + policy.warnDays * DAY),
    );
    const token = deps.secrets.token();
    const sent = await deps.db.transaction(async (tx) => {
      const claimed = await tx.query(
        `INSERT INTO retention_notices (tenant_id, rule, subject_id, anchor, notified_at, due_at, stop_token_hash)
         SELECT o.tenant_id, $2, o.id, ${orgActivity}, $4, $5, $6 FROM organisations o WHERE o.tenant_id = $1 AND o.id = $3
         ON CONFLICT (tenant_id, rule, subject_id) DO UPDATE SET anchor = EXCLUDED.anchor, notified_at = EXCLUDED.notified_at, due_at = EXCLUDED.due_at, stop_token_hash = EXCLUDED.stop_token_hash
         WHERE retention_notices.anchor <> EXCLUDED.anchor RETURNING 1`,
        [tenant.id, rule, o.id, now, dueAt, hashToken(token)],
      );
      if (claimed.length === 0) return false;
      const admins = await tx.query<{ email: string; locale: 'de' | 'en' | null }>(
        `SELECT a.email, a.locale FROM organisation_members m JOIN accounts a ON a.tenant_id = m.tenant_id AND a.id = m.account_id
         WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND m.role = 'admin' ORDER BY a.email`,
        [tenant.id, o.id],
      );
      const lang = tenant.settings.defaultLocale ?? 'de';
      const link = keepOrganisationUrl(tenant, deps, token);
      const to = new Map<string, 'de' | 'en'>([[o.contact_email, lang]]);
      for (const a of admins) to.set(a.email, a.locale ?? lang);
      for (const [email, locale] of to) {
        await deps.mailer.send(
          organisationDeletionAnnouncementMail(email, locale, {
            tenantName: tenant.name,
            organisation: o.name,
            dueAt,
            link,
          }),
        );
      }
      return true;
    });
    if (sent) result.announced++;
  }
  return result;
}

/**
 * The stop link: the organisation counts as used now, its notice is void.
 * @returns the organisation's name, or undefined for an unknown or used link.
 */
export async function keepOrganisation(
  deps: Pick<RetentionDeps, 'db' | 'clock'>,
  tenantId: string,
  token: string,
  apply: boolean,
): Promise<string | undefined> {
  const row = await one<{ subject_id: string; name: string }>(
    deps.db,
    `SELECT n.subject_id, o.name FROM retention_notices n JOIN organisations o ON o.tenant_id = n.tenant_id AND o.id = n.subject_id
     WHERE n.tenant_id = $1 AND n.rule = 'organisations.inactive' AND n.stop_token_hash = $2`,
    [tenantId, hashToken(token)],
  );
  if (row === undefined || !apply) return row?.name;
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await tx.query(
      `UPDATE organisations SET last_active_at = greatest(last_active_at, $3) WHERE tenant_id = $1 AND id = $2`,
      [tenantId, row.subject_id, now],
    );
    await tx.query(
      `DELETE FROM retention_notices WHERE tenant_id = $1 AND rule = 'organisations.inactive' AND subject_id = $2`,
      [tenantId, row.subject_id],
    );
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'guest' },
      action: 'retention.deletion_stopped',
      subject: { kind: 'organisation', id: row.subject_id },
      details: { rule: 'organisations.inactive' },
    });
  });
  return row.name;
}

/** Runs both inactivity rules for every tenant; used by the retention jobs. */
export async function forEachTenant<T extends Record<string, number>>(
  deps: RetentionDeps,
  fn: (tenant: Tenant) => Promise<T>,
): Promise<JobResult> {
  const total: Record<string, number> = {};
  for (const tenant of await listTenants(deps.db)) {
    const r = await fn(tenant);
    for (const [k, v] of Object.entries(r)) total[k] = (total[k] ?? 0) + v;
  }
  return total;
}
