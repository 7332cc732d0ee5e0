import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserAvailable, expectAccessible, launchChromium, watchConsole } from './support/browser.ts';
import type { PortalUnderTest } from './support/portal.ts';
import { startPortal } from './support/portal.ts';

const availability = browserAvailable();

// In a real browser: every request a page makes goes to the portal itself, only the session and
// CSRF cookies exist, and the tenant admin's retention page and the privacy notice are accessible.
describe(
  'privacy in Chromium: no third parties, two cookies, retention pages',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let portal: PortalUnderTest;
    let browser: Browser;

    before(async () => {
      portal = await startPortal();
      browser = await launchChromium();
    });
    after(async () => {
      await browser.close();
      await portal.stop();
    });

    it('pages load nothing from other hosts and set only the two necessary cookies', async (t) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = watchConsole(page);
      const origin = new URL(portal.url).origin;
      const foreign: string[] = [];
      page.on('request', (r) => {
        const u = r.url();
        if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
      });
      await page.goto(portal.adminLink);
      await page.locator('#login-link-confirm button[type=submit]').click();
      await page.waitForURL('**/home');
      for (const path of [
        '/',
        '/datenschutz',
        '/impressum',
        '/barrierefreiheit',
        '/admin',
        '/admin/privacy',
        '/transfers/new',
        '/dropoff',
        '/account/login',
        '/datenschutz?lang=en',
      ]) {
        await page.goto(new URL(path, portal.url).toString());
        await page.waitForLoadState('networkidle');
      }
      await page.goto(new URL('/admin/privacy', portal.url).toString());
      await expectAccessible(page, t);
      assert.match(await page.locator('main').innerText(), /Servicekonten|Service accounts/);
      await page.goto(new URL('/datenschutz', portal.url).toString());
      await expectAccessible(page, t);
      assert.match(await page.locator('#retention-periods').innerText(), /90 (Tage|days)/);
      assert.deepEqual(foreign, []);
      const cookies = (await context.cookies()).map((c) => c.name).sort();
      assert.deepEqual(
        cookies.filter((n) => n !== 'amtsbote_session' && n !== 'amtsbote_csrf'),
        [],
      );
      assert.deepEqual(errors, []);
      await context.close();
    });
  },
);
