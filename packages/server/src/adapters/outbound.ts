import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.ts';

/**
 * Requests the server makes to addresses someone configured (a tenant's OpenID issuer today;
 * webhooks and payment providers later). A configured URL must not turn the portal into a
 * messenger into its own network: loopback, private, link-local (cloud metadata), CGNAT,
 * multicast and the other special-purpose ranges are refused unless the operator allows them
 * (OUTBOUND_ALLOW). The check runs on the address a connection is actually made to — in the
 * socket's own `lookup`, so a name that resolves to a public address when checked and to an
 * internal one when connecting (DNS rebinding) cannot pass — and again after every redirect.
 * Each answer is bounded in time and size.
 */

/** An address range, e.g. 10.0.0.0/8; a bare address is a range of one. */
export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

export function parseCidr(text: string): Cidr | undefined {
  const parts = text.trim().split('/');
  const [address, bits] = parts;
  if (address === undefined || parts.length > 2) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : Number.NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

// IANA's special-purpose registries (RFC 6890 and successors): nothing here is a public server.
const specialRanges: readonly (readonly [name: string, cidr: string])[] = [
  ['this network', '0.0.0.0/8'],
  ['private', '10.0.0.0/8'],
  ['shared address space (CGNAT)', '100.64.0.0/10'],
  ['loopback', '127.0.0.0/8'],
  ['link-local (cloud metadata)', '169.254.0.0/16'],
  ['private', '172.16.0.0/12'],
  ['IETF protocol assignments', '192.0.0.0/24'],
  ['documentation', '192.0.2.0/24'],
  ['6to4 relay', '192.88.99.0/24'],
  ['private', '192.168.0.0/16'],
  ['benchmarking', '198.18.0.0/15'],
  ['documentation', '198.51.100.0/24'],
  ['documentation', '203.0.113.0/24'],
  ['multicast', '224.0.0.0/4'],
  ['reserved', '240.0.0.0/4'],
  ['unspecified', '::/128'],
  ['loopback', '::1/128'],
  ['NAT64', '64:ff9b::/96'],
  ['NAT64', '64:ff9b:1::/48'],
  ['discard', '100::/64'],
  ['IETF protocol assignments (Teredo)', '2001::/23'],
  ['documentation', '2001:db8::/32'],
  ['6to4', '2002::/16'],
  ['documentation', '3fff::/20'],
  ['unique local (cloud metadata)', 'fc00::/7'],
  ['site-local', 'fec0::/10'],
  ['link-local', 'fe80::/10'],
  ['multicast', 'ff00::/8'],
];

function blockListOf(ranges: readonly Cidr[]): BlockList {
  const list = new BlockList();
  for (const r of ranges) list.addSubnet(r.address, r.prefix, r.family);
  return list;
}

const special = specialRanges.map(([name, text]) => {
  const cidr = parseCidr(text);
  if (cidr === undefined) throw new Error(`bad built-in range ${text}`);
  return { name, list: blockListOf([cidr]) };
});
// Everything public in IPv6 is inside 2000::/3; whatever lies outside is not a server on the internet.
const globalUnicast6 = blockListOf([{ address: '2000::', prefix: 3, family: 'ipv6' }]);

/** An IPv4 address written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 4) return { address: bare, family: 'ipv4' };
  if (version !== 6) return undefined;
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (m?.[1] === undefined || m[2] === undefined) return { address: canonical, family: 'ipv6' };
  const hi = parseInt(m[1], 16);
  const lo = parseInt(m[2], 16);
  return { address: [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.'), family: 'ipv4' };
}

/** The operator's allowance, and the decision for one address. */
export class OutboundPolicy {
  readonly #allow: BlockList;
  /** A stable name of the allowance (a cache key for what was discovered under it). */
  readonly key: string;

  constructor(allow: readonly Cidr[]) {
    this.#allow = blockListOf(allow);
    this.key = allow.map((c) => `${c.address}/${String(c.prefix)}`).join(',');
  }

  /** Why a connection to this address is refused, or undefined when it may be made. */
  refusal(address: string): string | undefined {
    const a = unmapped(address);
    if (a === undefined) return 'not an IP address';
    if (this.#allow.check(a.address, a.family)) return undefined;
    const hit = special.find((r) => r.list.check(a.address, a.family));
    if (hit !== undefined) return hit.name;
    if (a.family === 'ipv6' && !globalUnicast6.check(a.address, 'ipv6')) return 'reserved';
    return undefined;
  }
}

export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, order: 'verbatim' });

function refused(host: string, address: string, range: string): AppError {
  return new AppError('ERR_OUTBOUND_REFUSED', {
    cause: new Error(`outbound request to ${host} (${address}, ${range}) refused`),
  });
}

/** Every address of a name, each checked: one internal address is enough to refuse the name. */
async function checkedAddresses(
  policy: OutboundPolicy,
  resolve: Resolver,
  hostname: string,
): Promise<readonly LookupAddress[]> {
  const addresses = await resolve(hostname);
  if (addresses.length === 0) throw new Error(`${hostname} has no address`);
  for (const a of addresses) {
    const range = policy.refusal(a.address);
    if (range !== undefined) throw refused(hostname, a.address, range);
  }
  return addresses;
}

/** The socket's `lookup`: resolution and check in one step, right before connecting. */
export function guardedLookup(policy: OutboundPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    checkedAddresses(policy, resolve, hostname).then(
      (all) => {
        const wanted =
          options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        const first = wanted[0];
        if (first === undefined)
          callback(new Error(`${hostname} has no IPv${String(options.family)} address`), '');
        else if (options.all === true) callback(null, [...wanted]);
        else callback(null, first.address, first.family);
      },
      (err: unknown) => {
        callback(err instanceof Error ? err : new Error(String(err)), '');
      },
    );
  };
}

export interface OutboundOptions {
  allow: readonly Cidr[];
  /** Name resolution; tests hand in a stub. */
  resolve?: Resolver | undefined;
  /** For the whole request including redirects. */
  timeoutMs?: number | undefined;
  /** Largest answer body. */
  maxBytes?: number | undefined;
  maxRedirects?: number | undefined;
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/**
 * Checks a URL without connecting (e.g. when a tenant admin saves it), so a refusal is reported
 * where the address was entered. The connection itself is checked again.
 * @throws {AppError} ERR_OUTBOUND_REFUSED
 */
export async function checkOutboundUrl(url: URL, opts: OutboundOptions): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw refused(url.host, url.protocol, 'not http or https');
  const policy = new OutboundPolicy(opts.allow);
  const host = hostOf(url);
  if (isIP(host) !== 0) {
    const range = policy.refusal(host);
    if (range !== undefined) throw refused(host, host, range);
    return;
  }
  await checkedAddresses(policy, opts.resolve ?? systemResolver, host);
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/** What the guarded fetch takes: fetch's options as openid-client sends them. */
export interface OutboundInit {
  method?: string | undefined;
  headers?: Record<string, string> | Headers | undefined;
  body?: string | URLSearchParams | Uint8Array | ArrayBuffer | ReadableStream | null | undefined;
  redirect?: 'follow' | 'manual' | 'error' | undefined;
  signal?: AbortSignal | null | undefined;
}

/** A `fetch` (usable as openid-client's customFetch) whose every connection passes the guard. */
export type OutboundFetch = (input: string | URL, init?: OutboundInit) => Promise<Response>;

/** The body as bytes, with the content type fetch would give it. */
async function bodyBytes(body: OutboundInit['body'], headers: Headers): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  const type = (t: string) => {
    if (!headers.has('content-type')) headers.set('content-type', t);
  };
  if (typeof body === 'string') {
    type('text/plain;charset=UTF-8');
    return Buffer.from(body);
  }
  if (body instanceof URLSearchParams) {
    type('application/x-www-form-urlencoded;charset=UTF-8');
    return Buffer.from(body.toString());
  }
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return Buffer.from(await new Response(body).arrayBuffer());
}

export function outboundFetch(opts: OutboundOptions): OutboundFetch {
  const policy = new OutboundPolicy(opts.allow);
  const lookup = guardedLookup(policy, opts.resolve ?? systemResolver);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 5;

  const once = (
    url: URL,
    method: string,
    headers: Headers,
    body: Buffer | undefined,
    signal: AbortSignal,
  ) => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return Promise.reject(refused(url.host, url.protocol, 'not http or https'));
    const host = hostOf(url);
    // A literal address is not looked up by the socket: it is checked here instead.
    const literalRange = isIP(host) === 0 ? undefined : policy.refusal(host);
    if (literalRange !== undefined) return Promise.reject(refused(host, host, literalRange));
    return new Promise<Response>((resolve, reject) => {
      const request = (url.protocol === 'https:' ? https : http).request(
        url,
        // No shared agent: a pooled socket would skip the lookup, and with it the check.
        { method, headers: Object.fromEntries(headers), lookup, signal, agent: false },
        (res) => {
          const tooLarge = () =>
            new Error(`outbound answer from ${url.host} larger than ${String(maxBytes)} bytes`);
          if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
            request.destroy(tooLarge());
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) request.destroy(tooLarge());
            else chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const answerHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (value === undefined) continue;
              for (const v of Array.isArray(value) ? value : [value]) answerHeaders.append(name, v);
            }
            const status = res.statusCode ?? 502;
            resolve(
              new Response(nullBodyStatuses.has(status) || method === 'HEAD' ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage,
                headers: answerHeaders,
              }),
            );
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  };

  return async (input, init = {}) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal == null ? deadline : AbortSignal.any([init.signal, deadline]);
    let url = new URL(input);
    let method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    let body = await bodyBytes(init.body, headers);
    for (let hop = 0; ; hop++) {
      const res = await once(url, method, headers, body, signal);
      const location = res.headers.get('location');
      if (!redirectStatuses.has(res.status) || init.redirect === 'manual' || location === null) return res;
      if (init.redirect === 'error') throw new TypeError(`redirect from ${url.host}`);
      if (hop >= maxRedirects)
        throw new Error(`more than ${String(maxRedirects)} redirects from ${url.host}`);
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        headers.delete('authorization');
        headers.delete('cookie');
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
        headers.delete('content-type');
        headers.delete('content-length');
      }
      url = next;
    }
  };
}
