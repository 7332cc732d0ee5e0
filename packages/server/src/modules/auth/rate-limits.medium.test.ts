import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import { ManualClock, MINUTE } from '../../adapters/clock.ts';
import type { Db } from '../../adapters/db/index.ts';
import { testDatabase } from '../../testing/index.ts';
import { clearHits, giveBackToken, takeToken, takeTokens, takeTurn } from './store/rate-limits.ts';

// The atomic limits themselves, on PGlite (and PostgreSQL with TEST_DATABASE_URL).

let db: Db;
const clock = new ManualClock();
before(async () => {
  db = await testDatabase();
});
after(() => db.close());
beforeEach(async () => {
  await db.query('DELETE FROM rate_limits');
});

const bucket = { key: 'test:bucket', max: 5, windowMs: 15 * MINUTE };

it('a bucket gives exactly max tokens to a parallel burst, then one per windowMs / max', async () => {
  const taken = await Promise.all(Array.from({ length: 40 }, () => takeToken(db, clock, bucket)));
  assert.equal(taken.filter(Boolean).length, 5);
  clock.advance(3 * MINUTE - 1);
  assert.equal(await takeToken(db, clock, bucket), false);
  clock.advance(1);
  assert.equal(await takeToken(db, clock, bucket), true);
  assert.equal(await takeToken(db, clock, bucket), false);
  clock.advance(15 * MINUTE);
  for (let i = 0; i < 5; i++) assert.equal(await takeToken(db, clock, bucket), true, `full again: ${i + 1}`);
});

it('a token given back can be taken again; takeTokens takes from all or from none', async () => {
  for (let i = 0; i < 5; i++) assert.ok(await takeToken(db, clock, bucket));
  await giveBackToken(db, bucket);
  assert.equal(await takeToken(db, clock, bucket), true);
  const other = { key: 'test:other', max: 2, windowMs: 15 * MINUTE };
  assert.equal(await takeTokens(db, clock, [other, bucket]), false);
  // `other` was given its token back when `bucket` refused.
  assert.equal(await takeTokens(db, clock, [other]), true);
  assert.equal(await takeTokens(db, clock, [other]), true);
  assert.equal(await takeTokens(db, clock, [other]), false);
});

const delay = { key: 'test:delay', free: 3, baseDelayMs: 2_000, maxDelayMs: 8_000, resetMs: 15 * MINUTE };

it('a delay lets the free tries through a parallel burst, then doubles up to its cap', async () => {
  const taken = await Promise.all(Array.from({ length: 40 }, () => takeTurn(db, clock, delay)));
  assert.equal(taken.filter(Boolean).length, 3);
  for (const wait of [2_000, 4_000, 8_000, 8_000]) {
    clock.advance(wait - 1);
    assert.equal(await takeTurn(db, clock, delay), false, `still waiting ${wait}`);
    clock.advance(1);
    assert.equal(await takeTurn(db, clock, delay), true, `after ${wait}`);
  }
  // Quiet for the reset period: the free tries are back.
  clock.advance(15 * MINUTE);
  for (let i = 0; i < 3; i++) assert.equal(await takeTurn(db, clock, delay), true);
  assert.equal(await takeTurn(db, clock, delay), false);
  await clearHits(db, delay);
  assert.equal(await takeTurn(db, clock, delay), true);
});
