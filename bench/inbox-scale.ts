/**
 * The department postbox listing at scale (docs/inbound.md, "Scale"): seeds N incoming transfers for one
 * department into a fresh PostgreSQL database, then times `listInbox` (modules/postbox/service.ts) — first page,
 * a page deep in the postbox, a state filter, a search — against the listing as it was before (one OR over
 * all branches, 1 000 rows decrypted and filtered in the server), and prints EXPLAIN ANALYZE of the page query.
 * Not a `*.bench.ts`: it measures one function in-process, not the portal under load.
 *
 *   node bench/inbox-scale.ts [N=100000]      (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { systemClock } from '../packages/server/src/adapters/clock.ts';
import { createPostgresDb } from '../packages/server/src/adapters/db/index.ts';
import { migrate } from '../packages/server/src/adapters/migrations/migrate.ts';
import { randomSecrets } from '../packages/server/src/adapters/secrets.ts';
import { masterKeyring, openText, sealText } from '../packages/server/src/at-rest.ts';
import type { InboxCursor, InboxFilter } from '../packages/server/src/modules/postbox/service.ts';
import { INBOX_PAGE, listInbox, SEARCH_WINDOW } from '../packages/server/src/modules/postbox/service.ts';
import { createStaff } from '../packages/server/src/modules/staff/index.ts';
import { createDepartment, createTenant } from '../packages/server/src/modules/tenants/index.ts';
import { contentKeyContext, textContext } from '../packages/server/src/modules/transfers/keys.ts';
import { POSTGRES_ADMIN_URL, withPg } from './lib/server.ts';
import { median } from './lib/stats.ts';

const N = Number(process.argv[2] ?? 100_000);
const ROUNDS = 7;
const DAY = 86_400_000;

const dbName = `amtsbote_inbox_${randomBytes(6).toString('hex')}`;
await withPg(POSTGRES_ADMIN_URL, (c) => c.query(`CREATE DATABASE ${dbName}`));
const dbUrl = new URL(POSTGRES_ADMIN_URL);
dbUrl.pathname = `/${dbName}`;
const db = createPostgresDb(dbUrl.toString(), { max: 2 });
try {
  await migrate(db);
  const deps = { db, clock: systemClock, secrets: randomSecrets, keyring: masterKeyring(randomBytes(32)) };
  const tenant = await createTenant(db, deps, { slug: 'skala', name: 'Skala', hostnames: [] });
  const dept = await createDepartment(db, deps, tenant.id, { name: 'Bürgerbüro' });
  const staff = await createStaff(db, deps, tenant.id, {
    email: 'sachbearbeitung@skala.example',
    status: 'active',
    departmentIds: [dept.id],
  });

  // N drop-offs over the past 60 days, sealed like real ones; three old ones carry a rare name.
  const t0 = performance.now();
  const now = Date.now();
  const states = ['new', 'opened', 'answered', 'done'] as const;
  for (let start = 0; start < N; start += 5000) {
    const n = Math.min(5000, N - start);
    const ids: string[] = [];
    const cols = { ck: [] as Buffer[], subject: [] as Buffer[], ref: [] as Buffer[], name: [] as Buffer[] };
    const emails: string[] = [];
    const sent: Date[] = [];
    const state: string[] = [];
    for (let j = 0; j < n; j++) {
      const i = start + j;
      const id = randomUUID();
      const k = deps.keyring.newDataKey(contentKeyContext(tenant.id, id));
      ids.push(id);
      cols.ck.push(k.wrapped);
      cols.subject.push(sealText(k.key, `Antrag auf Wohngeld ${String(i)}`, textContext(id, 'subject')));
      cols.ref.push(sealText(k.key, `AZ 50-${String(i)}`, textContext(id, 'reference')));
      cols.name.push(
        sealText(
          k.key,
          i < 3 ? 'Zwetschgenbaum' : `Erika Muster ${String(i)}`,
          textContext(id, 'guest-name'),
        ),
      );
      emails.push(`buerger${String(i)}@example.org`);
      sent.push(new Date(now - 60 * DAY + Math.floor((i * 60 * DAY) / N)));
      state.push(states[i % 4] ?? 'new');
    }
    await db.query(
      `INSERT INTO transfers (tenant_id, id, thread_id, level, status, inbound, to_department_id, content_key, subject, reference,
         file_count, created_at, sent_at, expires_at)
       SELECT $1, x.id, x.id, 1, 'sent', 'dropoff', $2, x.ck, x.subject, x.ref, 1, x.sent, x.sent, $3
       FROM unnest($4::uuid[], $5::bytea[], $6::bytea[], $7::bytea[], $8::timestamptz[]) AS x(id, ck, subject, ref, sent)`,
      [tenant.id, dept.id, new Date(now + 90 * DAY), ids, cols.ck, cols.subject, cols.ref, sent],
    );
    await db.query(
      `INSERT INTO transfer_guests (tenant_id, transfer_id, email, name, locale, verified)
       SELECT $1, x.id, x.email, x.name, 'de', true FROM unnest($2::uuid[], $3::text[], $4::bytea[]) AS x(id, email, name)`,
      [tenant.id, ids, emails, cols.name],
    );
    await db.query(
      `INSERT INTO postbox_items (tenant_id, transfer_id, state) SELECT $1, x.id, x.state FROM unnest($2::uuid[], $3::text[]) AS x(id, state)`,
      [tenant.id, ids, state],
    );
  }
  await db.query('ANALYZE');
  console.log(`seeded ${String(N)} incoming transfers in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // The listing as it was before (the query and the in-server filter of the previous listInbox).
  const before = async (q: string): Promise<number> => {
    const rows = await db.query<{
      id: string;
      content_key: Buffer;
      subject: Buffer;
      reference: Buffer;
      guest_name: Buffer;
      guest_email: string;
    }>(
      `SELECT t.id, t.inbound, t.to_department_id, t.to_staff_id, d.name AS department, t.content_key, t.subject, t.reference,
         g.name AS guest_name, g.email AS guest_email, p.state, p.assigned_staff_id, coalesce(a.display_name, a.email) AS assignee,
         t.sent_at, t.expires_at, t.status, t.file_count, t.e2e,
         (SELECT array_agg(f.scan_status) FROM transfer_files f WHERE f.tenant_id = t.tenant_id AND f.transfer_id = t.id) AS scans
       FROM transfers t
       LEFT JOIN postbox_items p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id
       LEFT JOIN transfer_guests g ON g.tenant_id = t.tenant_id AND g.transfer_id = t.id
       LEFT JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.to_department_id
       LEFT JOIN staff a ON a.tenant_id = t.tenant_id AND a.id = p.assigned_staff_id
       WHERE t.tenant_id = $1 AND t.inbound IS NOT NULL AND t.status <> 'draft'
         AND ((t.to_staff_id IS NOT NULL AND t.to_staff_id = $2) OR (t.to_staff_id IS NULL AND t.to_department_id = ANY($3::uuid[])))
       ORDER BY t.sent_at DESC NULLS LAST LIMIT 1000`,
      [tenant.id, staff.id, [dept.id]],
    );
    let hits = 0;
    for (const r of rows) {
      const key = deps.keyring.unwrap(r.content_key, contentKeyContext(tenant.id, r.id));
      const texts = [
        openText(key, r.subject, textContext(r.id, 'subject')),
        openText(key, r.reference, textContext(r.id, 'reference')),
        openText(key, r.guest_name, textContext(r.id, 'guest-name')),
        r.guest_email,
      ];
      if (q === '' || texts.some((s) => s.toLowerCase().includes(q))) hits++;
    }
    return Math.min(hits, 200);
  };

  const time = async (label: string, fn: () => Promise<unknown>): Promise<void> => {
    await fn();
    const ms: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const s = performance.now();
      await fn();
      ms.push(performance.now() - s);
    }
    const sorted = [...ms].sort((x, y) => x - y);
    console.log(
      `${label.padEnd(72)} median ${median(ms).toFixed(1).padStart(7)} ms  (min ${(sorted[0] ?? 0).toFixed(1)}, max ${(sorted.at(-1) ?? 0).toFixed(1)})`,
    );
  };
  const list = (f: InboxFilter) => () => listInbox(deps, tenant, staff, f);
  const deep = await (async (): Promise<InboxCursor> => {
    const r = await db.query<{ id: string; sent_key: string }>(
      `SELECT t.id, to_char(t.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sent_key FROM transfers t
       WHERE t.tenant_id = $1 ORDER BY t.sent_at DESC, t.id DESC OFFSET $2 LIMIT 1`,
      [tenant.id, Math.floor(N / 2)],
    );
    const row = r[0];
    if (row === undefined) throw new Error('no middle row');
    return { sentAt: row.sent_key, id: row.id };
  })();

  console.log(
    `\nPostgreSQL, ${String(N)} incoming transfers of one department, ${String(ROUNDS)} rounds each after one warm-up:`,
  );
  await time('before: unfiltered (1 000 rows read and decrypted, 200 shown)', () => before(''));
  await time('before: search "zwetschgenbaum" (misses: only the newest 1 000 searched)', () =>
    before('zwetschgenbaum'),
  );
  await time(`after: first page (${String(INBOX_PAGE)})`, list({}));
  await time(
    `after: page in the middle (keyset cursor at ${String(Math.floor(N / 2))})`,
    list({ after: deep }),
  );
  await time('after: state "new"', list({ state: 'new' }));
  await time('after: state "open" (not done)', list({ state: 'open' }));
  await time(
    `after: search "antrag" (matches all: one page of ${String(INBOX_PAGE)})`,
    list({ q: 'antrag' }),
  );
  await time(
    `after: search "buerger${String(N - 10)}@" (one window of ${String(SEARCH_WINDOW)})`,
    list({ q: `buerger${String(N - 10)}@` }),
  );
  await time(
    `after: search "zwetschgenbaum", one request (one window of ${String(SEARCH_WINDOW)})`,
    list({ q: 'zwetschgenbaum' }),
  );

  // The whole way to the oldest match, following "search further".
  const s0 = performance.now();
  let requests = 0;
  let found = 0;
  let after: InboxCursor | undefined;
  for (;;) {
    requests++;
    const page = await listInbox(deps, tenant, staff, { q: 'zwetschgenbaum', after });
    found += page.entries.length;
    if (page.next === null) break;
    after = page.next;
  }
  console.log(
    `after: search "zwetschgenbaum" through the whole postbox: ${String(requests)} requests, ${String(found)} found, ${((performance.now() - s0) / 1000).toFixed(2)} s in all`,
  );

  const plan = await db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS)
     (SELECT t.id, t.sent_at FROM transfers t WHERE t.tenant_id = $1 AND t.inbound IS NOT NULL AND t.status <> 'draft' AND t.to_staff_id = $2
       ORDER BY t.sent_at DESC, t.id DESC LIMIT 51)
     UNION ALL
     (SELECT x.id, x.sent_at FROM unnest($3::uuid[]) AS dep(id) CROSS JOIN LATERAL (
       SELECT t.id, t.sent_at FROM transfers t WHERE t.tenant_id = $1 AND t.inbound IS NOT NULL AND t.status <> 'draft'
         AND t.to_staff_id IS NULL AND t.to_department_id = dep.id ORDER BY t.sent_at DESC, t.id DESC LIMIT 51) x)
     ORDER BY sent_at DESC, id DESC LIMIT 51`,
    [tenant.id, staff.id, [dept.id]],
  );
  console.log(
    `\nEXPLAIN (ANALYZE, BUFFERS) of the page query (first page):\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`,
  );
} finally {
  await db.close();
  await withPg(POSTGRES_ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
}
