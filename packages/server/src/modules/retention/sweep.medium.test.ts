import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DAY, MINUTE } from '../../adapters/clock.ts';
import type { Db } from '../../adapters/db/index.ts';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, seedTenant } from '../../testing/index.ts';
import { sweepTransfers } from '../transfers/index.ts';

// The set-based sweep over more transfers than one batch holds: everything that ran out is
// destroyed exactly as endTransfer would (keys, texts, envelopes, guest data, segments, blobs, one
// audit event each), nothing else is touched, and a crash between batches loses nothing.

const BATCH = 20;
const EXPIRED = 2 * BATCH + 7;

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, { slug: 'sweep-a', name: 'Ablaufstadt' });
  b = await seedTenant(t.deps, { slug: 'sweep-b', name: 'Nachbarstadt' });
});
after(() => t.close());

const sealed = Buffer.from('sealed-bytes');

/** A sent transfer with a recipient, a guest, a sender envelope and one file of one segment blob. */
async function transfer(
  tenant: typeof a,
  opts: { expiresAt: Date; status?: 'sent' | 'draft' },
): Promise<{ id: string; blobKey: string }> {
  const id = randomUUID();
  const fileId = randomUUID();
  const now = t.clock.now();
  const status = opts.status ?? 'sent';
  const tenantId = tenant.tenant.id;
  await t.deps.db.query(
    `INSERT INTO transfers (tenant_id, id, thread_id, level, status, sender_staff_id, content_key, subject, message,
       reference, file_count, total_size, created_at, sent_at, expires_at)
     VALUES ($1, $2, $2, 1, $3, $4, $5, $5, $5, $5, 1, 5, $6, $7, $8)`,
    [tenantId, id, status, tenant.admin.id, sealed, now, status === 'sent' ? now : null, opts.expiresAt],
  );
  await t.deps.db.query(
    `INSERT INTO transfer_recipients (tenant_id, id, transfer_id, email, locale) VALUES ($1, $2, $3, 'r@example.org', 'de')`,
    [tenantId, randomUUID(), id],
  );
  await t.deps.db.query(
    `INSERT INTO transfer_guests (tenant_id, transfer_id, email, name, locale, verified) VALUES ($1, $2, 'gast@example.org', $3, 'de', true)`,
    [tenantId, id, sealed],
  );
  await t.deps.db.query(
    `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, envelope, created_at) VALUES ($1, $2, $3, 'sender', $4, $5)`,
    [tenantId, randomUUID(), id, Buffer.alloc(87, 7), now],
  );
  await t.deps.db.query(
    `INSERT INTO transfer_files (tenant_id, id, transfer_id, position, name, media_type, size, received, file_key, completed_at)
     VALUES ($1, $2, $3, 0, $4, $4, 5, 5, $4, $5)`,
    [tenantId, fileId, id, sealed, now],
  );
  const blobKey = `transfers/${tenantId}/${id}/${fileId}/000000000000000-${randomUUID()}`;
  await t.deps.blobs.put(blobKey, Readable.from([Buffer.from('bytes')]));
  await t.deps.db.query(
    `INSERT INTO file_segments (tenant_id, file_id, start, length, blob_key, created_at) VALUES ($1, $2, 0, 5, $3, $4)`,
    [tenantId, fileId, blobKey, now],
  );
  return { id, blobKey };
}

interface State {
  status: string;
  ended: boolean;
  keys: number;
  guests: number;
  envelopes: number;
  segments: number;
  fileKeys: number;
  recipients: number;
  audit: number;
  blob: boolean;
}

async function state(x: { id: string; blobKey: string }): Promise<State> {
  const [row] = await t.deps.db.query<Omit<State, 'blob'>>(
    `SELECT t.status, t.ended_at IS NOT NULL AS ended,
       (CASE WHEN t.content_key IS NULL THEN 0 ELSE 1 END + CASE WHEN t.subject IS NULL THEN 0 ELSE 1 END
        + CASE WHEN t.message IS NULL THEN 0 ELSE 1 END + CASE WHEN t.reference IS NULL THEN 0 ELSE 1 END) AS keys,
       (SELECT count(*)::int FROM transfer_guests g WHERE g.transfer_id = t.id) AS guests,
       (SELECT count(*)::int FROM transfer_envelopes e WHERE e.transfer_id = t.id) AS envelopes,
       (SELECT count(*)::int FROM file_segments s JOIN transfer_files f ON f.id = s.file_id WHERE f.transfer_id = t.id) AS segments,
       (SELECT count(*)::int FROM transfer_files f WHERE f.transfer_id = t.id AND (f.file_key IS NOT NULL OR f.name <> '\\x'::bytea)) AS "fileKeys",
       (SELECT count(*)::int FROM transfer_recipients r WHERE r.transfer_id = t.id) AS recipients,
       (SELECT count(*)::int FROM audit_events a WHERE a.subject_id = t.id AND a.action = 'transfer.expired') AS audit
     FROM transfers t WHERE t.id = $1`,
    [x.id],
  );
  assert.ok(row !== undefined, `transfer ${x.id} still exists`);
  return { ...row, blob: (await t.deps.blobs.stat(x.blobKey)) !== undefined };
}

const untouched: Omit<State, 'status'> = {
  ended: false,
  keys: 4,
  guests: 1,
  envelopes: 1,
  segments: 1,
  fileKeys: 1,
  recipients: 1,
  audit: 0,
  blob: true,
};
const destroyed: State = {
  status: 'expired',
  ended: true,
  keys: 0,
  guests: 0,
  envelopes: 0,
  segments: 0,
  fileKeys: 0,
  recipients: 1,
  audit: 1,
  blob: false,
};

describe('the set-based transfer sweep', () => {
  it('ends every expired transfer across batches and touches nothing else; a crash between batches loses nothing', async () => {
    const past = new Date(t.clock.now().getTime() - MINUTE);
    const future = new Date(t.clock.now().getTime() + DAY);
    const expired = [];
    for (let i = 0; i < EXPIRED; i++) expired.push(await transfer(i % 5 === 0 ? b : a, { expiresAt: past }));
    const liveA = await transfer(a, { expiresAt: future });
    const liveB = await transfer(b, { expiresAt: future });
    const draft = await transfer(a, { expiresAt: future, status: 'draft' });

    // The process dies while the second batch is in hand: its statement ran, the commit never came.
    let transactions = 0;
    const crashing: Db = {
      ...t.deps.db,
      transaction: (fn) =>
        transactions++ === 1
          ? t.deps.db.transaction(async (tx) => {
              await fn(tx);
              throw new Error('injected crash before commit');
            })
          : t.deps.db.transaction(fn),
    };
    await assert.rejects(sweepTransfers({ ...t.deps, db: crashing }, BATCH), /injected crash/);
    const halfway = await Promise.all(expired.map(state));
    assert.equal(
      halfway.filter((s) => s.ended).length,
      BATCH,
      'the first batch is committed, the second rolled back',
    );
    for (const s of halfway.filter((x) => x.ended)) {
      assert.deepEqual({ ...s, blob: false }, destroyed, 'a committed batch is complete');
    }
    for (const s of halfway.filter((x) => !x.ended)) assert.deepEqual(s, { status: 'sent', ...untouched });
    const queued = await t.deps.db.query(`SELECT 1 FROM blob_deletions`);
    assert.equal(queued.length, BATCH, 'the blobs of the committed batch are queued, not lost');

    // The next run finishes the work, without doing anything twice.
    const result = await sweepTransfers(t.deps, BATCH);
    assert.equal(result.expired, EXPIRED - BATCH);
    assert.equal(result.abandonedDrafts, 0);
    assert.equal(result.metadataDeleted, 0);
    assert.equal(result.blobsDeleted, EXPIRED);
    for (const x of expired) assert.deepEqual(await state(x), destroyed);
    assert.deepEqual(await state(liveA), { status: 'sent', ...untouched });
    assert.deepEqual(await state(liveB), { status: 'sent', ...untouched });
    assert.deepEqual(await state(draft), { status: 'draft', ...untouched });
    assert.equal((await t.deps.db.query(`SELECT 1 FROM blob_deletions`)).length, 0, 'queue drained');
    const events = await t.deps.db.query<{ tenant_id: string; actor_kind: string; subject_kind: string }>(
      `SELECT tenant_id, actor_kind, subject_kind FROM audit_events WHERE action = 'transfer.expired'`,
    );
    assert.equal(events.length, EXPIRED, 'one audit event per transfer');
    assert.ok(events.every((e) => e.actor_kind === 'system' && e.subject_kind === 'transfer'));
    assert.equal(
      events.filter((e) => e.tenant_id === b.tenant.id).length,
      Math.ceil(EXPIRED / 5),
      'each in its own tenant',
    );

    // A second run finds nothing left to do.
    assert.deepEqual(await sweepTransfers(t.deps, BATCH), {
      expired: 0,
      abandonedDrafts: 0,
      metadataDeleted: 0,
      blobsDeleted: 0,
    });

    // Metadata retention (90 days by default), also over more than one batch: the ended rows go
    // with their recipients, each batch on record without personal data; live rows stay.
    t.clock.advance(91 * DAY);
    const later = await sweepTransfers(t.deps, BATCH);
    t.clock.advance(-91 * DAY);
    assert.equal(later.metadataDeleted, EXPIRED);
    assert.equal(later.expired, 2, 'the live transfers expired by now');
    assert.equal(later.abandonedDrafts, 1, 'and the draft was abandoned');
    const left = await t.deps.db.query<{ id: string }>(`SELECT id FROM transfers ORDER BY id`);
    assert.deepEqual(
      left.map((r) => r.id),
      [liveA.id, liveB.id].sort(),
      'the draft is gone, the live ones ended',
    );
    const deletions = await t.deps.db.query<{ tenant_id: string; count: number }>(
      `SELECT tenant_id, (details->>'count')::int AS count FROM audit_events
       WHERE action = 'retention.deleted' AND details->>'rule' = 'transfers.metadata'`,
    );
    assert.equal(
      deletions.reduce((s, d) => s + d.count, 0),
      EXPIRED,
      'every deletion is counted in the audit log',
    );
    assert.ok(deletions.length >= 3, 'tenant a needed more than one batch');
  });
});
