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
const STAFF_PASS = 'Abteilungs-Schlüssel-Passphrase-2026';
const SIZE = 1536 * 1024;

/**
 * Department keys in Chromium (issues 4 and 5): the caseworker creates a personal key, then the
 * department's key pair on the department keys page (made and wrapped in the browser); a citizen
 * uploads through level-3 and level-4 upload links (encrypted in the citizen's browser to the
 * department key); the caseworker opens each item in the postbox with the department key share,
 * sees the level-4 text and file name decrypted, and saves the file decrypted through the
 * service-worker stream, byte for byte. The database and the blob store never hold the marker,
 * the file name or the text.
 */
describe(
  'department keys in Chromium: key made in the browser, level-3/4 uploads opened by a caseworker',
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
    const fileName = `Gutachten-${nameMarker}.pdf`;
    let file = '';
    let sha = '';

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-dept-keys-e2e-'));
      file = path.join(dir, fileName);
      const data = Buffer.concat([Buffer.from(`%PDF-1.4 ${marker}\n`), randomBytes(SIZE)]);
      Buffer.from(marker).copy(data, 1024 * 1024 - 5);
      Buffer.from(marker).copy(data, data.length - marker.length);
      await writeFile(file, data);
      sha = createHash('sha256').update(data).digest('hex');
      [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
      staff = await browser.newContext();
      // Headless Chromium has showSaveFilePicker but nobody to answer it: use the worker stream.
      await staff.addInitScript(() => {
        Reflect.deleteProperty(window, 'showSaveFilePicker');
      });
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
        tables: [
          'transfers',
          'transfer_files',
          'department_keys',
          'department_key_shares',
          'transfer_guests',
          'audit_events',
        ],
        secrets: [marker, nameMarker, textMarker],
        databaseOnly: [Buffer.from(marker).toString('hex')],
        fileName: nameMarker,
      });

    it('the caseworker creates a personal key, then the department key in the browser', async (t) => {
      await staffPage.goto(portal.adminLink);
      await staffPage.locator('#login-link-confirm button[type=submit]').click();
      await staffPage.waitForURL('**/home');
      await staffPage.goto(url('/keys'));
      await staffPage.locator('form#key-create button[type=submit]:enabled').waitFor();
      await staffPage.locator('#key-create-passphrase').fill(STAFF_PASS);
      await staffPage.locator('#key-create-passphraseRepeat').fill(STAFF_PASS);
      await staffPage.locator('#key-create-understood').check();
      await staffPage.locator('form#key-create button[type=submit]').click();
      await staffPage.locator('#key-recovery').waitFor({ state: 'visible', timeout: 60_000 });
      await staffPage.locator('#key-recovery-kept').check();
      await staffPage.locator('[data-recovery-done]').click();
      await staffPage.waitForURL('**/keys');
      await staffPage.locator('[data-key-unlocked]').waitFor({ state: 'visible' });

      await staffPage.goto(url('/inbox/settings'));
      await staffPage.getByRole('link', { name: 'Schlüssel der Abteilung Bürgerservice' }).click();
      await staffPage.waitForURL(/\/inbox\/departments\/[0-9a-f-]{36}\/key$/);
      assert.match(await staffPage.locator('main').innerText(), /noch keinen Schlüssel/);
      await staffPage.locator('[data-dept-key-create]:enabled').waitFor();
      await expectAccessible(staffPage, t);
      await Promise.all([
        staffPage.waitForEvent('load', { timeout: 30_000 }),
        staffPage.locator('[data-dept-key-create]').click(),
      ]);
      await staffPage.locator('dl code').waitFor();
      const main = await staffPage.locator('main').innerText();
      assert.match(main, /amtb-pub1-/, 'the department has a public key now');
      assert.match(
        await staffPage.locator('#dept-members').innerText(),
        /\bja\b/,
        'the caseworker holds a share',
      );
      await expectAccessible(staffPage, t);
      const shares = await portal.portal.deps.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM department_key_shares s JOIN department_keys k ON k.id = s.key_id WHERE k.retired_at IS NULL`,
      );
      assert.equal(shares[0]?.n, 1);
    });

    for (const level of [3, 4] as const) {
      it(`a citizen uploads at level ${String(level)}; the caseworker opens and saves it byte for byte`, async (t) => {
        const title = `Gutachten Stufe ${String(level)}`;
        const email = `buerger${String(level)}@example.org`;
        await staffPage.goto(url('/upload-links/new'));
        await staffPage.locator('#link-title').fill(title);
        await staffPage.locator('#link-email').fill(email);
        await staffPage.locator(`#link-level-${String(level)}`).check();
        await staffPage.locator('form#link button[type=submit]').click();
        await staffPage.waitForURL(/notice=upload-link-created$/);
        const mail = await portal.mail((m) => m.to.includes(email) && m.links.some((l) => l.includes('/u/')));

        const citizen = await browser.newContext();
        const page = await citizen.newPage();
        consoleErrors.push(...watchConsole(page));
        await page.goto(mail.links.find((l) => l.includes('/u/')) ?? '');
        await page.locator('#contact-firstName').fill('Bob');
        await page.locator('#contact-lastName').fill('Beispiel');
        await page.waitForTimeout(3_200);
        await page.locator('form#contact button[type=submit]').click();
        await page.waitForURL(/\/code$/);
        const codeMail = await portal.mail((m) => m.to.includes(email) && /\b\d{6}\b/.test(m.text));
        await page.locator('#code-code').fill(/\b(\d{6})\b/.exec(codeMail.text)?.[1] ?? '');
        await page.locator('form#code button[type=submit]').click();
        await page.locator('form#inbound button[type=submit]:enabled').waitFor();
        if (level === 4) await page.locator('#inbound-message').fill(`Hallo, ${textMarker}.`);
        await page.locator('#inbound-files').setInputFiles([file]);
        await page.locator('form#inbound button[type=submit]').click();
        await page.waitForURL(/\/done$/, { timeout: 60_000 });
        await citizen.close();

        await staffPage.goto(url('/inbox'));
        await staffPage.getByRole('link', { name: title }).click();
        await staffPage.waitForURL(/\/inbox\/[0-9a-f-]{36}$/);
        await staffPage.waitForFunction(() =>
          (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes(
            'entschlüsselt.',
          ),
        );
        const main = await staffPage.locator('#e2e-open').innerText();
        assert.match(main, new RegExp(nameMarker), 'the file name is shown');
        if (level === 4)
          assert.match(main, new RegExp(textMarker), 'the level-4 text is decrypted in the browser');
        await expectAccessible(staffPage, t);

        const [download] = await Promise.all([
          staffPage.waitForEvent('download', { timeout: 60_000 }),
          staffPage.getByRole('button', { name: `${fileName} entschlüsseln und speichern` }).click(),
        ]);
        assert.equal(download.suggestedFilename(), fileName);
        const saved = path.join(dir, `got-${String(level)}.pdf`);
        await download.saveAs(saved);
        assert.equal(await download.failure(), null);
        assert.equal(await sha256File(saved), sha);
        await staffPage.waitForFunction(() =>
          (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes(
            'wurde gespeichert',
          ),
        );
        await assertNothingReadableStored(`level ${String(level)}`);
      });
    }

    it('logged no console error and no CSP violation on any page', () => {
      assert.deepEqual(
        consoleErrors.filter((e) => !e.includes('404 (Not Found)')),
        [],
      );
    });
  },
);
