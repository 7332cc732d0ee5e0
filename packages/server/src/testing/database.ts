import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../adapters/db/index.ts';
import { createPgliteDb, createPostgresDb } from '../adapters/db/index.ts';
import { migrate } from '../adapters/migrations/migrate.ts';

/** The env var that switches medium tests from PGlite to a real PostgreSQL server. */
export const TEST_DATABASE_URL = 'TEST_DATABASE_URL';
/** Set by scripts/test.ts: a database migrated once, cloned per test file. */
export const TEST_TEMPLATE_DB = 'AMTSBOTE_TEST_TEMPLATE_DB';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A migrated database of its own for one test file: PGlite in memory by default, or — with
 * TEST_DATABASE_URL — a fresh PostgreSQL database cloned from the migrated template (or
 * migrated here when there is none), dropped on close.
 */
export async function testDatabase(): Promise<Db> {
  const url = process.env[TEST_DATABASE_URL];
  if (url === undefined || url === '') {
    const db = await createPgliteDb();
    await migrate(db);
    return db;
  }
  const name = `amtsbote_t_${randomBytes(6).toString('hex')}`;
  const template = process.env[TEST_TEMPLATE_DB];
  await admin(url, (c) =>
    c.query(`CREATE DATABASE ${name}${template === undefined ? '' : ` TEMPLATE ${template}`}`),
  );
  const db = createPostgresDb(withDatabase(url, name), { max: 5 });
  if (template === undefined) await migrate(db);
  return {
    ...db,
    async close() {
      await db.close();
      await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * A URL of a fresh, empty PostgreSQL database for a whole portal under test (browser tests),
 * or undefined when TEST_DATABASE_URL is not set (the portal then embeds PGlite).
 */
export async function freshDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const url = process.env[TEST_DATABASE_URL];
  if (url === undefined || url === '') return undefined;
  const name = `amtsbote_e_${randomBytes(6).toString('hex')}`;
  const template = process.env[TEST_TEMPLATE_DB];
  await admin(url, (c) =>
    c.query(`CREATE DATABASE ${name}${template === undefined ? '' : ` TEMPLATE ${template}`}`),
  );
  return {
    url: withDatabase(url, name),
    drop: () =>
      admin(url, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

/** Creates the migrated template database once per test run (called by scripts/test.ts). */
export async function createTemplateDatabase(url: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `amtsbote_tpl_${randomBytes(6).toString('hex')}`;
  await admin(url, (c) => c.query(`CREATE DATABASE ${name}`));
  const db = createPostgresDb(withDatabase(url, name), { max: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return {
    name,
    drop: () =>
      admin(url, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}
