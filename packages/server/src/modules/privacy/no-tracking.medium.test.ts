import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { TestApp } from '../../testing/index.ts';
import { TestClient, createTestApp, seedTenant } from '../../testing/index.ts';
import { createSession, SESSION_COOKIE } from '../auth/index.ts';
import { accountForVerifiedEmail } from '../accounts/index.ts';

// Minimal tracking: every page a visitor, a citizen and a tenant admin can reach is crawled,
// with every stylesheet and script it loads. Nothing may make the browser contact another host
// (scripts, styles, fonts, images, frames, form targets, CSS url()/@import), and the only cookies
// ever set are the session and the CSRF cookie. Links to other sites (<a href>) are fine: they
// are followed only when a person clicks them.

let t: TestApp;
const host = 'tracking.localhost';
before(async () => {
  t = await createTestApp();
  const city = await seedTenant(t.deps, { slug: 'tracking', name: 'Stadt Ohne Tracker', hostnames: [host] });
  t.app.invalidateTenantCache();
  const { account } = await accountForVerifiedEmail(
    t.deps.db,
    t.deps,
    city.tenant.id,
    'citizen@example.org',
    'de',
  );
  sessions.account = await createSession(t.deps.db, t.deps, {
    tenantId: city.tenant.id,
    accountId: account.id,
    authMethod: 'code',
  });
  sessions.staff = await createSession(t.deps.db, t.deps, {
    tenantId: city.tenant.id,
    staffId: city.admin.id,
    authMethod: 'password',
  });
});
after(() => t.close());

const sessions: { account?: string; staff?: string } = {};

/** Attribute values and CSS that make a browser fetch something by itself. */
function fetchedUrls(body: string, type: 'html' | 'css'): string[] {
  const found: string[] = [];
  const add = (u: string | undefined) => {
    if (u !== undefined) found.push(u.trim().replace(/^["']|["']$/g, ''));
  };
  for (const m of body.matchAll(/url\(\s*([^)]+?)\s*\)/gi)) add(m[1]);
  for (const m of body.matchAll(/@import\s+["']([^"']+)["']/gi)) add(m[1]);
  if (type === 'html') {
    for (const m of body.matchAll(
      /<(?:script|img|iframe|frame|source|video|audio|track|embed|input)\b[^>]*?\s(?:src|poster|data)\s*=\s*"([^"]*)"/gi,
    ))
      add(m[1]);
    for (const m of body.matchAll(/\ssrcset\s*=\s*"([^"]*)"/gi))
      for (const part of (m[1] ?? '').split(',')) add(part.trim().split(/\s+/)[0]);
    for (const m of body.matchAll(/<link\b[^>]*?\shref\s*=\s*"([^"]*)"/gi)) add(m[1]);
    for (const m of body.matchAll(/<(?:form|button)\b[^>]*?\s(?:action|formaction)\s*=\s*"([^"]*)"/gi))
      add(m[1]);
    for (const m of body.matchAll(/<object\b[^>]*?\sdata\s*=\s*"([^"]*)"/gi)) add(m[1]);
    for (const m of body.matchAll(
      /<meta\b[^>]*http-equiv\s*=\s*"refresh"[^>]*content\s*=\s*"[^"]*url=([^"]*)"/gi,
    ))
      add(m[1]);
  }
  return found;
}

function isExternal(u: string): boolean {
  if (/^(?:data|blob|about):/i.test(u) || u.startsWith('#')) return false;
  if (u.startsWith('//')) return !u.startsWith(`//${host}`);
  if (/^[a-z][a-z0-9+.-]*:/i.test(u)) {
    try {
      return new URL(u).host !== host;
    } catch {
      return true;
    }
  }
  return false;
}

const skip = [
  /^\/logout/,
  /^\/t\//,
  /^\/api\/v1\//,
  /\/export$/,
  /^\/assets\//,
  /^\/auth\/oidc/,
  /^\/login\/sso/,
];

it('no page or stylesheet makes the browser contact another host, and only the two necessary cookies are set', async () => {
  const roles: { name: string; cookie?: string }[] = [
    { name: 'visitor' },
    ...(sessions.account === undefined ? [] : [{ name: 'citizen', cookie: sessions.account }]),
    ...(sessions.staff === undefined ? [] : [{ name: 'admin', cookie: sessions.staff }]),
  ];
  const problems: string[] = [];
  const cookieNames = new Set<string>();
  const assets = new Set<string>();
  let pages = 0;
  for (const role of roles) {
    const client = new TestClient(t.app, host);
    if (role.cookie !== undefined) client.cookies.set(SESSION_COOKIE, role.cookie);
    const queue = [
      '/',
      '/datenschutz',
      '/impressum',
      '/barrierefreiheit',
      '/leichte-sprache',
      '/api/docs',
      '/login',
      '/account',
      '/account/login',
      '/account/register',
      '/account/data',
      '/admin',
      '/admin/privacy',
      '/transfers',
      '/transfers/new',
      '/home',
      '/dropoff',
      '/organisations',
      '/?lang=en',
      '/datenschutz?lang=en',
    ];
    const seen = new Set<string>();
    while (queue.length > 0 && seen.size < 120) {
      const path = queue.shift() ?? '/';
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await client.get(path);
      for (const c of res.cookies as { name: string }[]) cookieNames.add(c.name);
      const type = res.headers['content-type'] ?? '';
      if (!type.startsWith('text/html')) continue;
      pages++;
      for (const u of fetchedUrls(res.body, 'html')) {
        if (isExternal(u)) problems.push(`${role.name} ${path}: ${u}`);
        else if (u.startsWith('/assets/')) assets.add(u.split('?')[0] ?? u);
      }
      for (const m of res.body.matchAll(/<a\b[^>]*?\shref="(\/[^"#]*)"/gi)) {
        const next = (m[1] ?? '').replace(/&amp;/g, '&');
        if (!skip.some((re) => re.test(next)) && !seen.has(next)) queue.push(next);
      }
    }
  }
  // Stylesheets (and what they pull in: fonts, images) and scripts, followed to the end.
  const assetQueue = [...assets];
  const assetSeen = new Set<string>();
  while (assetQueue.length > 0) {
    const a = assetQueue.shift() ?? '';
    if (assetSeen.has(a)) continue;
    assetSeen.add(a);
    const res = await t.app.inject({ method: 'GET', url: a, headers: { host } });
    assert.equal(res.statusCode, 200, `${a} is served by the portal itself`);
    if (a.endsWith('.css')) {
      for (const u of fetchedUrls(res.body, 'css')) {
        if (isExternal(u)) problems.push(`${a}: ${u}`);
        else if (!u.startsWith('data:')) assetQueue.push(new URL(u, `http://${host}${a}`).pathname);
      }
    }
    if (a.endsWith('.js')) {
      for (const m of res.body.matchAll(
        /(?:fetch|import|XMLHttpRequest|sendBeacon|WebSocket|EventSource)\s*\(\s*["'`](https?:)?\/\/([^"'`/]+)/g,
      )) {
        if (m[2] !== host) problems.push(`${a}: ${m[0]}`);
      }
    }
  }
  // The scanner itself sees what it must see.
  const sample =
    '<link rel="stylesheet" href="https://fonts.example/x.css"><img src="//cdn.example/p.gif"><form action="https://collect.example/"></form><a href="https://ldi.nrw.de">x</a>';
  assert.deepEqual(fetchedUrls(sample, 'html').filter(isExternal).sort(), [
    '//cdn.example/p.gif',
    'https://collect.example/',
    'https://fonts.example/x.css',
  ]);
  assert.deepEqual(
    fetchedUrls(
      '@import "https://x.example/a.css"; b { background: url(https://y.example/i.png) }',
      'css',
    ).filter(isExternal).length,
    2,
  );
  assert.ok(pages >= 15, `crawled ${pages} pages`);
  assert.ok(assetSeen.size >= 3, `checked ${assetSeen.size} assets`);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    [...cookieNames].filter((n) => n !== 'amtsbote_session' && n !== 'amtsbote_csrf'),
    [],
  );
});
