import type { FastifyInstance } from 'fastify';
import { blobStoreFromUrl } from './adapters/blobstore/index.ts';
import { secureDataDir } from './adapters/data-dir.ts';
import { systemClock } from './adapters/clock.ts';
import { openServerDatabase } from './adapters/db/index.ts';
import { mailerFromConfig } from './adapters/mailer/index.ts';
import { scannerFromUrl } from './adapters/scanner/index.ts';
import { migrate } from './adapters/migrations/migrate.ts';
import { randomSecrets } from './adapters/secrets.ts';
import { buildApp } from './app.ts';
import { masterKeyring } from './at-rest.ts';
import { bootstrapDemo } from './bootstrap.ts';
import type { Config } from './config.ts';
import type { AppDeps } from './deps.ts';
import { startScanJob } from './modules/postbox/index.ts';
import { startJobs } from './jobs/schedule.ts';
import { createLogger } from './log.ts';
import { masterKeyFile, resolveMasterKey } from './master-key.ts';

/** Where the console banner goes: plain lines for a person, apart from the JSON log stream. */
export type Announce = (line: string) => void;

/** Opens every adapter the configuration names, migrates, and returns them ready for buildApp. */
export async function openDeps(config: Config, announce: Announce): Promise<AppDeps> {
  const logger = createLogger(config.logLevel);
  // Before anything is opened: what an earlier version, a restore or an operator left readable
  // to others is made private, and each such path is named in the log.
  await secureDataDir(config.dataDir, logger);
  const db = await openServerDatabase({ ...config, logger });
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ versions: applied }, 'database migrated');
    const mk = await resolveMasterKey(db, config);
    if (mk.generated) {
      announce('');
      announce('!!! WARNING: no MASTER_KEY was set. A new master key was generated and stored in');
      announce(`!!!   ${masterKeyFile(config.dataDir)}`);
      announce('!!! Every stored file is encrypted with keys wrapped by it: back it up, keep it secret,');
      announce('!!! and for production set MASTER_KEY (e.g. `openssl rand -base64 32`) on every node.');
      announce('');
    }
    const blobs = await blobStoreFromUrl(config.blobStore, config.dataDir);
    const mailer = mailerFromConfig({
      smtpUrl: config.smtpUrl,
      dataDir: config.dataDir,
      from: config.mailFrom,
      logger,
      printLinks: config.smtpUrl === undefined,
      announce,
    });
    const scanner = scannerFromUrl(config.clamdUrl);
    return {
      config,
      db,
      blobs,
      mailer,
      scanner,
      clock: systemClock,
      secrets: randomSecrets,
      logger,
      masterKey: mk.key,
      keyring: masterKeyring(mk.key),
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

export interface RunningPortal {
  app: FastifyInstance;
  url: string;
  /** The running portal's dependencies (database, blob store, …), for tests that look inside. */
  deps: AppDeps;
  close(): Promise<void>;
}

/** Starts the portal and stops it cleanly on SIGTERM/SIGINT, finishing requests in flight. */
export async function serve(
  config: Config,
  announce: Announce = (l) => process.stdout.write(`${l}\n`),
): Promise<RunningPortal> {
  const deps = await openDeps(config, announce);
  const app = await buildApp(deps);
  const seeded = await bootstrapDemo(deps);
  await app.listen({ port: config.port, host: config.host });
  const jobs = startJobs(deps);
  const scanJob = startScanJob(deps);
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await jobs.stop();
      await scanJob.stop();
      await deps.scanner.close();
      await Promise.allSettled([deps.mailer.close(), deps.blobs.close()]);
      await deps.db.close();
    })());

  announce('');
  announce(`Amtsbote läuft / is running: ${config.publicUrl}  (listening on ${config.host}:${port})`);
  if (config.databaseUrl === undefined) announce(`  database: embedded (PGlite) in ${config.dataDir}/db`);
  if (config.smtpUrl === undefined) announce(`  mail: written to ${config.dataDir}/outbox, links shown here`);
  announce(
    deps.scanner.kind === 'none'
      ? '  malware scan: none (CLAMD_URL not set) – incoming files are marked "not scanned"; set CLAMD_URL for production'
      : `  malware scan: ${deps.scanner.description}${(await deps.scanner.ping()) ? '' : ' – NOT ANSWERING: incoming files wait until it does'}`,
  );
  if (seeded.created)
    announce(`  created the demo authority "Musterstadt" with the admin admin@musterstadt.example`);
  if (seeded.loginLink !== undefined) {
    announce('');
    announce('  One-time login link for admin@musterstadt.example (valid 24 hours, works once):');
    announce(`  ${seeded.loginLink}`);
  }
  announce('');
  return {
    app,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    deps,
    close,
  };
}

/** Wires SIGTERM/SIGINT to a graceful stop; a second signal stops at once. */
export function stopOnSignals(portal: RunningPortal, logger: { info(msg: string): void }): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info(`${signal} received, finishing requests in flight`);
    portal.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
