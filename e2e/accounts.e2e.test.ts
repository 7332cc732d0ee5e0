import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestOidcProvider } from '@amtsbote/server/testing/oidc';
import { startTestOidcProvider } from '@amtsbote/server/testing/oidc';
import { browserAvailable, expectAccessible, launchChromium, watchConsole } from './support/browser.ts';
import type { PortalUnderTest } from './support/portal.ts';
import { startPortal } from './support/portal.ts';

const availability = browserAvailable();
const PASSWORD = 'Im Stadtpark blühen im Mai die Kastanien';

/** RFC 6238 with SHA-1, 6 digits, 30 s: what an authenticator app shows for `secret` at `at`. */
function totp(secretBase32: string, at: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32.replace(/[\s=]/g, '').toUpperCase())
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0xf;
  const n = ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString();
  return n.padStart(6, '0');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

describe(
  'accounts and organisations in Chromium',
  { skip: availability.ok ? false : availability.reason },
  () => {
    let portal: PortalUnderTest;
    let idp: TestOidcProvider;
    let browser: Browser;
    let anna: BrowserContext;
    let ben: BrowserContext;
    let annaPage: Page;
    let benPage: Page;
    let orgUrl = '';
    const consoleErrors: string[] = [];

    before(async () => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      idp = await startTestOidcProvider({ redirectUris: [`${base}/auth/oidc/callback`] });
      portal = await startPortal({
        PORT: String(port),
        PUBLIC_URL: base,
        OIDC_ISSUER: idp.issuer,
        // The test identity provider runs on 127.0.0.1: the operator allows it explicitly.
        OUTBOUND_ALLOW: '127.0.0.1/32',
        // The passkey step runs on localhost (WebAuthn wants a domain), the rest on 127.0.0.1:
        // the operator names the tenant that answers for a host it does not list.
        DEFAULT_TENANT: 'musterstadt',
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        OIDC_LABEL: 'BundID',
        OIDC_SCOPES: 'openid email profile',
        OIDC_ACR_VALUES: 'urn:amtsbote:test:substantial',
      });
      browser = await launchChromium();
      anna = await browser.newContext();
      ben = await browser.newContext();
      annaPage = await anna.newPage();
      benPage = await ben.newPage();
      consoleErrors.push(...watchConsole(annaPage), ...watchConsole(benPage));
    });
    after(async () => {
      await browser.close();
      await portal.stop();
      await idp.close();
    });

    const url = (path: string) => new URL(path, portal.url).toString();

    it('registers with an e-mail address only and sets a password', async (t) => {
      const page = annaPage;
      await page.goto(url('/'));
      await page.locator('header').getByRole('link', { name: 'Anmelden mit Servicekonto' }).click();
      await page.waitForURL('**/account/login');
      await expectAccessible(page, t);
      await page.getByRole('link', { name: 'Servicekonto anlegen' }).click();
      await page.waitForURL('**/account/register');
      await expectAccessible(page, t);
      await page.locator('#register-email').fill('anna@firma.example');
      await page.locator('#register-displayName').fill('Anna Admin');
      await page.locator('#register button[type=submit]').click();
      await page.locator('#register-verify-code').waitFor();
      await expectAccessible(page, t);
      const mail = await portal.mail((m) => m.to.includes('anna@firma.example'));
      const code = /\b(\d{6})\b/.exec(mail.text)?.[1] ?? '';
      await page.locator('#register-verify-code').fill(code);
      await page.locator('#register-verify button[type=submit]').click();
      await page.waitForURL('**/account?notice=account-created');
      assert.match(await page.locator('main').innerText(), /anna@firma\.example/);
      await expectAccessible(page, t);
      await page.locator('#password-password').fill(PASSWORD);
      await page.locator('#password-passwordConfirm').fill(PASSWORD);
      await page.locator('#password button[type=submit]').click();
      await page.waitForURL('**/account?notice=password-saved');
    });

    it('adds TOTP and then needs a code to sign in', async (t) => {
      const page = annaPage;
      await page.getByRole('link', { name: 'Authenticator-App einrichten' }).click();
      await page.waitForURL('**/account/totp');
      await expectAccessible(page, t);
      const secret = await page.locator('code.ab-secret').innerText();
      await page.locator('#totp-code').fill(totp(secret, Date.now()));
      await page.locator('#totp button[type=submit]').click();
      await page.getByRole('heading', { level: 1, name: 'Ihre Wiederherstellungs-Codes' }).waitFor();
      assert.equal(await page.locator('.ab-recovery-codes li').count(), 10);
      await expectAccessible(page, t);

      await page.locator('header form[action="/logout"] button').click();
      await page.waitForURL('**/?notice=signed-out');
      await page.goto(url('/account/login'));
      await page.locator('#account-login-email').fill('anna@firma.example');
      await page.locator('#account-login-password').fill(PASSWORD);
      await page.locator('#account-login button[type=submit]').click();
      await page.locator('#account-totp-code').waitFor();
      await expectAccessible(page, t);
      // The code of the next time step: the one used for the setup is spent.
      await page.locator('#account-totp-code').fill(totp(secret, Date.now() + 30_000));
      await page.locator('#account-totp button[type=submit]').click();
      await page.waitForURL('**/account');
      assert.match(await page.locator('main').innerText(), /Eingeschaltet/);
    });

    it('creates a personal access token, sees it once, and revokes it', async (t) => {
      const page = annaPage;
      await page.locator('header').getByRole('link', { name: 'Zugangsschlüssel' }).click();
      await page.waitForURL('**/account/tokens');
      await expectAccessible(page, t);
      await page.locator('#token-create-name').fill('Laptop');
      await page.locator('#token-create-expiresInDays').selectOption('30');
      await page.locator('#token-create button[type=submit]').click();
      const secret = await page.locator('#token-secret').innerText();
      assert.match(secret, /^amta_[A-Za-z0-9_-]{43}$/);
      await expectAccessible(page, t);
      const elsewhere = await fetch(url('/api/v1/me'), { headers: { authorization: `Bearer ${secret}` } });
      assert.equal(elsewhere.status, 401, 'an account token is no key to the rest of the API');
      await page.getByRole('button', { name: 'Widerrufen Laptop' }).click();
      await page.waitForURL('**/account/tokens?notice=account-token-revoked');
      assert.match(await page.locator('main').innerText(), /Sie haben noch keinen Zugangsschlüssel/);
      await expectAccessible(page, t);
    });

    it('signs in with OpenID Connect against a local provider', async (t) => {
      idp.nextLogin = {
        sub: 'bund-ben-1',
        email: 'ben@firma.example',
        name: 'Ben Berger',
        acr: 'urn:amtsbote:test:substantial',
      };
      const page = benPage;
      await page.goto(url('/account/login'));
      await expectAccessible(page, t);
      await page.getByRole('button', { name: 'Anmelden mit BundID' }).click();
      await page.waitForURL('**/account');
      const main = await page.locator('main').innerText();
      assert.match(main, /ben@firma\.example/);
      assert.match(main, /urn:amtsbote:test:substantial/);
      await expectAccessible(page, t);
    });

    it('a first OpenID sign-in without an address asks for one and confirms it by code', async (t) => {
      idp.nextLogin = { sub: 'bund-cara-1', name: 'Cara Conrad', acr: 'urn:amtsbote:test:substantial' };
      const context = await browser.newContext();
      const page = await context.newPage();
      consoleErrors.push(...watchConsole(page));
      await page.goto(url('/account/login'));
      await page.getByRole('button', { name: 'Anmelden mit BundID' }).click();
      await page.waitForURL('**/auth/oidc/email');
      assert.match(await page.locator('main').innerText(), /Cara Conrad/);
      await expectAccessible(page, t);
      await page.locator('#oidc-email-email').fill('cara@firma.example');
      await page.locator('#oidc-email button[type=submit]').click();
      await page.locator('#oidc-email-code-code').waitFor();
      await expectAccessible(page, t);
      await page.locator('#oidc-email-code-code').fill('000000');
      await page.locator('#oidc-email-code button[type=submit]').click();
      await page.locator('#oidc-email-code-code[aria-invalid=true]').waitFor();
      await expectAccessible(page, t);
      const mail = await portal.mail((m) => m.to.includes('cara@firma.example'));
      const code = /\b(\d{6})\b/.exec(mail.text)?.[1] ?? '';
      await page.locator('#oidc-email-code-code').fill(code);
      await page.locator('#oidc-email-code button[type=submit]').click();
      await page.waitForURL('**/account?notice=oidc-account-created');
      const main = await page.locator('main').innerText();
      assert.match(main, /cara@firma\.example/);
      assert.match(main, /urn:amtsbote:test:substantial/);
      await expectAccessible(page, t);
      await context.close();
    });

    it('creates an organisation', async (t) => {
      const page = annaPage;
      await page.goto(url('/organisations'));
      await expectAccessible(page, t);
      await page.getByRole('link', { name: 'Organisation anlegen' }).click();
      await page.waitForURL('**/organisations/new');
      await expectAccessible(page, t);
      await page.locator('#organisation-name').fill('Muster Bau GmbH');
      await page.locator('#organisation-legalForm').fill('GmbH');
      await page.locator('#organisation-seat').fill('Musterstadt');
      await page.locator('#organisation-address').fill('Hauptstraße 1\n12345 Musterstadt');
      await page.locator('#organisation-contactEmail').fill('postfach@firma.example');
      await page.locator('#organisation button[type=submit]').click();
      await page.locator('[role=alert]').first().waitFor();
      await expectAccessible(page, t);
      await page.locator('#organisation-consent').check();
      await page.locator('#organisation button[type=submit]').click();
      await page.waitForURL('**/organisations/*?notice=organisation-created');
      orgUrl = page.url().split('?')[0] ?? '';
      assert.match(await page.locator('h1').innerText(), /Muster Bau GmbH/);
      await expectAccessible(page, t);
    });

    it('invites, the invitee accepts, the administrator confirms', async (t) => {
      await annaPage.goto(`${orgUrl}/members`);
      await expectAccessible(annaPage, t);
      await annaPage.locator('#invite-email').fill('ben@firma.example');
      await annaPage.locator('#invite button[type=submit]').click();
      await annaPage.waitForURL('**/members?notice=invitation-sent');
      const mail = await portal.mail(
        (m) => m.to.includes('ben@firma.example') && m.subject.includes('Einladung'),
      );
      const link = mail.links.find((l) => l.includes('/organisations/invitations/'));
      assert.ok(link !== undefined);
      await benPage.goto(link);
      await expectAccessible(benPage, t);
      await benPage.getByRole('button', { name: 'Einladung annehmen' }).click();
      await benPage.getByText('Sie haben die Einladung angenommen').waitFor();
      await expectAccessible(benPage, t);

      await annaPage.goto(`${orgUrl}/members`);
      assert.match(await annaPage.locator('#invitations').innerText(), /Angenommen von Ben Berger/);
      await annaPage.getByRole('button', { name: 'Zugang bestätigen ben@firma.example' }).click();
      await annaPage.waitForURL('**/members?notice=member-confirmed');
      assert.match(await annaPage.locator('#members').innerText(), /Ben Berger/);
      await expectAccessible(annaPage, t);
      await benPage.goto(orgUrl);
      assert.match(await benPage.locator('h1').innerText(), /Muster Bau GmbH/);
    });

    it('refuses to remove the last administrator, then appoints a second one', async (t) => {
      await annaPage.goto(`${orgUrl}/members`);
      await annaPage.getByRole('button', { name: /^Administration entziehen Anna Admin/ }).click();
      const alert = annaPage.locator('main [role=alert]').first();
      await alert.waitFor();
      assert.match(await alert.innerText(), /letzte Administratorin oder der letzte Administrator/);
      await expectAccessible(annaPage, t);
      await annaPage.getByRole('button', { name: /^Zur Administration ernennen Ben Berger/ }).click();
      await annaPage.waitForURL('**/members?notice=role-changed');
      assert.equal(
        await annaPage.locator('#members tbody tr').filter({ hasText: 'Administration' }).count(),
        2,
      );
    });

    it('a member leaves, and a notice appears in the postbox', async (t) => {
      await benPage.goto(orgUrl);
      await benPage.getByRole('button', { name: 'Organisation verlassen' }).click();
      await benPage.waitForURL('**/organisations?notice=left-organisation');
      await expectAccessible(benPage, t);
      assert.equal((await benPage.goto(orgUrl))?.status(), 404);
      await annaPage.goto(orgUrl);
      const notice = annaPage.getByRole('link', {
        name: /Ben Berger \(ben@firma\.example\) hat die Organisation verlassen/,
      });
      await notice.click();
      await annaPage.getByRole('heading', { level: 2, name: /Mitteilung/ }).waitFor();
      await expectAccessible(annaPage, t);
    });

    it('adds a passkey and signs in with it (virtual authenticator)', async (t) => {
      // WebAuthn needs a domain as relying party, not an IP address: this part runs on localhost.
      const local = (path: string) => url(path).replace('127.0.0.1', 'localhost');
      const context = await browser.newContext();
      const page = await context.newPage();
      consoleErrors.push(...watchConsole(page));
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
        },
      });
      await page.goto(local('/account/register'));
      await page.locator('#register-email').fill('clara@example.org');
      await page.locator('#register button[type=submit]').click();
      await page.locator('#register-verify-code').waitFor();
      const mail = await portal.mail((m) => m.to.includes('clara@example.org'));
      await page.locator('#register-verify-code').fill(/\b(\d{6})\b/.exec(mail.text)?.[1] ?? '');
      await page.locator('#register-verify button[type=submit]').click();
      await page.waitForURL('**/account?notice=account-created');
      await page.locator('#passkey-add-name').fill('Testgerät');
      await page.locator('#passkey-add button[type=submit]').click();
      await page.waitForURL('**/account?notice=passkey-added');
      assert.match(await page.locator('#passkeys').innerText(), /Testgerät/);
      await expectAccessible(page, t);

      await page.locator('header form[action="/logout"] button').click();
      await page.waitForURL('**/?notice=signed-out');
      await page.goto(local('/account/login'));
      await page.getByRole('button', { name: 'Mit Passkey anmelden' }).click();
      await page.waitForURL('**/account');
      assert.match(await page.locator('main').innerText(), /clara@example\.org/);
      await context.close();
    });

    it('deletes the organisation after the password is entered again', async (t) => {
      await annaPage.goto(`${orgUrl}/settings`);
      await expectAccessible(annaPage, t);
      await annaPage.getByRole('link', { name: 'Organisation löschen …' }).click();
      await annaPage.waitForURL('**/delete');
      await expectAccessible(annaPage, t);
      await annaPage.locator('#delete-organisation-password').fill('nicht das richtige passwort');
      await annaPage.locator('#delete-organisation button[type=submit]').click();
      await annaPage.locator('[role=alert]').first().waitFor();
      await expectAccessible(annaPage, t);
      await annaPage.locator('#delete-organisation-password').fill(PASSWORD);
      await annaPage.locator('#delete-organisation button[type=submit]').click();
      await annaPage.waitForURL('**/organisations?notice=organisation-deleted');
      assert.match(await annaPage.locator('main').innerText(), /Sie gehören noch zu keiner Organisation/);
      assert.equal((await annaPage.goto(orgUrl))?.status(), 404);
      assert.deepEqual(
        consoleErrors.filter((e) => !e.includes('404')),
        [],
      );
    });
  },
);
