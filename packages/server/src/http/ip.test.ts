import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ipLimitKey, ipPrefix } from './ip.ts';

it('cuts IPv4 to /24 and IPv6 to /48', () => {
  assert.equal(ipPrefix('203.0.113.77'), '203.0.113.0/24');
  assert.equal(ipPrefix('::ffff:198.51.100.9'), '198.51.100.0/24');
  assert.equal(ipPrefix('2001:db8:abcd:12:1:2:3:4'), '2001:db8:abcd::/48');
  assert.equal(ipPrefix('2001:db8::1'), '2001:db8:0::/48');
  assert.equal(ipPrefix('::1'), '0:0:0::/48');
  assert.equal(ipPrefix('not an ip'), undefined);
  assert.equal(ipPrefix(undefined), undefined);
});

it('keys rate limits by the whole IPv4 address and the IPv6 /64', () => {
  assert.equal(ipLimitKey('203.0.113.77'), '203.0.113.77/32');
  assert.equal(ipLimitKey('::ffff:198.51.100.9'), '198.51.100.9/32');
  assert.equal(ipLimitKey('2001:db8:abcd:12:1:2:3:4'), '2001:db8:abcd:12::/64');
  assert.equal(ipLimitKey('2001:0DB8:ABCD:0012:ffff:eeee:dddd:cccc'), '2001:db8:abcd:12::/64');
  assert.equal(ipLimitKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(ipLimitKey('1::2:3:4:5:1.2.3.4'), '1:0:2:3::/64');
  assert.equal(ipLimitKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
  assert.equal(ipLimitKey('::1'), '0:0:0:0::/64');
});

it('gives every address of one IPv6 /64 the same key, and the next /64 another', () => {
  const keys = new Set(
    ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2:dead:beef::7'].map(ipLimitKey),
  );
  assert.equal(keys.size, 1);
  assert.notEqual(ipLimitKey('2001:db8:1:3::1'), ipLimitKey('2001:db8:1:2::1'));
  // Two IPv4 hosts of one /24 are two sources (a /24 is often many unrelated customers).
  assert.notEqual(ipLimitKey('203.0.113.1'), ipLimitKey('203.0.113.2'));
});
