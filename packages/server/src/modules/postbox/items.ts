import { toBase64Url } from '@amtsbote/crypto';
import { openText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import type { Staff } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import type { TransferView } from '../transfers/index.ts';
import { contentKeyContext, loadTransferView, textContext } from '../transfers/index.ts';
import { memberDepartmentIds } from './departments.ts';
import { inboundRetrievedMail } from './mails.ts';
import type { InboxEntry } from './service.ts';
import { toEntry } from './service.ts';
import { mayBeAssigned, visibleItemRow } from './store/inbox.ts';
import { assignItem, markItemDone, markItemFirstOpened, reopenItem } from './store/items.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'keyring' | 'mailer' | 'logger'>;

export { markAnswered } from './store/items.ts';

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
  const r = await visibleItemRow(deps.db, tenant.id, staff.id, departments, id);
  if (r === undefined) throw new AppError('ERR_NOT_FOUND');
  const transfer = await loadTransferView(deps, tenant.id, id);
  if (transfer === undefined) throw new AppError('ERR_NOT_FOUND');
  const entry = toEntry(deps, tenant.id, r);
  let firstOpenedAt = r.first_opened_at;
  if (opts.record && entry.status === 'sent') {
    const now = deps.clock.now();
    const first = await deps.db.transaction(async (tx) => {
      const first = await markItemFirstOpened(tx, tenant.id, id, now, staff.id);
      await recordAudit(tx, {
        tenantId: tenant.id,
        at: now,
        actor: { kind: 'staff', id: staff.id },
        action: 'inbound.opened',
        subject: { kind: 'transfer', id },
        ipPrefix: opts.ipPrefix,
      });
      return first;
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
        if (!(await mayBeAssigned(tx, tenant.id, id, change.assignee)))
          throw new AppError('ERR_VALIDATION', { fields: [{ field: 'assignee', code: 'ERR_VALIDATION' }] });
      }
      await assignItem(tx, tenant.id, id, change.assignee);
    }
    if (change.state === 'done') await markItemDone(tx, tenant.id, id, now);
    if (change.state === 'opened') {
      await reopenItem(tx, tenant.id, id);
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
