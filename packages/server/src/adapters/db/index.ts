import { connect } from 'node:net';
import { acquireEmbeddedLock } from './embedded-lock.ts';
import { createPgliteDb, EMBEDDED_SOCKET_PORT, embeddedSocketDir, embeddedSocketPath } from './pglite.ts';
import { createPostgresDb } from './postgres.ts';
import type { Db } from './types.ts';

export type { Db, Queryable } from './types.ts';
export { one, isUniqueViolation } from './types.ts';
export { EmbeddedDatabaseBusyError } from './embedded-lock.ts';
export { createPostgresDb } from './postgres.ts';
export { createPgliteDb } from './pglite.ts';

/**
 * Opens the database for the portal: PostgreSQL when DATABASE_URL is set, otherwise PGlite
 * under DATA_DIR, shared over a unix socket so CLI commands can run beside the portal.
 */
export async function openServerDatabase(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Told when a lock left by a crashed process is taken over. */
  logger?: { warn(details: object, message: string): void };
}): Promise<Db> {
  if (opts.databaseUrl !== undefined) return createPostgresDb(opts.databaseUrl);
  const release = await acquireEmbeddedLock(opts.dataDir, {
    // A CLI command that opened the files directly finishes within seconds; wait for it.
    waitMs: 15_000,
    onTakeover: ({ pid, reason }) =>
      opts.logger?.warn({ pid, reason }, 'took over the embedded database lock left by a stopped process'),
  });
  try {
    const db = await createPgliteDb(opts.dataDir, { shareSocket: true });
    return withRelease(db, release);
  } catch (err) {
    await release();
    throw err;
  }
}

/**
 * Opens the database for a CLI command: PostgreSQL when DATABASE_URL is set; the running
 * portal's embedded database through its socket; or the embedded files directly when no portal
 * runs.
 */
export async function openClientDatabase(opts: {
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<Db> {
  if (opts.databaseUrl !== undefined) return createPostgresDb(opts.databaseUrl, { max: 2 });
  if (await socketAnswers(embeddedSocketPath(opts.dataDir))) {
    // The socket serves one client at a time, so one connection.
    return createPostgresDb(
      {
        host: embeddedSocketDir(opts.dataDir),
        port: EMBEDDED_SOCKET_PORT,
        user: 'postgres',
        database: 'postgres',
      },
      { max: 1 },
    );
  }
  const release = await acquireEmbeddedLock(opts.dataDir);
  try {
    return withRelease(await createPgliteDb(opts.dataDir), release);
  } catch (err) {
    await release();
    throw err;
  }
}

function withRelease(db: Db, release: () => Promise<void>): Db {
  return {
    ...db,
    async close() {
      try {
        await db.close();
      } finally {
        await release();
      }
    },
  };
}

function socketAnswers(p: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(p);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
