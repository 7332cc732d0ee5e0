import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ipPrefix } from './ip.ts';

it('cuts IPv4 to /24 and IPv6 to /48', () => {
  assert.equal(ipPrefix('203.0.113.77'), '203.0.113.0/24');
  assert.equal(ipPrefix('::ffff:198.51.100.9'), '198.51.100.0/24');
  assert.equal(ipPrefix('2001:db8:abcd:12:1:2:3:4'), '2001:db8:abcd::/48');
  assert.equal(ipPrefix('2001:db8::1'), '2001:db8:0::/48');
  assert.equal(ipPrefix('::1'), '0:0:0::/48');
  assert.equal(ipPrefix('not an ip'), undefined);
  assert.equal(ipPrefix(undefined), undefined);
});
