import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PortalUnderTest } from './portal.ts';

/** What must never be readable at rest, and where to look for it. */
export interface AtRestCheck {
  /** Said in every failure message, e.g. "after sending". */
  when: string;
  /** Tables whose rows, as JSON text, must not contain a secret (transfers, audit_events, …). */
  tables: readonly string[];
  /** Secrets looked for in the database and in every blob's bytes. */
  secrets: readonly string[];
  /** Looked for in the database only (e.g. a password, a hex form of a marker). */
  databaseOnly?: readonly string[];
  /** Must not appear in a blob's path either (a marker in the file's name). */
  fileName?: string;
}

async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesBelow(p)));
    else out.push(p);
  }
  return out;
}

/**
 * Asserts that neither the database's rows nor the blob store's files (paths and bytes) hold any
 * of the secrets: the end-to-end promise, checked on the real stores rather than on the API.
 */
export async function assertSecretsNotStored(portal: PortalUnderTest, check: AtRestCheck): Promise<void> {
  const { when } = check;
  const sql = check.tables
    .map((table, i) => `SELECT row_to_json(t${String(i)})::text AS x FROM ${table} t${String(i)}`)
    .join(' UNION ALL ');
  const rows = await portal.portal.deps.db.query<{ x: string }>(sql);
  assert.ok(rows.length > 0, `${when}: there are rows to scan`);
  const dump = rows.map((r) => r.x).join('\n');
  for (const secret of [...check.secrets, ...(check.databaseOnly ?? [])])
    assert.equal(dump.includes(secret), false, `${when}: the database holds ${secret}`);
  const blobs = await filesBelow(path.join(portal.dataDir, 'blobs'));
  assert.ok(blobs.length > 0, `${when}: the blob store has files`);
  for (const blob of blobs) {
    if (check.fileName !== undefined)
      assert.equal(blob.includes(check.fileName), false, `${when}: a blob path names the file`);
    const bytes = await readFile(blob);
    for (const secret of check.secrets)
      assert.equal(bytes.includes(secret), false, `${when}: blob ${blob} holds ${secret}`);
  }
}
