import { openText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import type { Staff } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import type { ScanStatus, TransferView } from '../transfers/index.ts';
import { contentKeyContext, effectiveStatus, textContext } from '../transfers/index.ts';
import { memberDepartmentIds } from './departments.ts';
import { inboundNumber } from './number.ts';
import type { InboxCursor, InboxRow, ItemState, PageQuery, SearchRow } from './store/inbox.ts';
import { inboxPageIds, inboxRows, inboxSearchWindow } from './store/inbox.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'keyring'>;

export type { InboxCursor, ItemState };

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

function scanSummary(scans: readonly ScanStatus[]): InboxEntry['scan'] {
  if (scans.length === 0) return 'none';
  if (scans.includes('pending')) return 'pending';
  if (scans.includes('infected') || scans.includes('failed')) return 'quarantined';
  if (scans.includes('e2e')) return 'e2e';
  if (scans.includes('unscanned')) return 'unscanned';
  return 'clean';
}

export function toEntry(deps: Pick<Deps, 'keyring' | 'clock'>, tenantId: string, r: InboxRow): InboxEntry {
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
  const page: PageQuery = {
    tenantId: tenant.id,
    staffId: staff.id,
    departments,
    limit: searching ? SEARCH_WINDOW : INBOX_PAGE + 1,
    state,
    open: filter.state === 'open',
    mine: filter.mine === true,
    after: filter.after,
    department: filter.departmentId !== undefined,
  };
  let ids: string[];
  let next: InboxCursor | null;
  let searchedUntil: Date | null = null;
  if (!searching) {
    const rows = await inboxPageIds(deps.db, page);
    const listed = rows.slice(0, INBOX_PAGE);
    const last = listed.at(-1);
    ids = listed.map((r) => r.id);
    next = rows.length > INBOX_PAGE && last !== undefined ? { sentAt: last.sent_key, id: last.id } : null;
  } else {
    const rows = await inboxSearchWindow(deps.db, page);
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
  const rows = await inboxRows(deps.db, tenant.id, ids);
  return { entries: rows.map((r) => toEntry(deps, tenant.id, r)), next, searchedUntil };
}
