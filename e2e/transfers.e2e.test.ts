import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { browserAvailable, expectAccessible, launchChromium, watchConsole } from './support/browser.ts';
import { readStoredZipEntries, sha256File, writePseudoRandomFile } from './support/files.ts';
import type { PortalUnderTest } from './support/portal.ts';
import { startPortal } from './support/portal.ts';

const availability = browserAvailable();

const BIG_SIZE = 200 * 1024 * 1024;
const SMALL_TEXT = 'Bitte reichen Sie die fehlenden Unterlagen bis Monatsende ein.\n';
const SUBJECT = 'Ihr Bescheid zum Bauantrag';
const REPLY_TEXT = 'Danke, anbei der Nachweis.';

describe(
  'transfers in Chromium: level 1 with 200 MB, reply, level 2 with code',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let portal: PortalUnderTest;
    let browser: Browser;
    let dir: string;
    let staff: BrowserContext;
    let staffPage: Page;
    const consoleErrors: string[] = [];
    const files = { small: '', big: '', reply: '' };
    const sha = { small: '', big: '', reply: '' };
    let transferId = '';
    let citizenLink = '';

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-e2e-files-'));
      files.small = path.join(dir, 'hinweis.txt');
      files.big = path.join(dir, 'plan-200mb.bin');
      files.reply = path.join(dir, 'nachweis.txt');
      await writeFile(files.small, SMALL_TEXT);
      await writeFile(files.reply, 'Nachweis: Einkommen 2025\n');
      sha.small = createHash('sha256').update(SMALL_TEXT).digest('hex');
      sha.reply = await sha256File(files.reply);
      [portal, browser, sha.big] = await Promise.all([
        startPortal(),
        launchChromium(),
        writePseudoRandomFile(files.big, BIG_SIZE, 'e2e-200mb'),
      ]);
      staff = await browser.newContext();
      staffPage = await staff.newPage();
      consoleErrors.push(...watchConsole(staffPage));
    });
    after(async () => {
      await browser.close();
      await portal.stop();
      await rm(dir, { recursive: true, force: true });
    });

    async function visit(page: Page, to: string): Promise<void> {
      const res = await page.goto(new URL(to, portal.url).toString());
      assert.ok(res?.ok() === true, `${to}: ${res?.status() ?? 'no response'}`);
    }

    /** Clicks a link that downloads and saves the file into the temp dir. */
    async function download(page: Page, name: string | RegExp, saveAs: string): Promise<Download> {
      const [dl] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name }).click(),
      ]);
      await dl.saveAs(path.join(dir, saveAs));
      return dl;
    }

    /** Fills and sends the compose form, then waits for the transfer page. */
    async function compose(
      page: Page,
      o: { to: string; subject: string; message: string; files: string[]; level: 1 | 2; allowReply: boolean },
    ): Promise<string> {
      await visit(page, '/transfers/new');
      await page.locator('form#compose button[type=submit]:enabled').waitFor();
      await page.locator('#compose-recipients').fill(o.to);
      await page.locator('#compose-subject').fill(o.subject);
      await page.locator('#compose-message').fill(o.message);
      await page.locator('#compose-files').setInputFiles(o.files);
      await page.locator(`#compose-level-${o.level}`).check();
      if (o.allowReply) await page.locator('#compose-allowReply').check();
      await page.locator('form#compose button[type=submit]').click();
      await page.waitForURL(/\/transfers\/[0-9a-f-]{36}\?notice=transfer-sent$/, { timeout: 120_000 });
      const id = /\/transfers\/([0-9a-f-]{36})/.exec(page.url())?.[1];
      assert.ok(id !== undefined);
      return id;
    }

    it('the caseworker signs in and sends a small and a 200 MB file at level 1', async (t) => {
      await staffPage.goto(portal.adminLink);
      await staffPage.locator('#login-link-confirm button[type=submit]').click();
      await staffPage.waitForURL('**/home');
      assert.ok(
        await staffPage.locator('main a[href="/transfers/new"]').isVisible(),
        'home links to compose',
      );

      await visit(staffPage, '/transfers/new');
      await expectAccessible(staffPage, t);
      // With JavaScript the form is live: the note about the CLI is gone, the button enabled.
      assert.equal(await staffPage.locator('[data-needs-js]').isVisible(), false);

      // A file over the tenant's limit is refused before anything is uploaded (checked locally).
      await staffPage
        .locator('form#compose')
        .evaluate((form) => form.setAttribute('data-max-file-size', '10'));
      await staffPage.locator('#compose-recipients').fill('buerger@example.org');
      await staffPage.locator('#compose-subject').fill(SUBJECT);
      await staffPage.locator('#compose-files').setInputFiles([files.small]);
      await staffPage.locator('form#compose button[type=submit]').click();
      await staffPage.locator('form#compose [role=alert]').waitFor();
      const refusal = await staffPage.locator('form#compose [role=alert]').innerText();
      assert.match(
        refusal,
        new RegExp(`hinweis\\.txt.*${Buffer.byteLength(SMALL_TEXT)} Bytes.*10 Bytes`, 's'),
      );
      assert.equal(await staffPage.locator('#compose-files').getAttribute('aria-invalid'), 'true');
      await expectAccessible(staffPage, t);

      const started = Date.now();
      transferId = await compose(staffPage, {
        to: 'buerger@example.org',
        subject: SUBJECT,
        message: 'Guten Tag,\n\nanbei Ihr Bescheid und der Plan.',
        files: [files.small, files.big],
        level: 1,
        allowReply: true,
      });
      t.diagnostic(`compose with 200 MB upload and send: ${Date.now() - started} ms`);
      assert.match(await staffPage.locator('main').innerText(), /Die Nachricht wurde verschickt/);
      assert.match(await staffPage.locator('h1').innerText(), new RegExp(SUBJECT));
      await expectAccessible(staffPage, t);
    });

    it('the citizen opens the link from the mail in a fresh browser and downloads both files and the ZIP', async (t) => {
      const mail = await portal.mail((m) => m.to.includes('buerger@example.org'));
      assert.doesNotMatch(mail.text, new RegExp(SUBJECT), 'the mail carries no content');
      const link = mail.links.find((l) => l.includes('/t/'));
      assert.ok(link !== undefined, 'link in the mail');
      citizenLink = link;

      const citizen = await browser.newContext();
      const page = await citizen.newPage();
      consoleErrors.push(...watchConsole(page));
      await page.goto(citizenLink);
      assert.match(await page.locator('h1').innerText(), new RegExp(SUBJECT));
      assert.match(await page.locator('main').innerText(), /anbei Ihr Bescheid/);
      await expectAccessible(page, t);

      await download(page, 'hinweis.txt', 'got-small.txt');
      assert.equal(await sha256File(path.join(dir, 'got-small.txt')), sha.small);
      const started = Date.now();
      await download(page, 'plan-200mb.bin', 'got-big.bin');
      assert.equal(await sha256File(path.join(dir, 'got-big.bin')), sha.big);
      t.diagnostic(`200 MB download: ${Date.now() - started} ms`);
      await rm(path.join(dir, 'got-big.bin'));

      await download(page, /ZIP/, 'got.zip');
      const entries = await readStoredZipEntries(path.join(dir, 'got.zip'));
      assert.deepEqual(
        entries.map((e) => [e.name, e.size, e.sha256]),
        [
          ['hinweis.txt', Buffer.byteLength(SMALL_TEXT), sha.small],
          ['plan-200mb.bin', BIG_SIZE, sha.big],
        ],
      );
      await rm(path.join(dir, 'got.zip'));

      // The citizen answers with a short text and a small file, on the same page.
      await page.locator('form#reply button[type=submit]:enabled').waitFor();
      assert.equal(await page.locator('#reply-subject').inputValue(), `Re: ${SUBJECT}`);
      await page.locator('#reply-message').fill(REPLY_TEXT);
      await page.locator('#reply-files').setInputFiles([files.reply]);
      await page.locator('form#reply button[type=submit]').click();
      await page.waitForURL('**?notice=reply-sent', { timeout: 60_000 });
      const main = await page.locator('main').innerText();
      assert.match(main, /Ihre Antwort wurde verschickt/);
      assert.match(main, new RegExp(REPLY_TEXT), 'the reply shows in the conversation');
      await expectAccessible(page, t);
      await citizen.close();
    });

    it('the caseworker sees the download and the reply in the postbox, and opens the reply', async (t) => {
      await visit(staffPage, '/transfers');
      await expectAccessible(staffPage, t);
      const sentRow = staffPage.locator('#postbox tbody tr', {
        has: staffPage.locator(`a[href="/transfers/${transferId}"]`),
      });
      const cells = await sentRow.locator('td').allInnerTexts();
      assert.deepEqual(cells.slice(-2), ['1 von 1', '1 von 1'], 'opened and downloaded by the one recipient');
      const replyRow = staffPage.locator('#postbox tbody tr', { hasText: `Re: ${SUBJECT}` });
      assert.match(await replyRow.innerText(), /Antwort\s+buerger@example\.org/);

      await visit(staffPage, `/transfers/${transferId}`);
      const delivery = await staffPage.locator('#recipients').innerText();
      assert.match(delivery, /buerger@example\.org/);
      assert.match(delivery, /heruntergeladen am/);
      assert.match(delivery, /hinweis\.txt:.*\n?.*plan-200mb\.bin:.*\n?.*alle Dateien als ZIP:/s);
      await expectAccessible(staffPage, t);

      await visit(staffPage, '/transfers');
      await replyRow.getByRole('link').click();
      await staffPage.waitForURL(/\/transfers\/[0-9a-f-]{36}$/);
      assert.match(await staffPage.locator('main').innerText(), new RegExp(REPLY_TEXT));
      await expectAccessible(staffPage, t);
      await download(staffPage, 'nachweis.txt', 'got-reply.txt');
      assert.equal(await sha256File(path.join(dir, 'got-reply.txt')), sha.reply);
    });

    it('an upload can be paused and resumed, and continues after a page reload without a new draft', async (t) => {
      const page = await staff.newPage();
      consoleErrors.push(...watchConsole(page));
      // Slow the upload down, so there is time to pause and to reload halfway.
      const cdp = await staff.newCDPSession(page);
      await cdp.send('Network.enable');
      const throttle = (bytesPerSecond: number) =>
        cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency: 0,
          downloadThroughput: -1,
          uploadThroughput: bytesPerSecond,
        });
      await throttle(25 * 1024 * 1024);
      const fill = async (): Promise<void> => {
        await page.locator('form#compose button[type=submit]:enabled').waitFor();
        await page.locator('#compose-recipients').fill('amt@example.org');
        await page.locator('#compose-subject').fill('Großer Plan');
        await page.locator('#compose-files').setInputFiles([files.big]);
      };
      await visit(page, '/transfers/new');
      await fill();
      await page.locator('form#compose button[type=submit]').click();
      await page.locator('#compose-progress').waitFor({ state: 'visible' });
      await page.waitForTimeout(1000);
      await page.locator('[data-upload-pause]').click();
      assert.match(await page.locator('[data-upload-state]').innerText(), /Angehalten/);
      await page.waitForFunction(
        () =>
          document.getElementById('compose-progress-announce')?.textContent === 'Der Upload ist angehalten.',
      );
      const paused = await page
        .locator('#compose-progress-total')
        .evaluate((p) => (p as HTMLProgressElement).value);
      await page.waitForTimeout(500);
      assert.equal(
        await page.locator('#compose-progress-total').evaluate((p) => (p as HTMLProgressElement).value),
        paused,
        'nothing moves while paused',
      );
      assert.ok(paused > 0 && paused < 100, `paused at ${paused} %`);
      await expectAccessible(page, t);
      await page.locator('[data-upload-pause]').click();
      await page.waitForFunction(
        (p) =>
          ((document.getElementById('compose-progress-total') as HTMLProgressElement | null)?.value ?? 0) > p,
        paused,
      );

      // Reload halfway (the browser asks first), choose the same files again: the same draft goes on.
      page.once('dialog', (d) => void d.accept());
      await page.reload();
      await throttle(-1);
      const requests: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/api/v1/'))
          requests.push(
            `${r.method()} ${new URL(r.url()).pathname} ${r.headers()['upload-offset'] ?? ''}`.trim(),
          );
      });
      await fill();
      await page.locator('form#compose button[type=submit]').click();
      await page.waitForURL(/\/transfers\/[0-9a-f-]{36}\?notice=transfer-sent$/, { timeout: 60_000 });
      t.diagnostic(`after the reload: ${requests.join(' | ')}`);
      assert.ok(!requests.includes('POST /api/v1/transfers'), 'no second draft');
      const patch = requests.find((r) => r.startsWith('PATCH /api/v1/uploads/'));
      assert.ok(
        patch !== undefined && Number(patch.split(' ').at(-1)) > 0,
        'the upload continued from the server’s offset',
      );
      assert.deepEqual(
        await page.evaluate(() => Object.keys(localStorage)),
        [],
        'nothing left in the browser’s storage',
      );

      const mail = await portal.mail((m) => m.to.includes('amt@example.org'));
      const link = mail.links.find((l) => l.includes('/t/'));
      assert.ok(link !== undefined);
      const reader = await browser.newContext();
      const readerPage = await reader.newPage();
      await readerPage.goto(link);
      await download(readerPage, 'plan-200mb.bin', 'got-resumed.bin');
      assert.equal(
        await sha256File(path.join(dir, 'got-resumed.bin')),
        sha.big,
        'the resumed file is byte for byte the same',
      );
      await rm(path.join(dir, 'got-resumed.bin'));
      await reader.close();
      await page.close();
    });

    it('level 2: the link alone shows only the verification; the mailed code opens the message', async (t) => {
      const subject = 'Unterlagen zu Ihrem Antrag (Stufe 2)';
      await compose(staffPage, {
        to: 'ina@example.org',
        subject,
        message: 'Nur für Sie.',
        files: [files.small],
        level: 2,
        allowReply: false,
      });
      const mail = await portal.mail((m) => m.to.includes('ina@example.org'));
      const link = mail.links.find((l) => l.includes('/t/'));
      assert.ok(link !== undefined);

      const ina = await browser.newContext();
      const page = await ina.newPage();
      consoleErrors.push(...watchConsole(page));
      await page.goto(link);
      const before = await page.locator('main').innerText();
      assert.match(before, /i\*\*\*@example\.org/);
      assert.doesNotMatch(before, /Unterlagen zu Ihrem Antrag|hinweis\.txt|Nur für Sie/);
      await expectAccessible(page, t);

      await page.locator('form#verify-request button[type=submit]').click();
      await page.locator('#verify-code').waitFor();
      await expectAccessible(page, t);
      const codeMail = await portal.mail((m) => m.to.includes('ina@example.org') && /\b\d{6}\b/.test(m.text));
      const code = /\b(\d{6})\b/.exec(codeMail.text)?.[1];
      assert.ok(code !== undefined);

      // A wrong code first: the error is shown at the field, and the page stays accessible.
      await page.locator('#verify-code').fill(code === '000000' ? '111111' : '000000');
      await page.locator('form#verify button[type=submit]').click();
      await page.locator('form#verify [role=alert]').waitFor();
      assert.equal(await page.locator('#verify-code').getAttribute('aria-invalid'), 'true');
      await expectAccessible(page, t);

      await page.locator('#verify-code').fill(code);
      await page.locator('form#verify button[type=submit]').click();
      await page.waitForURL(link);
      assert.match(await page.locator('h1').innerText(), /Unterlagen zu Ihrem Antrag/);
      assert.match(await page.locator('main').innerText(), /Nur für Sie/);
      await expectAccessible(page, t);
      await download(page, 'hinweis.txt', 'got-level2.txt');
      assert.equal(await sha256File(path.join(dir, 'got-level2.txt')), sha.small);
      await ina.close();

      // The same link in another browser still opens nothing.
      const stranger = await browser.newContext();
      const other = await stranger.newPage();
      await other.goto(link);
      assert.doesNotMatch(await other.locator('main').innerText(), /Nur für Sie/);
      await stranger.close();
    });

    it('logged no console error and no CSP violation on any page', () => {
      assert.deepEqual(
        consoleErrors.filter((e) => !e.includes('404 (Not Found)')),
        [],
      );
    });
  },
);
