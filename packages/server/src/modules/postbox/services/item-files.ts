import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import type { Staff } from '../../staff/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import type { TransferFileView } from '../../transfers/index.ts';
import { recordDownload } from '../../transfers/index.ts';
import type { InboxItem } from '../items.ts';
import { openInboxItem } from '../items.ts';

/**
 * One file of an item the staff member may see, for a download; a download from the start
 * (GET, not HEAD) is on record.
 * @throws {AppError} ERR_NOT_FOUND
 */
export async function itemFileForDownload(
  deps: AppDeps,
  tenant: Tenant,
  staff: Staff,
  id: string,
  fileId: string,
  opts: { audited: boolean; ipPrefix: string | undefined },
): Promise<TransferFileView> {
  const item = await openInboxItem(deps, tenant, staff, id, { record: false });
  const file = item.transfer.files.find((f) => f.id === fileId);
  if (file === undefined) throw new AppError('ERR_NOT_FOUND');
  if (opts.audited) {
    await recordAudit(deps.db, {
      tenantId: tenant.id,
      at: deps.clock.now(),
      actor: { kind: 'staff', id: staff.id },
      action: 'transfer.downloaded',
      subject: { kind: 'transfer', id },
      ipPrefix: opts.ipPrefix,
      details: { file: file.id },
    });
  }
  return file;
}

/** All files of an item for a ZIP download, which is on record. @throws {AppError} ERR_NOT_FOUND */
export async function itemForZip(
  deps: AppDeps,
  tenant: Tenant,
  staff: Staff,
  id: string,
  ipPrefix: string | undefined,
): Promise<InboxItem> {
  const item = await openInboxItem(deps, tenant, staff, id, { record: false });
  await recordDownload(deps, tenant, {
    transferId: id,
    recipientId: null,
    fileId: null,
    ipPrefix,
    actor: { kind: 'staff', id: staff.id },
  });
  return item;
}
