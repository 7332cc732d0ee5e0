import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../errors.ts';
import type { Cidr, Resolver } from './outbound.ts';
import { OutboundPolicy, checkOutboundUrl, guardedLookup, outboundFetch, parseCidr } from './outbound.ts';

// Nothing here connects outside 127.0.0.0/8: refusals of other addresses are decided on stubbed
// name resolution, before any connection.

const cidrs = (...texts: string[]): Cidr[] =>
  texts.map((t) => {
    const c = parseCidr(t);
    assert.ok(c !== undefined, t);
    return c;
  });
const none = new OutboundPolicy([]);
const stub =
  (table: Record<string, string[]>): Resolver =>
  (hostname) =>
    Promise.resolve(
      (table[hostname] ?? []).map((address): LookupAddress => ({
        address,
        family: address.includes(':') ? 6 : 4,
      })),
    );

describe('the outbound decision', () => {
  it('refuses every internal and special-purpose range', () => {
    const refused: Record<string, string> = {
      '127.0.0.1': 'loopback',
      '127.9.9.9': 'loopback',
      '::1': 'loopback',
      '10.1.2.3': 'private',
      '172.16.0.1': 'private',
      '172.31.255.255': 'private',
      '192.168.1.1': 'private',
      'fc00::1': 'unique local (cloud metadata)',
      'fd00:ec2::254': 'unique local (cloud metadata)',
      '169.254.169.254': 'link-local (cloud metadata)',
      '169.254.0.1': 'link-local (cloud metadata)',
      'fe80::1': 'link-local',
      '100.64.0.1': 'shared address space (CGNAT)',
      '100.127.255.254': 'shared address space (CGNAT)',
      '0.0.0.0': 'this network',
      '0.1.2.3': 'this network',
      '224.0.0.1': 'multicast',
      '239.255.255.250': 'multicast',
      'ff02::1': 'multicast',
      '255.255.255.255': 'reserved',
      '240.0.0.1': 'reserved',
      '192.0.2.10': 'documentation',
      '198.51.100.7': 'documentation',
      '203.0.113.9': 'documentation',
      '2001:db8::1': 'documentation',
      '198.18.0.1': 'benchmarking',
      '192.0.0.8': 'IETF protocol assignments',
      '::': 'unspecified',
      '64:ff9b::a00:1': 'NAT64',
      '2002:a00:1::1': '6to4',
      // An IPv4 address written as IPv6 is judged as IPv4, in either notation.
      '::ffff:127.0.0.1': 'loopback',
      '::ffff:a9fe:a9fe': 'link-local (cloud metadata)',
      '::ffff:10.0.0.1': 'private',
      '[::1]': 'loopback',
      'fe80::1%eth0': 'link-local',
    };
    for (const [address, range] of Object.entries(refused))
      assert.equal(none.refusal(address), range, address);
  });

  it('allows public addresses', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '100.63.255.255',
      '100.128.0.0',
      '172.32.0.1',
      '2a00:1450:4001::200e',
      '::ffff:8.8.4.4',
    ])
      assert.equal(none.refusal(address), undefined, address);
  });

  it('allows exactly what the operator allows, and nothing next to it', () => {
    const policy = new OutboundPolicy(cidrs('127.0.0.1/32', '10.0.0.0/8', 'fd00:ec2::/64'));
    assert.equal(policy.refusal('127.0.0.1'), undefined);
    assert.equal(policy.refusal('::ffff:127.0.0.1'), undefined);
    assert.equal(policy.refusal('127.0.0.2'), 'loopback');
    assert.equal(policy.refusal('10.200.0.1'), undefined);
    assert.equal(policy.refusal('fd00:ec2::254'), undefined);
    assert.equal(policy.refusal('169.254.169.254'), 'link-local (cloud metadata)');
    assert.equal(policy.refusal('not-an-ip'), 'not an IP address');
  });

  it('reads ranges and single addresses, and nothing else', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    assert.deepEqual(parseCidr('127.0.0.1'), { address: '127.0.0.1', prefix: 32, family: 'ipv4' });
    assert.deepEqual(parseCidr('::1'), { address: '::1', prefix: 128, family: 'ipv6' });
    for (const bad of [
      '10.0.0.0/33',
      '10.0.0.0/',
      '10.0.0/8',
      'localhost',
      '::1/129',
      '1.2.3.4/8/8',
      '10.0.0.0/-1',
    ])
      assert.equal(parseCidr(bad), undefined, bad);
  });
});

describe('the guarded lookup (the check at connect time)', () => {
  const lookupWith = (resolver: Resolver, allow: Cidr[] = [], all = false) =>
    new Promise<{ err: Error | null; address: unknown; family: number | undefined }>((resolve) => {
      guardedLookup(new OutboundPolicy(allow), resolver)('idp.example', { all }, (err, address, family) => {
        resolve({ err, address, family });
      });
    });

  it('passes a public address on to the socket', async () => {
    const r = await lookupWith(stub({ 'idp.example': ['8.8.8.8'] }));
    assert.equal(r.err, null);
    assert.equal(r.address, '8.8.8.8');
    assert.equal(r.family, 4);
    const all = await lookupWith(stub({ 'idp.example': ['8.8.8.8', '2001:4860:4860::8888'] }), [], true);
    assert.deepEqual(all.address, [
      { address: '8.8.8.8', family: 4 },
      { address: '2001:4860:4860::8888', family: 6 },
    ]);
  });

  it('refuses a name with any internal address (metadata, private, loopback)', async () => {
    for (const addresses of [
      ['169.254.169.254'],
      ['8.8.8.8', '10.0.0.5'],
      ['fd00:ec2::254'],
      ['127.0.0.1'],
    ]) {
      const r = await lookupWith(stub({ 'idp.example': addresses }));
      assert.ok(r.err instanceof AppError && r.err.code === 'ERR_OUTBOUND_REFUSED', addresses.join());
    }
  });

  it('lets through what the operator allows', async () => {
    const r = await lookupWith(stub({ 'idp.example': ['10.0.0.5'] }), cidrs('10.0.0.0/8'));
    assert.equal(r.err, null);
    assert.equal(r.address, '10.0.0.5');
  });
});

describe('the guarded fetch', () => {
  let server: Server;
  let port = 0;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/to-refused-literal') {
        res.writeHead(302, { location: `http://127.0.0.2:${String(port)}/hello` }).end();
      } else if (req.url === '/to-refused-name') {
        res.writeHead(302, { location: `http://rebind.test:${String(port)}/hello` }).end();
      } else if (req.url === '/to-allowed') {
        res.writeHead(303, { location: '/hello' }).end();
      } else if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('x'.repeat(64 * 1024));
      } else if (req.url === '/slow') {
        setTimeout(() => res.end('late'), 2000).unref();
      } else {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] ?? null }));
        });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const base = () => `http://127.0.0.1:${String(port)}`;
  const refusedError = (err: unknown) => err instanceof AppError && err.code === 'ERR_OUTBOUND_REFUSED';

  it('refuses loopback without the allowance, before connecting', async () => {
    await assert.rejects(outboundFetch({ allow: [] })(`${base()}/hello`), refusedError);
    await assert.rejects(outboundFetch({ allow: cidrs('127.0.0.2') })(`${base()}/hello`), refusedError);
  });

  it('talks to an allowed address, with the body and its type', async () => {
    const f = outboundFetch({ allow: cidrs('127.0.0.1/32') });
    const res = await f(`${base()}/hello`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code' }),
      headers: { accept: 'application/json' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      method: 'POST',
      body: 'grant_type=authorization_code',
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
    });
  });

  it('connects where the guarded lookup says, so a name is checked at connect time', async () => {
    const f = outboundFetch({ allow: cidrs('127.0.0.1/32'), resolve: stub({ 'idp.test': ['127.0.0.1'] }) });
    assert.equal((await f(`http://idp.test:${String(port)}/hello`)).status, 200);
    // DNS rebinding: public when checked beforehand, internal when connecting.
    let calls = 0;
    const rebinding: Resolver = () =>
      Promise.resolve([{ address: calls++ === 0 ? '8.8.8.8' : '127.0.0.1', family: 4 }]);
    const url = new URL(`http://rebind.test:${String(port)}/hello`);
    await checkOutboundUrl(url, { allow: [], resolve: rebinding });
    await assert.rejects(outboundFetch({ allow: [], resolve: rebinding })(url), refusedError);
  });

  it('follows a redirect between allowed addresses, and refuses one to a refused address', async () => {
    const f = outboundFetch({
      allow: cidrs('127.0.0.1/32'),
      resolve: stub({ 'rebind.test': ['127.0.0.2'] }),
    });
    const followed = await f(`${base()}/to-allowed`, { method: 'POST', body: 'x' });
    assert.equal(followed.status, 200);
    assert.deepEqual(await followed.json(), { method: 'GET', body: '', type: null });
    await assert.rejects(f(`${base()}/to-refused-literal`), refusedError);
    await assert.rejects(f(`${base()}/to-refused-name`), refusedError);
    // 'manual' (what openid-client asks for) hands the redirect back unfollowed.
    assert.equal((await f(`${base()}/to-refused-literal`, { redirect: 'manual' })).status, 302);
  });

  it('bounds the size and the time of an answer', async () => {
    const f = outboundFetch({ allow: cidrs('127.0.0.1/32'), maxBytes: 1024, timeoutMs: 300 });
    await assert.rejects(f(`${base()}/big`), /larger than 1024 bytes/);
    const started = Date.now();
    await assert.rejects(f(`${base()}/slow`));
    assert.ok(Date.now() - started < 1500);
  });

  it('refuses other schemes', async () => {
    await assert.rejects(outboundFetch({ allow: cidrs('127.0.0.1/32') })('file:///etc/passwd'), refusedError);
    await assert.rejects(
      checkOutboundUrl(new URL('ftp://127.0.0.1/'), { allow: cidrs('127.0.0.1/32') }),
      refusedError,
    );
  });
});
