import { isUniqueViolation } from '../../../adapters/db/index.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import type { OidcIdentity } from '../../auth/index.ts';
import type { Account } from '../service.ts';
import { accountForVerifiedEmail, findAccountByEmail, getAccount } from '../service.ts';
import { touchAccount } from '../store/accounts.ts';
import { lockWaysBesideIdentity } from '../store/credentials.ts';
import {
  deleteIdentityRow,
  identityLinkedTo,
  insertIdentity,
  linkedAccountOf,
  noteIdentitySignIn,
} from '../store/identities.ts';

/**
 * Service accounts linked to identities at an OpenID provider (BundID via a broker). The link is
 * the issuer's subject — never the e-mail address, which the person may change at either end —
 * and the trust level (`acr`) of the last sign-in is kept with it.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

/**
 * The account a provider identity signs in to. A linked identity opens its account. A first
 * sign-in creates an account when the provider vouches for an address nobody here uses yet; an
 * address that already has an account is not taken over (its holder signs in and connects).
 * @returns undefined when the provider vouched for no address: the person proves one by mailed
 *   code first (oidc-email.ts).
 * @throws {AppError} ERR_IDENTITY_LINKED
 */
export async function accountForIdentity(
  deps: Deps,
  input: { tenantId: string; identity: OidcIdentity; locale: 'de' | 'en'; ipPrefix: string | undefined },
): Promise<{ account: Account; created: boolean } | undefined> {
  const { identity } = input;
  const now = deps.clock.now();
  const linked = await linkedAccountOf(deps.db, input.tenantId, identity);
  if (linked !== undefined) {
    await noteIdentitySignIn(deps.db, input.tenantId, { ...identity, acr: identity.acr ?? null }, now);
    await touchAccount(deps.db, input.tenantId, linked, now);
    const account = await getAccount(deps.db, input.tenantId, linked);
    if (account === undefined) throw new AppError('ERR_OIDC_STATE');
    return { account, created: false };
  }
  const email = identity.emailVerified ? identity.email : undefined;
  if (email === undefined) return undefined;
  if ((await findAccountByEmail(deps.db, input.tenantId, email)) !== undefined)
    throw new AppError('ERR_IDENTITY_LINKED');
  return accountWithIdentity(deps, { ...input, email, takeExisting: false });
}

/**
 * Creates the account of a verified address and links the identity to it, or, with
 * `takeExisting`, links the identity to the account that already has the address (the caller
 * made sure the person controls it). The audit events are those of the other paths:
 * `account.created` (via oidc) for a new account, `account.identity_linked` for an existing one.
 * @throws {AppError} ERR_IDENTITY_LINKED when the identity or the address is taken meanwhile.
 */
export async function accountWithIdentity(
  deps: Deps,
  input: {
    tenantId: string;
    identity: OidcIdentity;
    email: string;
    locale: 'de' | 'en';
    ipPrefix: string | undefined;
    takeExisting: boolean;
  },
): Promise<{ account: Account; created: boolean }> {
  const { identity } = input;
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const { account, created } = await accountForVerifiedEmail(
        tx,
        deps,
        input.tenantId,
        input.email,
        input.locale,
        identity.name,
      );
      if (!created && !input.takeExisting) throw new AppError('ERR_IDENTITY_LINKED');
      await insertIdentity(tx, {
        tenantId: input.tenantId,
        id: deps.secrets.id(),
        accountId: account.id,
        issuer: identity.issuer,
        subject: identity.subject,
        acr: identity.acr ?? null,
        at: now,
      });
      await recordAudit(tx, {
        tenantId: input.tenantId,
        at: now,
        actor: { kind: 'account', id: account.id },
        action: created ? 'account.created' : 'account.identity_linked',
        subject: { kind: 'account', id: account.id },
        ipPrefix: input.ipPrefix,
        ...(created ? { details: { via: 'oidc' } } : {}),
      });
      return { account, created };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('ERR_IDENTITY_LINKED', { cause: err });
    throw err;
  }
}

/**
 * Connects a provider identity to the signed-in account.
 * @throws {AppError} ERR_IDENTITY_LINKED when another account (or this one, for this issuer) has it.
 */
export async function linkIdentity(
  deps: Deps,
  input: { tenantId: string; accountId: string; identity: OidcIdentity; ipPrefix: string | undefined },
): Promise<void> {
  const now = deps.clock.now();
  try {
    await deps.db.transaction(async (tx) => {
      const acr = input.identity.acr ?? null;
      const existing = await linkedAccountOf(tx, input.tenantId, input.identity);
      if (existing !== undefined) {
        if (existing !== input.accountId) throw new AppError('ERR_IDENTITY_LINKED');
        await noteIdentitySignIn(tx, input.tenantId, { ...input.identity, acr }, now);
        return;
      }
      await insertIdentity(tx, {
        tenantId: input.tenantId,
        id: deps.secrets.id(),
        accountId: input.accountId,
        issuer: input.identity.issuer,
        subject: input.identity.subject,
        acr,
        at: now,
      });
      await recordAudit(tx, {
        tenantId: input.tenantId,
        at: now,
        actor: { kind: 'account', id: input.accountId },
        action: 'account.identity_linked',
        subject: { kind: 'account', id: input.accountId },
        ipPrefix: input.ipPrefix,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('ERR_IDENTITY_LINKED', { cause: err });
    throw err;
  }
}

/** Whether this provider identity is the one linked to the account (re-authentication). */
export async function identityBelongsTo(
  deps: Pick<Deps, 'db'>,
  tenantId: string,
  accountId: string,
  identity: OidcIdentity,
): Promise<boolean> {
  return identityLinkedTo(deps.db, tenantId, accountId, identity);
}

/**
 * Disconnects an identity. The last way to sign in cannot go: an account without password or
 * passkey keeps its only identity.
 */
export async function unlinkIdentity(
  deps: Deps,
  input: { tenantId: string; accountId: string; identityId: string; ipPrefix: string | undefined },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const otherWays = await lockWaysBesideIdentity(tx, input.tenantId, input.accountId);
    if (otherWays === undefined) throw new AppError('ERR_NOT_FOUND');
    if (!otherWays)
      throw new AppError('ERR_VALIDATION', { fields: [{ field: 'identity', code: 'ERR_VALIDATION' }] });
    if (!(await deleteIdentityRow(tx, input.tenantId, input.accountId, input.identityId)))
      throw new AppError('ERR_NOT_FOUND');
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'account', id: input.accountId },
      action: 'account.identity_unlinked',
      subject: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
    });
  });
}
