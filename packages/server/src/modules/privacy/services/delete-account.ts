import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import type { Tenant } from '../../tenants/index.ts';
import { eraseServiceAccount } from '../erase.ts';
import type { LaterErasure } from '../erasure-steps.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'logger'>;

/**
 * Deletes a service account for good at its holder's request: the one erasure every path uses
 * (self-service, admin request, inactivity), so nothing of the account is left behind — it
 * leaves every organisation (each gets a notice), its sessions, passkeys, codes, identity links,
 * unsent drafts and notices go, and transfers it received keep only the address. Refused while
 * it is the last administrator of an organisation (Amt24: appoint another administrator first,
 * or delete the organisation). The caller has made sure the holder proved who they are just now.
 * @throws {AppError} ERR_ORG_LAST_ADMIN, ERR_NOT_FOUND
 */
export async function deleteAccount(
  deps: Deps,
  input: { tenant: Tenant; accountId: string; ipPrefix: string | undefined } & LaterErasure,
): Promise<void> {
  const deleted = await deps.db.transaction((tx) =>
    eraseServiceAccount(tx, deps, {
      tenant: input.tenant,
      accountId: input.accountId,
      reason: 'self-service',
      actor: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
      enforceLastAdmin: true,
      alsoErase: input.alsoErase,
    }),
  );
  if (!deleted) throw new AppError('ERR_NOT_FOUND');
}
