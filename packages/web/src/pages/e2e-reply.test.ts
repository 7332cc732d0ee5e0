import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctxFor, sampleTransfer, squash, structuralProblems } from '../test-support.ts';
import { renderPage } from '../layout.ts';
import { organisationTransferPage } from './organisations.ts';
import { recipientTransferPage } from './recipient.ts';

// The reply form on a level-3/4 message (islands/reply.ts reads these attributes).
describe('recipient page: reply at levels 3 and 4', () => {
  const ctx = ctxFor({ path: '/t/tok-123' });
  const input = (level: number) => ({
    token: 'tok-123',
    transfer: sampleTransfer({ level }),
    thread: [],
    email: 'buerger@example.org',
    uploadEndpoint: '/api/v1/uploads',
  });
  const form = (body: string): string => /<form id="reply"[^]*?<\/form>/.exec(body)?.[0] ?? '';

  it('marks the form end-to-end at the message’s level, with the URL of the keys to encrypt to', () => {
    const body = squash(recipientTransferPage(ctx, input(4)).body.__html);
    assert.match(form(body), /data-e2e-level="4"/);
    assert.match(form(body), /data-reply-keys-url="\/api\/v1\/received\/tok-123\/reply-keys"/);
    assert.match(
      body,
      /auf Stufe 4: Text, Dateien und Dateinamen werden hier in Ihrem Browser verschlüsselt/,
    );
    // Level 2 is offered only once the island knows the sender has no key.
    assert.match(form(body), /<div data-e2e-fallback hidden>[^]*name="fallbackLevel2"/);
    const three = squash(recipientTransferPage(ctx, input(3)).body.__html);
    assert.match(form(three), /data-e2e-level="3"/);
  });

  it('a level-1/2 message keeps the plain reply form', () => {
    const body = recipientTransferPage(ctx, input(2)).body.__html;
    assert.doesNotMatch(body, /data-e2e-level|data-e2e-fallback|reply-keys/);
  });

  it('lists an end-to-end reply in the conversation without its (encrypted) text or names', () => {
    const body = squash(
      recipientTransferPage(ctx, {
        ...input(4),
        thread: [
          sampleTransfer({
            id: 'r1',
            level: 4,
            subject: 'Re: Ihr Bescheid',
            message: 'QU1UQlMB-ciphertext',
            senderStaffId: null,
            senderRecipientId: 'r',
          }),
        ],
      }).body.__html,
    );
    // The recipient's own reply: offered for opening (pages/own-reply.ts); the ciphertext only
    // in the attribute the island decrypts, never as text.
    assert.match(body, /Ende-zu-Ende-verschlüsselt\. Sie können Ihre Antwort hier/);
    assert.doesNotMatch(body.replace(/data-message="[^"]*"/g, ''), /QU1UQlMB-ciphertext|1\.amtb/);
  });

  it('is structurally sound', () => {
    const doc = renderPage(ctx, recipientTransferPage(ctx, input(4)));
    assert.deepEqual(structuralProblems(doc), []);
  });
});

describe('organisation page: reply at levels 3 and 4 in the organisation’s name', () => {
  const ctx = ctxFor({ account: { displayName: 'Anna', email: 'a@b.example' } });
  const org = { id: '11111111-1111-4111-8111-111111111111', name: 'Muster Bau GmbH' };
  const page = (level: number, direction: 'received' | 'sent' = 'received') =>
    organisationTransferPage(ctx, {
      org,
      role: 'member',
      direction,
      thread: [],
      senderName: 'Sam',
      canReply: direction === 'received',
      uploadEndpoint: '/api/v1/uploads',
      transfer: sampleTransfer({ level, message: 'QU1UQlMB-ciphertext' }),
    });

  it('marks the reply form end-to-end, with the organisation’s reply-keys URL', () => {
    const body = squash(page(4).body.__html);
    const form = /<form id="reply"[^]*?<\/form>/.exec(body)?.[0] ?? '';
    assert.match(form, /data-e2e-level="4"/);
    assert.match(
      form,
      new RegExp(`data-reply-keys-url="/api/v1/organisations/${org.id}/postbox/[^"]+/reply-keys"`),
    );
    assert.match(body, /die Mitglieder Ihrer Organisation/);
    assert.doesNotMatch(squash(page(2).body.__html), /data-e2e-level/);
    assert.deepEqual(structuralProblems(renderPage(ctx, page(4))), []);
  });

  it('a level-4 reply the organisation sent shows no ciphertext, but opens with the organisation’s key', () => {
    const body = page(4, 'sent').body.__html;
    assert.doesNotMatch(body.replace(/data-message="[^"]*"/g, ''), /QU1UQlMB-ciphertext/);
    assert.match(body, /Ende-zu-Ende-verschlüsselt/);
    assert.match(
      body,
      new RegExp(`id="e2e-open"[^>]*data-envelope-url="/api/v1/organisations/${org.id}/postbox/`),
    );
  });
});
