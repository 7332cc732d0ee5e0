import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPage } from '../layout.ts';
import type { Locale } from '@amtsbote/contracts';
import { ATTACK, adminUser, ctxFor, samplePolicy, structuralProblems } from '../test-support.ts';
import type { Page, PageContext } from '../types.ts';
import { acceptAttribute, sniffTypes, typeIdOfMime, typeList } from '@amtsbote/contracts';
import type { InboxEntryView, InboxItemView, UploadLinkView } from './pages.ts';
import {
  dropoffIndexPage,
  inboundCodePage,
  inboundComposePage,
  inboundContactPage,
  inboundDonePage,
  inboundSettingsPage,
  inboxAnswerPage,
  inboxItemPage,
  inboxPage,
  uploadLinkClosedPage,
  uploadLinkFormPage,
  uploadLinkPage,
  uploadLinksPage,
} from './pages.ts';

const now = new Date('2026-03-03T13:05:00Z');
const department = {
  id: 'd1',
  name: 'Bürgerservice',
  description: ATTACK,
  dropoffHint: `Aktenzeichen ${ATTACK}`,
};
const link: UploadLinkView = {
  id: 'l1',
  title: `Nachweise ${ATTACK}`,
  note: 'Bitte die Lohnabrechnungen.',
  reference: 'WG-17',
  departmentName: 'Bürgerservice',
  requester: 'Sam Sachbearbeiter',
  email: 'anna@example.org',
  level: 3,
  allowedTypes: ['pdf', 'png'],
  maxFileSize: 10 * 1024 * 1024,
  expiresAt: now,
  uses: 0,
  maxUses: 1,
  createdAt: now,
  status: 'open',
};
const entry: InboxEntryView = {
  id: 't1',
  number: '3F2A-91C0',
  kind: 'dropoff',
  department: 'Bürgerservice',
  subject: `Antrag ${ATTACK}`,
  reference: 'WG-17',
  senderName: `Erika ${ATTACK}`,
  senderEmail: 'erika@example.org',
  state: 'new',
  assigneeId: null,
  assignee: null,
  sentAt: now,
  expiresAt: now,
  status: 'sent',
  fileCount: 2,
  scan: 'quarantined',
  e2e: 'password',
  direct: false,
};
const item: InboxItemView = {
  entry,
  transfer: {
    id: 't1',
    threadId: 't1',
    message: 'ciphertext',
    files: [
      {
        id: 'f1',
        name: `a${ATTACK}.pdf`,
        type: 'application/pdf',
        size: 10,
        complete: true,
        scanStatus: 'infected',
        scanSignature: 'Eicar',
      },
      {
        id: 'f2',
        name: 'b.pdf',
        type: 'application/pdf',
        size: 10,
        complete: true,
        scanStatus: 'e2e',
        scanSignature: null,
      },
    ],
  },
  guest: { name: 'Erika', email: 'erika@example.org', phone: '0170', verified: true, addressedTo: null },
  envelope: 'QU1UQlAB',
  e2eMessage: true,
  uploadLinkId: null,
  firstOpenedAt: now,
  answeredAt: null,
};

function pages(ctx: PageContext): Record<string, Page> {
  const staff = { ...ctx, user: adminUser };
  return {
    index: dropoffIndexPage(ctx, { departments: [department], directAvailable: true }),
    contactDepartment: inboundContactPage(ctx, {
      action: '/dropoff/start',
      target: { kind: 'department', department },
      values: {},
      errors: [{ field: 'email', message: 'falsch' }],
      started: '1.x',
    }),
    contactDirect: inboundContactPage(ctx, {
      action: '/dropoff/start',
      target: { kind: 'direct', domains: ['musterstadt.example'] },
      values: {},
      errors: [],
      started: '1.x',
    }),
    contactUpload: inboundContactPage(ctx, {
      action: '/u/x/start',
      target: { kind: 'upload', link },
      values: {},
      errors: [],
      started: '1.x',
    }),
    code: inboundCodePage(ctx, {
      sessionId: 's1',
      maskedEmail: 'e***@example.org',
      error: 'Der Code stimmt nicht',
      resent: true,
    }),
    compose: inboundComposePage(ctx, {
      sessionId: 's1',
      target: { kind: 'department', name: 'Bürgerservice', hint: 'Aktenzeichen' },
      senderEmail: 'erika@example.org',
      allowedTypes: ['pdf', 'jpeg', 'png'],
      accept: acceptAttribute(['pdf']),
      limits: { maxFileSize: 100, maxFiles: 20, maxTotalSize: 1000 },
      expiry: { choices: [1, 14, 60], value: 14, max: 60 },
      passwordAllowed: true,
      publicKey: null,
      e2eMessage: false,
      uploadEndpoint: '/api/v1/inbound/uploads',
      values: {},
      errors: [],
    }),
    composeUpload: inboundComposePage(ctx, {
      sessionId: 's1',
      target: { kind: 'upload', link },
      senderEmail: 'anna@example.org',
      allowedTypes: ['pdf'],
      accept: '',
      limits: { maxFileSize: 100, maxFiles: 20, maxTotalSize: 1000 },
      expiry: { choices: [14], value: 14, max: 60 },
      passwordAllowed: false,
      publicKey: 'amtb-pub1-AjSiT9h3VIiPJanNlambgm-FDC3591NZdFZote5W6b8V',
      e2eMessage: true,
      uploadEndpoint: '/api/v1/inbound/uploads',
      values: {},
      errors: [],
    }),
    done: inboundDonePage(ctx, {
      number: '3F2A-91C0',
      expiresAt: now,
      recipient: 'Bürgerservice',
      notify: true,
      e2e: true,
      password: true,
      email: 'erika@example.org',
    }),
    closed: uploadLinkClosedPage(ctx, { status: 'used', department: 'Bürgerservice', requester: 'Sam' }),
    inbox: inboxPage(staff, {
      entries: [entry],
      departments: [{ id: 'd1', name: 'Bürgerservice' }],
      filter: { department: 'd1', state: 'open', q: ATTACK, mine: true },
    }),
    item: inboxItemPage(staff, { item, colleagues: [{ id: 's1', name: 'Sam' }], now }),
    answer: inboxAnswerPage(staff, { item, policy: samplePolicy, uploadEndpoint: '/api/v1/uploads' }),
    settings: inboundSettingsPage(staff, {
      departments: [{ ...department, dropoffEnabled: true, allowedTypes: ['pdf'], hasKey: false }],
      policy: {
        allowedTypes: ['pdf', 'jpeg', 'png'],
        defaultExpiryDays: 14,
        maxExpiryDays: 60,
        maxFileSize: 2 ** 31,
      },
    }),
    links: uploadLinksPage(staff, { links: [link] }),
    linkForm: uploadLinkFormPage(staff, {
      departments: [{ id: 'd1', name: 'Bürgerservice', types: ['pdf'], hasKey: true }],
      policy: { maxFileSize: 2 ** 31 },
      maxDays: 90,
      values: {},
      errors: [{ field: 'title', message: 'fehlt' }],
    }),
    link: uploadLinkPage(staff, {
      link,
      url: 'https://portal.example/u/abc',
      submissions: [{ transferId: 't1', sentAt: now }],
    }),
  };
}

for (const locale of ['de', 'en'] as Locale[]) {
  describe(`inbound pages (${locale})`, () => {
    const ctx = ctxFor({ locale });
    for (const [name, page] of Object.entries(pages(ctx))) {
      it(`${name}: one h1, balanced, unique ids, references resolve, data escaped`, () => {
        const doc = renderPage(ctx, page);
        assert.equal([...doc.matchAll(/<h1\b/g)].length, 1);
        assert.deepEqual(structuralProblems(doc), []);
        assert.ok(!doc.includes(ATTACK), 'no unescaped data');
        assert.ok(!doc.includes('style="') && !doc.includes('<script>'), 'no inline style or script');
      });
    }
  });
}

describe('inbound page details', () => {
  const ctx = ctxFor();
  it('the contact form carries the honeypot out of sight and the time stamp', () => {
    const doc = renderPage(ctx, pages(ctx).contactDepartment ?? { title: '', body: { __html: '' } });
    assert.match(doc, /class="ab-hp" aria-hidden="true"/);
    assert.match(doc, /name="website"\s+type="text"\s+tabindex="-1"/);
    assert.match(doc, /name="started" value="1.x"/);
  });
  it('the compose page insists on the password warning, and a quarantined file has no link', () => {
    const all = pages(ctx);
    assert.match(
      renderPage(ctx, all.compose ?? { title: '', body: { __html: '' } }),
      /Notieren Sie das Passwort/,
    );
    const doc = renderPage(ctx, all.item ?? { title: '', body: { __html: '' } });
    assert.doesNotMatch(doc, /\/inbox\/t1\/files\/f1/);
    assert.match(doc, /Schadsoftware gefunden \(Eicar\)/);
    assert.match(doc, /nicht geprüft \(Ende-zu-Ende-verschlüsselt\)/);
  });
});

describe('file types', () => {
  it('recognises the first bytes of the catalogue’s types, and nothing else', () => {
    assert.deepEqual(sniffTypes(new TextEncoder().encode('%PDF-1.7\n')), ['pdf']);
    assert.deepEqual(sniffTypes(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)), ['jpeg']);
    assert.deepEqual(sniffTypes(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)), ['png']);
    assert.deepEqual(sniffTypes(new TextEncoder().encode('MZ\x90\x00')), []);
    assert.equal(typeIdOfMime('application/pdf'), 'pdf');
    assert.equal(typeIdOfMime('application/x-msdownload'), undefined);
    assert.equal(typeList(['pdf', 'jpeg', 'png', 'nonsense']), 'PDF, JPEG, PNG');
  });
});
