import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { deleteAccountSessionByHandle, deleteOtherAccountSessions } from '../../auth/index.ts';

// The account's signed-in devices (the sessions are auth's; these are the account's use cases).

/**
 * Signs one of the account's devices out, by the handle the sessions page shows.
 * @returns whether it was the device asking (then its cookie is worthless now)
 * @throws {AppError} ERR_NOT_FOUND when the account has no session with that handle
 */
export async function revokeSession(
  deps: Pick<AppDeps, 'db'>,
  input: { tenantId: string; accountId: string; handle: Buffer; currentSession: Buffer },
): Promise<{ wasCurrent: boolean }> {
  const gone = await deleteAccountSessionByHandle(deps.db, input.tenantId, input.accountId, input.handle);
  if (gone.length === 0) throw new AppError('ERR_NOT_FOUND');
  return { wasCurrent: gone.some((idHash) => Buffer.from(idHash).equals(input.currentSession)) };
}

/** Signs every device of the account out except the one asking. */
export async function revokeOtherSessions(
  deps: Pick<AppDeps, 'db'>,
  input: { tenantId: string; accountId: string; currentSession: Buffer },
): Promise<void> {
  await deleteOtherAccountSessions(deps.db, input.tenantId, input.accountId, input.currentSession);
}
