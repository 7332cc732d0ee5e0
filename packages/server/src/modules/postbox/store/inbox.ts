import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { ScanStatus } from '../../transfers/index.ts';

// The department postbox's reads: incoming transfers with their handling. The postbox is a view
// over `transfers` (owner: transfers) and `postbox_items`; listing it walks transfers' indexes
// (migration 013) and reads their guests, files, departments and assignees in the same
// statements, as a query per row would make every page cost as much as the postbox is long.

export type ItemState = 'new' | 'opened' | 'answered' | 'done';

export interface InboxRow {
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
  -- reads transfers, transfer_guests, transfer_files (owner: transfers), departments (owner: tenants), staff (owner: staff): one row per item, not a query per row
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

/**
 * Where a page ends: the last listed (or, for a search, the last searched) item. The receipt time
 * is kept as PostgreSQL's text with microseconds, as a Date would cut it to milliseconds and make
 * the next page skip items received within the same millisecond.
 */
export interface InboxCursor {
  sentAt: string;
  id: string;
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
      -- reads transfers (owner: transfers): the page walks transfers' own indexes (migration 013)
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

export interface SearchRow {
  id: string;
  sent_at: Date;
  sent_key: string;
  status: InboxRow['status'];
  expires_at: Date;
  content_key: Buffer | null;
  subject: Buffer | null;
  reference: Buffer | null;
  guest_name: Buffer | null;
  guest_email: string | null;
}

/** What narrows a page in the database (the search narrows it further, after decryption). */
export interface PageQuery {
  tenantId: string;
  staffId: string;
  departments: readonly string[];
  limit: number;
  state?: ItemState | undefined;
  open: boolean;
  mine: boolean;
  after?: InboxCursor | undefined;
  department: boolean;
}

function pageIds(p: PageQuery): { sql: string; params: unknown[] } {
  return pageIdsSql(p.tenantId, p.staffId, p.departments, p.limit, p);
}

/** The ids of one page, newest first, with their exact receipt times. */
export async function inboxPageIds(q: Queryable, p: PageQuery): Promise<{ id: string; sent_key: string }[]> {
  const { sql, params } = pageIds(p);
  return q.query<{ id: string; sent_key: string }>(
    `WITH page AS (${sql}) SELECT page.id, ${sentKey} FROM page ORDER BY page.sent_at DESC, page.id DESC`,
    params,
  );
}

/** One search window, newest first, with what a search looks into. */
export async function inboxSearchWindow(q: Queryable, p: PageQuery): Promise<SearchRow[]> {
  const { sql, params } = pageIds(p);
  return q.query<SearchRow>(
    `WITH page AS (${sql})
     SELECT t.id, page.sent_at, ${sentKey}, t.status, t.expires_at, t.content_key, t.subject, t.reference, g.name AS guest_name, g.email AS guest_email
     FROM page JOIN transfers t ON t.tenant_id = $1 AND t.id = page.id
     -- reads transfers, transfer_guests (owner: transfers): what a search looks into, for the whole window at once
     LEFT JOIN transfer_guests g ON g.tenant_id = t.tenant_id AND g.transfer_id = t.id
     ORDER BY page.sent_at DESC, page.id DESC`,
    params,
  );
}

/** The listed items' rows, newest first. */
export async function inboxRows(q: Queryable, tenantId: string, ids: readonly string[]): Promise<InboxRow[]> {
  return q.query<InboxRow>(
    `${rowSelect} WHERE t.tenant_id = $1 AND t.id = ANY($2::uuid[]) ORDER BY t.sent_at DESC, t.id DESC`,
    [tenantId, ids],
  );
}

/** One item as its page shows it. */
export type ItemRow = InboxRow & {
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
};

/** One item, if the staff member (member of `departments`) may see it. */
export async function visibleItemRow(
  q: Queryable,
  tenantId: string,
  staffId: string,
  departments: readonly string[],
  id: string,
): Promise<ItemRow | undefined> {
  return one<ItemRow>(
    q,
    `${rowSelect.replace('SELECT t.id,', `SELECT g.phone, g.verified, g.addressed_to, g.locale AS guest_locale, t.e2e_envelope, t.e2e_message, t.upload_link_id, p.first_opened_at, p.answered_at, t.notify_on_download AS notify, t.id,`)}
     WHERE ${visible} AND t.id = $4`,
    [tenantId, staffId, departments, id],
  );
}

/** Whether `staffId` is an active member of the department the item was sent to. */
export async function mayBeAssigned(
  q: Queryable,
  tenantId: string,
  id: string,
  staffId: string,
): Promise<boolean> {
  const ok = await one(
    q,
    `SELECT 1 FROM transfers t JOIN department_members m ON m.tenant_id = t.tenant_id AND m.department_id = t.to_department_id
     JOIN staff s ON s.tenant_id = m.tenant_id AND s.id = m.staff_id AND s.status = 'active'
     -- reads transfers (owner: transfers), department_members and staff (owner: staff): one check in one query
     WHERE t.tenant_id = $1 AND t.id = $2 AND m.staff_id = $3`,
    [tenantId, id, staffId],
  );
  return ok !== undefined;
}
