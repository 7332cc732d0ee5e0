import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPage } from '../layout.ts';
import { ctxFor, sampleTransfer, squash, structuralProblems } from '../test-support.ts';
import { organisationTransferPage } from './organisations.ts';
import { recipientTransferPage } from './recipient.ts';

// Re-reading one's own sent level-3/4 reply (pages/own-reply.ts; islands/own-reply.ts reads
// these attributes, and lib/e2e-open.ts the same ones as on the open section).
describe('recipient page: the recipient’s own end-to-end reply in the thread', () => {
  const ctx = ctxFor({ path: '/t/tok-123' });
  const file = { id: 'f1', name: '1.amtb', size: 2048, type: 'application/octet-stream', complete: true };
  const reply = (level: number, id = 'r1') =>
    sampleTransfer({
      id,
      level,
      subject: 'Re: Ihr Bescheid',
      message: level === 4 ? 'QU1UQlMB-manifest' : 'Mein Antworttext',
      files: [file],
      senderStaffId: null,
      senderRecipientId: 'rcp',
    });
  const page = (thread: ReturnType<typeof sampleTransfer>[], en = false) =>
    recipientTransferPage(en ? ctxFor({ path: '/t/tok-123', locale: 'en' }) : ctx, {
      token: 'tok-123',
      transfer: sampleTransfer({ level: 4 }),
      thread,
      email: 'buerger@example.org',
      uploadEndpoint: '/api/v1/uploads',
    });

  it('level 4: the own envelope’s URL, the manifest for the island, numbered files, no names', () => {
    const body = squash(page([reply(4)]).body.__html);
    const block = /<div class="ab-own-reply"[^]*?own-reply\.js/.exec(body)?.[0] ?? '';
    assert.match(block, /data-envelope-url="\/api\/v1\/received\/tok-123\/replies\/r1\/envelope"/);
    assert.match(block, /data-level="4"/);
    assert.match(block, /data-message="QU1UQlMB-manifest"/);
    assert.match(block, /data-href="\/t\/tok-123\/replies\/r1\/files\/f1"/);
    assert.match(
      block,
      /<button type="button" class="kern-btn kern-btn--secondary" disabled data-own-reply-open>/,
    );
    assert.match(block, /1\. entschlüsseln und speichern/);
    assert.match(block, /Der Nachrichtentext ist verschlüsselt\./);
    assert.doesNotMatch(block.replace(/data-[a-z-]+="[^"]*"/g, ''), /1\.amtb|QU1UQlMB/);
  });

  it('level 3: text and names as sent, the files still to decrypt', () => {
    const block = /<div class="ab-own-reply"[^]*?own-reply\.js/.exec(
      squash(page([reply(3)]).body.__html),
    )?.[0];
    assert.ok(block !== undefined);
    assert.match(block, /Mein Antworttext/);
    assert.match(block, /data-message=""/);
    assert.match(block, /1\.amtb entschlüsseln und speichern/);
  });

  it('only for the recipient’s own replies: a level-4 message from staff in the thread stays closed', () => {
    const body = page([
      sampleTransfer({ id: 's2', level: 4, senderStaffId: 'staff', senderRecipientId: null }),
    ]).body.__html;
    assert.doesNotMatch(body, /data-own-reply/);
  });

  it('two replies: unique ids, structurally sound, in English too', () => {
    const doc = renderPage(ctx, page([reply(4, 'r1'), reply(3, 'r2')]));
    assert.deepEqual(structuralProblems(doc), []);
    assert.equal(doc.match(/data-own-reply\s/g)?.length, 2);
    const en = squash(page([reply(4)], true).body.__html);
    assert.match(en, /Open your reply/);
  });
});

describe('organisation page: a reply sent in the organisation’s name', () => {
  const ctx = ctxFor({ account: { displayName: 'Anna', email: 'a@b.example' } });
  const org = { id: '11111111-1111-4111-8111-111111111111', name: 'Muster Bau GmbH' };

  it('the thread links a sent end-to-end reply to its page, where it opens', () => {
    const body = squash(
      organisationTransferPage(ctx, {
        org,
        role: 'member',
        direction: 'received',
        thread: [
          {
            ...sampleTransfer({
              id: '22222222-2222-4222-8222-222222222222',
              level: 4,
              senderStaffId: null,
              senderRecipientId: 'x',
            }),
            author: 'Anna',
          },
        ],
        senderName: 'Sam',
        canReply: false,
        uploadEndpoint: '/api/v1/uploads',
        transfer: sampleTransfer({ level: 4 }),
      }).body.__html,
    );
    assert.match(
      body,
      new RegExp(
        `<a class="kern-link" href="/organisations/${org.id}/postbox/22222222-2222-4222-8222-222222222222">Diese Antwort öffnen</a>`,
      ),
    );
  });
});
