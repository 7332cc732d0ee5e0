// The @amtsbote/crypto test suite in Chromium (the same cases node:test runs in packages/crypto), under
// the portal's Content Security Policy, and interop between the library in Chromium and the amtsbote CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { runSuite } from '../packages/crypto/test/suite.ts';
import { browserAvailable, launchChromium, watchConsole } from './support/browser.ts';
import type { BundleServer } from './support/bundle-server.ts';
import { bundle, startBundleServer } from './support/bundle-server.ts';
import type { CaseResult, CryptoPage } from './support/crypto-page.ts';

const availability = browserAvailable();
const bin = path.resolve(import.meta.dirname, '../packages/cli/bin/amtsbote.js');

/** Runs the amtsbote CLI (the real binary, with this Node). */
function amtsbote(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

const sha256 = async (file: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

type PageGlobals = typeof globalThis & { cryptoPage: CryptoPage };

describe('@amtsbote/crypto in Chromium', { skip: availability.ok ? false : availability.reason }, () => {
  let dir: string;
  let server: BundleServer;
  let browser: Browser;
  let page: Page;
  let consoleErrors: string[];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-crypto-e2e-'));
    const script = await bundle(path.join(import.meta.dirname, 'support/crypto-page.ts'));
    server = await startBundleServer({ script, filesDir: dir, uploadDir: dir });
    browser = await launchChromium();
    page = await browser.newPage();
    consoleErrors = watchConsole(page);
    await page.goto(server.url);
    await page.waitForFunction(() => 'cryptoPageReady' in globalThis);
  });
  after(async () => {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every case of the suite, the same cases as under node:test', async (t) => {
    const names = await page.evaluate(() => (globalThis as PageGlobals).cryptoPage.caseNames());
    const inNode: string[] = [];
    runSuite((name) => {
      inNode.push(name);
    });
    assert.deepEqual(names, inNode, 'Chromium registers the same cases as Node');
    assert.ok(names.length > 50, `only ${names.length} cases`);
    let failed = 0;
    for (const [index, name] of names.entries()) {
      await t.test(name, async () => {
        const result: CaseResult = await page.evaluate(
          (i) => (globalThis as PageGlobals).cryptoPage.runCase(i),
          index,
        );
        if (!result.ok) {
          failed++;
          throw new Error(result.error);
        }
      });
    }
    assert.equal(failed, 0, `${failed} case(s) failed in Chromium`);
    assert.deepEqual(consoleErrors, [], 'no console errors or CSP violations');
  });

  describe('interop with the CLI', () => {
    let identity: string;
    let publicKey: string;
    let plain: string;
    let plainHash: string;

    before(async () => {
      identity = path.join(dir, 'cli.key');
      const keygen = await amtsbote(['keygen', '-o', identity]);
      assert.equal(keygen.code, 0, keygen.stderr);
      publicKey = keygen.stdout.trim();
      plain = path.join(dir, 'plain.bin');
      await writeFile(plain, randomBytes(5 * 512 * 1024 + 777));
      plainHash = await sha256(plain);
    });

    it('a file encrypted in Chromium to a key from amtsbote keygen decrypts with the CLI', async () => {
      await page.evaluate(
        ([to]) =>
          (globalThis as PageGlobals).cryptoPage.encryptFile(
            '/files/plain.bin',
            '/upload/from-chromium.amtb',
            {
              recipients: [to],
            },
          ),
        [publicKey] as const,
      );
      const out = path.join(dir, 'from-chromium.out');
      const d = await amtsbote([
        'decrypt',
        '--identity',
        identity,
        '-o',
        out,
        path.join(dir, 'from-chromium.amtb'),
      ]);
      assert.equal(d.code, 0, d.stderr);
      assert.equal(await sha256(out), plainHash);
    });

    it('a file encrypted in Chromium with a passphrase decrypts with the CLI', async () => {
      const passphrase = 'Grüße aus dem Bürgeramt';
      await page.evaluate(
        ([p]) =>
          (globalThis as PageGlobals).cryptoPage.encryptFile(
            '/files/plain.bin',
            '/upload/pass-chromium.amtb',
            {
              passphrase: p,
            },
          ),
        [passphrase] as const,
      );
      const out = path.join(dir, 'pass-chromium.out');
      const d = await amtsbote(['decrypt', '--passphrase', '-o', out, path.join(dir, 'pass-chromium.amtb')], {
        AMTSBOTE_PASSPHRASE: passphrase,
      });
      assert.equal(d.code, 0, d.stderr);
      assert.equal(await sha256(out), plainHash);
    });

    it('a file encrypted by the CLI decrypts in Chromium with the keygen identity', async () => {
      const other = await amtsbote(['keygen', '-o', path.join(dir, 'other.key')]);
      const enc = path.join(dir, 'from-cli.amtb');
      const e = await amtsbote(['encrypt', '-r', other.stdout.trim(), '-r', publicKey, '-o', enc, plain]);
      assert.equal(e.code, 0, e.stderr);
      const identityText = await readFile(identity, 'utf8');
      await page.evaluate(
        ([text]) =>
          (globalThis as PageGlobals).cryptoPage.decryptFile(
            '/files/from-cli.amtb',
            '/upload/from-cli.out',
            text,
          ),
        [identityText] as const,
      );
      assert.equal(await sha256(path.join(dir, 'from-cli.out')), plainHash);
      assert.deepEqual(consoleErrors, []);
    });
  });
});
