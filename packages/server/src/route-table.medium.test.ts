import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { routePathTable } from '@amtsbote/contracts';
import type { TestApp } from './testing/index.ts';
import { createTestApp } from './testing/index.ts';

/** A Fastify URL pattern (`/t/:token/files/:fileId`, `/assets/*`) as a regular expression. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((seg) => {
      if (seg === '*') return '.*';
      if (seg.startsWith(':')) return '[^/]+';
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

describe('the shared path table', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('names only paths the server has a route for', () => {
    const routes = t.app.registeredRoutes().map((r) => patternOf(r.url));
    const samples = routePathTable();
    assert.ok(samples.length > 80, `the table has ${samples.length} paths`);
    const missing = samples.filter((s) => !routes.some((re) => re.test(s.path)));
    assert.deepEqual(missing, [], 'paths in @amtsbote/contracts without a route');
  });

  it('would notice a path without a route', () => {
    const routes = t.app.registeredRoutes().map((r) => patternOf(r.url));
    assert.ok(!routes.some((re) => re.test('/this-path-has-no-route')));
  });
});
