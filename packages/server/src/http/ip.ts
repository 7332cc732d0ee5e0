import { isIPv4, isIPv6 } from 'node:net';

/**
 * The only form in which an IP address is ever written: IPv4 cut to /24, IPv6 to /48.
 * Enough to see abuse from a network, not enough to name a household.
 */
export function ipPrefix(ip: string | undefined): string | undefined {
  if (ip === undefined || ip === '') return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = mapped?.[1] ?? ip;
  if (isIPv4(v4)) {
    const [a, b, c] = v4.split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  if (isIPv6(ip)) {
    const groups = expandIPv6(ip).slice(0, 3);
    return `${groups.join(':')}::/48`;
  }
  return undefined;
}

/**
 * The source a rate limit counts: an IPv4 address whole, an IPv6 address by its /64 — the
 * smallest network a provider hands out, so one household or server cannot rotate through the
 * addresses of its own /64 to get fresh limits. Only used as part of a hashed key, never stored
 * or logged as such (that is {@link ipPrefix}).
 */
export function ipLimitKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = mapped?.[1] ?? ip;
  if (isIPv4(v4)) return `${v4}/32`;
  if (isIPv6(ip))
    return `${expandIPv6(hexTail(ip.split('%')[0] ?? ip))
      .slice(0, 4)
      .join(':')}::/64`;
  // Not an address (a test's made-up peer): counted as given.
  return ip;
}

/** `…:1.2.3.4` as `…:102:304`, so that an embedded IPv4 tail counts as the two groups it is. */
function hexTail(ip: string): string {
  const m = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (m === null) return ip;
  const [, head = '', a = '0', b = '0', c = '0', d = '0'] = m;
  const hex = (x: string, y: string) => ((Number(x) << 8) | Number(y)).toString(16);
  return `${head}${hex(a, b)}:${hex(c, d)}`;
}

function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - h.length - t.length;
  return [...h, ...Array<string>(missing).fill('0'), ...t].map((g) =>
    g.toLowerCase().replace(/^0+(?=.)/, ''),
  );
}
