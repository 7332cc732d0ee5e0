import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPage } from '../layout.ts';
import { ATTACK, ctxFor, structuralProblems } from '../test-support.ts';
import { oidcEmailPage } from './oidc-email.ts';

describe('e-mail step after a first identity-service sign-in', () => {
  for (const locale of ['de', 'en'] as const) {
    it(`renders both steps well-formed in ${locale}, with CSRF and escaped names`, () => {
      const ctx = ctxFor({ locale, path: '/auth/oidc/email' });
      const ask = renderPage(ctx, oidcEmailPage(ctx, { name: ATTACK, errors: [] }));
      assert.deepEqual(structuralProblems(ask), []);
      assert.ok(!ask.includes(ATTACK), 'the provider’s name is escaped');
      assert.match(ask, /name="_csrf"/);
      assert.match(ask, /name="step" value="send"/);
      assert.match(ask, /autocomplete="email"/);
      assert.doesNotMatch(ask, /name="code"/);

      const sent = renderPage(ctx, oidcEmailPage(ctx, { sentTo: 'ina@example.org', errors: [] }));
      assert.deepEqual(structuralProblems(sent), []);
      assert.match(sent, /role="status"/);
      assert.match(sent, /name="step" value="verify"/);
      assert.match(sent, /autocomplete="one-time-code"/);
      assert.match(sent, /value="ina@example.org"/, 'the resend form keeps the address');
    });
  }

  it('ties an error to its field and lists it in the summary', () => {
    const ctx = ctxFor({ locale: 'de', path: '/auth/oidc/email' });
    const failed = renderPage(
      ctx,
      oidcEmailPage(ctx, { sentTo: 'ina@example.org', errors: [{ field: 'code', message: 'Falsch' }] }),
    );
    assert.deepEqual(structuralProblems(failed), []);
    assert.match(
      failed,
      /id="oidc-email-code-code"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="oidc-email-code-code"/s,
    );
    assert.match(failed, /href="#oidc-email-code-code"/);
  });
});
