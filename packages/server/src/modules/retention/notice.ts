import type { PrivacyRetention, RetentionRow } from '@amtsbote/web';
import type { Locale } from '@amtsbote/contracts';
import type { Config } from '../../config.ts';
import type { Tenant } from '../tenants/index.ts';
import type { RetentionEntry, RetentionRegistry } from './registry.ts';
import { describeRetention } from './registry.ts';
import { retentionRegistry } from './rules.ts';

/** Every registered rule with the tenant's periods and the operator's access-log setting (0: not written). */
function entriesFor(
  tenant: Tenant,
  locale: Locale,
  config: Pick<Config, 'accessLog'>,
  registry: RetentionRegistry,
): RetentionEntry[] {
  return describeRetention(registry, tenant, locale, {
    accessLogDays: config.accessLog.enabled ? config.accessLog.retentionDays : 0,
  });
}

/** What the privacy notice says about retention: every registered rule meant for the public. */
export function publicRetention(
  tenant: Tenant,
  locale: Locale,
  config: Pick<Config, 'accessLog'>,
  registry: RetentionRegistry = retentionRegistry,
): PrivacyRetention {
  return {
    entries: entriesFor(tenant, locale, config, registry)
      .filter((e) => e.audience === 'public')
      .map(({ id, what, period }) => ({ id, what, period })),
  };
}

/** What the tenant admin's privacy page lists: every rule, with its bounds where it may be changed. */
export function adminRetention(
  config: Pick<Config, 'accessLog'>,
  registry: RetentionRegistry = retentionRegistry,
): (tenant: Tenant, locale: Locale) => RetentionRow[] {
  return (tenant, locale) => entriesFor(tenant, locale, config, registry);
}
