import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, expectAccessible, launchChromium, watchConsole } from './support/browser.ts';
import { sha256File } from './support/files.ts';
import type { PortalUnderTest } from './support/portal.ts';
import { startPortal } from './support/portal.ts';

const availability = browserAvailable();

const ANNA = 'anna@bau.example';
const BEN = 'ben@bau.example';
const CONTACT = 'postfach@bau.example';
const ORG = 'Muster Bau GmbH';
const KEY_PASS = 'eine lange Schlüssel-Passphrase für die Firma';
const SUBJECT = 'Ihr Bauantrag (Stufe 3)';
const SIZE = 1536 * 1024;

/**
 * The organisation's key in Chromium: the administrator creates it in her browser; a member
 * confirmed later gets his share from her browser; a caseworker picks the organisation by name
 * on the compose page and sends a level-3 transfer, which is encrypted to the organisation's key;
 * the member opens it in the organisation's postbox and saves the file byte for byte.
 */
describe(
  'organisation key in Chromium: create, pass on, send to the organisation, open as a member',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let portal: PortalUnderTest;
    let browser: Browser;
    let dir: string;
    let anna: BrowserContext;
    let ben: BrowserContext;
    let annaPage: Page;
    let benPage: Page;
    let staff: BrowserContext;
    let staffPage: Page;
    let orgUrl = '';
    let transferId = '';
    let file = '';
    let sha = '';
    const fileName = 'Bauantrag-Anlage.pdf';
    const consoleErrors: string[] = [];

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-e2e-org-keys-'));
      file = path.join(dir, fileName);
      const data = Buffer.concat([Buffer.from('%PDF org key\n'), randomBytes(SIZE)]);
      await writeFile(file, data);
      sha = createHash('sha256').update(data).digest('hex');
      [portal, browser] = await Promise.all([startPortal(), launchChromium()]);
      anna = await browser.newContext();
      ben = await browser.newContext();
      // Headless Chromium has showSaveFilePicker but nobody to answer it: the page then saves
      // through the service-worker stream, which the browser writes as a download.
      await ben.addInitScript(() => {
        Reflect.deleteProperty(window, 'showSaveFilePicker');
      });
      annaPage = await anna.newPage();
      benPage = await ben.newPage();
      consoleErrors.push(...watchConsole(annaPage), ...watchConsole(benPage));
    });
    after(async () => {
      await browser.close();
      await portal.stop();
      await rm(dir, { recursive: true, force: true });
    });

    const url = (to: string): string => new URL(to, portal.url).toString();

    async function register(page: Page, email: string): Promise<void> {
      await page.goto(url('/account/register'));
      await page.locator('#register-email').fill(email);
      await page.locator('#register button[type=submit]').click();
      await page.locator('#register-verify-code').waitFor();
      const mail = await portal.mail((m) => m.to.includes(email) && /\b\d{6}\b/.test(m.text));
      await page.locator('#register-verify-code').fill(/\b(\d{6})\b/.exec(mail.text)?.[1] ?? '');
      await page.locator('#register-verify button[type=submit]').click();
      await page.waitForURL('**/account?notice=account-created');
    }

    /** Creates the personal key on /keys; it stays unlocked for the session. */
    async function createPersonalKey(page: Page): Promise<void> {
      await page.goto(url('/keys'));
      await page.locator('form#key-create button[type=submit]:enabled').waitFor();
      await page.locator('#key-create-passphrase').fill(KEY_PASS);
      await page.locator('#key-create-passphraseRepeat').fill(KEY_PASS);
      await page.locator('#key-create-understood').check();
      await page.locator('form#key-create button[type=submit]').click();
      await page.locator('#key-recovery').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator('#key-recovery-kept').check();
      await page.locator('[data-recovery-done]').click();
      await page.locator('[data-key-unlocked]').waitFor({ state: 'visible' });
    }

    it('the administrator creates the organisation and its key in her browser', async (t) => {
      const page = annaPage;
      await register(page, ANNA);
      await createPersonalKey(page);
      await page.goto(url('/organisations/new'));
      await page.locator('#organisation-name').fill(ORG);
      await page.locator('#organisation-contactEmail').fill(CONTACT);
      await page.locator('#organisation-consent').check();
      await page.locator('#organisation button[type=submit]').click();
      await page.waitForURL('**/organisations/*?notice=organisation-created');
      orgUrl = page.url().split('?')[0] ?? '';

      await page.getByRole('link', { name: 'Schlüssel', exact: true }).click();
      await page.waitForURL('**/keys');
      assert.match(await page.locator('#org-key').innerText(), /noch keinen Schlüssel/);
      const create = page.getByRole('button', { name: 'Schlüssel der Organisation anlegen' });
      await page.locator('[data-org-key-create]:enabled').waitFor();
      await expectAccessible(page, t);
      await create.click();
      await page.waitForURL('**/keys?notice=org-key-created');
      const text = await page.locator('#org-key').innerText();
      assert.match(text, /Die Organisation hat einen Schlüssel\. Sie haben Zugriff/);
      assert.match(text, /amtb-pub1-/);
      await expectAccessible(page, t);
    });

    it('a member confirmed later gets his share from the administrator’s browser', async (t) => {
      await register(benPage, BEN);
      await createPersonalKey(benPage);
      await annaPage.goto(`${orgUrl}/members`);
      await annaPage.locator('#invite-email').fill(BEN);
      await annaPage.locator('#invite button[type=submit]').click();
      await annaPage.waitForURL('**/members?notice=invitation-sent');
      const mail = await portal.mail((m) => m.to.includes(BEN) && m.subject.includes('Einladung'));
      const link = mail.links.find((l) => l.includes('/organisations/invitations/'));
      assert.ok(link !== undefined);
      await benPage.goto(link);
      await benPage.getByRole('button', { name: 'Einladung annehmen' }).click();
      await benPage.getByText('Sie haben die Einladung angenommen').waitFor();
      await annaPage.goto(`${orgUrl}/members`);
      await annaPage.getByRole('button', { name: `Zugang bestätigen ${BEN}` }).click();
      await annaPage.waitForURL('**/members?notice=member-confirmed');

      // Ben has no share yet; his page says so.
      await benPage.goto(`${orgUrl}/keys`);
      assert.match(await benPage.locator('#org-key').innerText(), /noch nicht freigegeben/);
      await expectAccessible(benPage, t);

      // Any page of Anna's with her key unlocked passes the key on (key-session.ts, org-keys.ts).
      await annaPage.goto(`${orgUrl}/keys`);
      const db = portal.portal.deps.db;
      for (let i = 0; i < 50; i++) {
        const rows = await db.query(
          `SELECT 1 FROM organisation_key_shares s JOIN accounts a ON a.tenant_id = s.tenant_id AND a.id = s.account_id WHERE a.email = $1`,
          [BEN],
        );
        if (rows.length > 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      await benPage.goto(`${orgUrl}/keys`);
      assert.match(await benPage.locator('#org-key').innerText(), /Sie haben Zugriff auf den Schlüssel/);
    });

    it('a caseworker picks the organisation by name and sends a level-3 transfer to its postbox', async (t) => {
      // Kept open (the key stays unlocked) to open the organisation's reply later.
      staff = await browser.newContext();
      await staff.addInitScript(() => {
        Reflect.deleteProperty(window, 'showSaveFilePicker');
      });
      const page = await staff.newPage();
      staffPage = page;
      consoleErrors.push(...watchConsole(page));
      await page.goto(portal.adminLink);
      await page.locator('#login-link-confirm button[type=submit]').click();
      await page.waitForURL('**/home');
      await createPersonalKey(page);

      await page.goto(url('/transfers/new'));
      await page.locator('form#compose button[type=submit]:enabled').waitFor();
      const picker = page.locator('#compose-organisation');
      assert.equal(await picker.getAttribute('list'), 'compose-organisation-list');
      await picker.pressSequentially('Muster', { delay: 20 });
      await page
        .locator('#compose-organisation-list option[value="Muster Bau GmbH"]')
        .waitFor({ state: 'attached' });
      await picker.fill(ORG);
      await page.locator('#compose-subject').fill(SUBJECT);
      await page.locator('#compose-message').fill('Guten Tag, anbei die Anlage zu Ihrem Bauantrag.');
      await page.locator('#compose-files').setInputFiles([file]);
      await page.locator('#compose-level-3').check();
      await page.locator('#compose-allowReply').check();
      await expectAccessible(page, t);
      await page.locator('form#compose button[type=submit]').click();
      await page.waitForURL(/\/transfers\/[0-9a-f-]{36}\?notice=transfer-sent$/, { timeout: 60_000 });
      transferId = /\/transfers\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
      const envelopes = await portal.portal.deps.db.query<{
        organisation_id: string | null;
        personal_key_id: string | null;
      }>(
        `SELECT r.organisation_id, e.personal_key_id FROM transfer_envelopes e JOIN transfer_recipients r ON r.tenant_id = e.tenant_id AND r.id = e.recipient_id WHERE e.transfer_id = $1`,
        [transferId],
      );
      const [only] = envelopes;
      assert.equal(envelopes.length, 1, 'one recipient envelope: the organisation’s');
      assert.ok(only !== undefined && only.organisation_id !== null);
      assert.equal(only.personal_key_id, null, 'wrapped to the organisation’s key, not a personal one');
    });

    it('the member opens it in the organisation’s postbox and saves the file byte for byte', async (t) => {
      await benPage.goto(orgUrl);
      await benPage.getByRole('link', { name: SUBJECT }).click();
      await benPage.waitForURL(`**/postbox/${transferId}`);
      await benPage.waitForFunction(() =>
        (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes('entschlüsselt.'),
      );
      await expectAccessible(benPage, t);
      const [download] = await Promise.all([
        benPage.waitForEvent('download', { timeout: 60_000 }),
        benPage.getByRole('button', { name: `${fileName} entschlüsseln und speichern` }).click(),
      ]);
      assert.equal(download.suggestedFilename(), fileName);
      const saved = path.join(dir, 'got.pdf');
      await download.saveAs(saved);
      assert.equal(await download.failure(), null);
      assert.equal(await sha256File(saved), sha);
      await benPage.waitForFunction(() =>
        (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes(
          'wurde gespeichert',
        ),
      );
    });

    it('the member replies at level 3 in the organisation’s name; the caseworker opens it byte for byte', async (t) => {
      const replyName = 'Nachreichung-Bauantrag.pdf';
      const replyFile = path.join(dir, replyName);
      const data = Buffer.concat([Buffer.from('%PDF org reply\n'), randomBytes(SIZE + 777)]);
      await writeFile(replyFile, data);
      const replySha = createHash('sha256').update(data).digest('hex');
      await benPage.reload();
      await benPage.locator('form#reply[data-e2e-level="3"] button[type=submit]:enabled').waitFor();
      await benPage.locator('#reply-message').fill('Anbei die Nachreichung.');
      await benPage.locator('#reply-files').setInputFiles([replyFile]);
      await expectAccessible(benPage, t);
      await benPage.locator('form#reply button[type=submit]').click();
      await benPage.waitForURL(/\?notice=reply-sent$/, { timeout: 60_000 });
      await expectAccessible(benPage, t);
      const holders = await portal.portal.deps.db.query<{ holder: string; personal_key_id: string | null }>(
        `SELECT e.holder, e.personal_key_id FROM transfer_envelopes e JOIN transfers t ON t.tenant_id = e.tenant_id AND t.id = e.transfer_id
         WHERE t.in_reply_to = $1 ORDER BY e.holder`,
        [transferId],
      );
      assert.deepEqual(
        holders.map((h) => [h.holder, h.personal_key_id === null]),
        [
          ['addressee', false],
          ['sender', true],
        ],
        'wrapped for the caseworker’s personal key and the organisation’s key',
      );

      await staffPage.goto(url('/transfers'));
      await staffPage
        .getByRole('link', { name: `Re: ${SUBJECT}` })
        .first()
        .click();
      await staffPage.waitForURL(/\/transfers\/[0-9a-f-]{36}$/);
      await staffPage.waitForFunction(() =>
        (document.querySelector('#e2e-open [data-e2e-status]')?.textContent ?? '').includes('entschlüsselt.'),
      );
      await expectAccessible(staffPage, t);
      const [download] = await Promise.all([
        staffPage.waitForEvent('download', { timeout: 60_000 }),
        staffPage.getByRole('button', { name: `${replyName} entschlüsseln und speichern` }).click(),
      ]);
      const saved = path.join(dir, 'reply-got.pdf');
      await download.saveAs(saved);
      assert.equal(await download.failure(), null);
      assert.equal(await sha256File(saved), replySha);
      await staff.close();
    });

    it('logged no console error and no CSP violation on any page', () => {
      assert.deepEqual(
        consoleErrors.filter((e) => !/\b404\b/.test(e)),
        [],
      );
    });
  },
);
