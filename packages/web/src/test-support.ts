// Helpers for this package's unit tests: a page context, every page rendered once, and a few
// structural checks on HTML that catch what axe would flag later (duplicate ids, dangling
// references, unbalanced tags) without a browser.
import type { Locale } from '@amtsbote/contracts';
import { renderPage } from './layout.ts';
import { accessibilityPage } from './pages/accessibility.ts';
import { adminPage } from './pages/admin.ts';
import { apiReferenceFromSpec } from './pages/api-reference.ts';
import { leichteSprachePage } from './pages/easy-language.ts';
import { errorPage, notFoundPage } from './pages/errors.ts';
import { staffHomePage } from './pages/home.ts';
import { imprintPage } from './pages/imprint.ts';
import { acceptInvitationPage } from './pages/invitation.ts';
import { defaultLegalSettings } from './pages/legal-settings.ts';
import { loginLinkConfirmPage, loginPage } from './pages/login.ts';
import { privacyPage } from './pages/privacy.ts';
import { startPage } from './pages/start.ts';
import { transferComposePage } from './pages/compose.ts';
import { postboxPage } from './pages/postbox.ts';
import { recipientTransferPage, recipientVerifyPage } from './pages/recipient.ts';
import type { PostboxEntry, RecipientDelivery, Transfer, TransferLimits } from './pages/transfer-common.ts';
import { transferDetailPage } from './pages/transfer-detail.ts';
import type { Page, PageContext } from './types.ts';

export const ATTACK = '<script>alert(1)</script>';

export function ctxFor(over: Partial<PageContext> = {}): PageContext {
  return {
    locale: 'de',
    tenant: { name: 'Musterstadt', slug: 'musterstadt' },
    user: undefined,
    csrfToken: 'csrf-token-123',
    path: '/',
    flash: undefined,
    ...over,
  };
}

export const adminUser = {
  displayName: 'Erika Mustermann',
  email: 'erika@musterstadt.example',
  isTenantAdmin: true,
};

export const sampleSpec = {
  openapi: '3.1.0',
  info: { title: 'Amtsbote API', version: '1', description: 'Use `Authorization: Bearer <token>`.' },
  security: [{ bearer: [] }],
  components: {
    schemas: {
      Department: {
        type: 'object',
        required: ['name'],
        properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string', maxLength: 200 } },
      },
    },
  },
  paths: {
    '/api/v1/departments/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      get: {
        summary: 'One department',
        tags: ['admin'],
        responses: {
          '200': {
            description: 'OK',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Department' } } },
          },
        },
      },
      patch: {
        summary: 'Rename a department',
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Department' } } },
        },
        responses: { '200': { description: 'Renamed' }, '404': { description: 'Not found' } },
      },
    },
  },
};

const GiB = 1024 ** 3;

export const samplePolicy: TransferLimits = {
  maxFileSize: 20 * GiB,
  maxFiles: 100,
  maxTotalSize: 20 * GiB,
  defaultExpiryDays: 60,
  maxExpiryDays: 365,
};

/** A fixed "now" for transfer samples, so dates in the pages are predictable. */
export const sampleNow = new Date('2026-03-03T13:05:00Z');

export function sampleTransfer(over: Partial<Transfer> = {}): Transfer {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    inReplyTo: null,
    level: 1,
    status: 'sent',
    subject: 'Ihr Bescheid',
    message: 'Guten Tag,\n\nanbei Ihr Bescheid.\nMit freundlichen Grüßen',
    files: [
      { id: 'f1', name: 'bescheid.pdf', type: 'application/pdf', size: 123_456, complete: true },
      { id: 'f2', name: 'plan.dwg', type: '', size: 200 * 1024 * 1024, complete: true },
    ],
    fileCount: 2,
    totalSize: 123_456 + 200 * 1024 * 1024,
    allowReply: true,
    notifyOnDownload: true,
    createdAt: new Date('2026-03-01T09:00:00Z'),
    sentAt: new Date('2026-03-01T09:01:00Z'),
    expiresAt: new Date('2026-04-30T09:01:00Z'),
    endedAt: null,
    senderStaffId: 's1',
    senderRecipientId: null,
    ...over,
  };
}

export const sampleRecipients: RecipientDelivery[] = [
  {
    id: 'r1',
    email: 'buerger@example.org',
    notifiedAt: new Date('2026-03-01T09:01:00Z'),
    firstOpenedAt: new Date('2026-03-02T10:00:00Z'),
    firstDownloadedAt: new Date('2026-03-02T10:01:00Z'),
    downloads: [
      { fileId: 'f1', at: new Date('2026-03-02T10:01:00Z') },
      { fileId: null, at: new Date('2026-03-02T10:02:00Z') },
    ],
  },
  {
    id: 'r2',
    email: 'ina@example.org',
    notifiedAt: new Date('2026-03-01T09:01:00Z'),
    firstOpenedAt: null,
    firstDownloadedAt: null,
    downloads: [],
  },
];

export function samplePostbox(n = 2): PostboxEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    level: i % 2 === 0 ? 1 : 2,
    status: i === 1 ? ('expired' as const) : ('sent' as const),
    subject: i === 1 ? undefined : `Betreff ${i}`,
    direction: i === 2 ? ('received' as const) : ('sent' as const),
    counterpart: 'buerger@example.org',
    fileCount: 2,
    totalSize: 1_500_000,
    createdAt: new Date(Date.UTC(2026, 2, 3, 12, 0, 0) - i * 3_600_000),
    expiresAt: new Date('2026-05-01T12:00:00Z'),
    opened: 1,
    downloaded: i === 0 ? 1 : 0,
    recipients: i === 2 ? 0 : 1,
  }));
}

/** Every page of the package with plausible input, keyed by a readable name. */
export function allPages(ctx: PageContext): Record<string, Page> {
  const legal = defaultLegalSettings(ctx.tenant.name);
  return {
    start: startPage(ctx),
    easy: leichteSprachePage(ctx),
    login: loginPage(ctx, { errors: [] }),
    loginErrors: loginPage(
      { ...ctx, path: '/login' },
      { email: 'x', errors: [{ field: 'email', message: 'Bitte E-Mail' }] },
    ),
    linkConfirm: loginLinkConfirmPage(ctx, { token: 'tok' }),
    invitation: acceptInvitationPage(ctx, { token: 'tok', email: 'new@musterstadt.example', errors: [] }),
    home: staffHomePage(
      { ...ctx, user: ctx.user ?? adminUser },
      { departments: [{ id: 'd1', name: 'Bürgerservice' }] },
    ),
    admin: adminPage(
      { ...ctx, user: ctx.user ?? adminUser },
      {
        departments: [{ id: 'd1', name: 'Bürgerservice', description: null, memberCount: 1 }],
        staff: [
          {
            id: 's1',
            email: adminUser.email,
            displayName: adminUser.displayName,
            isTenantAdmin: true,
            status: 'active',
            departments: ['Bürgerservice'],
          },
          {
            id: 's2',
            email: 'neu@musterstadt.example',
            displayName: null,
            isTenantAdmin: false,
            status: 'invited',
            departments: [],
          },
        ],
      },
    ),
    privacy: privacyPage(ctx, legal),
    imprint: imprintPage(ctx, legal),
    accessibility: accessibilityPage(ctx, legal, { values: {}, errors: [] }),
    api: apiReferenceFromSpec(ctx, sampleSpec),
    compose: transferComposePage(
      { ...ctx, user: ctx.user ?? adminUser },
      { policy: samplePolicy, uploadEndpoint: '/api/v1/uploads' },
    ),
    postbox: postboxPage({ ...ctx, user: ctx.user ?? adminUser }, { entries: samplePostbox(3) }),
    postboxEmpty: postboxPage({ ...ctx, user: ctx.user ?? adminUser }, { entries: [] }),
    transferSender: transferDetailPage(
      { ...ctx, user: ctx.user ?? adminUser },
      {
        transfer: sampleTransfer(),
        recipients: sampleRecipients,
        policy: samplePolicy,
        isSender: true,
        now: sampleNow,
      },
    ),
    transferEnded: transferDetailPage(
      { ...ctx, user: ctx.user ?? adminUser },
      {
        transfer: sampleTransfer({
          status: 'revoked',
          subject: undefined,
          message: undefined,
          files: [],
          endedAt: new Date('2026-03-02T12:00:00Z'),
        }),
        recipients: sampleRecipients,
        policy: samplePolicy,
        isSender: true,
        now: sampleNow,
      },
    ),
    transferReply: transferDetailPage(
      { ...ctx, user: ctx.user ?? adminUser },
      {
        transfer: sampleTransfer({
          id: '22222222-2222-4222-8222-222222222222',
          inReplyTo: '11111111-1111-4111-8111-111111111111',
          subject: 'Re: Ihr Bescheid',
          senderStaffId: null,
          senderRecipientId: 'r1',
          allowReply: false,
        }),
        recipients: [],
        policy: samplePolicy,
        isSender: false,
        from: 'buerger@example.org',
        now: sampleNow,
      },
    ),
    recipient: recipientTransferPage(ctx, {
      token: 'tok-123',
      transfer: sampleTransfer(),
      thread: [
        sampleTransfer({
          id: '22222222-2222-4222-8222-222222222222',
          subject: 'Re: Ihr Bescheid',
          message: 'Danke!',
          senderStaffId: null,
          senderRecipientId: 'r1',
          files: [{ id: 'f3', name: 'nachweis.pdf', type: 'application/pdf', size: 2048, complete: true }],
        }),
      ],
      email: 'buerger@example.org',
      uploadEndpoint: '/api/v1/uploads',
    }),
    verify: recipientVerifyPage(ctx, {
      token: 'tok-123',
      maskedEmail: 'i***@example.org',
      codeId: undefined,
      error: undefined,
    }),
    verifyCode: recipientVerifyPage(ctx, {
      token: 'tok-123',
      maskedEmail: 'i***@example.org',
      codeId: '33333333-3333-4333-8333-333333333333',
      error: 'Der Code stimmt nicht.',
    }),
    notFound: notFoundPage(ctx),
    error: errorPage(ctx, { requestId: 'req-1' }),
  };
}

export function renderAll(locale: Locale, over: Partial<PageContext> = {}): Record<string, string> {
  const ctx = ctxFor({ locale, ...over });
  return Object.fromEntries(
    Object.entries(allPages(ctx)).map(([name, page]) => [name, renderPage(ctx, page)]),
  );
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** Problems in a document's structure; empty when fine. */
export function structuralProblems(doc: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  for (const m of doc.replace(/<!doctype[^>]*>/i, '').matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g)) {
    const [, closing, rawName = ''] = m;
    const name = rawName.toLowerCase();
    if (VOID.has(name)) continue;
    if (closing === '') stack.push(name);
    else if (stack.pop() !== name) problems.push(`unbalanced </${name}> at ${String(m.index)}`);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  const ids = [...doc.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1] ?? '');
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) problems.push(`duplicate id ${id}`);
    seen.add(id);
  }
  const refs = [
    ...[...doc.matchAll(/\s(?:aria-describedby|aria-labelledby)="([^"]*)"/g)].flatMap((m) =>
      (m[1] ?? '').split(' '),
    ),
    ...[...doc.matchAll(/\sfor="([^"]*)"/g)].map((m) => m[1] ?? ''),
    ...[...doc.matchAll(/\shref="#([^"]+)"/g)].map((m) => m[1] ?? ''),
  ];
  for (const r of refs) if (!seen.has(r)) problems.push(`reference to missing id ${r}`);
  return problems;
}

/**
 * The markup with formatting whitespace taken out (Prettier lays out the html`` templates), so
 * tests can match on `<a href="x">Text</a>` however the source is wrapped. Text keeps its words.
 */
export function squash(doc: string): string {
  return doc
    .replace(/\s+/g, ' ')
    .replace(/\s*\/>/g, '>')
    .replace(/\s+>/g, '>')
    .replace(/>\s+</g, '><')
    .replace(/<([a-z][a-z0-9]*) /gi, '<$1 ');
}
