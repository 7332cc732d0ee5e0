import type { TenantLegalSettings } from '@amtsbote/web';
import { resolveLegalSettings } from '@amtsbote/web';
import type { Tenant } from '../tenants/index.ts';

/** The tenant's legal texts: its own settings over the defaults, so nothing is ever blank. */
export function legalSettings(tenant: Tenant): TenantLegalSettings {
  return resolveLegalSettings(tenant.settings.legal, tenant.name);
}
