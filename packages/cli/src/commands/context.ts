import { openClientDatabase, EmbeddedDatabaseBusyError } from '@amtsbote/server/operations';
import type { Db, Tenant } from '@amtsbote/server/operations';
import { listTenants, findTenantBySlug, loadConfig, ConfigError, migrate } from '@amtsbote/server/operations';
import type { Config } from '@amtsbote/server';
import { CommandError, type Io } from '../args.ts';

export function configFrom(io: Io): Config {
  try {
    return loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CommandError(err.problems.join('; '));
    throw err;
  }
}

/** Opens the database (through the running portal's socket where there is one), migrated. */
export async function withDatabase<T>(io: Io, fn: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = configFrom(io);
  let db: Db;
  try {
    db = await openClientDatabase(config);
  } catch (err) {
    if (err instanceof EmbeddedDatabaseBusyError) throw new CommandError(err.message);
    throw new CommandError(`cannot open the database: ${(err as Error).message}`);
  }
  try {
    await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

/** The tenant named by --tenant, else DEFAULT_TENANT, else the only one. */
export async function chooseTenant(db: Db, config: Config, slug: string | undefined): Promise<Tenant> {
  const wanted = slug ?? config.defaultTenant;
  if (wanted !== undefined) {
    const t = await findTenantBySlug(db, wanted);
    if (t === undefined) throw new CommandError(`no authority with the short name "${wanted}"`);
    return t;
  }
  const all = await listTenants(db);
  if (all.length === 1 && all[0] !== undefined) return all[0];
  if (all.length === 0)
    throw new CommandError('there is no authority yet: create one with `amtsbote admin create-tenant`');
  throw new CommandError(
    `there are ${all.length} authorities: name one with --tenant (${all.map((t) => t.slug).join(', ')})`,
  );
}
