import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InboxItemView } from '../inbound/pages.ts';
import { inboxAnswerPage, inboxPage } from '../inbound/pages.ts';
import { renderPage } from '../layout.ts';
import type { Locale } from '@amtsbote/contracts';
import {
  ATTACK,
  adminUser,
  ctxFor,
  samplePolicy,
  sampleRecipients,
  sampleTransfer,
  structuralProblems,
} from '../test-support.ts';
import { recipientTransferPage } from './recipient.ts';
import { transferDetailPage } from './transfer-detail.ts';

// The pages of an answer to a password drop-off: the caseworker's level-4 option, the sender's
// password form, the caseworker's own view; and the department key link for every member.

const ENVELOPE = 'QU1UQlABAAAAAAAA';
const answer = sampleTransfer({
  level: 4,
  message: 'bWFuaWZlc3Q',
  allowReply: false,
  subject: `Re: ${ATTACK}`,
});
const member = { ...adminUser, isTenantAdmin: false };

function item(e2e: 'password' | null): InboxItemView {
  return {
    entry: {
      id: 't1',
      number: '3F2A-91C0',
      kind: 'dropoff',
      department: 'Bürgerservice',
      subject: 'Vertraulich',
      reference: undefined,
      senderName: 'Erika',
      senderEmail: 'erika@example.org',
      state: 'opened',
      assigneeId: null,
      assignee: null,
      sentAt: new Date(),
      expiresAt: new Date(),
      status: 'sent',
      fileCount: 0,
      scan: 'none',
      e2e,
      direct: false,
    },
    transfer: { id: 't1', threadId: 't1', message: undefined, files: [] },
    guest: { name: 'Erika', email: 'erika@example.org', phone: undefined, verified: true, addressedTo: null },
    envelope: e2e === null ? null : ENVELOPE,
    e2eMessage: e2e !== null,
    uploadLinkId: null,
    firstOpenedAt: null,
    answeredAt: null,
  };
}

for (const locale of ['de', 'en'] as Locale[]) {
  describe(`answering to the same password (${locale})`, () => {
    const ctx = ctxFor({ locale });
    const staff = { ...ctx, user: member };
    const pages = {
      answer: inboxAnswerPage(staff, {
        item: item('password'),
        policy: samplePolicy,
        uploadEndpoint: '/api/v1/uploads',
      }),
      answerPlain: inboxAnswerPage(staff, {
        item: item(null),
        policy: samplePolicy,
        uploadEndpoint: '/api/v1/uploads',
      }),
      recipient: recipientTransferPage(ctx, {
        token: 'tok',
        transfer: answer,
        thread: [],
        email: 'erika@example.org',
        uploadEndpoint: '/api/v1/uploads',
        passwordEnvelope: ENVELOPE,
      }),
      detail: transferDetailPage(staff, {
        transfer: answer,
        recipients: sampleRecipients,
        policy: samplePolicy,
        isSender: true,
        passwordEnvelope: ENVELOPE,
      }),
      inbox: inboxPage(staff, {
        entries: [],
        departments: [{ id: 'd1', name: `Bürgerservice ${ATTACK}` }],
        filter: { department: '', state: '', q: '', mine: false },
      }),
    };
    for (const [name, page] of Object.entries(pages)) {
      it(`${name}: one h1, balanced, unique ids, references resolve, data escaped`, () => {
        const doc = renderPage(ctx, page);
        assert.equal([...doc.matchAll(/<h1\b/g)].length, 1);
        assert.deepEqual(structuralProblems(doc), []);
        assert.ok(!doc.includes(ATTACK));
      });
    }

    it('the answer page offers level 4 with the drop-off’s envelope, as the default, only for a password drop-off', () => {
      const doc = renderPage(ctx, pages.answer);
      assert.match(doc, /id="answer-level-4"[^>]*checked/);
      assert.match(doc, new RegExp(`data-envelope="${ENVELOPE}"`));
      assert.match(
        doc,
        /data-password-field[\s\S]*name="password"[^>]*type="password"|data-password-field[\s\S]*type="password"[^>]*name="password"/,
      );
      const plain = renderPage(ctx, pages.answerPlain);
      assert.doesNotMatch(plain, /answer-level-4|data-envelope|data-password-field/);
      assert.match(plain, /id="answer-level-1"[^>]*checked/);
    });

    it('the recipient page asks for the password (no account, no key), names no file, and offers no reply', () => {
      const doc = renderPage(ctx, pages.recipient);
      assert.match(doc, /id="password-open"/);
      assert.match(doc, new RegExp(`data-envelope="${ENVELOPE}"`));
      assert.match(doc, /data-message="bWFuaWZlc3Q"/);
      assert.match(doc, /\/assets\/islands\/password-open\.js/);
      assert.doesNotMatch(doc, /id="e2e-open"|bescheid\.pdf|id="reply"/);
      // The password form is no POST form: the password has nowhere to go.
      assert.doesNotMatch(doc, /<form[^>]*id="password-open-form"[^>]*method=/);
    });

    it('the caseworker’s own page opens it with the message’s password too', () => {
      const doc = renderPage(ctx, pages.detail);
      assert.match(doc, /id="password-open"/);
      assert.doesNotMatch(doc, /id="e2e-open"/);
    });

    it('a member who is not an admin finds the department key page from the postbox', () => {
      const doc = renderPage(ctx, pages.inbox);
      assert.match(doc, /href="\/inbox\/departments\/d1\/key"/);
      assert.doesNotMatch(doc, /href="\/inbox\/settings"/);
    });
  });
}
