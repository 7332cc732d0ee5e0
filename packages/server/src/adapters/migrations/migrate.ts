import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/index.ts';

const sqlDir = path.join(import.meta.dirname, 'sql');
// Any constant works; it only has to be the same on every node.
const MIGRATION_LOCK_ID = 0x616d7473;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** The versioned SQL files `NNN_name.sql`, in order. */
export async function loadMigrations(dir = sqlDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const sql = await readFile(path.join(dir, file), 'utf8');
    migrations.push({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  return migrations;
}

/**
 * Why not a migration library: we need each migration and its version row in one transaction,
 * an advisory lock so several nodes can start at once, and it has to run over PGlite's single
 * session as well as a pg pool. The ~60 lines here do exactly that; the libraries we tried
 * (postgrator) run the version bookkeeping outside the migration's transaction.
 *
 * Brings the schema up to date. Each migration and its version row commit in one transaction,
 * so a crash leaves the schema at a version boundary; an advisory lock lets several nodes start
 * at once with exactly one of them migrating. An applied migration whose file changed since is
 * refused rather than silently diverging.
 * @returns the versions applied by this call.
 * @throws {MigrationError} on a changed applied migration or a failing statement.
 */
export async function migrate(db: Db, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? (await loadMigrations());
  return db.withSession(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await session.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const applied = new Map(
        (
          await session.query<{ version: number; checksum: string }>(
            'SELECT version, checksum FROM schema_migrations',
          )
        ).map((r) => [r.version, r.checksum]),
      );
      const done: number[] = [];
      for (const m of all) {
        const seen = applied.get(m.version);
        if (seen !== undefined) {
          if (seen !== m.checksum) {
            throw new MigrationError(`migration ${m.version} (${m.name}) was changed after it was applied`);
          }
          continue;
        }
        try {
          await session.exec(
            `BEGIN;\n${m.sql}\n;INSERT INTO schema_migrations (version, name, checksum) VALUES (${m.version}, '${m.name}', '${m.checksum}');\nCOMMIT;`,
          );
        } catch (err) {
          await session.exec('ROLLBACK').catch(() => undefined);
          throw new MigrationError(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, {
            cause: err,
          });
        }
        done.push(m.version);
      }
      return done;
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  });
}

/** Applied and pending versions, for `amtsbote migrate --status`. */
export async function migrationStatus(db: Db): Promise<{ applied: number[]; pending: number[] }> {
  const all = await loadMigrations();
  const rows = await db
    .query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    .catch(() => [] as { version: number }[]);
  const applied = rows.map((r) => r.version);
  return { applied, pending: all.map((m) => m.version).filter((v) => !applied.includes(v)) };
}
