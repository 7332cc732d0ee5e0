import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPage } from '../layout.ts';
import type { Locale } from '@amtsbote/contracts';
import { ATTACK, ctxFor, sampleTransfer, structuralProblems } from '../test-support.ts';
import type { Page, PageContext } from '../types.ts';
import { transferComposePage } from './compose.ts';
import { organisationKeysPage } from './org-keys.ts';
import { organisationTransferPage } from './organisations.ts';

const org = { id: '11111111-1111-4111-8111-111111111111', name: `Muster ${ATTACK} GmbH` };
const publicKey = `amtb-pub1-${'A'.repeat(44)}`;

function render(ctx: PageContext, name: string): string {
  const page = pages(ctx)[name];
  assert.ok(page !== undefined, name);
  return renderPage(ctx, page);
}

function pages(ctx: PageContext): Record<string, Page> {
  const transfer = {
    org,
    direction: 'received' as const,
    thread: [],
    senderName: 'Sam',
    canReply: false,
    uploadEndpoint: '/u',
  };
  return {
    create: organisationKeysPage(ctx, { org, role: 'admin', publicKey: null, hasShare: false, waiting: 0 }),
    noneMember: organisationKeysPage(ctx, {
      org,
      role: 'member',
      publicKey: null,
      hasShare: false,
      waiting: 0,
    }),
    noShare: organisationKeysPage(ctx, { org, role: 'member', publicKey, hasShare: false, waiting: 2 }),
    level3: organisationTransferPage(ctx, {
      ...transfer,
      role: 'member',
      transfer: sampleTransfer({ level: 3, message: ATTACK }),
    }),
    level4: organisationTransferPage(ctx, {
      ...transfer,
      role: 'member',
      transfer: sampleTransfer({ level: 4 }),
    }),
    compose: transferComposePage(ctx, {
      policy: { maxFileSize: 1e9, maxFiles: 10, maxTotalSize: 2e9, defaultExpiryDays: 14, maxExpiryDays: 30 },
      uploadEndpoint: '/u',
    }),
  };
}

describe('organisation key pages', () => {
  for (const locale of ['de', 'en'] as Locale[]) {
    it(`render well-formed and escaped (${locale})`, () => {
      const ctx = ctxFor({ locale, account: { displayName: 'Anna', email: 'a@b.example' } });
      for (const [name, page] of Object.entries(pages(ctx))) {
        const doc = renderPage(ctx, page);
        assert.deepEqual(structuralProblems(doc), [], name);
        assert.ok(!doc.includes(ATTACK), `${name} escapes data`);
        assert.equal((doc.match(/<h1\b/g) ?? []).length, 1, `${name} has one h1`);
        assert.doesNotMatch(doc, /\sstyle=|<script>/, `${name}: no inline style or script`);
      }
    });
  }

  it('offers the key creation to an administrator only, while there is no key', () => {
    const ctx = ctxFor({ account: { displayName: 'Anna', email: 'a@b.example' } });
    const doc = (name: string): string => render(ctx, name);
    assert.match(doc('create'), /data-org-key-create/);
    assert.doesNotMatch(doc('noneMember'), /data-org-key-create/);
    assert.doesNotMatch(doc('noShare'), /data-org-key-create/);
    assert.match(doc('noShare'), /2 Mitglieder warten/);
    assert.match(doc('noShare'), /noch nicht freigegeben/);
  });

  it('opens level 3 and 4 of the postbox in the browser, with the organisation’s envelope', () => {
    const ctx = ctxFor({ account: { displayName: 'Anna', email: 'a@b.example' } });
    for (const name of ['level3', 'level4']) {
      const doc = render(ctx, name);
      assert.match(doc, /id="e2e-open"/, name);
      assert.match(
        doc,
        new RegExp(`data-envelope-url="/api/v1/organisations/${org.id}/postbox/[^"]+/envelope"`),
        name,
      );
      assert.doesNotMatch(doc, /\/zip"/, `${name}: no plain download of ciphertext as a ZIP`);
    }
  });

  it('the compose page has the organisation picker', () => {
    const ctx = ctxFor({ user: { displayName: 'Sam', email: 's@b.example', isTenantAdmin: false } });
    const doc = render(ctx, 'compose');
    assert.match(doc, /id="compose-organisation"/);
    assert.match(doc, /<datalist id="compose-organisation-list" data-org-picker>/);
  });
});
