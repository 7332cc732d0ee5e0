import type { Config } from '../config.ts';
import type { Tenant } from '../modules/tenants/service.ts';

/** The address mails link to: the tenant's own host name where it has one, else PUBLIC_URL. */
export function tenantBaseUrl(tenant: Pick<Tenant, 'hostnames'>, config: Pick<Config, 'publicUrl'>): string {
  const host = tenant.hostnames[0];
  if (host === undefined) return config.publicUrl;
  const pub = new URL(config.publicUrl);
  return `${pub.protocol}//${host}${pub.port === '' ? '' : `:${pub.port}`}`;
}

/** Only same-site relative paths may be redirect targets after login (no open redirect). */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\'))
    return undefined;
  return next;
}
