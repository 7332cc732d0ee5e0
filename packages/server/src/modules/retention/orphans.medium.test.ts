import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import { HOUR } from '../../adapters/clock.ts';
import type { Db } from '../../adapters/db/index.ts';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, seedTenant } from '../../testing/index.ts';
import { createApiToken } from '../auth/index.ts';
import { appendToFile } from '../transfers/index.ts';
import { sweepOrphanBlobs } from './orphans.ts';

// Blob first, then the row that makes it visible: a crash in between leaves a blob without a
// row (never a row without its blob), and the orphan sweep removes that blob after the grace.

let t: TestApp;
const host = 'orphans.localhost';
before(async () => {
  t = await createTestApp();
  await seedTenant(t.deps, { slug: 'orphans', name: 'Orphanstadt', hostnames: [host] });
  t.app.invalidateTenantCache();
});
after(() => t.close());

async function blobKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of t.deps.blobs.list('')) keys.push(e.key);
  return keys;
}

/** Every row that points at a blob finds it in the store. */
async function rowsWithoutBlob(): Promise<string[]> {
  const rows = await t.deps.db.query<{ blob_key: string }>(`SELECT blob_key FROM file_segments`);
  const missing: string[] = [];
  for (const r of rows) if ((await t.deps.blobs.stat(r.blob_key)) === undefined) missing.push(r.blob_key);
  return missing;
}

it('a crash between blob write and commit leaves no row without blob; the sweep removes the orphan', async () => {
  const [tenant] = await t.deps.db.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'orphans'`);
  const [admin] = await t.deps.db.query<{ id: string }>(`SELECT id FROM staff WHERE tenant_id = $1`, [
    tenant?.id,
  ]);
  const token = (
    await createApiToken(t.deps.db, t.deps, { tenantId: tenant?.id ?? '', staffId: admin?.id ?? '' })
  ).token;
  const data = Buffer.from('segment that never got its row '.repeat(100));
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/transfers',
    headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify({
      level: 1,
      recipients: ['x@example.org'],
      subject: 'Crash',
      files: [{ name: 'a.pdf', size: data.length, type: 'application/pdf' }],
    }),
  });
  assert.equal(created.statusCode, 201, created.body);
  const fileId = created.json<{ files: { id: string }[] }>().files[0]?.id ?? '';

  // The process "dies" as the transaction that would commit the segment row starts.
  const crashing: Db = {
    ...t.deps.db,
    transaction: () => Promise.reject(new Error('injected crash before commit')),
  };
  await assert.rejects(
    appendToFile({ ...t.deps, db: crashing }, tenant?.id ?? '', fileId, 0, Readable.from([data])),
    /injected crash/,
  );

  const orphans = await blobKeys();
  assert.equal(orphans.length, 1, 'the blob was written');
  assert.deepEqual(await rowsWithoutBlob(), [], 'no row points at a missing blob');
  const rows = await t.deps.db.query(`SELECT 1 FROM file_segments WHERE file_id = $1`, [fileId]);
  assert.equal(rows.length, 0, 'and no row was committed');

  // Within the grace period the blob could still be an upload about to commit: it stays.
  const grace = t.deps.config.orphanGraceMs;
  assert.deepEqual(await sweepOrphanBlobs(t.deps, t.deps.clock.now(), grace), { scanned: 1, removed: 0 });
  assert.equal((await blobKeys()).length, 1);

  // A real upload afterwards works and its blob is kept by the sweep.
  const offset = await appendToFile(t.deps, tenant?.id ?? '', fileId, 0, Readable.from([data]));
  assert.equal(offset, data.length);

  t.clock.advance(grace + HOUR);
  const swept = await sweepOrphanBlobs(t.deps, t.deps.clock.now(), grace);
  assert.equal(swept.removed, 1);
  const left = await blobKeys();
  assert.equal(left.length, 1);
  assert.ok(!left.includes(orphans[0] ?? ''), 'the orphan is gone');
  assert.deepEqual(await rowsWithoutBlob(), [], 'the committed segment keeps its blob');
});
