import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests can run. Without Chromium they are skipped with a reason on a
 * developer's machine, but fail where REQUIRE_BROWSER (or CI) says they must run.
 */
export function browserAvailable(): { ok: true } | { ok: false; reason: string } {
  if (existsSync(CHROMIUM)) return { ok: true };
  const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  if (process.env.REQUIRE_BROWSER !== undefined || process.env.CI !== undefined) throw new Error(reason);
  return { ok: false, reason };
}

/**
 * Chromium as a German user has it: every new context defaults to locale de-DE (Playwright's own
 * default is en-US, and the portal answers in the browser's language when the tenant sets none).
 * A test that wants another language passes `locale` itself.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => newContext({ locale: 'de-DE', ...options });
  return browser;
}

/** Fails the test on any WCAG 2.1 A/AA violation axe finds on the page as it is now. */
export async function expectAccessible(page: Page, t?: TestContext): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const problems = result.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n    ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 5)
        .join('\n    ')}`,
  );
  t?.diagnostic(
    `axe on ${page.url()}: ${result.violations.length} violations, ${result.passes.length} passes`,
  );
  if (problems.length > 0)
    throw new Error(
      `axe found ${problems.length} violation(s) on ${page.url()}:\n  ${problems.join('\n  ')}`,
    );
}

/** Collects console errors and CSP reports, which must stay empty. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
