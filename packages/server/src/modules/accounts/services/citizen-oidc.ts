import type { Locale } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import type { OidcIdentity } from '../../auth/index.ts';
import { confirmWithIdentity } from './confirm-identity.ts';
import { accountForIdentity, linkIdentity } from './identities.ts';
import { holdIdentity } from './oidc-email.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

/** What a citizen's return from the identity service came to; the callback answers by it. */
export type CitizenOidcOutcome =
  /** Sign the browser in to this account. */
  | { kind: 'sign-in'; accountId: string }
  /** The provider vouched for no address: the identity waits for this session (oidc-email.ts). */
  | { kind: 'awaiting-email' }
  | { kind: 'linked' }
  /** The session is freshly proven (before a destructive step). */
  | { kind: 'confirmed' };

/**
 * The citizen's side of the OpenID callback, by the purpose the sign-in was started for: signing
 * in (or creating the account), linking the identity to the signed-in account, or confirming it
 * is the account's holder. Linking and confirming need the account that started it.
 * @param session the browser's session: its hash and the account signed in to it, if any
 * @throws {AppError} ERR_OIDC_STATE, ERR_IDENTITY_LINKED
 */
export async function completeCitizenOidc(
  deps: Deps,
  input: {
    tenantId: string;
    purpose: 'citizen' | 'link' | 'reauth';
    /** The account that started a link or confirmation. */
    startedBy: string | null;
    /** Where to go afterwards (already checked to be a path of this portal). */
    next: string | null;
    identity: OidcIdentity;
    session: { idHash: Buffer; accountId: string | undefined } | undefined;
    locale: Locale;
    ipPrefix: string | undefined;
  },
): Promise<CitizenOidcOutcome> {
  const { identity } = input;
  if (input.purpose === 'citizen') {
    const found = await accountForIdentity(deps, {
      tenantId: input.tenantId,
      identity,
      locale: input.locale,
      ipPrefix: input.ipPrefix,
    });
    if (found !== undefined) return { kind: 'sign-in', accountId: found.account.id };
    if (input.session === undefined) throw new AppError('ERR_OIDC_STATE');
    await holdIdentity(deps, {
      tenantId: input.tenantId,
      sessionHash: input.session.idHash,
      identity,
      next: input.next,
    });
    return { kind: 'awaiting-email' };
  }
  const accountId = input.session?.accountId;
  if (input.session === undefined || accountId === undefined || accountId !== input.startedBy)
    throw new AppError('ERR_OIDC_STATE');
  if (input.purpose === 'link') {
    await linkIdentity(deps, { tenantId: input.tenantId, accountId, identity, ipPrefix: input.ipPrefix });
    return { kind: 'linked' };
  }
  await confirmWithIdentity(deps, {
    tenantId: input.tenantId,
    accountId,
    sessionHash: input.session.idHash,
    identity,
  });
  return { kind: 'confirmed' };
}
