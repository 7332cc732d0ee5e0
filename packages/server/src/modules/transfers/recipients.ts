import type { Queryable } from '../../adapters/db/index.ts';
import { hashToken, looksLikeToken } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';
import { recordAudit } from '../audit/index.ts';
import { getStaff } from '../staff/index.ts';
import {
  downloadRows,
  markRecipientOpened,
  recipientById,
  recipientByTokenHash,
  recipientEmail,
  recipientStateRows,
} from './store/recipients.ts';
import type { RecipientRow } from './store/recipients.ts';
import type { TransferRow } from './store/transfer-rows.ts';
import { transferRow } from './store/transfer-rows.ts';
import type { TransferView } from './views.ts';
import { effectiveStatus, toView } from './views.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'keyring'>;

/** A recipient link resolved: which recipient of which transfer, whatever its state. */
export interface RecipientAccess {
  recipientId: string;
  email: string;
  accountId: string | null;
  transfer: TransferRow;
}

function accessOf(r: RecipientRow, transfer: TransferRow): RecipientAccess {
  return { recipientId: r.id, email: r.email, accountId: r.account_id, transfer };
}

/**
 * Resolves a recipient link. Unknown, malformed, ended and other-tenant links all come back
 * undefined, so the caller shows one and the same page for all of them.
 */
export async function resolveRecipientLink(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  token: string,
): Promise<RecipientAccess | undefined> {
  if (!looksLikeToken(token)) return undefined;
  const r = await recipientByTokenHash(deps.db, tenantId, hashToken(token));
  if (r === undefined) return undefined;
  const transfer = await transferRow(deps.db, tenantId, r.transfer_id);
  if (transfer === undefined || effectiveStatus(transfer, deps.clock.now()) !== 'sent') return undefined;
  return accessOf(r, transfer);
}

/** A recipient row resolved by its id (an organisation's postbox has no link), whatever its state. */
export async function recipientAccessById(
  deps: Pick<Deps, 'db'>,
  tenantId: string,
  recipientId: string,
): Promise<RecipientAccess | undefined> {
  const r = await recipientById(deps.db, tenantId, recipientId);
  if (r === undefined) return undefined;
  const transfer = await transferRow(deps.db, tenantId, r.transfer_id);
  return transfer === undefined ? undefined : accessOf(r, transfer);
}

/** The recipient's view of the transfer; marks the first opening (and audits every one). */
export async function openAsRecipient(
  deps: Deps,
  tenantId: string,
  access: RecipientAccess,
  ipPrefix: string | undefined,
): Promise<TransferView> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await markRecipientOpened(tx, tenantId, access.recipientId, now);
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'guest', id: access.recipientId },
      action: 'transfer.opened',
      subject: { kind: 'transfer', id: access.transfer.id },
      ipPrefix,
    });
  });
  return toView(deps, tenantId, access.transfer);
}

export interface RecipientStatus {
  id: string;
  email: string;
  notifiedAt: Date | null;
  firstOpenedAt: Date | null;
  firstDownloadedAt: Date | null;
  downloads: { fileId: string | null; at: Date }[];
}

/** Per recipient: delivered, opened, downloaded (which file, when). */
export async function recipientStatuses(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<RecipientStatus[]> {
  const recipients = await recipientStateRows(q, tenantId, transferId);
  const downloads = await downloadRows(q, tenantId, transferId);
  return recipients.map((r) => ({
    id: r.id,
    email: r.email,
    notifiedAt: r.notified_at,
    firstOpenedAt: r.first_opened_at,
    firstDownloadedAt: r.first_downloaded_at,
    downloads: downloads.filter((d) => d.recipient_id === r.id).map((d) => ({ fileId: d.file_id, at: d.at })),
  }));
}

/** How a staff sender is named to recipients: display name, else the e-mail address. */
export async function staffNameOf(
  q: Queryable,
  tenantId: string,
  staffId: string | null,
): Promise<string | undefined> {
  if (staffId === null) return undefined;
  const staff = await getStaff(q, tenantId, staffId);
  return staff === undefined ? undefined : (staff.displayName ?? staff.email);
}

/** The address a reply came from (the recipient who wrote it). */
export async function recipientEmailOf(
  q: Queryable,
  tenantId: string,
  recipientId: string | null,
): Promise<string | undefined> {
  if (recipientId === null) return undefined;
  return recipientEmail(q, tenantId, recipientId);
}
