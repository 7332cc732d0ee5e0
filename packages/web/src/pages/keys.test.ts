import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Locale } from '@amtsbote/contracts';
import { renderPage } from '../layout.ts';
import { adminUser, ctxFor, structuralProblems } from '../test-support.ts';
import { keysPage } from './keys.ts';

const digits = '05870 44711 20963 11827 90415 33302 71648 02291 58806 14473 66039 91524';
const withKey = {
  hasKey: true,
  publicKey: `amtb-pub1-${'A'.repeat(44)}`,
  createdAt: new Date('2026-03-01T10:00:00Z'),
  fingerprint: digits,
  next: undefined,
};

describe('personal key page', () => {
  for (const locale of ['de', 'en'] as Locale[]) {
    it(`${locale}: well-formed, with the fingerprint grouped and spoken digit by digit`, () => {
      const ctx = ctxFor({ locale, user: adminUser });
      const doc = renderPage(ctx, keysPage(ctx, withKey));
      assert.deepEqual(structuralProblems(doc), []);
      for (const group of digits.split(' ')) assert.ok(doc.includes(`<span>${group}</span>`), group);
      assert.match(doc, locale === 'de' ? /Fingerabdruck/ : /Fingerprint/);
      // A screen reader hears each group digit by digit; the visible groups are hidden from it.
      assert.ok(doc.includes(locale === 'de' ? 'Gruppe 1: 0 5 8 7 0' : 'Group 1: 0 5 8 7 0'));
      assert.ok(doc.includes(locale === 'de' ? 'Gruppe 12: 9 1 5 2 4' : 'Group 12: 9 1 5 2 4'));
      assert.match(doc, /<code class="ab-fingerprint" aria-hidden="true"/);
    });
  }

  it('shows no fingerprint without a key, nor for a key that has none', () => {
    const ctx = ctxFor({ user: adminUser });
    const none = renderPage(
      ctx,
      keysPage(ctx, { hasKey: false, publicKey: undefined, createdAt: undefined, next: undefined }),
    );
    assert.doesNotMatch(none, /Fingerabdruck/);
    const without = renderPage(ctx, keysPage(ctx, { ...withKey, fingerprint: undefined }));
    assert.doesNotMatch(without, /Fingerabdruck/);
  });
});
