import { DAY } from '../../adapters/clock.ts';
import { hashToken } from '../../adapters/secrets.ts';
import { listTenants, tenantBaseUrl } from '../tenants/index.ts';
import type { JobResult } from '../../job-result.ts';
import { recordAudit } from '../audit/index.ts';
import {
  adminAddressesByEmail,
  keepOrganisationActive,
  lockOrganisationOrSkip,
} from '../organisations/index.ts';
import { eraseOrganisation, eraseServiceAccount } from '../privacy/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { accountInactivityWarningMail, organisationDeletionAnnouncementMail } from './mails.ts';
import { retentionErasureSteps } from './erasure.ts';
import type { RetentionDeps } from './registry.ts';
import {
  accountsDue,
  accountsToWarn,
  claimAccountNotice,
  claimOrganisationNotice,
  deleteNotice,
  lockAccountStillDue,
  organisationOfStopLink,
  organisationsDue,
  organisationStillDue,
  organisationsToAnnounce,
  voidAccountNotices,
  voidOrganisationNotices,
} from './store.ts';

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
  result.voided = await voidAccountNotices(deps.db, tenant.id, rule);
  const warnBefore = new Date(now.getTime() - (policy.days - policy.warnDays) * DAY);
  // Deletion first: whatever is due goes, each account in its own transaction.
  for (;;) {
    const due = await accountsDue(
      deps.db,
      tenant.id,
      rule,
      now,
      new Date(now.getTime() - policy.days * DAY),
      BATCH,
    );
    for (const a of due) {
      const deleted = await deps.db.transaction(async (tx) => {
        // Re-checked under the account's row lock: a sign-in a moment ago keeps it.
        if (!(await lockAccountStillDue(tx, tenant.id, a.id, rule))) return false;
        return eraseServiceAccount(tx, deps, {
          tenant,
          accountId: a.id,
          reason: 'inactivity',
          actor: { kind: 'system' },
          enforceLastAdmin: false,
          alsoErase: retentionErasureSteps,
        });
      });
      if (deleted) result.deleted++;
    }
    if (due.length < BATCH) break;
  }
  // Warnings: inactive long enough, and no notice about the current stretch of inactivity yet.
  for (;;) {
    const rows = await accountsToWarn(deps.db, tenant.id, warnBefore, rule, BATCH);
    for (const a of rows) {
      const dueAt = new Date(
        Math.max(a.lastActive.getTime() + policy.days * DAY, now.getTime() + policy.warnDays * DAY),
      );
      const sent = await deps.db.transaction(async (tx) => {
        const claimed = await claimAccountNotice(tx, {
          tenantId: tenant.id,
          rule,
          accountId: a.id,
          now,
          dueAt,
        });
        if (!claimed) return false;
        // In the same transaction: a mail that cannot go out leaves no notice, and the next run tries again.
        await deps.mailer.send(
          accountInactivityWarningMail(a.email, a.locale ?? tenant.settings.defaultLocale ?? 'de', {
            tenantName: tenant.name,
            lastActive: a.lastActive,
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

/** Organisation accounts: announce 30 days before the 3 years (by default) run out, with a stop link. */
export async function enforceOrganisationInactivity(
  deps: RetentionDeps,
  tenant: Tenant,
  policy: InactivityPolicy,
  now: Date,
): Promise<{ announced: number; deleted: number; voided: number }> {
  const result = { announced: 0, deleted: 0, voided: 0 };
  const rule = 'organisations.inactive';
  result.voided = await voidOrganisationNotices(deps.db, tenant.id, rule);
  const due = await organisationsDue(
    deps.db,
    tenant.id,
    rule,
    now,
    new Date(now.getTime() - policy.days * DAY),
  );
  for (const o of due) {
    const deleted = await deps.db.transaction(async (tx) => {
      if ((await lockOrganisationOrSkip(tx, tenant.id, o.id)) === undefined) return false;
      if (!(await organisationStillDue(tx, tenant.id, o.id, rule))) return false;
      return eraseOrganisation(tx, deps, {
        tenantId: tenant.id,
        organisationId: o.id,
        reason: 'inactivity',
        alsoErase: retentionErasureSteps,
      });
    });
    if (deleted) result.deleted++;
  }
  const rows = await organisationsToAnnounce(
    deps.db,
    tenant.id,
    new Date(now.getTime() - (policy.days - policy.warnDays) * DAY),
    rule,
    BATCH,
  );
  for (const o of rows) {
    const dueAt = new Date(
      Math.max(o.lastActive.getTime() + policy.days * DAY, now.getTime() + policy.warnDays * DAY),
    );
    const token = deps.secrets.token();
    const sent = await deps.db.transaction(async (tx) => {
      const claimed = await claimOrganisationNotice(tx, {
        tenantId: tenant.id,
        rule,
        organisationId: o.id,
        now,
        dueAt,
        stopTokenHash: hashToken(token),
      });
      if (!claimed) return false;
      const admins = await adminAddressesByEmail(tx, tenant.id, o.id);
      const lang = tenant.settings.defaultLocale ?? 'de';
      const link = keepOrganisationUrl(tenant, deps, token);
      const to = new Map<string, 'de' | 'en'>([[o.contactEmail, lang]]);
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
  const rule = 'organisations.inactive';
  const row = await organisationOfStopLink(deps.db, tenantId, rule, hashToken(token));
  if (row === undefined || !apply) return row?.name;
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await keepOrganisationActive(tx, tenantId, row.subjectId, now);
    await deleteNotice(tx, tenantId, rule, row.subjectId);
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'guest' },
      action: 'retention.deletion_stopped',
      subject: { kind: 'organisation', id: row.subjectId },
      details: { rule },
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
