import { toBase64Url } from '@amtsbote/crypto';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import { openText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Staff } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';
import { contentKeyContext, textContext } from '../transfers/keys.ts';
import type { ScanStatus } from '../transfers/scan-status.ts';
import type { TransferView } from '../transfers/service.ts';
import { effectiveStatus, loadTransferView } from '../transfers/service.ts';
import { memberDepartmentIds } from './departments.ts';
import { inboundRetrievedMail } from './mails.ts';
import { inboundNumber } from './number.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'keyring' | 'mailer' | 'logger'>;

export type ItemState = 'new' | 'opened' | 'answered' | 'done';

/** One row of the department postbox. */
export interface InboxEntry {
  id: string;
  number: string;
  kind: 'dropoff' | 'upload';
  departmentId: string | null;
  department: string;
  subject: string | undefined;
  reference: string | undefined;
  senderName: string | undefined;
  senderEmail: string | undefined;
  state: ItemState;
  assigneeId: string | null;
  assignee: string | null;
  sentAt: Date | null;
  expiresAt: Date;
  status: TransferView['status'];
  fileCount: number;
  /** The files' scan state in one word: pending wins over quarantined over e2e over clean. */
  scan: 'none' | 'pending' | 'clean' | 'quarantined' | 'e2e' | 'unscanned';
  e2e: 'password' | 'department' | null;
  direct: boolean;
}

interface Row {
  id: string;
  inbound: 'dropoff' | 'upload';
  to_department_id: string | null;
  to_staff_id: string | null;
  department: string | null;
  content_key: Buffer | null;
  subject: Buffer | null;
  reference: Buffer | null;
  guest_name: Buffer | null;
  guest_email: string | null;
  state: ItemState | null;
  assigned_staff_id: string | null;
  assignee: string | null;
  sent_at: Date | null;
  expires_at: Date;
  status: 'draft' | 'sent' | 'revoked' | 'expired';
  file_count: number;
  scans: ScanStatus[] | null;
  e2e: 'password' | 'department' | null;
}

const rowSelect = `SELECT t.id, t.inbound, t.to_department_id, t.to_staff_id, d.name AS department, t.content_key, t.subject, t.reference,
    g.name AS guest_name, g.email AS guest_email, p.state, p.assigned_staff_id, coalesce(a.display_name, a.email) AS assignee,
    t.sent_at, t.expires_at, t.status, t.file_count, t.e2e,
    (SELECT array_agg(f.scan_status) FROM transfer_files f WHERE f.tenant_id = t.tenant_id AND f.transfer_id = t.id) AS scans
  FROM transfers t
  LEFT JOIN postbox_items p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id
  LEFT JOIN transfer_guests g ON g.tenant_id = t.tenant_id AND g.transfer_id = t.id
  LEFT JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.to_department_id
  LEFT JOIN staff a ON a.tenant_id = t.tenant_id AND a.id = p.assigned_staff_id`;

/**
 * Who may see an incoming transfer: the caseworker it was addressed to, or — when addressed to
 * the department — its members. The one place this is decided.
 */
const visible = `t.tenant_id = $1 AND t.inbound IS NOT NULL AND t.status <> 'draft'
  AND ((t.to_staff_id IS NOT NULL AND t.to_staff_id = $2) OR (t.to_staff_id IS NULL AND t.to_department_id = ANY($3::uuid[])))`;

function scanSummary(scans: readonly ScanStatus[]): InboxEntry['scan'] {
  if (scans.length === 0) return 'none';
  if (scans.includes('pending')) return 'pending';
  if (scans.includes('infected') || scans.includes('failed')) return 'quarantined';
  if (scans.includes('e2e')) return 'e2e';
  if (scans.includes('unscanned')) return 'unscanned';
  return 'clean';
}

function toEntry(deps: Pick<Deps, 'keyring' | 'clock'>, tenantId: string, r: Row): InboxEntry {
  const status = effectiveStatus(r, deps.clock.now());
  const key =
    r.content_key !== null && status === 'sent'
      ? deps.keyring.unwrap(r.content_key, contentKeyContext(tenantId, r.id))
      : undefined;
  const open = (b: Buffer | null, field: Parameters<typeof textContext>[1]): string | undefined =>
    key === undefined || b === null ? undefined : openText(key, b, textContext(r.id, field));
  return {
    id: r.id,
    number: inboundNumber(r.id),
    kind: r.inbound,
    departmentId: r.to_department_id,
    department: r.department ?? '',
    subject: open(r.subject, 'subject'),
    reference: open(r.reference, 'reference'),
    senderName: open(r.guest_name, 'guest-name'),
    senderEmail: r.guest_email ?? undefined,
    state: r.state ?? 'new',
    assigneeId: r.assigned_staff_id,
    assignee: r.assignee,
    sentAt: r.sent_at,
    expiresAt: r.expires_at,
    status,
    fileCount: r.file_count,
    scan: scanSummary(r.scans ?? []),
    e2e: r.e2e,
    direct: r.to_staff_id !== null,
  };
}

/** Entries per page of the postbox. */
export const INBOX_PAGE = 50;

/**
 * How many items one search request decrypts at most. Names, subjects and file numbers are sealed
 * under each transfer's content key, so no index can look into them: a search walks the postbox
 * newest first, this many items per request, and hands back where it stopped so that "search
 * further" continues there. Every match is found, page by page; no request costs more than this.
 */
export const SEARCH_WINDOW = 500;

/**
 * Where a page ends: the last listed (or, for a search, the last searched) item. The receipt time
 * is kept as PostgreSQL's text with microseconds, as a Date would cut it to milliseconds and make
 * the next page skip items received within the same millisecond.
 */
export interface InboxCursor {
  sentAt: string;
  id: string;
}

export interface InboxFilter {
  departmentId?: string | undefined;
  state?: ItemState | 'open' | undefined;
  q?: string | undefined;
  mine?: boolean | undefined;
  /** Continue after this item (from {@link InboxPage.next}). */
  after?: InboxCursor | undefined;
}

export interface InboxPage {
  entries: InboxEntry[];
  /** Where the next page starts; null when nothing older can match. */
  next: InboxCursor | null;
  /** For a search that stopped at {@link SEARCH_WINDOW}: the receipt time it has looked back to. */
  searchedUntil: Date | null;
}

/** `<receipt time, UTC, microseconds>_<uuid>`: what the page puts into its "more" link. */
export function formatCursor(c: InboxCursor): string {
  return `${c.sentAt}_${c.id}`;
}

export function parseCursor(s: string): InboxCursor | undefined {
  const m =
    /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(
      s,
    );
  if (m?.[1] === undefined || m[2] === undefined || Number.isNaN(Date.parse(m[1]))) return undefined;
  return { sentAt: m[1], id: m[2] };
}

/**
 * The ids of the visible items matching the SQL-side filters, newest first, at most `limit` after
 * the cursor. Two kinds of branch, each walking its own partial index (migration 013) newest first
 * and stopping after `limit` rows — what was addressed to the caseworker personally, and one per
 * department of theirs — merged by a Merge Append: the cost of a page does not grow with the
 * postbox. (An OR over both, or `to_department_id = ANY(...)`, has no index order to walk and made
 * PostgreSQL read and sort the whole postbox for every page.) `sent_at` is set whenever the status
 * is not draft, so the keyset never meets a NULL.
 */
function pageIdsSql(
  tenantId: string,
  staffId: string,
  departments: readonly string[],
  limit: number,
  f: {
    state?: ItemState | undefined;
    open: boolean;
    mine: boolean;
    after?: InboxCursor | undefined;
    department: boolean;
  },
): { sql: string; params: unknown[] } {
  const params: unknown[] = [tenantId, staffId, departments, limit];
  const p = (v: unknown): string => `$${String(params.push(v))}`;
  const where = [`t.tenant_id = $1`, `t.inbound IS NOT NULL`, `t.status <> 'draft'`];
  if (f.state !== undefined) where.push(`coalesce(p.state, 'new') = ${p(f.state)}`);
  if (f.open) where.push(`coalesce(p.state, 'new') <> 'done'`);
  if (f.mine) where.push(`p.assigned_staff_id = $2`);
  if (f.after !== undefined)
    where.push(`(t.sent_at, t.id) < (${p(f.after.sentAt)}::timestamptz, ${p(f.after.id)}::uuid)`);
  const joinItems = f.state !== undefined || f.open || f.mine;
  const from = `FROM transfers t${joinItems ? ' LEFT JOIN postbox_items p ON p.tenant_id = t.tenant_id AND p.transfer_id = t.id' : ''}`;
  const cond = where.join(' AND ');
  const order = `ORDER BY t.sent_at DESC, t.id DESC LIMIT $4`;
  const sql = `(SELECT t.id, t.sent_at ${from}
      WHERE ${cond} AND t.to_staff_id = $2${f.department ? ' AND t.to_department_id = ANY($3::uuid[])' : ''} ${order})
    UNION ALL
    (SELECT x.id, x.sent_at FROM unnest($3::uuid[]) AS dep(id) CROSS JOIN LATERAL (
      SELECT t.id, t.sent_at ${from}
      WHERE ${cond} AND t.to_staff_id IS NULL AND t.to_department_id = dep.id ${order}) x)
    ORDER BY sent_at DESC, id DESC LIMIT $4`;
  return { sql, params };
}

/** The exact receipt time of a page row, for {@link InboxCursor}. */
const sentKey = `to_char(page.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sent_key`;

interface SearchRow {
  id: string;
  sent_at: Date;
  sent_key: string;
  status: Row['status'];
  expires_at: Date;
  content_key: Buffer | null;
  subject: Buffer | null;
  reference: Buffer | null;
  guest_name: Buffer | null;
  guest_email: string | null;
}

function matches(
  deps: Pick<Deps, 'keyring' | 'clock'>,
  tenantId: string,
  r: SearchRow,
  needle: string,
): boolean {
  const has = (v: string | null | undefined): boolean => v?.toLowerCase().includes(needle) === true;
  // The readable fields first: most searches are for an address or a file number.
  if (has(r.guest_email) || has(inboundNumber(r.id))) return true;
  if (r.content_key === null || effectiveStatus(r, deps.clock.now()) !== 'sent') return false;
  const key = deps.keyring.unwrap(r.content_key, contentKeyContext(tenantId, r.id));
  const open = (b: Buffer | null, field: Parameters<typeof textContext>[1]): string | undefined =>
    b === null ? undefined : openText(key, b, textContext(r.id, field));
  return (
    has(open(r.guest_name, 'guest-name')) ||
    has(open(r.reference, 'reference')) ||
    has(open(r.subject, 'subject'))
  );
}

/**
 * The postbox of the caseworker's departments (and what was addressed to them personally),
 * newest first, {@link INBOX_PAGE} at a time; filtered by department, state and assignee in the
 * database, and by a search over name, e-mail, file number, reference and subject that decrypts
 * at most {@link SEARCH_WINDOW} items per request (see there).
 */
export async function listInbox(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenant: Tenant,
  staff: Staff,
  filter: InboxFilter,
): Promise<InboxPage> {
  const member = await memberDepartmentIds(deps.db, tenant.id, staff.id);
  const departments =
    filter.departmentId === undefined ? member : member.filter((d) => d === filter.departmentId);
  const needle = (filter.q ?? '').trim().toLowerCase();
  const searching = needle !== '';
  const state = filter.state === undefined || filter.state === 'open' ? undefined : filter.state;
  const { sql, params } = pageIdsSql(
    tenant.id,
    staff.id,
    departments,
    searching ? SEARCH_WINDOW : INBOX_PAGE + 1,
    {
      state,
      open: filter.state === 'open',
      mine: filter.mine === true,
      after: filter.after,
      department: filter.departmentId !== undefined,
    },
  );
  let ids: string[];
  let next: InboxCursor | null;
  let searchedUntil: Date | null = null;
  if (!searching) {
    const rows = await deps.db.query<{ id: string; sent_key: string }>(
      `WITH page AS (${sql}) SELECT page.id, ${sentKey} FROM page ORDER BY page.sent_at DESC, page.id DESC`,
      params,
    );
    const listed = rows.slice(0, INBOX_PAGE);
    const last = listed.at(-1);
    ids = listed.map((r) => r.id);
    next = rows.length > INBOX_PAGE && last !== undefined ? { sentAt: last.sent_key, id: last.id } : null;
  } else {
    const rows = await deps.db.query<SearchRow>(
      `WITH page AS (${sql})
       SELECT t.id, page.sent_at, ${sentKey}, t.status, t.expires_at, t.content_key, t.subject, t.reference, g.name AS guest_name, g.email AS guest_email
       FROM page JOIN transfers t ON t.tenant_id = $1 AND t.id = page.id
       LEFT JOIN transfer_guests g ON g.tenant_id = t.tenant_id AND g.transfer_id = t.id
       ORDER BY page.sent_at DESC, page.id DESC`,
      params,
    );
    const found: SearchRow[] = [];
    let stoppedAt: SearchRow | undefined;
    for (const r of rows) {
      if (!matches(deps, tenant.id, r, needle)) continue;
      if (found.length === INBOX_PAGE) {
        stoppedAt = found.at(-1);
        break;
      }
      found.push(r);
    }
    ids = found.map((r) => r.id);
    const last = stoppedAt ?? (rows.length === SEARCH_WINDOW ? rows.at(-1) : undefined);
    next = last === undefined ? null : { sentAt: last.sent_key, id: last.id };
    if (stoppedAt === undefined && last !== undefined) searchedUntil = last.sent_at;
  }
  if (ids.length === 0) return { entries: [], next, searchedUntil };
  const rows = await deps.db.query<Row>(
    `${rowSelect} WHERE t.tenant_id = $1 AND t.id = ANY($2::uuid[]) ORDER BY t.sent_at DESC, t.id DESC`,
    [tenant.id, ids],
  );
  return { entries: rows.map((r) => toEntry(deps, tenant.id, r)), next, searchedUntil };
}

export interface InboxItem {
  entry: InboxEntry;
  transfer: TransferView;
  guest: {
    name: string | undefined;
    email: string | undefined;
    phone: string | undefined;
    verified: boolean;
    addressedTo: string | null;
  };
  envelope: string | null;
  e2eMessage: boolean;
  uploadLinkId: string | null;
  firstOpenedAt: Date | null;
  answeredAt: Date | null;
}

/**
 * One incoming transfer for someone who may see it; the first opening by staff is recorded and,
 * when the sender asked for it, mailed to them.
 * @throws {AppError} ERR_NOT_FOUND for anyone else, exactly as for a missing one.
 */
export async function openInboxItem(
  deps: Deps,
  tenant: Tenant,
  staff: Staff,
  id: string,
  opts: { record: boolean; ipPrefix?: string | undefined } = { record: true },
): Promise<InboxItem> {
  const departments = await memberDepartmentIds(deps.db, tenant.id, staff.id);
  const r = await one<
    Row & {
      phone: Buffer | null;
      verified: boolean | null;
      addressed_to: string | null;
      e2e_envelope: Buffer | null;
      e2e_message: boolean;
      upload_link_id: string | null;
      first_opened_at: Date | null;
      answered_at: Date | null;
      notify: boolean;
      guest_locale: 'de' | 'en' | null;
    }
  >(
    deps.db,
    `${rowSelect.replace('SELECT t.id,', `SELECT g.phone, g.verified, g.addressed_to, g.locale AS guest_locale, t.e2e_envelope, t.e2e_message, t.upload_link_id, p.first_opened_at, p.answered_at, t.notify_on_download AS notify, t.id,`)}
     WHERE ${visible} AND t.id = $4`,
    [tenant.id, staff.id, departments, id],
  );
  if (r === undefined) throw new AppError('ERR_NOT_FOUND');
  const transfer = await loadTransferView(deps, tenant.id, id);
  if (transfer === undefined) throw new AppError('ERR_NOT_FOUND');
  const entry = toEntry(deps, tenant.id, r);
  let firstOpenedAt = r.first_opened_at;
  if (opts.record && entry.status === 'sent') {
    const now = deps.clock.now();
    const first = await deps.db.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE postbox_items SET first_opened_at = $3, first_opened_by = $4, state = CASE WHEN state = 'new' THEN 'opened' ELSE state END
         WHERE tenant_id = $1 AND transfer_id = $2 AND first_opened_at IS NULL RETURNING transfer_id`,
        [tenant.id, id, now, staff.id],
      );
      await recordAudit(tx, {
        tenantId: tenant.id,
        at: now,
        actor: { kind: 'staff', id: staff.id },
        action: 'inbound.opened',
        subject: { kind: 'transfer', id },
        ipPrefix: opts.ipPrefix,
      });
      return rows.length > 0;
    });
    if (first) {
      firstOpenedAt = now;
      if (entry.state === 'new') entry.state = 'opened';
      if (r.notify && r.guest_email !== null) {
        await deps.mailer
          .send(
            inboundRetrievedMail(r.guest_email, r.guest_locale ?? tenant.settings.defaultLocale ?? 'de', {
              department: entry.direct ? tenant.name : entry.department,
              tenantName: tenant.name,
              number: entry.number,
            }),
          )
          .catch((err: unknown) => {
            deps.logger.warn({ err, transfer: id }, 'retrieval notice not sent');
          });
      }
    }
  }
  const key =
    r.content_key !== null && entry.status === 'sent'
      ? deps.keyring.unwrap(r.content_key, contentKeyContext(tenant.id, id))
      : undefined;
  return {
    entry,
    transfer,
    guest: {
      name: entry.senderName,
      email: entry.senderEmail,
      phone:
        key === undefined || r.phone === null
          ? undefined
          : openText(key, r.phone, textContext(id, 'guest-phone')),
      verified: r.verified === true,
      addressedTo: r.addressed_to,
    },
    envelope: r.e2e_envelope === null ? null : toBase64Url(r.e2e_envelope),
    e2eMessage: r.e2e_message,
    uploadLinkId: r.upload_link_id,
    firstOpenedAt,
    answeredAt: r.answered_at,
  };
}

/** Sets the state (done / back to open) or the assignee of an item the staff member may see. */
export async function updateItem(
  deps: Deps,
  tenant: Tenant,
  staff: Staff,
  id: string,
  change: { state?: 'done' | 'opened'; assignee?: string | null },
  ipPrefix: string | undefined,
): Promise<void> {
  await openInboxItem(deps, tenant, staff, id, { record: false });
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    if (change.assignee !== undefined) {
      if (change.assignee !== null) {
        const ok = await one(
          tx,
          `SELECT 1 FROM transfers t JOIN department_members m ON m.tenant_id = t.tenant_id AND m.department_id = t.to_department_id
           JOIN staff s ON s.tenant_id = m.tenant_id AND s.id = m.staff_id AND s.status = 'active'
           WHERE t.tenant_id = $1 AND t.id = $2 AND m.staff_id = $3`,
          [tenant.id, id, change.assignee],
        );
        if (ok === undefined)
          throw new AppError('ERR_VALIDATION', { fields: [{ field: 'assignee', code: 'ERR_VALIDATION' }] });
      }
      await tx.query(
        `UPDATE postbox_items SET assigned_staff_id = $3 WHERE tenant_id = $1 AND transfer_id = $2`,
        [tenant.id, id, change.assignee],
      );
    }
    if (change.state === 'done')
      await tx.query(
        `UPDATE postbox_items SET state = 'done', done_at = $3 WHERE tenant_id = $1 AND transfer_id = $2`,
        [tenant.id, id, now],
      );
    if (change.state === 'opened') {
      await tx.query(
        `UPDATE postbox_items SET state = CASE WHEN answered_at IS NULL THEN 'opened' ELSE 'answered' END, done_at = NULL WHERE tenant_id = $1 AND transfer_id = $2`,
        [tenant.id, id],
      );
    }
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor: { kind: 'staff', id: staff.id },
      action:
        change.state === 'done'
          ? 'inbound.done'
          : change.state === 'opened'
            ? 'inbound.reopened'
            : 'inbound.assigned',
      subject: { kind: 'transfer', id },
      ipPrefix,
    });
  });
}

/** After an answer went out: the item counts as answered (unless already done). */
export async function markAnswered(q: Queryable, tenantId: string, id: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE postbox_items SET answered_at = $3, state = CASE WHEN state = 'done' THEN 'done' ELSE 'answered' END WHERE tenant_id = $1 AND transfer_id = $2`,
    [tenantId, id, at],
  );
}
