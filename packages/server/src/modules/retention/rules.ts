import { DAY, HOUR, MINUTE } from '../../adapters/clock.ts';
import { runYearlyMembershipReports } from '../organisations/index.ts';
import { inboundPolicy } from '../postbox/index.ts';
import { deleteOldStats, STATS_DAYS } from '../stats/index.ts';
import type { TenantSettings } from '../tenants/index.ts';
import { sweepTransfers } from '../transfers/index.ts';
import { DRAFT_LIFETIME_MS, transferPolicy } from '../transfers/index.ts';
import { accessLogDir } from '../privacy/index.ts';
import {
  deleteExpiredSignInData,
  deleteOldAuditEvents,
  deleteOldJobRecords,
  JOB_RECORD_DAYS,
  pruneAccessLogs,
} from './housekeeping.ts';
import { enforceAccountInactivity, enforceOrganisationInactivity, forEachTenant } from './inactivity.ts';
import type { RetentionRule } from './registry.ts';
import { catalogueText, daysFor, RetentionRegistry, rowsOlderThanRule } from './registry.ts';

function nested(
  settings: TenantSettings,
  key: 'transfers' | 'inbound',
  field: string,
  days: number,
): TenantSettings {
  const raw = (settings as Record<string, unknown>)[key];
  const current = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return { ...settings, [key]: { ...current, [field]: days } };
}

/**
 * Everything Amtsbote keeps and for how long, as the modules register it. Periods that belong to
 * a module's own settings (a transfer's default expiry) are read and written there. Modules that
 * come later add theirs with `retentionRegistry.register(…)` (see rowsOlderThanRule).
 */
export function defaultRetentionRegistry(): RetentionRegistry {
  const r = new RetentionRegistry();

  // --- transfers: content until expiry, metadata afterwards, drafts -------------------------------
  r.job({
    name: 'retention.transfers',
    everyMs: MINUTE,
    run: async (deps) => ({ ...(await sweepTransfers(deps)) }),
  });
  r.rule({
    id: 'transfers.content',
    module: 'transfers',
    defaultDays: 60,
    minDays: 1,
    maxDays: 365,
    readDays: (t) => transferPolicy(t).defaultExpiryDays,
    writeDays: (s, d) => nested(s, 'transfers', 'defaultExpiryDays', d),
    describe: catalogueText('transfers.content'),
    job: 'retention.transfers',
  });
  r.rule({
    id: 'dropoff.content',
    module: 'dropoff',
    defaultDays: 14,
    minDays: 1,
    maxDays: 60,
    readDays: (t) => inboundPolicy(t).defaultExpiryDays,
    writeDays: (s, d) => nested(s, 'inbound', 'defaultExpiryDays', d),
    describe: catalogueText('dropoff.content'),
    job: 'retention.transfers',
  });
  r.rule({
    id: 'dropoff.guest-contact',
    module: 'dropoff',
    describe: catalogueText('dropoff.guest-contact'),
    job: 'retention.transfers',
  });
  r.rule({
    id: 'transfers.metadata',
    module: 'transfers',
    defaultDays: 90,
    minDays: 1,
    maxDays: 3650,
    readDays: (t) => transferPolicy(t).metadataRetentionDays,
    writeDays: (s, d) => nested(s, 'transfers', 'metadataRetentionDays', d),
    describe: catalogueText('transfers.metadata'),
    job: 'retention.transfers',
  });
  r.rule({
    id: 'transfers.drafts',
    module: 'transfers',
    defaultDays: DRAFT_LIFETIME_MS / DAY,
    describe: catalogueText('transfers.drafts'),
    audience: 'admin',
    job: 'retention.transfers',
  });

  // --- service accounts and organisations ----------------------------------------------------------
  const accounts: RetentionRule = {
    id: 'accounts.inactive',
    module: 'accounts',
    defaultDays: 90,
    minDays: 30,
    maxDays: 3650,
    warnDays: 14,
    describe: catalogueText('accounts.inactive'),
    job: 'retention.accounts',
  };
  r.rule(accounts);
  r.job({
    name: 'retention.accounts',
    everyMs: 15 * MINUTE,
    run: (deps, now) =>
      forEachTenant(deps, (tenant) =>
        enforceAccountInactivity(
          deps,
          tenant,
          { days: daysFor(accounts, tenant), warnDays: accounts.warnDays ?? 0 },
          now,
        ),
      ),
  });
  const organisations: RetentionRule = {
    id: 'organisations.inactive',
    module: 'organisations',
    defaultDays: 3 * 365,
    minDays: 365,
    maxDays: 3650,
    warnDays: 30,
    describe: catalogueText('organisations.inactive'),
    job: 'retention.organisations',
  };
  r.rule(organisations);
  r.job({
    name: 'retention.organisations',
    everyMs: HOUR,
    run: (deps, now) =>
      forEachTenant(deps, (tenant) =>
        enforceOrganisationInactivity(
          deps,
          tenant,
          { days: daysFor(organisations, tenant), warnDays: organisations.warnDays ?? 0 },
          now,
        ),
      ),
  });
  r.rule({
    id: 'organisations.membership-log',
    module: 'organisations',
    describe: catalogueText('organisations.membership-log'),
    job: 'retention.membership-report',
  });
  r.job({
    name: 'retention.membership-report',
    everyMs: 6 * HOUR,
    run: async (deps, now) => ({ reported: await runYearlyMembershipReports(deps, now) }),
  });
  r.register(
    rowsOlderThanRule({
      id: 'organisations.invitations',
      module: 'organisations',
      table: 'organisation_invitations',
      column: 'expires_at',
      where: "status <> 'accepted'",
      defaultDays: 30,
    }),
  );
  r.register(
    rowsOlderThanRule({
      id: 'organisations.notices',
      module: 'organisations',
      table: 'organisation_notices',
      column: 'created_at',
      defaultDays: 365,
      minDays: 30,
      maxDays: 3650,
    }),
  );

  // --- inbound -------------------------------------------------------------------------------------
  r.register(
    rowsOlderThanRule({
      id: 'uploadlinks.expired',
      module: 'uploadlinks',
      table: 'upload_links',
      column: 'expires_at',
      defaultDays: 90,
      minDays: 1,
      maxDays: 3650,
    }),
  );

  // --- logs and sign-in data -------------------------------------------------------------------------
  const audit: RetentionRule = {
    id: 'audit.events',
    module: 'audit',
    defaultDays: 365,
    minDays: 30,
    maxDays: 3650,
    describe: catalogueText('audit.events'),
    job: 'retention.audit',
  };
  r.rule(audit);
  r.job({
    name: 'retention.audit',
    everyMs: HOUR,
    run: (deps, now) => deleteOldAuditEvents(deps, audit, now),
  });
  r.rule({ id: 'sessions', module: 'auth', describe: catalogueText('sessions'), job: 'retention.sign-in' });
  r.job({
    name: 'retention.sign-in',
    everyMs: 5 * MINUTE,
    run: (deps, now) => deleteExpiredSignInData(deps, now),
  });
  r.register(
    rowsOlderThanRule({
      id: 'feedback.accessibility',
      module: 'pages',
      table: 'accessibility_feedback',
      column: 'created_at',
      defaultDays: 365,
      minDays: 30,
      maxDays: 3650,
    }),
  );
  r.rule({
    id: 'access-log',
    module: 'privacy',
    defaultDays: 5,
    minDays: 1,
    maxDays: 7,
    describe: catalogueText('access-log'),
    job: 'retention.access-log',
  });
  r.job({
    name: 'retention.access-log',
    everyMs: 10 * MINUTE,
    // Runs whether or not the log is on now: files written while it was on still have to go.
    run: (deps, now) =>
      pruneAccessLogs(accessLogDir(deps.config.dataDir), now, deps.config.accessLog.retentionDays),
  });
  r.rule({
    id: 'jobs.records',
    module: 'jobs',
    defaultDays: JOB_RECORD_DAYS,
    describe: catalogueText('jobs.records'),
    audience: 'admin',
    job: 'retention.jobs',
  });
  r.job({
    name: 'retention.jobs',
    everyMs: 6 * HOUR,
    run: async (deps, now) => ({
      ...(await deleteOldJobRecords(deps, now)),
      ...(await deleteOldStats(deps, now)),
    }),
  });
  r.rule({
    id: 'stats.daily',
    module: 'stats',
    defaultDays: STATS_DAYS,
    describe: catalogueText('stats.daily'),
    audience: 'admin',
    job: 'retention.jobs',
  });
  return r;
}

/**
 * The registry the running portal uses. A module that arrives later registers here at import
 * time, e.g. online applications (drafts 365 days after the last change, completed cases 365
 * days after completion):
 *
 * ```ts
 * retentionRegistry.register(rowsOlderThanRule({ id: 'applications.drafts', module: 'applications',
 *   table: 'application_drafts', column: 'updated_at', defaultDays: 365, minDays: 30, maxDays: 3650 }));
 * retentionRegistry.register(rowsOlderThanRule({ id: 'applications.cases', module: 'applications',
 *   table: 'application_cases', column: 'completed_at', where: 'completed_at IS NOT NULL', defaultDays: 365, minDays: 30, maxDays: 3650 }));
 * ```
 * The words for the privacy notice are in the web catalogue under `retention.rules[id]`
 * (those two are there already).
 */
export const retentionRegistry = defaultRetentionRegistry();
