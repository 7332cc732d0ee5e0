import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPage } from '../layout.ts';
import { ATTACK, ctxFor, structuralProblems } from '../test-support.ts';
import { accountTokensPage } from './account-tokens.ts';

const account = { displayName: 'Ina Beispiel', email: 'ina@example.org' };
const rows = [
  {
    id: '0b7c5c9e-3f43-4c4e-9a43-0c3f4cbd1a11',
    name: ATTACK,
    createdAt: new Date('2026-03-01T10:00:00Z'),
    lastUsedAt: null,
    expiresAt: null,
  },
  {
    id: '5f0e7d5e-1c2b-4a8e-8f3a-2d1c0b9a8e77',
    name: 'Laptop',
    createdAt: new Date('2026-03-02T10:00:00Z'),
    lastUsedAt: new Date('2026-03-03T10:00:00Z'),
    expiresAt: new Date('2026-06-01T10:00:00Z'),
  },
];

describe('account tokens page', () => {
  for (const locale of ['de', 'en'] as const) {
    it(`renders well-formed in ${locale}, names each revoke button, escapes names`, () => {
      const ctx = ctxFor({ locale, account, path: '/account/tokens' });
      const doc = renderPage(ctx, accountTokensPage(ctx, { tokens: rows }));
      assert.deepEqual(structuralProblems(doc), []);
      assert.ok(!doc.includes(ATTACK), 'token names are escaped');
      assert.match(doc, /action="\/account\/tokens\/5f0e7d5e-1c2b-4a8e-8f3a-2d1c0b9a8e77\/revoke"/);
      assert.match(doc, /<span class="ab-sr-only"> Laptop<\/span>/);
      assert.doesNotMatch(doc, /id="token-secret"/, 'no secret unless one was just created');
    });
  }

  it('shows a just-created secret once, with how to use it, and the form keeps its values on errors', () => {
    const ctx = ctxFor({ locale: 'de', account, path: '/account/tokens' });
    const created = renderPage(
      ctx,
      accountTokensPage(ctx, { tokens: rows, created: { name: 'Laptop', token: 'amta_secret123' } }),
    );
    assert.deepEqual(structuralProblems(created), []);
    assert.match(created, /id="token-secret">amta_secret123</);
    assert.match(created, /amtsbote fetch LINK -o DIR --token amta_secret123/);
    const failed = renderPage(
      ctx,
      accountTokensPage(ctx, {
        tokens: [],
        errors: [{ field: 'name', message: 'Bitte Namen' }],
        values: { name: 'x'.repeat(3), expiresInDays: '' },
      }),
    );
    assert.deepEqual(structuralProblems(failed), []);
    assert.match(failed, /aria-invalid="true"/);
    assert.match(failed, /<option value="" {1,2}selected>/);
  });
});
