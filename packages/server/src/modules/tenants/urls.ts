import type { Config } from '../../config.ts';
import type { Tenant } from './store.ts';

/** The address mails link to: the tenant's own host name where it has one, else PUBLIC_URL. */
export function tenantBaseUrl(tenant: Pick<Tenant, 'hostnames'>, config: Pick<Config, 'publicUrl'>): string {
  const host = tenant.hostnames[0];
  if (host === undefined) return config.publicUrl;
  const pub = new URL(config.publicUrl);
  return `${pub.protocol}//${host}${pub.port === '' ? '' : `:${pub.port}`}`;
}
