import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, expectAccessible, launchChromium, watchConsole } from './support/browser.ts';
import { assertSecretsNotStored } from './support/at-rest.ts';
import { sha256File } from './support/files.ts';
import type { PortalUnderTest } from './support/portal.ts';
import { startPortal } from './support/portal.ts';

const availability = browserAvailable();
const PASSWORD = 'Pferd-Batterie-Heftklammer-42';
const SIZE = 1536 * 1024;

/**
 * Answering a password drop-off "to the same password" (issue 5) in Chromium: a citizen sends
 * with a password; the caseworker opens it with that password, answers at level 4 with a file
 * (checked against the drop-off's envelope, so a mistyped password is caught before anything is
 * sent); the citizen opens the mailed link without an account, a wrong password releases
 * nothing, the right one shows text and file name and saves the file through the service-worker
 * stream, byte for byte. The database and the blob store never hold the answer's text, its file
 * name or the file's marker.
 */
describe(
  'answering a password drop-off to the same password, in Chromium',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let portal: PortalUnderTest;
    let browser: Browser;
    let staff: BrowserContext;
    let staffPage: Page;
    let dir: string;
    const consoleErrors: string[] = [];
    const marker = `MARKER-${randomBytes(8).toString('hex')}`;
    const nameMarker = `NAME${randomBytes(6).toString('hex')}`;
    const textMarker = `TEXT-${randomBytes(6).toString('hex')}`;
    const fileName = `Bescheid-${nameMarker}.pdf`;
    let file = '';
    let sha = '';
    let link = '';

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-pw-answer-e2e-'));
      file = path.join(dir, fileName);
      const data = Buffer.concat([Buffer.from(`%PDF-1.4 ${marker}\n`), randomBytes(SIZE)]);
      Buffer.from(marker).copy(data, 1024 * 1024 - 5);
      Buffer.from(marker).copy(data, data.length - marker.length);
      await writeFile(file, data);
      sha = createHash('sha256').update(data).digest('hex');
      await writeFile(
        path.join(dir, 'befund.pdf'),
        '%PDF-1.4\n1 0 obj\n<< /Title (Befund) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
      );
      [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
      staff = await browser.newContext();
      staffPage = await staff.newPage();
      consoleErrors.push(...watchConsole(staffPage));
    });
    after(async () => {
      await browser.close();
      await portal.stop();
      await rm(dir, { recursive: true, force: true });
    });

    const url = (to: string): string => new URL(to, portal.url).toString();

    const assertNothingReadableStored = (when: string): Promise<void> =>
      assertSecretsNotStored(portal, {
        when,
        tables: ['transfers', 'transfer_files', 'transfer_recipients', 'audit_events'],
        secrets: [marker, nameMarker, textMarker],
        databaseOnly: [PASSWORD, Buffer.from(marker).toString('hex')],
        fileName: nameMarker,
      });

    it('the admin lets the department take drop-off', async () => {
      await staffPage.goto(portal.adminLink);
      await staffPage.locator('#login-link-confirm button[type=submit]').click();
      await staffPage.waitForURL('**/home');
      await staffPage.goto(url('/inbox/settings'));
      await staffPage.locator('#settings-0-dropoffEnabled').check();
      await staffPage.locator('form#settings-0 button[type=submit]').click();
      await staffPage.waitForURL('**/inbox/settings?notice=inbound-settings-saved');
    });

    it('a citizen sends a message with a password', async (t) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      consoleErrors.push(...watchConsole(page));
      await page.goto(url('/dropoff'));
      await page.getByRole('link', { name: 'An Bürgerservice senden' }).click();
      await page.locator('#contact-firstName').fill('Erika');
      await page.locator('#contact-lastName').fill('Mustermann');
      await page.locator('#contact-email').fill('erika@example.org');
      await page.waitForTimeout(3_200);
      await page.locator('form#contact button[type=submit]').click();
      await page.waitForURL(/\/inbound\/[0-9a-f-]{36}\/code$/);
      const mail = await portal.mail((m) => m.to.includes('erika@example.org') && /\b\d{6}\b/.test(m.text));
      await page.locator('#code-code').fill(/\b(\d{6})\b/.exec(mail.text)?.[1] ?? '');
      await page.locator('form#code button[type=submit]').click();
      await page.waitForURL(/\/inbound\/[0-9a-f-]{36}$/);
      await page.locator('form#inbound button[type=submit]:enabled').waitFor();
      await page.locator('#inbound-subject').fill('Vertrauliche Unterlagen');
      await page.locator('#inbound-message').fill('Mein Befund liegt bei.');
      await page.locator('#inbound-files').setInputFiles([path.join(dir, 'befund.pdf')]);
      await page.locator('#inbound-password').fill(PASSWORD);
      await page.locator('#inbound-passwordConfirm').fill(PASSWORD);
      await page.locator('#inbound-passwordKept').check();
      await page.locator('form#inbound button[type=submit]').click();
      await page.waitForURL(/\/inbound\/[0-9a-f-]{36}\/done$/, { timeout: 60_000 });
      t.diagnostic('password drop-off delivered');
      await context.close();
    });

    it('the caseworker opens it with the password and answers to the same password, with a file', async (t) => {
      await staffPage.goto(url('/inbox'));
      // A member (not only an admin) finds the department's key page from the postbox.
      await staffPage.getByRole('link', { name: 'Schlüssel der Abteilung Bürgerservice' }).waitFor();
      await staffPage.getByRole('link', { name: 'Vertrauliche Unterlagen' }).click();
      await staffPage.waitForURL(/\/inbox\/[0-9a-f-]{36}$/);
      await staffPage.locator('form#unlock button[type=submit]:enabled').waitFor();
      await staffPage.locator('#unlock-password').fill(PASSWORD);
      await staffPage.locator('form#unlock button[type=submit]').click();
      await staffPage.getByText('Mein Befund liegt bei.').waitFor({ timeout: 30_000 });

      await staffPage.getByRole('link', { name: 'Antworten' }).click();
      await staffPage.locator('form#answer button[type=submit]:enabled').waitFor();
      assert.equal(
        await staffPage.locator('#answer-level-4').isChecked(),
        true,
        'the same password is the default',
      );
      assert.equal(await staffPage.locator('#answer-password').isVisible(), true);
      await expectAccessible(staffPage, t);
      await staffPage.locator('#answer-message').fill(`Ihr Bescheid liegt bei. ${textMarker}`);
      await staffPage.locator('#answer-files').setInputFiles([file]);
      // A mistyped password would give an answer nobody can open: caught before anything is sent.
      await staffPage.locator('#answer-password').fill('Pferd-Batterie-Heftklammer-24');
      await staffPage.locator('form#answer button[type=submit]').click();
      await staffPage
        .getByText('Dieses Passwort öffnet die Nachricht nicht', { exact: false })
        .first()
        .waitFor({ timeout: 30_000 });
      await expectAccessible(staffPage, t);
      const drafts = await portal.portal.deps.db.query(
        `SELECT 1 FROM transfers WHERE in_reply_to IS NOT NULL`,
      );
      assert.equal(drafts.length, 0, 'nothing was created with the wrong password');
      await staffPage.locator('#answer-password').fill(PASSWORD);
      await staffPage.locator('form#answer button[type=submit]').click();
      await staffPage.waitForURL(/\?notice=answer-sent$/, { timeout: 120_000 });
      assert.match(await staffPage.locator('main').innerText(), /Beantwortet am/);
      await assertNothingReadableStored('after sending');

      // The caseworker's own copy opens with the same password.
      const [answer] = await portal.portal.deps.db.query<{ id: string }>(
        `SELECT id FROM transfers WHERE in_reply_to IS NOT NULL`,
      );
      await staffPage.goto(url(`/transfers/${answer?.id ?? ''}`));
      await staffPage.locator('form#password-open-form button[type=submit]:enabled').waitFor();
      await expectAccessible(staffPage, t);
      await staffPage.locator('#password-open-form-password').fill(PASSWORD);
      await staffPage.locator('form#password-open-form button[type=submit]').click();
      await staffPage.getByText(textMarker, { exact: false }).waitFor({ timeout: 30_000 });
      assert.match(await staffPage.locator('main').innerText(), new RegExp(nameMarker));
    });

    it('the sender opens the mailed link with the password, without an account, and saves the file byte for byte', async (t) => {
      const mail = await portal.mail(
        (m) => m.to.includes('erika@example.org') && m.links.some((l) => l.includes('/t/')),
      );
      assert.match(mail.text, /Passwort/);
      assert.equal(mail.text.includes(textMarker) || mail.text.includes(nameMarker), false);
      link = mail.links.find((l) => l.includes('/t/')) ?? '';
      const citizen = await browser.newContext();
      // Headless Chromium has showSaveFilePicker but nobody to answer it: use the worker stream.
      await citizen.addInitScript(() => {
        Reflect.deleteProperty(window, 'showSaveFilePicker');
      });
      const page = await citizen.newPage();
      consoleErrors.push(...watchConsole(page));
      await page.goto(link);
      await page.locator('form#password-open-form button[type=submit]:enabled').waitFor();
      const before = await page.locator('main').innerText();
      assert.match(before, /mit Ihrem Passwort verschlüsselt/);
      assert.equal(before.includes(textMarker) || before.includes(nameMarker), false);
      await expectAccessible(page, t);

      await page.locator('#password-open-form-password').fill('falsch-falsch-falsch');
      await page.locator('form#password-open-form button[type=submit]').click();
      await page
        .getByText('Das Passwort stimmt nicht', { exact: false })
        .first()
        .waitFor({ timeout: 30_000 });
      assert.equal(
        await page.locator('[data-password-save]:enabled').count(),
        0,
        'a wrong password releases nothing',
      );
      assert.equal((await page.locator('main').innerText()).includes(textMarker), false);
      await expectAccessible(page, t);

      await page.locator('#password-open-form-password').fill(PASSWORD);
      await page.locator('form#password-open-form button[type=submit]').click();
      await page.getByText(textMarker, { exact: false }).waitFor({ timeout: 30_000 });
      assert.match(await page.locator('main').innerText(), new RegExp(nameMarker));
      await expectAccessible(page, t);
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        page.getByRole('button', { name: `${fileName} entschlüsseln und speichern` }).click(),
      ]);
      assert.equal(download.suggestedFilename(), fileName);
      const saved = path.join(dir, 'got.pdf');
      await download.saveAs(saved);
      assert.equal(await download.failure(), null);
      assert.equal(await sha256File(saved), sha);
      await page.waitForFunction(() =>
        (document.querySelector('#password-open [data-password-status]')?.textContent ?? '').includes(
          'wurde gespeichert',
        ),
      );
      const accounts = await portal.portal.deps.db.query(
        `SELECT 1 FROM accounts WHERE email = 'erika@example.org'`,
      );
      assert.equal(accounts.length, 0, 'the sender got no account');
      await assertNothingReadableStored('after the download');
      await citizen.close();
    });

    it('logged no console error and no CSP violation on any page', () => {
      assert.deepEqual(consoleErrors, []);
    });
  },
);
