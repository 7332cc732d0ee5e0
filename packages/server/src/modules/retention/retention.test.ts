import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DAY, MINUTE } from '../../adapters/clock.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { retryDelayMs } from '../../jobs/runner.ts';
import { berlinDay, berlinDayStart } from '../stats/index.ts';
import { accessLogFileName } from '../privacy/index.ts';
import { pruneAccessLogs } from './housekeeping.ts';
import { daysFor, describeRetention, RetentionRegistry } from './registry.ts';
import { defaultRetentionRegistry } from './rules.ts';

describe('access log settings', () => {
  it('are off by default; kept 5 days when on; never more than 7', () => {
    const c = loadConfig({ DATA_DIR: '/tmp/x' });
    assert.deepEqual(c.accessLog, { enabled: false, retentionDays: 5 });
    assert.equal(
      loadConfig({ ACCESS_LOG: 'true', ACCESS_LOG_RETENTION_DAYS: '7' }).accessLog.retentionDays,
      7,
    );
    assert.throws(
      () => loadConfig({ ACCESS_LOG: 'true', ACCESS_LOG_RETENTION_DAYS: '8' }),
      (err: unknown) =>
        err instanceof ConfigError && err.problems.some((p) => p.includes('ACCESS_LOG_RETENTION_DAYS')),
    );
  });

  it('prunes hourly files once their first line could be older than the period', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'access-log-'));
    try {
      const now = new Date('2026-05-10T12:30:00Z');
      const names = ['2026-05-05T12.log', '2026-05-05T13.log', '2026-05-10T12.log', 'notes.txt'];
      for (const n of names) await writeFile(path.join(dir, n), 'x');
      assert.equal(accessLogFileName(now), '2026-05-10T12.log');
      const r = await pruneAccessLogs(dir, now, 5);
      assert.deepEqual(r, { deleted: 1 });
      assert.deepEqual((await readdir(dir)).sort(), ['2026-05-05T13.log', '2026-05-10T12.log', 'notes.txt']);
      await pruneAccessLogs(dir, new Date(now.getTime() + 30 * MINUTE), 5);
      assert.deepEqual((await readdir(dir)).sort(), ['2026-05-10T12.log', 'notes.txt']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('retention registry', () => {
  it('refuses duplicates and defaults outside their bounds', () => {
    const r = new RetentionRegistry();
    const describe = () => ({ what: 'x', period: 'y' });
    r.rule({ id: 'a', module: 'm', describe });
    assert.throws(() => r.rule({ id: 'a', module: 'm', describe }), /twice/);
    assert.throws(
      () => r.rule({ id: 'b', module: 'm', defaultDays: 5, minDays: 10, maxDays: 20, describe }),
      /within its bounds/,
    );
  });

  it('takes the tenant’s value only within the bounds', () => {
    const rule = defaultRetentionRegistry().get('accounts.inactive');
    assert.ok(rule !== undefined);
    assert.equal(daysFor(rule, { settings: {} }), 90);
    assert.equal(daysFor(rule, { settings: { retention: { 'accounts.inactive': 120 } } as never }), 120);
    assert.equal(daysFor(rule, { settings: { retention: { 'accounts.inactive': 5 } } as never }), 90);
    const transfers = defaultRetentionRegistry().get('transfers.metadata');
    assert.ok(transfers !== undefined);
    assert.equal(daysFor(transfers, { settings: { transfers: { metadataRetentionDays: 30 } } as never }), 30);
  });

  it('describes every rule in German and English with the defaults the authorities promise', () => {
    const registry = defaultRetentionRegistry();
    for (const locale of ['de', 'en'] as const) {
      const entries = describeRetention(registry, { settings: {} }, locale, { accessLogDays: 0 });
      for (const e of entries) {
        assert.notEqual(e.what, e.id, `${e.id} has words in ${locale}`);
        assert.ok(e.period.length > 3);
      }
    }
    const de = Object.fromEntries(
      describeRetention(registry, { settings: {} }, 'de', { accessLogDays: 5 }).map((e) => [e.id, e]),
    );
    assert.equal(de['transfers.content']?.days, 60);
    assert.equal(de['dropoff.content']?.days, 14);
    assert.equal(de['transfers.metadata']?.days, 90);
    assert.equal(de['accounts.inactive']?.days, 90);
    assert.match(de['accounts.inactive'].period, /14 Tage vorher/);
    assert.equal(de['organisations.inactive']?.days, 3 * 365);
    assert.match(de['organisations.inactive'].period, /30 Tage vorher/);
    assert.equal(de['audit.events']?.days, 365);
    assert.match(de['access-log']?.period ?? '', /5 Tage/);
  });
});

describe('helpers', () => {
  it('back-off grows and is capped at an hour', () => {
    assert.deepEqual([1, 2, 3, 4].map(retryDelayMs), [30_000, 60_000, 120_000, 240_000]);
    assert.equal(retryDelayMs(20), 60 * MINUTE);
  });

  it('German calendar days across daylight saving time', () => {
    assert.equal(berlinDay(new Date('2026-03-28T23:30:00Z')), '2026-03-29');
    assert.equal(berlinDayStart('2026-03-29').toISOString(), '2026-03-28T23:00:00.000Z');
    assert.equal(berlinDayStart('2026-03-30').toISOString(), '2026-03-29T22:00:00.000Z');
    assert.equal(
      berlinDayStart('2026-03-30').getTime() - berlinDayStart('2026-03-29').getTime(),
      DAY - 60 * MINUTE,
    );
  });
});
