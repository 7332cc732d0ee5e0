import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { FilesystemBlobStore } from '../adapters/blobstore/filesystem.ts';
import { ManualClock } from '../adapters/clock.ts';
import type { Db } from '../adapters/db/index.ts';
import { OutboxMailer } from '../adapters/mailer/outbox.ts';
import { NoScanner } from '../adapters/scanner/none.ts';
import type { Scanner } from '../adapters/scanner/types.ts';
import { randomSecrets } from '../adapters/secrets.ts';
import { buildApp } from '../app.ts';
import { masterKeyring } from '../at-rest.ts';
import type { Config } from '../config.ts';
import { loadConfig } from '../config.ts';
import type { AppDeps } from '../deps.ts';
import { createLogger } from '../log.ts';
import { hashPassword } from '../modules/auth/index.ts';
import type { Staff } from '../modules/staff/index.ts';
import { createStaff } from '../modules/staff/index.ts';
import type { Department, Tenant } from '../modules/tenants/index.ts';
import { createDepartment, createTenant } from '../modules/tenants/index.ts';
import { readOutbox } from './outbox.ts';
import { testDatabase } from './database.ts';

export { TestClient } from './client.ts';
export { testDatabase, createTemplateDatabase, freshDatabaseUrl } from './database.ts';
export { readOutbox, waitForMail } from './outbox.ts';
export { clamdAvailable, EICAR, startTestClamd } from '../adapters/scanner/test-clamd.ts';
export type { TestClamd } from '../adapters/scanner/test-clamd.ts';

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  clock: ManualClock;
  dataDir: string;
  /** Every JSON log line the app wrote, for tests that prove what is never logged. */
  logs: string[];
  outboxDir: string;
  close(): Promise<void>;
}

/**
 * The whole portal on throwaway adapters: a migrated database of its own (PGlite, or PostgreSQL
 * with TEST_DATABASE_URL), blobs and outbox in a temp dir, a clock the test moves.
 */
export async function createTestApp(
  opts: { db?: Db; config?: Partial<Config>; scanner?: Scanner } = {},
): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'amtsbote-test-'));
  const db = opts.db ?? (await testDatabase());
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      cb();
    },
  });
  const logger = createLogger('info', sink);
  // The servers a test starts (the OpenID providers of testing/oidc-provider.ts) listen on
  // 127.0.0.1: allowed the way an operator allows a provider on the same machine. A test of the
  // refusal passes `config: { outboundAllow: [] }`.
  const config: Config = {
    // PUBLIC_URL on port 80: app.inject() sends `Host: localhost:80`, and the portal refuses a
    // port other than PUBLIC_URL's, so a test without a Host header is a visitor of PUBLIC_URL.
    ...loadConfig({
      DATA_DIR: dataDir,
      SEED_DEMO: 'false',
      OUTBOUND_ALLOW: '127.0.0.1/32',
      PUBLIC_URL: 'http://localhost',
    }),
    ...opts.config,
  };
  const clock = new ManualClock(new Date());
  const outboxDir = path.join(dataDir, 'outbox');
  const masterKey = Buffer.alloc(32, 7);
  const deps: AppDeps = {
    config,
    db,
    blobs: new FilesystemBlobStore(path.join(dataDir, 'blobs')),
    mailer: new OutboxMailer({ dir: outboxDir, from: config.mailFrom, logger, printLinks: false }),
    scanner: opts.scanner ?? new NoScanner(),
    clock,
    secrets: randomSecrets,
    logger,
    masterKey,
    keyring: masterKeyring(masterKey),
  };
  const app = await buildApp(deps);
  // A test that serves over a real socket (the CLI's tests) is a deployment in miniature: its
  // PUBLIC_URL is the address it listens on, or the portal would refuse the Host its clients send.
  if (opts.config?.publicUrl === undefined) {
    app.addHook('onListen', () => {
      const address = app.server.address();
      if (typeof address === 'object' && address !== null && address.family === 'IPv4')
        config.publicUrl = `http://${address.address}:${String(address.port)}`;
    });
  }
  await app.ready();
  return {
    app,
    deps,
    clock,
    dataDir,
    logs,
    outboxDir,
    async close() {
      await app.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const TEST_PASSWORD = 'korrekt-pferd-batterie-heftklammer';

/** A tenant with one department and one active admin whose password is TEST_PASSWORD. */
export async function seedTenant(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets'>,
  input: { slug: string; name: string; hostnames?: string[]; adminEmail?: string },
): Promise<{ tenant: Tenant; department: Department; admin: Staff }> {
  const passwordHash = await hashPassword(TEST_PASSWORD);
  return deps.db.transaction(async (tx) => {
    const tenant = await createTenant(tx, deps, {
      slug: input.slug,
      name: input.name,
      hostnames: input.hostnames ?? [],
    });
    const department = await createDepartment(tx, deps, tenant.id, { name: 'Bürgerservice' });
    const admin = await createStaff(tx, deps, tenant.id, {
      email: input.adminEmail ?? `admin@${input.slug}.example`,
      displayName: `Admin ${input.name}`,
      isTenantAdmin: true,
      status: 'active',
      departmentIds: [department.id],
      passwordHash,
    });
    return { tenant, department, admin };
  });
}

/** Mails in the test app's outbox, oldest first. */
export function outbox(t: TestApp) {
  return readOutbox(t.outboxDir);
}
