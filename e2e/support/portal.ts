import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, serve } from '@amtsbote/server';
import type { RunningPortal } from '@amtsbote/server';
import { freshDatabaseUrl, readOutbox, waitForMail } from '@amtsbote/server/testing';

export interface PortalUnderTest {
  url: string;
  dataDir: string;
  banner: string[];
  portal: RunningPortal;
  /** The demo admin's one-time login link printed at first start. */
  adminLink: string;
  mails(): ReturnType<typeof readOutbox>;
  /** The first mail that matches, waiting up to 10 s for it to be written. */
  mail(predicate: Parameters<typeof waitForMail>[1]): ReturnType<typeof waitForMail>;
  stop(): Promise<void>;
}

/**
 * The real portal as `npm start` runs it (serve() with embedded defaults), on a free port, in a
 * temp DATA_DIR — on PostgreSQL instead of PGlite when TEST_DATABASE_URL is set.
 */
export async function startPortal(env: Readonly<Record<string, string>> = {}): Promise<PortalUnderTest> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'amtsbote-e2e-'));
  const pg = await freshDatabaseUrl();
  const banner: string[] = [];
  // Port 0 picks a free port; PUBLIC_URL must name it, so listen first on a fixed free port.
  const port = await freePort();
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    ...(pg === undefined ? {} : { DATABASE_URL: pg.url }),
    // A test may add settings (e.g. OIDC_ISSUER) or fix PORT and PUBLIC_URL itself.
    ...env,
  });
  const portal = await serve(config, (l) => banner.push(l));
  const adminLink = banner.map((l) => l.trim()).find((l) => l.includes('/login/link/'));
  if (adminLink === undefined) throw new Error(`no admin link in the banner:\n${banner.join('\n')}`);
  return {
    url: config.publicUrl,
    dataDir,
    banner,
    portal,
    adminLink,
    mails: () => readOutbox(path.join(dataDir, 'outbox')),
    mail: (predicate) => waitForMail(path.join(dataDir, 'outbox'), predicate, { timeoutMs: 10_000 }),
    async stop() {
      await portal.close();
      await pg?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const p = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(p));
    });
  });
}
