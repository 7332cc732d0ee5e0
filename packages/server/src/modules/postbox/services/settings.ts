import type { FileTypeId } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import type { Staff } from '../../staff/index.ts';
import { updateDropoffSettings } from '../departments.ts';

/**
 * A tenant admin sets whether a department takes drop-offs, its hint and its file types (none
 * chosen: the tenant's). Audited when something changed.
 * @throws {AppError} ERR_NOT_FOUND (no such department)
 */
export async function saveDropoffSettings(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  tenantId: string,
  admin: Staff,
  departmentId: string,
  settings: { dropoffEnabled: boolean; dropoffHint: string | null; allowedTypes: FileTypeId[] },
  ipPrefix: string | undefined,
): Promise<void> {
  const ok = await deps.db.transaction(async (tx) => {
    const changed = await updateDropoffSettings(tx, tenantId, departmentId, {
      dropoffEnabled: settings.dropoffEnabled,
      dropoffHint: settings.dropoffHint,
      allowedTypes: settings.allowedTypes.length === 0 ? null : settings.allowedTypes,
    });
    if (changed)
      await recordAudit(tx, {
        tenantId,
        at: deps.clock.now(),
        actor: { kind: 'staff', id: admin.id },
        action: 'department.dropoff-settings',
        subject: { kind: 'department', id: departmentId },
        ipPrefix,
      });
    return changed;
  });
  if (!ok) throw new AppError('ERR_NOT_FOUND');
}
