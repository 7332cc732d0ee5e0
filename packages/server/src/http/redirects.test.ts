import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeNext } from './redirects.ts';

const PORTAL = 'https://portal.example';

/** Where a browser goes with this value as a `Location` on a page of the portal. */
const landing = (location: string) => new URL(location, `${PORTAL}/account/login`);

describe('safeNext', () => {
  it('keeps a path on the portal, with its query and fragment', () => {
    assert.equal(safeNext('/account'), '/account');
    assert.equal(safeNext('/t/abc?x=1#files'), '/t/abc?x=1#files');
    assert.equal(safeNext('/./account/../keys'), '/keys');
  });

  it('answers ASCII only, so the value is safe in a header', () => {
    assert.equal(safeNext('/bürger?q=ä'), '/b%C3%BCrger?q=%C3%A4');
  });

  const hostile = [
    '//evil.example',
    '///evil.example',
    'https://evil.example',
    'http://evil.example/account',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\r/evil.example',
    '/\n/evil.example',
    '\t//evil.example',
    '/account\r\nSet-Cookie: a=b',
    '/..//evil.example',
    '/%2e%2e//evil.example',
    '/.//evil.example',
    '/\u0000/evil.example',
    'javascript:alert(1)',
    'evil.example',
    '',
  ];

  for (const value of hostile) {
    it(`never leaves the origin: ${JSON.stringify(value)}`, () => {
      const kept = safeNext(value);
      if (kept === undefined) return;
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      assert.doesNotMatch(kept, /[\u0000-\u001f\u007f\\]/u, 'no control character or backslash');
      assert.equal(landing(kept).origin, PORTAL);
    });
  }

  it('refuses tab, CR, LF and backslashes outright (the caller uses its default page)', () => {
    for (const value of ['/\t/evil.example', '/a\rb', '/a\nb', '/\\evil.example', '/a\\b'])
      assert.equal(safeNext(value), undefined, JSON.stringify(value));
  });

  it('refuses what is not a string or not a path', () => {
    for (const value of [undefined, null, 42, ['/account'], { toString: () => '/account' }])
      assert.equal(safeNext(value), undefined);
  });
});
