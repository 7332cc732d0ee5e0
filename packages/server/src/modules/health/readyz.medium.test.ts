import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scanner } from '../../adapters/scanner/types.ts';
import { createTestApp } from '../../testing/index.ts';

interface ReadyBody {
  status: string;
  checks: Record<string, { ok: boolean; detail: string }>;
}

/** A clamd that does not answer: scans would fail, ping says no. */
const downScanner: Scanner = {
  kind: 'clamd',
  description: 'clamd at tcp://127.0.0.1:1 (test)',
  scan: () => Promise.reject(new Error('not answering')),
  ping: () => Promise.resolve(false),
  close: () => Promise.resolve(),
};

describe('/readyz', () => {
  it('reports each dependency and answers 200 when all are up', async () => {
    const t = await createTestApp();
    try {
      const res = await t.app.inject('/readyz');
      assert.equal(res.statusCode, 200);
      const body = res.json<ReadyBody>();
      assert.equal(body.status, 'ok');
      assert.deepEqual(Object.keys(body.checks).sort(), ['blobStore', 'database', 'scanner']);
      for (const check of Object.values(body.checks)) assert.equal(check.ok, true);
      assert.match(body.checks.blobStore?.detail ?? '', /bytes free/);
    } finally {
      await t.close();
    }
  });

  it('answers 503 naming the blob store when its free space is below READY_MIN_FREE_BYTES', async () => {
    // More than any disk has free: proves the threshold without filling a disk.
    const t = await createTestApp({ config: { readyMinFreeBytes: Number.MAX_SAFE_INTEGER } });
    try {
      const res = await t.app.inject('/readyz');
      assert.equal(res.statusCode, 503);
      const body = res.json<ReadyBody>();
      assert.equal(body.status, 'unavailable');
      assert.equal(body.checks.blobStore?.ok, false);
      assert.match(body.checks.blobStore.detail, /READY_MIN_FREE_BYTES/);
      assert.equal(body.checks.database?.ok, true);
    } finally {
      await t.close();
    }
  });

  it('reports a scanner that does not answer but stays ready (files wait for the scan)', async () => {
    const t = await createTestApp({ scanner: downScanner });
    try {
      const res = await t.app.inject('/readyz');
      assert.equal(res.statusCode, 200);
      const body = res.json<ReadyBody>();
      assert.equal(body.status, 'degraded');
      assert.equal(body.checks.scanner?.ok, false);
      assert.match(body.checks.scanner.detail, /stays ready/);
    } finally {
      await t.close();
    }
  });
});
