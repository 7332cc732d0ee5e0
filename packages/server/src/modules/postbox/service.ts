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

/** How many recent items the search looks through (content is encrypted, so it is searched here). */
export const SEARCH_WINDOW = 1000;

/**
 * The postbox of the caseworker's departments (and what was addressed to them personally),
 * newest first; filtered by department, state and a search over name, e-mail, file number and
 * subject. Subjects, names and file numbers are encrypted at rest, so the search runs over the
 * most recent {@link SEARCH_WINDOW} items after decryption.
 */
export async function listInbox(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenant: Tenant,
  staff: Staff,
  filter: {
    departmentId?: string | undefined;
    state?: ItemState | 'open' | undefined;
    q?: string | undefined;
    mine?: boolean | undefined;
  },
): Promise<InboxEntry[]> {
  const departments = await memberDepartmentIds(deps.db, tenant.id, staff.id);
  const rows = await deps.db.query<Row>(
    `${rowSelect} WHERE ${visible} ORDER BY t.sent_at DESC NULLS LAST LIMIT ${SEARCH_WINDOW}`,
    [tenant.id, staff.id, departments],
  );
  const needle = (filter.q ?? '').trim().toLowerCase();
  return rows
    .map((r) => toEntry(deps, tenant.id, r))
    .filter((e) => filter.departmentId === undefined || e.departmentId === filter.departmentId)
    .filter(
      (e) =>
        filter.state === undefined ||
        (filter.state === 'open' ? e.state !== 'done' : e.state === filter.state),
    )
    .filter((e) => filter.mine !== true || e.assigneeId === staff.id)
    .filter(
      (e) =>
        needle === '' ||
        [e.senderName, e.senderEmail, e.reference, e.subject, e.number].some(
          (v) => v?.toLowerCase().includes(needle) === true,
        ),
    )
    .slice(0, 200);
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
