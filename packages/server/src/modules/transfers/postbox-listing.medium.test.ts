import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DAY, MINUTE } from '../../adapters/clock.ts';
import { sealText } from '../../at-rest.ts';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, seedTenant } from '../../testing/index.ts';
import { createStaff } from '../staff/index.ts';
import type { Staff } from '../staff/index.ts';
import { contentKeyContext, textContext } from './keys.ts';
import { listPostbox } from './views.ts';

// The postbox listing (two index-ordered branches, sent and received, merged into one page): the
// same entries as "sent by me or addressed to me, newest first", each once, page by page, with
// the recipients' counts, and nothing of another staff member's or another tenant's.

let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
let colleague: Staff;

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, { slug: 'listing-a', name: 'Listenstadt' });
  b = await seedTenant(t.deps, { slug: 'listing-b', name: 'Andernorts' });
  colleague = await createStaff(t.deps.db, t.deps, a.tenant.id, {
    email: 'kollege@listing-a.example',
    status: 'active',
  });
});
after(() => t.close());

interface Expected {
  id: string;
  direction: 'sent' | 'received';
  subject: string;
  counterpart: string;
  recipients: number;
  opened: number;
  downloaded: number;
}

let minute = 0;

/** A transfer written directly, created one minute after the previous one. */
async function transfer(opts: {
  tenant: typeof a;
  sender?: string | null;
  to?: string | null;
  senderRecipient?: string | null;
  status?: 'sent' | 'draft';
  recipients?: { email: string; opened?: boolean; downloaded?: boolean }[];
}): Promise<{ id: string; subject: string; recipientIds: string[] }> {
  const id = randomUUID();
  const tenantId = opts.tenant.tenant.id;
  const created = new Date(t.clock.now().getTime() - DAY + ++minute * MINUTE);
  const content = t.deps.keyring.newDataKey(contentKeyContext(tenantId, id));
  const subject = `Betreff ${minute}`;
  await t.deps.db.query(
    `INSERT INTO transfers (tenant_id, id, thread_id, level, status, sender_staff_id, to_staff_id, content_key, subject,
       created_at, sent_at, expires_at)
     VALUES ($1, $2, $2, 1, $3, $4, $5, $6, $7, $8, $8, $9)`,
    [
      tenantId,
      id,
      opts.status ?? 'sent',
      opts.sender === undefined ? opts.tenant.admin.id : opts.sender,
      opts.to ?? null,
      content.wrapped,
      sealText(content.key, subject, textContext(id, 'subject')),
      created,
      new Date(created.getTime() + 30 * DAY),
    ],
  );
  const recipientIds: string[] = [];
  for (const r of opts.recipients ?? []) {
    const rid = randomUUID();
    recipientIds.push(rid);
    await t.deps.db.query(
      `INSERT INTO transfer_recipients (tenant_id, id, transfer_id, email, locale, first_opened_at, first_downloaded_at)
       VALUES ($1, $2, $3, $4, 'de', $5, $6)`,
      [
        tenantId,
        rid,
        id,
        r.email,
        r.opened === true ? created : null,
        r.downloaded === true ? created : null,
      ],
    );
  }
  if (opts.senderRecipient !== undefined) {
    await t.deps.db.query(`UPDATE transfers SET sender_recipient_id = $2 WHERE id = $1`, [
      id,
      opts.senderRecipient,
    ]);
  }
  return { id, subject, recipientIds };
}

describe('the postbox listing', () => {
  it('lists sent and received transfers newest first, each once, page by page, within its tenant', async () => {
    const me = a.admin;
    const expected: Expected[] = [];
    const first = await transfer({
      tenant: a,
      recipients: [
        { email: 'zora@example.org', opened: true, downloaded: true },
        { email: 'anton@example.org', opened: true },
        { email: 'berta@example.org' },
      ],
    });
    expected.push({
      id: first.id,
      direction: 'sent',
      subject: first.subject,
      counterpart: 'anton@example.org, berta@example.org, zora@example.org',
      recipients: 3,
      opened: 2,
      downloaded: 1,
    });
    for (let i = 0; i < 5; i++) {
      const x = await transfer({
        tenant: a,
        recipients: [{ email: `person${i}@example.org`, opened: i % 2 === 0 }],
      });
      expected.push({
        id: x.id,
        direction: 'sent',
        subject: x.subject,
        counterpart: `person${i}@example.org`,
        recipients: 1,
        opened: i % 2 === 0 ? 1 : 0,
        downloaded: 0,
      });
      // Interleaved with what is not mine: a colleague's transfer, another tenant's, my draft.
      await transfer({ tenant: a, sender: colleague.id, recipients: [{ email: 'fremd@example.org' }] });
      await transfer({ tenant: b, recipients: [{ email: 'nachbar@example.org' }] });
      await transfer({ tenant: a, status: 'draft', recipients: [{ email: 'entwurf@example.org' }] });
    }
    // A reply from a recipient of the first transfer, addressed to me.
    const reply = await transfer({
      tenant: a,
      sender: null,
      to: me.id,
      senderRecipient: first.recipientIds[1] ?? null,
    });
    expected.push({
      id: reply.id,
      direction: 'received',
      subject: reply.subject,
      counterpart: 'anton@example.org',
      recipients: 0,
      opened: 0,
      downloaded: 0,
    });
    // A colleague forwards something to me; I send something to myself (listed once, as sent).
    const forwarded = await transfer({
      tenant: a,
      sender: colleague.id,
      to: me.id,
      recipients: [{ email: 'weiter@example.org' }],
    });
    expected.push({
      id: forwarded.id,
      direction: 'received',
      subject: forwarded.subject,
      counterpart: '',
      recipients: 1,
      opened: 0,
      downloaded: 0,
    });
    const self = await transfer({ tenant: a, to: me.id, recipients: [{ email: 'ich@example.org' }] });
    expected.push({
      id: self.id,
      direction: 'sent',
      subject: self.subject,
      counterpart: 'ich@example.org',
      recipients: 1,
      opened: 0,
      downloaded: 0,
    });
    expected.reverse();

    const project = (e: Awaited<ReturnType<typeof listPostbox>>[number]): Expected => ({
      id: e.id,
      direction: e.direction,
      subject: e.subject ?? '',
      counterpart: e.counterpart,
      recipients: e.recipients,
      opened: e.opened,
      downloaded: e.downloaded,
    });
    assert.deepEqual((await listPostbox(t.deps, a.tenant, me)).map(project), expected);

    // Page by page (3 at a time, `before` the last one shown) gives the same sequence.
    const paged: Expected[] = [];
    let cursor: Date | undefined;
    for (;;) {
      const page = await listPostbox(t.deps, a.tenant, me, {
        limit: 3,
        ...(cursor === undefined ? {} : { before: cursor }),
      });
      paged.push(...page.map(project));
      if (page.length < 3) break;
      cursor = page.at(-1)?.createdAt;
    }
    assert.deepEqual(paged, expected);

    // The colleague sees their own five and the forwarded one, not mine; the other tenant's
    // admin only the other tenant's five.
    const theirs = await listPostbox(t.deps, a.tenant, colleague);
    assert.equal(theirs.length, 6);
    assert.ok(
      theirs.every(
        (e) => e.direction === 'sent' && !expected.some((x) => x.id === e.id && x.direction === 'sent'),
      ),
    );
    const other = await listPostbox(t.deps, b.tenant, b.admin);
    assert.equal(other.length, 5);
    assert.ok(other.every((e) => e.counterpart === 'nachbar@example.org'));
    assert.deepEqual(
      await listPostbox(t.deps, b.tenant, me),
      [],
      'a staff id from another tenant finds nothing',
    );
  });
});
