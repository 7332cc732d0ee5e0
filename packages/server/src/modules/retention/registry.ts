import type { Locale } from '@amtsbote/contracts';
import { messages } from '@amtsbote/web';
import { DAY } from '../../adapters/clock.ts';
import type { AppDeps } from '../../deps.ts';
import type { JobResult } from '../../job-result.ts';
import { recordAudit } from '../audit/index.ts';
import type { Tenant, TenantSettings } from '../tenants/index.ts';
import { listTenants } from '../tenants/index.ts';

export type RetentionDeps = Pick<
  AppDeps,
  'db' | 'blobs' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'logger'
>;

/** The job runner's own records (jobs/, below the modules), pruned by the `jobs.records` rule. */
export interface JobRecords {
  /** Deletes finished jobs (and their runs) that finished at or before `cutoff`; returns how many. */
  deleteFinishedBefore(cutoff: Date): Promise<number>;
}

/** What a retention job runs with: the portal's I/O, and the runner's records it may prune. */
export type RetentionJobDeps = RetentionDeps & { jobRecords: JobRecords };

/**
 * One kind of data a module keeps, and for how long. Modules register their rules here; the
 * tenant admin sees and (where allowed) changes the periods, the privacy notice prints them, and
 * the rule's job deletes what ran out. A period that is a property of something else (a transfer's
 * expiry) is read from where that lives, so there is one truth.
 */
export interface RetentionRule {
  /** Stable id, e.g. `accounts.inactive`; also the key in `tenants.settings.retention`. */
  id: string;
  /** The module that registered it. */
  module: string;
  /** Period in days when the tenant set none; undefined for periods that are no number of days. */
  defaultDays?: number;
  /** Bounds for a tenant's own value; without them the period is fixed. */
  minDays?: number;
  maxDays?: number;
  /** A warning or announcement this many days before deletion (0: none). */
  warnDays?: number;
  /** The tenant's period, where it is kept elsewhere (default: settings.retention[id]). */
  readDays?(tenant: Pick<Tenant, 'settings'>): number;
  /** Stores the tenant's period, where it is kept elsewhere. */
  writeDays?(settings: TenantSettings, days: number): TenantSettings;
  /** The text for people: what is kept, and until when (given the period in force). */
  describe(locale: Locale, days: number, warnDays: number): { what: string; period: string };
  /** Where this rule is shown: the privacy notice (public) or only to the tenant admin. */
  audience?: 'public' | 'admin';
  /** The job that enforces it (see {@link RetentionJob}); several rules may share one. */
  job?: string;
}

/**
 * The work behind one or more rules: runs on every node's job runner on a schedule, across all
 * tenants, idempotent (a second run finds nothing left to do).
 */
export interface RetentionJob {
  name: string;
  everyMs: number;
  run(deps: RetentionJobDeps, now: Date): Promise<JobResult>;
}

export class RetentionRegistry {
  readonly #rules = new Map<string, RetentionRule>();
  readonly #jobs = new Map<string, RetentionJob>();

  /** @throws {Error} for a duplicate id or inconsistent bounds: a programming error. */
  rule(rule: RetentionRule): this {
    if (this.#rules.has(rule.id)) throw new Error(`retention rule ${rule.id} is registered twice`);
    const { minDays, maxDays, defaultDays } = rule;
    if ((minDays === undefined) !== (maxDays === undefined))
      throw new Error(`retention rule ${rule.id}: give both minDays and maxDays, or neither`);
    if (
      minDays !== undefined &&
      maxDays !== undefined &&
      (defaultDays === undefined || defaultDays < minDays || defaultDays > maxDays || minDays > maxDays)
    ) {
      throw new Error(`retention rule ${rule.id}: the default must lie within its bounds`);
    }
    this.#rules.set(rule.id, rule);
    return this;
  }

  job(job: RetentionJob): this {
    if (this.#jobs.has(job.name)) throw new Error(`retention job ${job.name} is registered twice`);
    this.#jobs.set(job.name, job);
    return this;
  }

  /** A rule together with the job that enforces it (see {@link rowsOlderThanRule}). */
  register(entry: { rule: RetentionRule; job?: RetentionJob }): this {
    this.rule(entry.rule);
    if (entry.job !== undefined) this.job(entry.job);
    return this;
  }

  get rules(): RetentionRule[] {
    return [...this.#rules.values()];
  }

  get jobs(): RetentionJob[] {
    return [...this.#jobs.values()];
  }

  get(id: string): RetentionRule | undefined {
    return this.#rules.get(id);
  }
}

export function isConfigurable(
  rule: RetentionRule,
): rule is RetentionRule & { minDays: number; maxDays: number; defaultDays: number } {
  return rule.minDays !== undefined && rule.maxDays !== undefined && rule.defaultDays !== undefined;
}

function storedRetention(settings: TenantSettings): Record<string, unknown> {
  const raw = (settings as { retention?: unknown }).retention;
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
}

/** The period in force for this tenant: its own value within the bounds, else the default. */
export function daysFor(rule: RetentionRule, tenant: Pick<Tenant, 'settings'>): number {
  if (rule.readDays !== undefined) return rule.readDays(tenant);
  const d = rule.defaultDays ?? 0;
  if (!isConfigurable(rule)) return d;
  const v = storedRetention(tenant.settings)[rule.id];
  return typeof v === 'number' && Number.isInteger(v) && v >= rule.minDays && v <= rule.maxDays ? v : d;
}

/** Settings with the rule's period changed (the caller checked the bounds). */
export function withDays(rule: RetentionRule, settings: TenantSettings, days: number): TenantSettings {
  if (rule.writeDays !== undefined) return rule.writeDays(settings, days);
  return { ...settings, retention: { ...storedRetention(settings), [rule.id]: days } } as TenantSettings;
}

/** One rule as people read it, for the privacy notice and the admin page. */
export interface RetentionEntry {
  id: string;
  module: string;
  what: string;
  period: string;
  days: number;
  defaultDays: number | undefined;
  minDays: number | undefined;
  maxDays: number | undefined;
  configurable: boolean;
  audience: 'public' | 'admin';
}

export function describeRetention(
  registry: RetentionRegistry,
  tenant: Pick<Tenant, 'settings'>,
  locale: Locale,
  extra: { accessLogDays: number },
): RetentionEntry[] {
  return registry.rules.map((rule) => {
    const days = rule.id === 'access-log' ? extra.accessLogDays : daysFor(rule, tenant);
    const text = rule.describe(locale, days, rule.warnDays ?? 0);
    return {
      id: rule.id,
      module: rule.module,
      what: text.what,
      period: text.period,
      days,
      defaultDays: rule.defaultDays,
      minDays: rule.minDays,
      maxDays: rule.maxDays,
      configurable: isConfigurable(rule) && rule.id !== 'access-log',
      audience: rule.audience ?? 'public',
    };
  });
}

/** The describe() of a rule whose words live in the web catalogue under `retention.rules[id]`. */
export function catalogueText(id: string): RetentionRule['describe'] {
  return (locale, days, warnDays) => {
    const t = messages(locale).retention;
    const entry = t.rules[id];
    return entry === undefined
      ? { what: id, period: t.fallbackPeriod(days) }
      : { what: entry.what, period: entry.period(days, warnDays) };
  };
}

const identifier = /^[a-z_][a-z0-9_]*$/;

/**
 * A rule for a module whose data ends a fixed time after a timestamp: rows of `table` (with a
 * `tenant_id`) whose `column` lies more than the tenant's period in the past are deleted, and the
 * deletion is recorded as one audit event per tenant (counts only). Meant for modules that
 * arrive later, e.g. online applications:
 *
 * ```ts
 * retentionRegistry.register(rowsOlderThanRule({ id: 'applications.drafts', module: 'applications',
 *   table: 'application_drafts', column: 'updated_at', defaultDays: 365, minDays: 30, maxDays: 3650 }));
 * ```
 * `where` narrows the rows (trusted SQL from the module, no parameters).
 */
export function rowsOlderThanRule(opts: {
  id: string;
  module: string;
  table: string;
  column: string;
  where?: string;
  defaultDays: number;
  minDays?: number;
  maxDays?: number;
  everyMs?: number;
  describe?: RetentionRule['describe'];
}): { rule: RetentionRule; job: RetentionJob } {
  if (!identifier.test(opts.table) || !identifier.test(opts.column))
    throw new Error(`retention rule ${opts.id}: bad table or column name`);
  const jobName = `retention.${opts.id}`;
  const rule: RetentionRule = {
    id: opts.id,
    module: opts.module,
    defaultDays: opts.defaultDays,
    ...(opts.minDays === undefined ? {} : { minDays: opts.minDays }),
    ...(opts.maxDays === undefined ? {} : { maxDays: opts.maxDays }),
    describe: opts.describe ?? catalogueText(opts.id),
    job: jobName,
  };
  const job: RetentionJob = {
    name: jobName,
    everyMs: opts.everyMs ?? 60 * 60_000,
    async run(deps, now) {
      let deleted = 0;
      for (const tenant of await listTenants(deps.db)) {
        const cutoff = new Date(now.getTime() - daysFor(rule, tenant) * DAY);
        const n = await deps.db.transaction(async (tx) => {
          const rows = await tx.query(
            `DELETE FROM ${opts.table} WHERE tenant_id = $1 AND ${opts.column} <= $2${opts.where === undefined ? '' : ` AND (${opts.where})`} RETURNING 1`,
            [tenant.id, cutoff],
          );
          if (rows.length > 0) await recordRetentionDeletion(tx, tenant.id, now, opts.id, rows.length);
          return rows.length;
        });
        deleted += n;
      }
      return { deleted };
    },
  };
  return { rule, job };
}

/** The audit event every retention deletion leaves: which rule, how many; no personal data. */
export async function recordRetentionDeletion(
  q: Parameters<typeof recordAudit>[0],
  tenantId: string,
  at: Date,
  rule: string,
  count: number,
  subject?: { kind: string; id: string },
): Promise<void> {
  await recordAudit(q, {
    tenantId,
    at,
    actor: { kind: 'system' },
    action: 'retention.deleted',
    ...(subject === undefined ? {} : { subject }),
    details: { rule, count },
  });
}
