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

const CITIZEN = 'buergerin@example.org';
const ADMIN = 'admin@musterstadt.example';
const STAFF_PASS = 'Sachbearbeitung-Schlüssel-2026';
const CITIZEN_PASS = 'meine lange Bürger-Passphrase';
const SUBJECT = 'Ihr Bescheid (Stufe 4)';
const SIZE = 2 * 1024 * 1024;

/**
 * Level 4 end to end in Chromium: the caseworker creates a personal key on /keys and sends a
 * level-4 transfer to a citizen without a key; the citizen proves the address, creates a key and
 * sees "waiting for the sender's side"; the caseworker signs in again and unlocks, and the
 * background re-wrap releases the transfer; the citizen unlocks, decrypts and saves the file
 * through the service-worker stream, byte for byte. The database and the blob store never hold
 * the marker or the file name.
 */
describe(
  'levels 3 and 4 in Chromium: personal keys, level-4 send, late recipient key, re-wrap, decrypt',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let portal: PortalUnderTest;
    let browser: Browser;
    let dir: string;
    let citizen: BrowserContext;
    let citizenPage: Page;
    let citizenLink = '';
    let transferId = '';
    let file = '';
    let sha = '';
    const consoleErrors: string[] = [];
    const marker = `MARKER-${randomBytes(8).toString('hex')}`;
    const nameMarker = `NAME${randomBytes(6).toString('hex')}`;
    const fileName = `Bescheid-${nameMarker}.pdf`;
    const textMarker = `TEXT-${randomBytes(6).toString('hex')}`;

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-e2e-levels-'));
      file = path.join(dir, fileName);
      const data = Buffer.concat([Buffer.from(`%PDF ${marker}\n`), randomBytes(SIZE)]);
      // The marker also at a chunk boundary (1 MiB) and at the end.
      Buffer.from(marker).copy(data, 1024 * 1024 - 5);
      Buffer.from(marker).copy(data, data.length - marker.length);
      await writeFile(file, data);
      sha = createHash('sha256').update(data).digest('hex');
      [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
    });
    after(async () => {
      await browser.close();
      await portal.stop();
      await rm(dir, { recursive: true, force: true });
    });

    const url = (to: string): string => new URL(to, portal.url).toString();

    async function newPage(context: BrowserContext): Promise<Page> {
      const page = await context.newPage();
      consoleErrors.push(...watchConsole(page));
      return page;
    }

    const assertNothingReadableStored = (when: string): Promise<void> =>
      assertSecretsNotStored(portal, {
        when,
        tables: ['transfers', 'transfer_files', 'transfer_envelopes', 'audit_events'],
        secrets: [marker, nameMarker, textMarker],
        databaseOnly: [Buffer.from(marker).toString('hex')],
        fileName: nameMarker,
      });

    async function staffSignIn(page: Page, link: string): Promise<void> {
      await page.goto(link);
      await page.locator('#login-link-confirm button[type=submit]').click();
      await page.waitForURL('**/home');
    }

    it('the caseworker creates a personal key and sends a level-4 transfer to a citizen without a key', async (t) => {
      const staff = await browser.newContext();
      const page = await newPage(staff);
      await staffSignIn(page, portal.adminLink);

      await page.goto(url('/keys'));
      await page.locator('form#key-create button[type=submit]:enabled').waitFor();
      await expectAccessible(page, t);
      await page.locator('#key-create-passphrase').fill(STAFF_PASS);
      await page.locator('#key-create-passphraseRepeat').fill(STAFF_PASS);
      await page.locator('#key-create-understood').check();
      await page.locator('form#key-create button[type=submit]').click();
      await page.locator('#key-recovery').waitFor({ state: 'visible', timeout: 60_000 });
      const recovery = await page.locator('[data-recovery-code]').innerText();
      assert.ok(recovery.trim().length >= 16, `a recovery code is shown: ${recovery}`);
      await expectAccessible(page, t);
      await page.locator('#key-recovery-kept').check();
      await page.locator('[data-recovery-done]').click();
      await page.waitForURL('**/keys');
      await page.locator('[data-key-unlocked]').waitFor({ state: 'visible' });
      await expectAccessible(page, t);

      await page.goto(url('/transfers/new'));
      await page.locator('form#compose button[type=submit]:enabled').waitFor();
      await page.locator('#compose-recipients').fill(CITIZEN);
      await page.locator('#compose-subject').fill(SUBJECT);
      await page.locator('#compose-message').fill(`Guten Tag,\n\nanbei Ihr Bescheid. ${textMarker}`);
      await page.locator('#compose-files').setInputFiles([file]);
      await page.locator('#compose-level-4').check();
      await page.locator('#compose-allowReply').check();
      await expectAccessible(page, t);
      await page.locator('form#compose button[type=submit]').click();
      await page.waitForURL(/\/transfers\/[0-9a-f-]{36}\?notice=transfer-sent$/, { timeout: 60_000 });
      transferId = /\/transfers\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
      await expectAccessible(page, t);
      await assertNothingReadableStored('after sending');
      await staff.close();
    });

    it('the citizen proves the address, creates a key, and the transfer waits for the sender’s side', async (t) => {
      const mail = await portal.mail((m) => m.to.includes(CITIZEN) && m.links.some((l) => l.includes('/t/')));
      assert.equal(mail.text.includes(textMarker), false, 'the mail carries no content');
      const link = mail.links.find((l) => l.includes('/t/'));
      assert.ok(link !== undefined);
      citizenLink = link;

      citizen = await browser.newContext();
      citizenPage = await newPage(citizen);
      const page = citizenPage;
      await page.goto(citizenLink);
      await page.locator('form#verify-request button[type=submit]').click();
      await page.locator('#verify-code').waitFor();
      const codeMail = await portal.mail((m) => m.to.includes(CITIZEN) && /\b\d{6}\b/.test(m.text));
      const code = /\b(\d{6})\b/.exec(codeMail.text)?.[1];
      assert.ok(code !== undefined);
      await page.locator('#verify-code').fill(code);
      await page.locator('form#verify button[type=submit]').click();
      await page.waitForURL(citizenLink);

      // No key yet: the page says so and links to /keys.
      const status = page.locator('#e2e-open [data-e2e-status]');
      await page.waitForFunction(
        () => (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '') !== '',
      );
      assert.match(await status.innerText(), /noch keinen persönlichen Schlüssel/);
      assert.match(await page.locator('h1').innerText(), /Ihr Bescheid/);
      assert.equal((await page.locator('main').innerText()).includes(nameMarker), false);
      await expectAccessible(page, t);

      await page.locator('[data-e2e-keys-link]').click();
      await page.waitForURL(/\/keys/);
      await page.locator('form#key-create button[type=submit]:enabled').waitFor();
      await expectAccessible(page, t);
      await page.locator('#key-create-passphrase').fill(CITIZEN_PASS);
      await page.locator('#key-create-passphraseRepeat').fill(CITIZEN_PASS);
      await page.locator('#key-create-understood').check();
      await page.locator('form#key-create button[type=submit]').click();
      await page.locator('#key-recovery').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator('#key-recovery-kept').check();
      await page.locator('[data-recovery-done]').click();
      await page.waitForURL(citizenLink);

      await page.waitForFunction(() =>
        (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes(
          'Warten auf die Absenderseite',
        ),
      );
      await expectAccessible(page, t);

      // She signs out of the key (locks it), so she must unlock with the passphrase later.
      await page.goto(url('/keys'));
      await page.locator('[data-key-lock]').click();
      await page.locator('form#key-unlock').waitFor({ state: 'visible' });
    });

    it('the caseworker signs in again, unlocks, and the background re-wrap releases the transfer', async (t) => {
      const staff = await browser.newContext();
      const page = await newPage(staff);
      await page.goto(url('/login'));
      await page.locator('#login-link-email').fill(ADMIN);
      await page.locator('form#login-link button[type=submit]').click();
      const loginMail = await portal.mail(
        (m) => m.to.includes(ADMIN) && m.links.some((l) => l.includes('/login/link/')),
      );
      const link = loginMail.links.find((l) => l.includes('/login/link/'));
      assert.ok(link !== undefined);
      await staffSignIn(page, link);

      await page.goto(url('/keys'));
      await page.locator('form#key-unlock button[type=submit]:enabled').waitFor();
      await expectAccessible(page, t);

      // A wrong passphrase: the one error at the field, nothing unlocked, nothing re-wrapped.
      await page.locator('#key-unlock-passphrase').fill('eine ganz falsche Passphrase');
      await page.locator('form#key-unlock button[type=submit]').click();
      await page.locator('form#key-unlock [role=alert]').waitFor({ timeout: 30_000 });
      assert.match(await page.locator('form#key-unlock').innerText(), /Die Passphrase ist falsch\./);
      assert.equal(await page.locator('#key-unlock-passphrase').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('[data-key-unlocked]').isVisible(), false);
      assert.equal(
        (await portal.mails()).some((m) => m.to.includes(CITIZEN) && m.subject.includes('jetzt geöffnet')),
        false,
        'no re-wrap with a wrong passphrase',
      );
      await expectAccessible(page, t);

      await page.locator('#key-unlock-passphrase').fill(STAFF_PASS);
      await page.locator('form#key-unlock button[type=submit]').click();
      await page.locator('[data-key-unlocked]').waitFor({ state: 'visible', timeout: 30_000 });
      await page.waitForFunction(() =>
        (document.querySelector('[data-key-status]')?.textContent ?? '').includes('freigegeben'),
      );
      await expectAccessible(page, t);

      // The sender reads the own outbox: text and file name decrypted in the browser.
      await page.goto(url(`/transfers/${transferId}`));
      await page.waitForFunction(() =>
        (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes('entschlüsselt.'),
      );
      const main = await page.locator('main').innerText();
      assert.match(main, new RegExp(textMarker));
      assert.match(main, new RegExp(nameMarker));
      await expectAccessible(page, t);

      // Signing out forgets the unlocked key in this browser.
      const storedKey = (): Promise<boolean> =>
        page.evaluate(
          () =>
            new Promise<boolean>((resolve) => {
              const req = indexedDB.open('amtsbote-keys', 1);
              req.onsuccess = () => {
                const get = req.result.transaction('unlocked').objectStore('unlocked').get('current');
                get.onsuccess = () => {
                  resolve(get.result !== undefined);
                  req.result.close();
                };
              };
            }),
        );
      assert.equal(await storedKey(), true, 'the unlocked key is kept for the session');
      await page.locator('form[action="/logout"] button[type=submit]').first().click();
      await page.waitForURL((u) => !u.pathname.startsWith('/transfers'));
      assert.equal(await storedKey(), false, 'signing out forgot the key');
      await staff.close();
    });

    it('the citizen gets the mail, unlocks, and saves the decrypted file byte for byte', async (t) => {
      const released = await portal.mail(
        (m) => m.to.includes(CITIZEN) && m.subject.includes('jetzt geöffnet'),
      );
      assert.equal(released.text.includes(textMarker), false);

      // Headless Chromium has showSaveFilePicker but no one to answer its dialog: take it away,
      // so the page uses the service-worker stream, which the browser writes as a download.
      await citizen.addInitScript(() => {
        Reflect.deleteProperty(window, 'showSaveFilePicker');
      });
      const page = await newPage(citizen);
      await citizenPage.close();

      await page.goto(url('/keys'));
      await page.locator('form#key-unlock button[type=submit]:enabled').waitFor();
      await page.locator('#key-unlock-passphrase').fill(CITIZEN_PASS);
      await page.locator('form#key-unlock button[type=submit]').click();
      await page.locator('[data-key-unlocked]').waitFor({ state: 'visible', timeout: 30_000 });

      await page.goto(citizenLink);
      await page.waitForFunction(() =>
        (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes('entschlüsselt.'),
      );
      const main = await page.locator('main').innerText();
      assert.match(main, new RegExp(textMarker), 'the level-4 text is decrypted in the browser');
      assert.match(main, new RegExp(nameMarker), 'and the file name');
      await expectAccessible(page, t);

      // A tampered chunk (one flipped bit in the last chunk) and a truncated download (the last
      // chunk missing): each gives the one error, and the browser's download fails.
      const href = await page.locator('[data-e2e-file]').first().getAttribute('data-href');
      assert.ok(href !== null);
      const damages: [string, (body: Buffer) => Buffer][] = [
        [
          'tampered',
          (body) => {
            const i = body.length - 100;
            body.writeUInt8(body.readUInt8(i) ^ 1, i);
            return body;
          },
        ],
        ['truncated', (body) => body.subarray(0, body.length - 200_000)],
      ];
      for (const [what, damage] of damages) {
        await page.route(
          (u) => u.pathname === href,
          async (route) => {
            const res = await route.fetch();
            await route.fulfill({ response: res, body: damage(await res.body()) });
          },
        );
        const [broken] = await Promise.all([
          page.waitForEvent('download', { timeout: 60_000 }),
          page.getByRole('button', { name: `${fileName} entschlüsseln und speichern` }).click(),
        ]);
        assert.notEqual(await broken.failure(), null, `the ${what} download fails`);
        await page.waitForFunction(() =>
          (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes(
            'Entschlüsselung fehlgeschlagen',
          ),
        );
        await page.locator('[data-e2e-save]:enabled').waitFor();
        await page.unrouteAll();
        await page.evaluate(() => {
          const s = document.querySelector('#e2e-open [data-e2e-status]');
          if (s) s.textContent = '';
        });
      }

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
        (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes(
          'wurde gespeichert',
        ),
      );
      await expectAccessible(page, t);
      await assertNothingReadableStored('after the download');
    });

    it('the citizen replies at level 4 with a file; the caseworker opens the reply byte for byte', async (t) => {
      const replyMarker = `REPLYMARK-${randomBytes(8).toString('hex')}`;
      const replyNameMarker = `RNAME${randomBytes(6).toString('hex')}`;
      const replyTextMarker = `RTEXT-${randomBytes(6).toString('hex')}`;
      const replyName = `Nachweis-${replyNameMarker}.pdf`;
      const replyFile = path.join(dir, replyName);
      const data = Buffer.concat([Buffer.from(`%PDF ${replyMarker}\n`), randomBytes(SIZE + 12345)]);
      Buffer.from(replyMarker).copy(data, data.length - replyMarker.length);
      await writeFile(replyFile, data);
      const replySha = createHash('sha256').update(data).digest('hex');

      // The citizen's key is still unlocked in her browser from the download before.
      const page = await newPage(citizen);
      await page.goto(citizenLink);
      await page.locator('form#reply[data-e2e-level="4"] button[type=submit]:enabled').waitFor();
      assert.match(
        await page.locator('section[aria-labelledby="recipient-reply"]').innerText(),
        /auf Stufe 4/,
      );
      await page.locator('#reply-message').fill(`Hier mein Nachweis. ${replyTextMarker}`);
      await page.locator('#reply-files').setInputFiles([replyFile]);
      await expectAccessible(page, t);
      await page.locator('form#reply button[type=submit]').click();
      await page.waitForURL(/\?notice=reply-sent$/, { timeout: 60_000 });
      const thread = await page.locator('main').innerText();
      assert.match(thread, /Ende-zu-Ende-verschlüsselt/, 'the sent reply is listed without its content');
      assert.equal(thread.includes(replyTextMarker) || thread.includes(replyNameMarker), false);
      await expectAccessible(page, t);

      // She re-opens her own reply in the thread with her key: text, name, the file byte for byte.
      const own = page.locator('[data-own-reply]');
      await own.getByRole('button', { name: 'Ihre Antwort öffnen' }).click();
      await page.waitForFunction(() =>
        (document.querySelector('[data-own-reply] [data-e2e-status]')?.textContent ?? '').includes(
          'Ihre Antwort ist entschlüsselt.',
        ),
      );
      const reread = await own.innerText();
      assert.match(reread, new RegExp(replyTextMarker), 'her reply text, decrypted in her browser');
      assert.match(reread, new RegExp(replyNameMarker), 'and its file name');
      await expectAccessible(page, t);
      const [ownDownload] = await Promise.all([
        page.waitForEvent('download', { timeout: 60_000 }),
        own.getByRole('button', { name: `${replyName} entschlüsseln und speichern` }).click(),
      ]);
      assert.equal(ownDownload.suggestedFilename(), replyName);
      const ownSaved = path.join(dir, 'own-reply-got.pdf');
      await ownDownload.saveAs(ownSaved);
      assert.equal(await ownDownload.failure(), null);
      assert.equal(await sha256File(ownSaved), replySha);
      const atRest = {
        when: 'after the level-4 reply',
        tables: ['transfers', 'transfer_files', 'transfer_envelopes', 'audit_events'],
        secrets: [replyMarker, replyNameMarker, replyTextMarker],
        databaseOnly: [Buffer.from(replyMarker).toString('hex')],
        fileName: replyNameMarker,
      };
      await assertSecretsNotStored(portal, atRest);

      // The caseworker: sign in, unlock, postbox entry, transfer page, decrypt in the browser.
      const staff = await browser.newContext();
      await staff.addInitScript(() => {
        Reflect.deleteProperty(window, 'showSaveFilePicker');
      });
      const sp = await newPage(staff);
      const used = new Set((await portal.mails()).flatMap((m) => m.links));
      await sp.goto(url('/login'));
      await sp.locator('#login-link-email').fill(ADMIN);
      await sp.locator('form#login-link button[type=submit]').click();
      const loginMail = await portal.mail(
        (m) => m.to.includes(ADMIN) && m.links.some((l) => l.includes('/login/link/') && !used.has(l)),
      );
      const loginLink = loginMail.links.find((l) => l.includes('/login/link/') && !used.has(l));
      assert.ok(loginLink !== undefined);
      await staffSignIn(sp, loginLink);
      await sp.goto(url('/keys'));
      await sp.locator('form#key-unlock button[type=submit]:enabled').waitFor();
      await sp.locator('#key-unlock-passphrase').fill(STAFF_PASS);
      await sp.locator('form#key-unlock button[type=submit]').click();
      await sp.locator('[data-key-unlocked]').waitFor({ state: 'visible', timeout: 30_000 });

      await sp.goto(url('/transfers'));
      await sp
        .getByRole('link', { name: `Re: ${SUBJECT}` })
        .first()
        .click();
      await sp.waitForURL(/\/transfers\/[0-9a-f-]{36}$/);
      assert.notEqual(
        /\/transfers\/([0-9a-f-]{36})/.exec(sp.url())?.[1],
        transferId,
        'the reply, not the message',
      );
      await sp.waitForFunction(() =>
        (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes('entschlüsselt.'),
      );
      const main = await sp.locator('main').innerText();
      assert.match(main, new RegExp(replyTextMarker), 'the reply text is decrypted in the browser');
      assert.match(main, new RegExp(replyNameMarker), 'and its file name');
      await expectAccessible(sp, t);
      const [download] = await Promise.all([
        sp.waitForEvent('download', { timeout: 60_000 }),
        sp.getByRole('button', { name: `${replyName} entschlüsseln und speichern` }).click(),
      ]);
      assert.equal(download.suggestedFilename(), replyName);
      const saved = path.join(dir, 'reply-got.pdf');
      await download.saveAs(saved);
      assert.equal(await download.failure(), null);
      assert.equal(await sha256File(saved), replySha);
      await assertSecretsNotStored(portal, { ...atRest, when: 'after the caseworker opened the reply' });
      await staff.close();

      // The caseworker's key is replaced (lost): the citizen's page says so and offers level 2.
      await portal.portal.deps.db.query(
        `UPDATE personal_keys SET retired_at = now() WHERE staff_id IS NOT NULL AND retired_at IS NULL`,
      );
      await page.goto(citizenLink);
      await page.locator('[data-e2e-fallback]:not([hidden])').waitFor();
      assert.match(
        await page.locator('[data-e2e-reply-status]').innerText(),
        /keinen persönlichen Schlüssel/,
      );
      await expectAccessible(page, t);
      await page.locator('#reply-message').fill('Dann eben auf Stufe 2.');
      await page.locator('#reply-fallbackLevel2').check();
      await page.locator('form#reply button[type=submit]').click();
      await page.waitForURL(/\?notice=reply-sent$/, { timeout: 60_000 });
      const levels = await portal.portal.deps.db.query<{ level: number }>(
        `SELECT level FROM transfers WHERE in_reply_to = $1 AND status = 'sent' ORDER BY created_at`,
        [transferId],
      );
      assert.deepEqual(
        levels.map((r) => r.level),
        [4, 2],
        'the level-4 reply, then the level-2 one',
      );
      await citizen.close();
    });

    it('logged no console error and no CSP violation on any page', () => {
      assert.deepEqual(
        consoleErrors.filter((e) => !e.includes('404 (Not Found)')),
        [],
      );
    });
  },
);
