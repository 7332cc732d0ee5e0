import type { Locale, PrivacyRetention } from '@amtsbote/web';
import type { Config } from '../../config.ts';
import type { Tenant } from '../tenants/service.ts';
import type { RetentionRegistry } from './registry.ts';
import { describeRetention } from './registry.ts';
import { retentionRegistry } from './rules.ts';

/**
 * What the privacy notice says about retention: every registered rule meant for the public, with
 * the tenant's configured periods and the operator's access-log setting (0: not written).
 */
export function publicRetention(
  tenant: Tenant,
  locale: Locale,
  config: Pick<Config, 'accessLog'>,
  registry: RetentionRegistry = retentionRegistry,
): PrivacyRetention {
  const entries = describeRetention(registry, tenant, locale, {
    accessLogDays: config.accessLog.enabled ? config.accessLog.retentionDays : 0,
  });
  return {
    entries: entries
      .filter((e) => e.audience === 'public')
      .map(({ id, what, period }) => ({ id, what, period })),
  };
}
