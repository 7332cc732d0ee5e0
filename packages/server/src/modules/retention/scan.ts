import type { Db } from '../../adapters/db/index.ts';
import type { BlobStore } from '../../adapters/blobstore/types.ts';

/**
 * Where known markers still occur: every row of every table (as text, so a marker anywhere in a
 * column, JSON included, is found) and every blob's key and bytes. The proof used by the retention
 * tests that deleted data is gone from the database and the blob store, not just hidden.
 * @returns hits as `table: marker` and `blob <key>: marker`; empty when nothing is left.
 */
export async function findMarkers(
  db: Db,
  blobs: BlobStore,
  markers: readonly string[],
  opts: { skipTables?: readonly string[] } = {},
): Promise<string[]> {
  const hits: string[] = [];
  const tables = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const lower = markers.map((m) => m.toLowerCase());
  for (const { table_name: table } of tables) {
    if (opts.skipTables?.includes(table) === true || !/^[a-z_][a-z0-9_]*$/.test(table)) continue;
    const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
    for (const r of rows) {
      const text = r.row.toLowerCase();
      lower.forEach((m, i) => {
        if (text.includes(m)) hits.push(`${table}: ${markers[i] ?? m}`);
      });
    }
  }
  for await (const entry of blobs.list('')) {
    const chunks: Buffer[] = [];
    for await (const c of await blobs.get(entry.key)) chunks.push(Buffer.from(c as Uint8Array));
    const bytes = Buffer.concat(chunks);
    markers.forEach((m) => {
      if (entry.key.includes(m) || bytes.includes(Buffer.from(m, 'utf8')))
        hits.push(`blob ${entry.key}: ${m}`);
    });
  }
  return hits;
}
