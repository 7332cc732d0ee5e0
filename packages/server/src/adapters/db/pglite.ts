import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
// Loaded when the embedded database is opened, not at import: a portal on PostgreSQL never needs
// PGlite (its code, WebAssembly module and socket server stay out of that process).
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { tightenQuietly } from '../data-dir.ts';
import type { Db, Queryable } from './types.ts';

/**
 * The unix socket through which a running portal shares its embedded database. PGlite admits
 * one process, so `amtsbote admin …` connects here (with `pg`) while the portal runs.
 */
export function embeddedSocketDir(dataDir: string): string {
  return path.join(dataDir, 'run');
}
export const EMBEDDED_SOCKET_PORT = 5432;
export function embeddedSocketPath(dataDir: string): string {
  return path.join(embeddedSocketDir(dataDir), `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`);
}

function wrapPglite(db: PGlite, onClose: () => Promise<void>): Db {
  const asQueryable = (q: Pick<PGlite | Transaction, 'query'>): Queryable => ({
    async query<R extends object>(sql: string, params?: readonly unknown[]) {
      const res = await q.query<R>(sql, params as unknown[] | undefined);
      return res.rows;
    },
  });
  return {
    kind: 'pglite',
    ...asQueryable(db),
    transaction: (fn) => db.transaction((tx) => fn(asQueryable(tx))),
    // One connection: the whole database is the session.
    withSession: (fn) =>
      fn({
        ...asQueryable(db),
        exec: async (sql: string) => {
          await db.exec(sql);
        },
      }),
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      await onClose();
      await db.close();
    },
  };
}

/**
 * PGlite in this process. With `dataDir` the database lives in `dataDir/db` and is shared with
 * the CLI through a unix socket; without, it lives in memory (tests).
 */
export async function createPgliteDb(dataDir?: string, options: { shareSocket?: boolean } = {}): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  if (dataDir === undefined) {
    const mem = await PGlite.create();
    return wrapPglite(mem, () => Promise.resolve());
  }
  const dbDir = path.join(dataDir, 'db');
  await mkdir(dbDir, { recursive: true, mode: 0o700 });
  const pgl = await PGlite.create(dbDir);
  // PGlite unpacks a new database world-readable and writable (0666) and rewrites some files at
  // every open with the process umask; a umask cannot help with the former (it sets modes
  // explicitly), so its files are made private once it has opened.
  await tightenQuietly(dbDir);
  let socket: PGLiteSocketServer | undefined;
  if (options.shareSocket === true) {
    await mkdir(embeddedSocketDir(dataDir), { recursive: true, mode: 0o700 });
    const sockPath = embeddedSocketPath(dataDir);
    // A socket file left by a crashed portal would make listen() fail with EADDRINUSE.
    if (await exists(sockPath)) await rm(sockPath);
    // More than one connection: the CLI probes the socket before connecting, and a second
    // client must not be turned away while the first is still closing. Queries are queued,
    // and a client's open transaction holds the queue, so they do not interleave.
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    socket = new PGLiteSocketServer({ db: pgl, path: sockPath, maxConnections: 8 });
    await socket.start();
    // Created with the umask; run/ is private already, this is belt and braces.
    await chmod(sockPath, 0o600);
  }
  return wrapPglite(pgl, async () => {
    await socket?.stop();
  });
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
