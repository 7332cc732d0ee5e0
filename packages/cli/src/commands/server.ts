import { serve, stopOnSignals } from '@amtsbote/server';
import { migrate, migrationStatus } from '@amtsbote/server/operations';
import type { Io } from '../args.ts';
import { parse } from '../args.ts';
import { configFrom, withDatabase } from './context.ts';

export const serveHelp = `Usage: amtsbote serve

Starts the portal. With no configuration it uses an embedded database, files and an
outbox under ./data and prints a one-time login link for the demo admin.
Configuration: environment variables, see docs/configuration.md
(PORT, DATA_DIR, DATABASE_URL, BLOB_STORE, SMTP_URL, PUBLIC_URL, MASTER_KEY …).`;

export async function serveCommand(argv: string[], io: Io): Promise<number | 'running'> {
  const { values } = parse('serve', argv, {});
  if (values.help === true) {
    io.out(serveHelp);
    return 0;
  }
  const config = configFrom(io);
  const portal = await serve(config, (line) => {
    io.out(line);
  });
  stopOnSignals(portal, portal.app.log);
  return 'running';
}

export const migrateHelp = `Usage: amtsbote migrate [--status]

Brings the database schema up to date (the portal also does this at start).
With --status: lists applied and pending migrations and changes nothing.`;

export async function migrateCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse('migrate', argv, { status: { type: 'boolean' } });
  if (values.help === true) {
    io.out(migrateHelp);
    return 0;
  }
  if (values.status === true) {
    // withDatabase migrates first; status must not change anything, so it opens the plain way.
    const { openClientDatabase } = await import('@amtsbote/server/operations');
    const db = await openClientDatabase(configFrom(io));
    try {
      const s = await migrationStatus(db);
      io.out(`applied: ${s.applied.join(', ') || 'none'}`);
      io.out(`pending: ${s.pending.join(', ') || 'none'}`);
    } finally {
      await db.close();
    }
    return 0;
  }
  await withDatabase(io, async (db) => {
    const applied = await migrate(db);
    io.out(applied.length === 0 ? 'schema is up to date' : `applied migrations ${applied.join(', ')}`);
  });
  return 0;
}
