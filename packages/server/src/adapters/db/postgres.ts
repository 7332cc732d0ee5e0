import pg from 'pg';
import type { Db, Queryable } from './types.ts';

// int8 (counts, sizes) as JS numbers: our sizes stay below 2^53, and one type on both adapters
// is worth more than the range we would never use.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** PostgreSQL through a `pg` pool. */
export function createPostgresDb(connection: string | pg.PoolConfig, options: { max?: number } = {}): Db {
  const base: pg.PoolConfig = typeof connection === 'string' ? { connectionString: connection } : connection;
  const pool = new pg.Pool({ max: options.max ?? 10, idleTimeoutMillis: 30_000, ...base });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);

  const wrap = (client: pg.PoolClient): Queryable & { exec(sql: string): Promise<void> } => ({
    async query<R extends object>(sql: string, params?: readonly unknown[]) {
      const res = await client.query<R>(sql, params as unknown[] | undefined);
      return res.rows;
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });

  return {
    kind: 'postgres',
    async query<R extends object>(sql: string, params?: readonly unknown[]) {
      const res = await pool.query<R>(sql, params as unknown[] | undefined);
      return res.rows;
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async withSession<T>(
      fn: (s: Queryable & { exec(sql: string): Promise<void> }) => Promise<T>,
    ): Promise<T> {
      const client = await pool.connect();
      try {
        return await fn(wrap(client));
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
