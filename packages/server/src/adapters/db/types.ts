/** Something that runs parameterised SQL: the database itself or one open transaction. */
export interface Queryable {
  /** Runs one statement with `$1…` parameters and returns its rows. */
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/**
 * The database adapter: PostgreSQL through `pg`, or PGlite in-process. Both speak the same
 * SQL dialect, so modules write one query and the adapter only decides where it runs.
 */
export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs fn on one session (advisory locks, SET) and releases it afterwards. */
  withSession<T>(fn: (session: Queryable & { exec(sql: string): Promise<void> }) => Promise<T>): Promise<T>;
  /** For /readyz: resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** First row or undefined; for queries that select by a unique key. */
export async function one<R extends object>(
  q: Queryable,
  sql: string,
  params?: readonly unknown[],
): Promise<R | undefined> {
  const rows = await q.query<R>(sql, params);
  return rows[0];
}

/** PostgreSQL's SQLSTATE for a unique violation, identical on PGlite. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
