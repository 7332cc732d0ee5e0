import type { Config } from '../../config.ts';
import type { Tenant } from './store.ts';

/**
 * The address mails link to: the tenant's own host name where it has one, else PUBLIC_URL. Every
 * link in a mail is built from this, never from the request: a Host header is the client's to
 * choose, and a link to the host a stranger named would carry a reset or sign-in token to them.
 */
export function tenantBaseUrl(tenant: Pick<Tenant, 'hostnames'>, config: Pick<Config, 'publicUrl'>): string {
  const host = tenant.hostnames[0];
  if (host === undefined) return config.publicUrl;
  const pub = new URL(config.publicUrl);
  return `${pub.protocol}//${host}${pub.port === '' ? '' : `:${pub.port}`}`;
}

// A DNS name (letters, digits, dots, hyphens) or a bracketed IPv6 address, then an optional port.
// Nothing else: no userinfo (`evil@host`), no path, no second value of a proxy's list.
const HOST =
  /^(?<name>[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\[[0-9a-f:.]{2,45}\])(?::(?<port>[0-9]{1,5}))?$/;

/**
 * The host name of a request's Host value (lower-case, without the port), or undefined when the
 * value is malformed or names a port other than PUBLIC_URL's: the portal answers on one port, so
 * another one means the value was made up or a proxy is misconfigured. No port at all is fine.
 */
export function requestHostName(host: string, config: Pick<Config, 'publicUrl'>): string | undefined {
  const m = HOST.exec(host.toLowerCase());
  const name = m?.groups?.name;
  if (name === undefined) return undefined;
  const port = m?.groups?.port;
  if (port !== undefined && Number(port) !== publicPort(config)) return undefined;
  return name;
}

/** The port of PUBLIC_URL, with the scheme's default spelled out. */
function publicPort(config: Pick<Config, 'publicUrl'>): number {
  const pub = new URL(config.publicUrl);
  if (pub.port !== '') return Number(pub.port);
  return pub.protocol === 'https:' ? 443 : 80;
}

/** PUBLIC_URL's host name: the address of every tenant without host names of its own. */
export function publicHostName(config: Pick<Config, 'publicUrl'>): string {
  return new URL(config.publicUrl).hostname.toLowerCase();
}
