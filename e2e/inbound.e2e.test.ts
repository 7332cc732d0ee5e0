import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  decryptBytes,
  exportPublicKey,
  fromBase64Url,
  generateKeyPair,
  unwrapFileKey,
} from '@amtsbote/crypto';
import { browserAvailable, expectAccessible, launchChromium, watchConsole } from './support/browser.ts';
import type { PortalUnderTest } from './support/portal.ts';
import { startPortal } from './support/portal.ts';

const availability = browserAvailable();
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const pdf = (text: string): Buffer =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj\n<< /Title (${text}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );

describe(
  'inbound in Chromium: drop-off with and without password, retrieval mail, answer',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let portal: PortalUnderTest;
    let browser: Browser;
    let staff: BrowserContext;
    let staffPage: Page;
    let dir: string;
    const consoleErrors: string[] = [];
    const files = { antrag: '', geheim: '', exe: '' };

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-inbound-e2e-'));
      files.antrag = path.join(dir, 'antrag.pdf');
      files.geheim = path.join(dir, 'geheim.pdf');
      files.exe = path.join(dir, 'programm.pdf');
      await writeFile(files.antrag, pdf('Antrag'));
      await writeFile(files.geheim, pdf('Streng vertraulich'));
      await writeFile(
        files.exe,
        Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00', 'latin1'), Buffer.alloc(6000, 0x41)]),
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
      assert.deepEqual(consoleErrors, [], 'no console errors or CSP violations');
    });

    const url = (p: string): string => new URL(p, portal.url).toString();

    /** A citizen in a fresh browser: contact, code from the mail, the message form. */
    async function startAsCitizen(
      email: string,
      t: { diagnostic(s: string): void } | undefined,
    ): Promise<Page> {
      const context = await browser.newContext();
      const page = await context.newPage();
      consoleErrors.push(...watchConsole(page));
      await page.goto(url('/'));
      await page.getByRole('link', { name: 'Nachricht oder Dateien an die Behörde senden' }).click();
      await page.waitForURL('**/dropoff');
      await page.getByRole('link', { name: 'An Bürgerservice senden' }).click();
      await page.locator('#contact-firstName').fill('Erika');
      await page.locator('#contact-lastName').fill('Mustermann');
      await page.locator('#contact-email').fill(email);
      // A person needs a few seconds for this form; the portal refuses faster ones.
      await page.waitForTimeout(3_200);
      await page.locator('form#contact button[type=submit]').click();
      await page.waitForURL(/\/inbound\/[0-9a-f-]{36}\/code$/);
      const mail = await portal.mail((m) => m.to.includes(email) && /\b\d{6}\b/.test(m.text));
      const code = /\b(\d{6})\b/.exec(mail.text)?.[1] ?? '';
      t?.diagnostic(`code mailed to ${email}`);
      await page.locator('#code-code').fill(code);
      await page.locator('form#code button[type=submit]').click();
      await page.waitForURL(/\/inbound\/[0-9a-f-]{36}$/);
      await page.locator('form#inbound button[type=submit]:enabled').waitFor();
      return page;
    }

    it('the admin lets the department take drop-off', async (t) => {
      await staffPage.goto(portal.adminLink);
      await staffPage.locator('#login-link-confirm button[type=submit]').click();
      await staffPage.waitForURL('**/home');
      await staffPage.goto(url('/inbox/settings'));
      await expectAccessible(staffPage, t);
      await staffPage.locator('#settings-0-dropoffEnabled').check();
      await staffPage.locator('#settings-0-dropoffHint').fill('Bitte nennen Sie Ihr Aktenzeichen.');
      await staffPage.locator('form#settings-0 button[type=submit]').click();
      await staffPage.waitForURL('**/inbox/settings?notice=inbound-settings-saved');
    });

    it('a citizen sends a message with a PDF: code from the mail, a wrong file type refused by content, delivered', async (t) => {
      const page = await startAsCitizen('erika@example.org', t);
      await expectAccessible(page, t);
      await page.locator('#inbound-subject').fill('Antrag auf Wohngeld');
      await page.locator('#inbound-reference').fill('WG-17');
      await page.locator('#inbound-message').fill('Guten Tag,\n\nanbei mein Antrag.');
      // A program named .pdf: refused before upload, naming the allowed types.
      await page.locator('#inbound-files').setInputFiles([files.exe]);
      await page.waitForTimeout(300);
      await page.locator('form#inbound button[type=submit]').click();
      await page.locator('form#inbound [role=alert]').waitFor();
      assert.match(
        await page.locator('form#inbound [role=alert]').innerText(),
        /programm\.pdf.*PDF, JPEG, PNG/s,
      );
      await expectAccessible(page, t);
      await page.locator('#inbound-files').setInputFiles([files.antrag]);
      await page.waitForTimeout(300);
      await page.locator('form#inbound button[type=submit]').click();
      await page.waitForURL(/\/inbound\/[0-9a-f-]{36}\/done$/, { timeout: 60_000 });
      assert.match(
        await page.locator('main').innerText(),
        /Ihre Nachricht ist angekommen[\s\S]*Vorgangsnummer/,
      );
      await expectAccessible(page, t);
      await page.context().close();
    });

    it('the caseworker opens it; the sender gets the retrieval mail; the answer reaches the sender, who opens it', async (t) => {
      await staffPage.goto(url('/inbox'));
      await expectAccessible(staffPage, t);
      await staffPage.getByRole('link', { name: 'Antrag auf Wohngeld' }).click();
      await staffPage.waitForURL(/\/inbox\/[0-9a-f-]{36}$/);
      const main = await staffPage.locator('main').innerText();
      assert.match(main, /Erika Mustermann/);
      assert.match(main, /WG-17/);
      assert.match(main, /anbei mein Antrag/);
      await expectAccessible(staffPage, t);
      const [dl] = await Promise.all([
        staffPage.waitForEvent('download'),
        staffPage.getByRole('link', { name: 'antrag.pdf' }).click(),
      ]);
      await dl.saveAs(path.join(dir, 'got-antrag.pdf'));
      assert.equal(sha(await readFile(path.join(dir, 'got-antrag.pdf'))), sha(pdf('Antrag')));
      const retrieved = await portal.mail(
        (m) => m.to.includes('erika@example.org') && m.subject.includes('abgerufen'),
      );
      assert.doesNotMatch(retrieved.text, /Wohngeld|Antrag/);

      await staffPage.getByRole('link', { name: 'Antworten' }).click();
      await staffPage.locator('form#answer button[type=submit]:enabled').waitFor();
      await expectAccessible(staffPage, t);
      await staffPage.locator('#answer-message').fill('Ihr Antrag ist vollständig. Wir melden uns.');
      await staffPage.locator('form#answer button[type=submit]').click();
      await staffPage.waitForURL(/\?notice=answer-sent$/, { timeout: 60_000 });
      assert.match(await staffPage.locator('main').innerText(), /Beantwortet am/);

      const answer = await portal.mail(
        (m) => m.to.includes('erika@example.org') && m.links.some((l) => l.includes('/t/')),
      );
      const link = answer.links.find((l) => l.includes('/t/')) ?? '';
      const citizen = await (await browser.newContext()).newPage();
      consoleErrors.push(...watchConsole(citizen));
      await citizen.goto(link);
      assert.match(await citizen.locator('main').innerText(), /Ihr Antrag ist vollständig/);
      await expectAccessible(citizen, t);
      await citizen.context().close();
    });

    it('with a password the message and file are encrypted in the browser; the caseworker opens them with it', async (t) => {
      const page = await startAsCitizen('geheim@example.org', t);
      await page.locator('#inbound-subject').fill('Vertrauliche Unterlagen');
      await page.locator('#inbound-message').fill('Meine Diagnose steht im Anhang.');
      await page.locator('#inbound-files').setInputFiles([files.geheim]);
      await page.locator('#inbound-password').fill('Pferd-Batterie-42');
      await page.locator('#inbound-passwordConfirm').fill('Pferd-Batterie-42');
      await page.locator('form#inbound button[type=submit]').click();
      await page.locator('form#inbound [role=alert]').waitFor();
      assert.match(await page.locator('form#inbound [role=alert]').innerText(), /Passwort notiert/);
      await page.locator('#inbound-passwordKept').check();
      await page.locator('form#inbound button[type=submit]').click();
      await page.waitForURL(/\/inbound\/[0-9a-f-]{36}\/done$/, { timeout: 60_000 });
      assert.match(await page.locator('main').innerText(), /Ohne Ihr Passwort/);
      await page.context().close();

      await staffPage.goto(url('/inbox'));
      await staffPage.getByRole('link', { name: 'Vertrauliche Unterlagen' }).click();
      await staffPage.waitForURL(/\/inbox\/[0-9a-f-]{36}$/);
      const main = await staffPage.locator('main').innerText();
      assert.doesNotMatch(main, /Meine Diagnose/, 'the server shows no plaintext');
      assert.match(main, /nicht geprüft \(Ende-zu-Ende-verschlüsselt\)/);
      await expectAccessible(staffPage, t);
      await staffPage.locator('form#unlock button[type=submit]:enabled').waitFor();
      await staffPage.locator('#unlock-password').fill('falsch-falsch');
      await staffPage.locator('form#unlock button[type=submit]').click();
      await staffPage.getByText('Das Passwort stimmt nicht').waitFor({ timeout: 30_000 });
      await staffPage.locator('#unlock-password').fill('Pferd-Batterie-42');
      await staffPage.locator('form#unlock button[type=submit]').click();
      await staffPage.getByText('Meine Diagnose steht im Anhang.').waitFor({ timeout: 30_000 });
      const [dl] = await Promise.all([
        staffPage.waitForEvent('download'),
        staffPage.getByRole('button', { name: 'geheim.pdf entschlüsselt speichern' }).click(),
      ]);
      await dl.saveAs(path.join(dir, 'got-geheim.pdf'));
      assert.equal(sha(await readFile(path.join(dir, 'got-geheim.pdf'))), sha(pdf('Streng vertraulich')));
      await expectAccessible(staffPage, t);
    });

    it('upload link at level 1: the caseworker asks, the person uploads, a second use is refused', async (t) => {
      await staffPage.goto(url('/upload-links/new'));
      await expectAccessible(staffPage, t);
      await staffPage.locator('#link-title').fill('Nachweise Einkommen');
      await staffPage.locator('#link-note').fill('Bitte die letzten drei Lohnabrechnungen.');
      await staffPage.locator('#link-email').fill('anna@example.org');
      await staffPage.locator('#link-maxUses').fill('1');
      await staffPage.locator('form#link button[type=submit]').click();
      await staffPage.waitForURL(/\/upload-links(\/[0-9a-f-]{36}\?notice=upload-link-created)?$/);
      assert.match(
        staffPage.url(),
        /notice=upload-link-created/,
        await staffPage.locator('main').innerText(),
      );
      await expectAccessible(staffPage, t);
      const mail = await portal.mail(
        (m) => m.to.includes('anna@example.org') && m.links.some((l) => l.includes('/u/')),
      );
      const link = mail.links.find((l) => l.includes('/u/')) ?? '';

      const context = await browser.newContext();
      const page = await context.newPage();
      consoleErrors.push(...watchConsole(page));
      await page.goto(link);
      assert.match(await page.locator('main').innerText(), /letzten drei Lohnabrechnungen/);
      await expectAccessible(page, t);
      await page.locator('#contact-firstName').fill('Anna');
      await page.locator('#contact-lastName').fill('Beispiel');
      await page.waitForTimeout(3_200);
      await page.locator('form#contact button[type=submit]').click();
      await page.locator('form#inbound button[type=submit]:enabled').waitFor();
      await page.locator('#inbound-files').setInputFiles([files.antrag]);
      await page.locator('form#inbound button[type=submit]').click();
      await page.waitForURL(/\/done$/, { timeout: 60_000 });
      await page.goto(link);
      assert.match(await page.locator('main').innerText(), /so oft hochgeladen, wie erlaubt/);
      await expectAccessible(page, t);
      await context.close();

      await staffPage.reload();
      assert.match(await staffPage.locator('main').innerText(), /benutzt/);
    });

    it('upload link at level 3: the file is encrypted in the uploader’s browser to the department key', async (t) => {
      // The department's key pair; the private half stays with the test (personal keys come later).
      const department = await generateKeyPair({ extractable: true });
      await staffPage.goto(url('/inbox'));
      const csrf = (await staffPage.locator('input[name="_csrf"]').first().getAttribute('value')) ?? '';
      const departmentId =
        (await staffPage.locator('#inbox-department option').nth(1).getAttribute('value')) ?? '';
      const put = await staff.request.put(url(`/api/v1/departments/${departmentId}/key`), {
        headers: { 'x-csrf-token': csrf },
        data: { publicKey: await exportPublicKey(department.publicKey), shares: [] },
      });
      assert.equal(put.status(), 200, await put.text());

      await staffPage.goto(url('/upload-links/new'));
      await staffPage.locator('#link-title').fill('Ärztliches Gutachten');
      await staffPage.locator('#link-email').fill('bob@example.org');
      await staffPage.locator('#link-level-3').check();
      await staffPage.locator('form#link button[type=submit]').click();
      await staffPage.waitForURL(/notice=upload-link-created$/);
      const mail = await portal.mail(
        (m) => m.to.includes('bob@example.org') && m.links.some((l) => l.includes('/u/')),
      );

      const context = await browser.newContext();
      const page = await context.newPage();
      consoleErrors.push(...watchConsole(page));
      await page.goto(mail.links.find((l) => l.includes('/u/')) ?? '');
      await page.locator('#contact-firstName').fill('Bob');
      await page.locator('#contact-lastName').fill('Beispiel');
      await page.waitForTimeout(3_200);
      await page.locator('form#contact button[type=submit]').click();
      await page.waitForURL(/\/code$/);
      const codeMail = await portal.mail((m) => m.to.includes('bob@example.org') && /\b\d{6}\b/.test(m.text));
      await page.locator('#code-code').fill(/\b(\d{6})\b/.exec(codeMail.text)?.[1] ?? '');
      await page.locator('form#code button[type=submit]').click();
      await page.locator('form#inbound button[type=submit]:enabled').waitFor();
      assert.match(
        await page.locator('main').innerText(),
        /schon in Ihrem Browser für die Abteilung verschlüsselt/,
      );
      await expectAccessible(page, t);
      await page.locator('#inbound-files').setInputFiles([files.geheim]);
      await page.locator('form#inbound button[type=submit]').click();
      await page.waitForURL(/\/done$/, { timeout: 60_000 });
      await context.close();

      await staffPage.goto(url('/inbox'));
      await staffPage.getByRole('link', { name: 'Ärztliches Gutachten' }).click();
      await staffPage.waitForURL(/\/inbox\/[0-9a-f-]{36}$/);
      assert.match(
        await staffPage.locator('main').innerText(),
        /nicht geprüft \(Ende-zu-Ende-verschlüsselt\)/,
      );
      await expectAccessible(staffPage, t);
      const envelope = (await staffPage.locator('#item-key-section').getAttribute('data-envelope')) ?? '';
      const href = (await staffPage.getByRole('link', { name: 'geheim.pdf' }).getAttribute('href')) ?? '';
      const stored = Buffer.from(await (await staff.request.get(url(href))).body());
      assert.ok(!stored.includes(Buffer.from('Streng vertraulich')), 'the server holds only ciphertext');
      const key = await unwrapFileKey(fromBase64Url(envelope), department);
      assert.equal(sha(Buffer.from(await decryptBytes(key, stored))), sha(pdf('Streng vertraulich')));
    });
  },
);
