import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, expectAccessible, launchChromium, watchConsole } from './support/browser.ts';
import type { PortalUnderTest } from './support/portal.ts';
import { startPortal } from './support/portal.ts';

const availability = browserAvailable();

describe(
  'foundation in Chromium: sign in, departments, staff, language',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let portal: PortalUnderTest;
    let browser: Browser;
    const consoleErrors: string[] = [];

    before(async () => {
      portal = await startPortal();
      browser = await launchChromium();
    });
    after(async () => {
      await browser.close();
      await portal.stop();
    });

    async function visit(page: Page, path: string): Promise<void> {
      const res = await page.goto(new URL(path, portal.url).toString());
      assert.ok(res !== null);
    }

    it('the demo admin signs in with the one-time link from the console', async (t) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      consoleErrors.push(...watchConsole(page));
      await page.goto(portal.adminLink);
      await expectAccessible(page, t);
      await page.locator('#login-link-confirm button[type=submit]').click();
      await page.waitForURL('**/home');
      assert.match(await page.locator('h1').innerText(), /.+/);
      await expectAccessible(page, t);

      await visit(page, '/admin');
      await expectAccessible(page, t);
      await page.locator('form#admin-new-department input[name=name]').fill('Bauamt');
      await page
        .locator('form#admin-new-department textarea[name=description]')
        .fill('Bauanträge und Baugenehmigungen');
      await page.locator('form#admin-new-department button[type=submit]').click();
      await page.waitForURL('**/admin?notice=department-created');
      assert.match(await page.locator('main').innerText(), /Bauamt/);
      await expectAccessible(page, t);

      // A form sent with errors shows a summary and marks the field; that page must be accessible too.
      await page.locator('form#admin-invite input[name=email]').fill('kein-gueltiger-name');
      await page.locator('form#admin-invite input[name=email]').evaluate((el) => el.removeAttribute('type'));
      await page.locator('form#admin-invite button[type=submit]').click();
      await page.locator('[role=alert]').first().waitFor();
      assert.equal(
        await page.locator('form#admin-invite input[name=email]').getAttribute('aria-invalid'),
        'true',
      );
      await expectAccessible(page, t);

      await page.locator('form#admin-invite input[name=email]').fill('sachbearbeitung@musterstadt.example');
      await page.locator('form#admin-invite input[name=displayName]').fill('Sam Sachbearbeiter');
      await page.locator('form#admin-invite select[name=departmentId]').selectOption({ label: 'Bauamt' });
      await page.locator('form#admin-invite button[type=submit]').click();
      await page.waitForURL('**/admin?notice=staff-invited');
      assert.match(await page.locator('main').innerText(), /sachbearbeitung@musterstadt\.example/);
      await context.close();
    });

    it('the invited caseworker accepts the invitation from the mail and lands home', async (t) => {
      const mail = (await portal.mails()).find((m) => m.to.includes('sachbearbeitung@musterstadt.example'));
      assert.ok(mail !== undefined, 'invitation mail in the outbox');
      const link = mail.links.find((l) => l.includes('/invitations/'));
      assert.ok(link !== undefined);
      const context = await browser.newContext();
      const page = await context.newPage();
      consoleErrors.push(...watchConsole(page));
      await page.goto(link);
      await expectAccessible(page, t);
      await page.locator('input[name=password]').fill('ein-langes-sicheres-passwort');
      await page.locator('input[name=passwordConfirm]').fill('ein-langes-sicheres-passwort');
      await page.locator('main form button[type=submit]').click();
      await page.waitForURL('**/home');
      assert.match(await page.locator('main').innerText(), /Bauamt/);
      await expectAccessible(page, t);

      // Sign out and back in with the password just chosen.
      await page.locator('form[action="/logout"] button[type=submit]').first().click();
      await page.waitForURL('**/?notice=signed-out');
      await visit(page, '/login');
      await page.locator('form#login input[name=email]').fill('sachbearbeitung@musterstadt.example');
      await page.locator('form#login input[name=password]').fill('ein-langes-sicheres-passwort');
      await page.locator('form#login button[type=submit]').click();
      await page.waitForURL('**/home');
      await context.close();
    });

    it('switches to English and back, and every public page passes axe', async (t) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      consoleErrors.push(...watchConsole(page));
      await visit(page, '/');
      assert.equal(await page.locator('html').getAttribute('lang'), 'de');
      await page.locator('a[hreflang=en]').first().click();
      await page.waitForURL('**lang=en');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await expectAccessible(page, t);
      // The choice sticks for the session without a further parameter.
      await visit(page, '/login');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await page.locator('a[hreflang=de]').first().click();
      await page.waitForURL('**lang=de');
      assert.equal(await page.locator('html').getAttribute('lang'), 'de');
      for (const path of [
        '/',
        '/leichte-sprache',
        '/datenschutz',
        '/impressum',
        '/barrierefreiheit',
        '/api/docs',
        '/login',
        '/gibt-es-nicht',
      ]) {
        await visit(page, path);
        await expectAccessible(page, t);
      }
      await context.close();
    });

    it('logged no console error and no CSP violation on any page', () => {
      assert.deepEqual(
        consoleErrors.filter((e) => !e.includes('404 (Not Found)')),
        [],
      );
    });
  },
);
