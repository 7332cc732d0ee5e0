import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import type { OidcIdentity } from '../../auth/index.ts';
import { identityBelongsTo } from './identities.ts';
import type { RelyingParty } from './passkeys.ts';
import { finishAuthentication } from './passkeys.ts';
import { markReauthenticated } from '../service.ts';

// "Confirm it is you" before a destructive step, by passkey or identity service: a right answer
// marks the session freshly proven (the password way is in reauth.ts).

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

/**
 * Checks a passkey of the signed-in account against the session's reauth challenge.
 * @throws {AppError} ERR_PASSKEY_INVALID, also for a passkey of another account
 */
export async function confirmWithPasskey(
  deps: Deps,
  input: {
    tenantId: string;
    accountId: string;
    rp: RelyingParty;
    sessionHash: Buffer;
    response: AuthenticationResponseJSON;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  const who = await finishAuthentication(deps, {
    tenantId: input.tenantId,
    purpose: 'reauth',
    rp: input.rp,
    sessionHash: input.sessionHash,
    response: input.response,
    ipPrefix: input.ipPrefix,
  });
  if (who.id !== input.accountId) throw new AppError('ERR_PASSKEY_INVALID');
  await markReauthenticated(deps, input.sessionHash);
}

/**
 * Checks that the identity the provider just confirmed is the one linked to the account.
 * @throws {AppError} ERR_OIDC_STATE when it is not
 */
export async function confirmWithIdentity(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { tenantId: string; accountId: string; sessionHash: Buffer; identity: OidcIdentity },
): Promise<void> {
  if (!(await identityBelongsTo(deps, input.tenantId, input.accountId, input.identity)))
    throw new AppError('ERR_OIDC_STATE');
  await markReauthenticated(deps, input.sessionHash);
}
