import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DAY, MINUTE } from '../../adapters/clock.ts';
import { sealText } from '../../at-rest.ts';
import type { TestApp } from '../../testing/index.ts';
import { createTestApp, seedTenant } from '../../testing/index.ts';
import type { Staff } from '../staff/index.ts';
import { createStaff } from '../staff/index.ts';
import { createDepartment } from '../tenants/index.ts';
import type { Department } from '../tenants/index.ts';
import { contentKeyContext, textContext } from '../transfers/index.ts';
import { inboundNumber } from './number.ts';
import type { InboxEntry, InboxFilter, ItemState } from './service.ts';
import { INBOX_PAGE, listInbox, SEARCH_WINDOW } from './service.ts';
import { staffClient } from '../../testing/inbound.ts';

// The department postbox listing (index-ordered branches cut to one page before anything is
// decrypted; a search that decrypts at most SEARCH_WINDOW items per request and continues where
// it stopped): newest first, page by page, filtered in the database, every search match found
// however old, and nothing of another department, caseworker or tenant.

const host = 'listenheim.localhost';
let t: TestApp;
let a: Awaited<ReturnType<typeof seedTenant>>;
let b: Awaited<ReturnType<typeof seedTenant>>;
let second: Department;
let foreign: Department;
let colleague: Staff;

interface Seeded {
  id: string;
  sentAt: Date;
  departmentId: string | null;
  toStaffId: string | null;
  tenantId: string;
  name: string;
  email: string;
  reference: string;
  subject: string;
  state: ItemState;
  assignee: string | null;
  draft: boolean;
}
const seeded: Seeded[] = [];

/** Incoming transfers written directly (one INSERT per table), two per minute so receipt times tie. */
async function seed(
  tenantId: string,
  items: Omit<Seeded, 'id' | 'sentAt' | 'tenantId' | 'name' | 'email' | 'reference' | 'subject'>[],
  names: (i: number) => string = (i) => `Person ${String(i)}`,
): Promise<void> {
  const base = t.clock.now().getTime() - 10 * DAY;
  const rows = items.map((it, i) => {
    const n = seeded.length + i;
    return {
      ...it,
      id: randomUUID(),
      tenantId,
      sentAt: new Date(base + Math.floor(n / 2) * MINUTE),
      name: names(n),
      email: `absender${String(n)}@example.org`,
      reference: `AZ 7-${String(n)}`,
      subject: `Antrag Nummer ${String(n)}`,
    };
  });
  seeded.push(...rows);
  const sealed = rows.map((r) => {
    const k = t.deps.keyring.newDataKey(contentKeyContext(tenantId, r.id));
    return {
      wrapped: k.wrapped,
      subject: sealText(k.key, r.subject, textContext(r.id, 'subject')),
      reference: sealText(k.key, r.reference, textContext(r.id, 'reference')),
      name: sealText(k.key, r.name, textContext(r.id, 'guest-name')),
    };
  });
  const expires = new Date(t.clock.now().getTime() + 30 * DAY);
  await t.deps.db.query(
    `INSERT INTO transfers (tenant_id, id, thread_id, level, status, inbound, to_department_id, to_staff_id, content_key,
       subject, reference, created_at, sent_at, expires_at)
     SELECT $1, x.id, x.id, 1, x.status, 'dropoff', x.dep, x.to_staff, x.ck, x.subject, x.reference, x.sent, x.sent, $2
     FROM unnest($3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::bytea[], $8::bytea[], $9::bytea[], $10::timestamptz[])
       AS x(id, status, dep, to_staff, ck, subject, reference, sent)`,
    [
      tenantId,
      expires,
      rows.map((r) => r.id),
      rows.map((r) => (r.draft ? 'draft' : 'sent')),
      rows.map((r) => r.departmentId),
      rows.map((r) => r.toStaffId),
      sealed.map((s) => s.wrapped),
      sealed.map((s) => s.subject),
      sealed.map((s) => s.reference),
      rows.map((r) => r.sentAt),
    ],
  );
  await t.deps.db.query(
    `INSERT INTO transfer_guests (tenant_id, transfer_id, email, name, locale, verified)
     SELECT $1, x.id, x.email, x.name, 'de', true FROM unnest($2::uuid[], $3::text[], $4::bytea[]) AS x(id, email, name)`,
    [tenantId, rows.map((r) => r.id), rows.map((r) => r.email), sealed.map((s) => s.name)],
  );
  const listed = rows.filter((r) => !r.draft);
  await t.deps.db.query(
    `INSERT INTO postbox_items (tenant_id, transfer_id, state, assigned_staff_id)
     SELECT $1, x.id, x.state, x.assignee FROM unnest($2::uuid[], $3::text[], $4::uuid[]) AS x(id, state, assignee)`,
    [tenantId, listed.map((r) => r.id), listed.map((r) => r.state), listed.map((r) => r.assignee)],
  );
}

const newestFirst = (x: Seeded, y: Seeded): number =>
  y.sentAt.getTime() - x.sentAt.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0);

/** What `staff` may see (members of `departments`, or addressed to them), newest first. */
function expected(
  staff: Staff,
  departments: readonly string[],
  keep: (s: Seeded) => boolean = () => true,
): string[] {
  return seeded
    .filter(
      (s) =>
        s.tenantId === staff.tenantId &&
        !s.draft &&
        (s.toStaffId === null
          ? s.departmentId !== null && departments.includes(s.departmentId)
          : s.toStaffId === staff.id) &&
        keep(s),
    )
    .sort(newestFirst)
    .map((s) => s.id);
}

/** Follows the "more" cursor to the end; returns every entry and the number of requests. */
async function all(
  tenant: typeof a,
  staff: Staff,
  filter: Omit<InboxFilter, 'after'>,
): Promise<{ entries: InboxEntry[]; requests: number; pages: InboxEntry[][] }> {
  const entries: InboxEntry[] = [];
  const pages: InboxEntry[][] = [];
  let cursor: InboxFilter['after'];
  for (let requests = 1; requests < 100; requests++) {
    const page = await listInbox(t.deps, tenant.tenant, staff, { ...filter, after: cursor });
    assert.ok(page.entries.length <= INBOX_PAGE);
    entries.push(...page.entries);
    pages.push(page.entries);
    if (page.next === null) return { entries, requests, pages };
    cursor = page.next;
  }
  throw new Error('the listing never ended');
}

before(async () => {
  t = await createTestApp();
  a = await seedTenant(t.deps, { slug: 'listenheim', name: 'Listenheim', hostnames: [host] });
  b = await seedTenant(t.deps, { slug: 'anderswo', name: 'Anderswo' });
  second = await createDepartment(t.deps.db, t.deps, a.tenant.id, { name: 'Ordnungsamt' });
  foreign = await createDepartment(t.deps.db, t.deps, a.tenant.id, { name: 'Bauamt' });
  await t.deps.db.query(
    `INSERT INTO department_members (tenant_id, department_id, staff_id) VALUES ($1, $2, $3)`,
    [a.tenant.id, second.id, a.admin.id],
  );
  colleague = await createStaff(t.deps.db, t.deps, a.tenant.id, {
    email: 'kollegin@listenheim.example',
    status: 'active',
    departmentIds: [foreign.id],
  });
  const states: ItemState[] = ['new', 'opened', 'answered', 'done'];
  // The oldest three carry a rare name, so that a search must go past SEARCH_WINDOW newer items.
  await seed(
    a.tenant.id,
    [0, 1, 2].map(() => ({
      departmentId: a.department.id,
      toStaffId: null,
      state: 'new',
      assignee: null,
      draft: false,
    })),
    () => 'Zwetschgenbaum-Müller',
  );
  await seed(
    a.tenant.id,
    Array.from({ length: SEARCH_WINDOW + 80 }, (_, i) => ({
      departmentId: i % 6 === 0 ? second.id : i % 11 === 0 ? foreign.id : a.department.id,
      toStaffId: i % 37 === 0 ? a.admin.id : i % 41 === 0 ? colleague.id : null,
      state: states[i % 4] ?? 'new',
      assignee: i % 7 === 0 ? a.admin.id : null,
      draft: i % 53 === 0,
    })),
  );
  await seed(
    b.tenant.id,
    Array.from({ length: 30 }, () => ({
      departmentId: b.department.id,
      toStaffId: null,
      state: 'new' as const,
      assignee: null,
      draft: false,
    })),
  );
});
after(() => t.close());

describe('the department postbox listing', () => {
  const mine = (): string[] => [a.department.id, second.id];

  it('lists newest first, page by page, each visible item once and nothing else', async () => {
    const { entries, pages } = await all(a, a.admin, {});
    assert.deepEqual(
      entries.map((e) => e.id),
      expected(a.admin, mine()),
    );
    assert.ok(pages.length > 10);
    assert.ok(pages.slice(0, -1).every((p) => p.length === INBOX_PAGE));
    const first = entries[0];
    const s = seeded.find((x) => x.id === first?.id);
    assert.ok(first !== undefined && s !== undefined);
    assert.equal(first.senderName, s.name);
    assert.equal(first.subject, s.subject);
    assert.equal(first.reference, s.reference);
    assert.equal(first.senderEmail, s.email);
    assert.equal(first.number, inboundNumber(s.id));
  });

  it('filters by state, assignee and department in the database', async () => {
    for (const state of ['new', 'opened', 'answered', 'done'] as const) {
      const { entries } = await all(a, a.admin, { state });
      assert.deepEqual(
        entries.map((e) => e.id),
        expected(a.admin, mine(), (s) => s.state === state),
        state,
      );
      assert.ok(entries.length > 0);
    }
    const open = await all(a, a.admin, { state: 'open' });
    assert.deepEqual(
      open.entries.map((e) => e.id),
      expected(a.admin, mine(), (s) => s.state !== 'done'),
    );
    const assigned = await all(a, a.admin, { mine: true, state: 'new' });
    assert.deepEqual(
      assigned.entries.map((e) => e.id),
      expected(a.admin, mine(), (s) => s.assignee === a.admin.id && s.state === 'new'),
    );
    const dept = await all(a, a.admin, { departmentId: second.id });
    assert.deepEqual(
      dept.entries.map((e) => e.id),
      expected(a.admin, mine(), (s) => s.departmentId === second.id),
    );
    // A department the caseworker is not a member of shows nothing, not its items.
    assert.deepEqual((await all(a, a.admin, { departmentId: foreign.id })).entries, []);
  });

  it('finds every match of a search, also older than the first search window', async () => {
    const rare = await all(a, a.admin, { q: 'zwetschgenbaum' });
    assert.deepEqual(
      rare.entries.map((e) => e.id),
      seeded
        .filter((s) => s.name.startsWith('Zwetschgenbaum'))
        .sort(newestFirst)
        .map((s) => s.id),
    );
    assert.ok(rare.requests >= 2, 'the search continued past its first window');
    const first = await listInbox(t.deps, a.tenant, a.admin, { q: 'zwetschgenbaum' });
    assert.deepEqual(first.entries, []);
    assert.ok(first.next !== null && first.searchedUntil !== null);

    // More matches than one page: pages of INBOX_PAGE, all of them, in order.
    const many = await all(a, a.admin, { q: 'antrag nummer' });
    assert.deepEqual(
      many.entries.map((e) => e.id),
      expected(a.admin, mine()),
    );
    // By e-mail address, file number and reference (sealed), with the other filters.
    const target = seeded.find((s) => expected(a.admin, mine()).at(-20) === s.id);
    assert.ok(target !== undefined);
    for (const q of [target.email.toUpperCase(), inboundNumber(target.id), target.reference]) {
      const found = await all(a, a.admin, { q });
      assert.ok(
        found.entries.some((e) => e.id === target.id),
        q,
      );
    }
    const doneOnly = await all(a, a.admin, { q: 'Antrag', state: 'done' });
    assert.deepEqual(
      doneOnly.entries.map((e) => e.id),
      expected(a.admin, mine(), (s) => s.state === 'done'),
    );
  });

  it('shows another department, caseworker or tenant nothing of it', async () => {
    const theirs = await all(a, colleague, {});
    assert.deepEqual(
      theirs.entries.map((e) => e.id),
      expected(colleague, [foreign.id]),
    );
    assert.ok(theirs.entries.length > 0);
    const mineIds = new Set(expected(a.admin, mine()));
    assert.ok(theirs.entries.every((e) => !mineIds.has(e.id)));
    assert.deepEqual((await all(a, colleague, { q: 'zwetschgenbaum' })).entries, []);
    const other = await all(b, b.admin, {});
    assert.deepEqual(
      other.entries.map((e) => e.id),
      expected(b.admin, [b.department.id]),
    );
    assert.equal(other.entries.length, 30);
    assert.deepEqual((await all(b, b.admin, { q: 'zwetschgenbaum' })).entries, []);
  });

  it('links the next page from the postbox page, with the same filters', async () => {
    const c = await staffClient(t.app, host, a.admin.email);
    const page = await c.get('/inbox?state=open');
    assert.equal(page.statusCode, 200);
    const rows = (page.body.match(/href="\/inbox\/[0-9a-f-]{36}"/g) ?? []).length;
    assert.equal(rows, INBOX_PAGE);
    const more = /id="inbox-more" href="([^"]+)"/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(more?.includes('state=open') === true && more.includes('after='), more);
    const next = await c.get(more);
    assert.equal(next.statusCode, 200);
    const open = expected(a.admin, mine(), (s) => s.state !== 'done');
    assert.ok(next.body.includes(`href="/inbox/${open[INBOX_PAGE] ?? ''}"`));
    const search = await c.get('/inbox?q=zwetschgenbaum');
    assert.match(search.body, /id="inbox-searched-until"/);
    assert.match(search.body, /id="inbox-more"/);
  });

  it('pages exactly through items received within the same millisecond', async () => {
    // The portal writes receipt times in milliseconds, PostgreSQL keeps microseconds: a cursor cut
    // to milliseconds would skip items. Spread the second department's items over one millisecond.
    await t.deps.db.query(
      `UPDATE transfers t SET sent_at = $3::timestamptz + (x.n * interval '1 microsecond')
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM transfers WHERE tenant_id = $1 AND to_department_id = $2) x
       WHERE t.tenant_id = $1 AND t.id = x.id`,
      [a.tenant.id, second.id, new Date(t.clock.now().getTime() - 20 * DAY)],
    );
    const inDb = await t.deps.db.query<{ id: string }>(
      `SELECT id FROM transfers WHERE tenant_id = $1 AND to_department_id = $2 AND status <> 'draft' AND to_staff_id IS NULL
       ORDER BY sent_at DESC, id DESC`,
      [a.tenant.id, second.id],
    );
    assert.ok(inDb.length > INBOX_PAGE);
    const { entries } = await all(a, a.admin, { departmentId: second.id });
    assert.deepEqual(
      entries.filter((e) => !e.direct).map((e) => e.id),
      inDb.map((r) => r.id),
    );
  });
});
