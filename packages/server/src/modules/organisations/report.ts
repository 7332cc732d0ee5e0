import type { AppDeps } from '../../deps.ts';
import { recordAudit } from '../audit/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { listTenants, tenantBaseUrl } from '../tenants/index.ts';
import { postboxNotificationMail } from './mails.ts';
import { addNotice } from './notices.ts';
import {
  adminAddresses,
  deleteGrants,
  grantsBefore,
  organisationsWithGrantsBefore,
} from './store/members.ts';
import { lockOrganisationOrSkip } from './store/organisations.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'logger'>;

/** The first instant of `now`'s calendar year in Germany (where the organisations are). */
export function startOfYearBerlin(now: Date): Date {
  const year = Number(
    new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Europe/Berlin' }).format(now),
  );
  // Midnight in Berlin on 1 January is 23:00 UTC on 31 December (CET, UTC+1).
  return new Date(Date.UTC(year - 1, 11, 31, 23, 0, 0));
}

/**
 * Once a year, each organisation's administrators get the overview of the past year's access
 * changes as a notice in the postbox, and those log entries are deleted (Amt24: "Eine
 * entsprechende Übersicht wird jährlich … übermittelt. Die jeweiligen Logdateien werden
 * anschließend gelöscht."). Covers every entry from before the current year.
 *
 * Safe to run any number of times and on several nodes at once: each organisation is handled in
 * its own transaction that locks it (SKIP LOCKED) and deletes exactly the entries it reported, so
 * a second run finds nothing to report. Schedule it daily; it does work only after New Year.
 * @returns how many organisations got an overview.
 */
export async function runYearlyMembershipReports(deps: Deps, now: Date = deps.clock.now()): Promise<number> {
  const cutoff = startOfYearBerlin(now);
  let reported = 0;
  for (const tenant of await listTenants(deps.db)) {
    for (const organisationId of await organisationsWithGrantsBefore(deps.db, tenant.id, cutoff)) {
      try {
        if (await reportOne(deps, tenant, organisationId, cutoff)) reported++;
      } catch (err) {
        deps.logger.error(
          { err, organisationId },
          'yearly membership report failed; retried on the next run',
        );
      }
    }
  }
  return reported;
}

async function reportOne(deps: Deps, tenant: Tenant, organisationId: string, cutoff: Date): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    const o = await lockOrganisationOrSkip(tx, tenant.id, organisationId);
    if (o === undefined) return false;
    const entries = await grantsBefore(tx, tenant.id, organisationId, cutoff);
    if (entries.length === 0) return false;
    await addNotice(tx, deps, {
      tenantId: tenant.id,
      organisationId,
      audience: 'admins',
      body: {
        kind: 'membership-report',
        data: {
          from: entries[0]?.at.toISOString() ?? null,
          until: cutoff.toISOString(),
          entries: entries.map((e) => ({
            account: e.accountEmail,
            action: e.action,
            at: e.at.toISOString(),
            by: e.byEmail,
          })),
        },
      },
    });
    await deleteGrants(
      tx,
      tenant.id,
      organisationId,
      entries.map((e) => e.id),
    );
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: deps.clock.now(),
      actor: { kind: 'system' },
      action: 'organisation.membership_report',
      subject: { kind: 'organisation', id: organisationId },
      details: { entries: entries.length },
    });
    const admins = await adminAddresses(tx, tenant.id, organisationId);
    const link = `${tenantBaseUrl(tenant, deps.config)}/organisations/${organisationId}`;
    for (const a of admins) {
      await deps.mailer.send(
        postboxNotificationMail(a.email, a.locale ?? 'de', {
          organisation: o.name,
          tenantName: tenant.name,
          link,
          what: 'notice',
        }),
      );
    }
    return true;
  });
}
