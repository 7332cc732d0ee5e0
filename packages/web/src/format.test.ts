import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatDateTime, formatDay, formatDuration, percentOf } from './format.ts';

describe('format', () => {
  it('sizes in human units, per language', () => {
    assert.equal(formatBytes(0, 'de'), '0 Bytes');
    assert.equal(formatBytes(1, 'en'), '1 byte');
    assert.equal(formatBytes(1023, 'de'), '1.023 Bytes');
    assert.equal(formatBytes(1536, 'de'), '1,5 KB');
    assert.equal(formatBytes(200 * 1024 * 1024, 'de'), '200 MB');
    assert.equal(formatBytes(20 * 1024 ** 3, 'en'), '20 GB');
    assert.equal(formatBytes(1.25 * 1024 ** 4, 'en'), '1.3 TB');
  });

  it('dates in Berlin time, whatever the server’s zone', () => {
    const d = new Date('2026-07-01T22:30:00Z');
    assert.equal(formatDay(d, 'de'), '2. Juli 2026');
    assert.equal(formatDateTime(d, 'de'), '2. Juli 2026 um 00:30');
    assert.equal(formatDateTime(d, 'en'), '2 July 2026 at 00:30');
  });

  it('remaining time the way people say it', () => {
    assert.equal(formatDuration(0.2, 'de'), '1 Sekunde');
    assert.equal(formatDuration(45, 'en'), '45 seconds');
    assert.equal(formatDuration(150, 'de'), '3 Minuten');
    assert.equal(formatDuration(3600, 'en'), '1 hour');
    assert.equal(formatDuration(2 * 3600 + 60, 'de'), '2 Stunden 1 Minute');
  });

  it('percent is 100 only when complete', () => {
    assert.equal(percentOf(0, 10), 0);
    assert.equal(percentOf(9999, 10000), 99);
    assert.equal(percentOf(10, 10), 100);
    assert.equal(percentOf(0, 0), 100);
  });
});
