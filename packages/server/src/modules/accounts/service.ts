import type { Queryable } from '../../adapters/db/index.ts';
import { isUniqueViolation } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { checkPassword, hashPassword, markSessionReauthenticated } from '../auth/index.ts';
import { normaliseEmail } from '../staff/index.ts';
import { checkNewPassword } from './password-policy.ts';
import { deleteResetLinks } from './store/account-links.ts';
import type { Account } from './store/accounts.ts';
import {
  accountByEmail,
  accountById,
  insertAccountIfNew,
  lockAccountEmail,
  setAccountEmail,
  setDisplayName,
  touchAccountByEmail,
} from './store/accounts.ts';
import { hasPasswordOrPasskey, passwordOf, storePasswordHash } from './store/credentials.ts';
import type { AccountOverview } from './store/overview.ts';
import { accountOverviewOf } from './store/overview.ts';

export type { Account } from './store/accounts.ts';
export type { AccountOverview } from './store/overview.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

export async function getAccount(q: Queryable, tenantId: string, id: string): Promise<Account | undefined> {
  return accountById(q, tenantId, id);
}

export async function findAccountByEmail(
  q: Queryable,
  tenantId: string,
  email: string,
): Promise<Account | undefined> {
  return accountByEmail(q, tenantId, normaliseEmail(email));
}

/**
 * The account of a just-verified address, created on first use. Called only after the address
 * was proven by a mailed code, so an account never exists for an address nobody controls.
 */
export async function accountForVerifiedEmail(
  q: Queryable,
  deps: Pick<AppDeps, 'clock' | 'secrets'>,
  tenantId: string,
  email: string,
  locale: 'de' | 'en',
  displayName?: string | null,
): Promise<{ account: Account; created: boolean }> {
  const now = deps.clock.now();
  const address = normaliseEmail(email);
  const name =
    displayName === undefined || displayName === null || displayName.trim() === ''
      ? null
      : displayName.trim().slice(0, 200);
  const inserted = await insertAccountIfNew(q, {
    tenantId,
    id: deps.secrets.id(),
    email: address,
    displayName: name,
    locale,
    at: now,
  });
  if (inserted !== undefined) return { account: inserted, created: true };
  const existing = await touchAccountByEmail(q, tenantId, address, now);
  if (existing === undefined) throw new Error('account vanished between insert and update');
  return { account: existing, created: false };
}

/**
 * Whether the account has a way to sign in of its own (a password or a passkey). An account
 * without one was made by a level-2 code or an identity service; a mailed code may then sign in.
 */
export async function hasFirstFactor(q: Queryable, tenantId: string, accountId: string): Promise<boolean> {
  return hasPasswordOrPasskey(q, tenantId, accountId);
}

export async function accountOverview(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<AccountOverview | undefined> {
  return accountOverviewOf(q, tenantId, accountId);
}

/**
 * Sets or changes the password. Changing one needs the current one; setting the first one
 * (an account made by code, passkey or identity service) does not.
 * @throws {AppError} ERR_INVALID_CREDENTIALS (current password wrong), ERR_WEAK_PASSWORD,
 *   ERR_PASSWORD_MISMATCH, ERR_COMMON_PASSWORD.
 */
export async function setPassword(
  deps: Deps,
  input: {
    tenantId: string;
    accountId: string;
    current: string;
    password: string;
    confirm: string;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  const row = await passwordOf(deps.db, input.tenantId, input.accountId);
  if (row === undefined) throw new AppError('ERR_NOT_FOUND');
  if (row.passwordHash !== null && !(await checkPassword(row.passwordHash, input.current))) {
    throw new AppError('ERR_INVALID_CREDENTIALS', {
      fields: [{ field: 'current', code: 'ERR_INVALID_CREDENTIALS' }],
    });
  }
  checkNewPassword(input.password, input.confirm, { email: row.email });
  const hash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await storePasswordHash(tx, { tenantId: input.tenantId, accountId: input.accountId, hash, at: now });
    await deleteResetLinks(tx, input.tenantId, input.accountId, 'all');
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.accountId },
      action: row.passwordHash === null ? 'account.password_set' : 'account.password_changed',
      subject: { kind: 'account', id: input.accountId },
      ipPrefix: input.ipPrefix,
    });
  });
}

export async function updateDisplayName(
  deps: Pick<Deps, 'db'>,
  tenantId: string,
  accountId: string,
  displayName: string,
): Promise<void> {
  const name = displayName.trim();
  await setDisplayName(deps.db, tenantId, accountId, name === '' ? null : name.slice(0, 200));
}

/**
 * Moves the account to a new address already proven by its code.
 * @throws {AppError} ERR_EMAIL_TAKEN when another account has that address.
 */
export async function changeEmail(
  deps: Deps,
  input: { tenantId: string; accountId: string; email: string; ipPrefix: string | undefined },
): Promise<void> {
  const email = normaliseEmail(input.email);
  try {
    await deps.db.transaction(async (tx) => {
      const before = await lockAccountEmail(tx, input.tenantId, input.accountId);
      if (before === undefined) throw new AppError('ERR_NOT_FOUND');
      await setAccountEmail(tx, input.tenantId, input.accountId, email);
      // Pending organisation invitations follow the address they were sent to, not the account.
      await recordAudit(tx, {
        tenantId: input.tenantId,
        at: deps.clock.now(),
        actor: { kind: 'account', id: input.accountId },
        action: 'account.email_changed',
        subject: { kind: 'account', id: input.accountId },
        ipPrefix: input.ipPrefix,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('ERR_EMAIL_TAKEN', {
        fields: [{ field: 'email', code: 'ERR_EMAIL_TAKEN' }],
        cause: err,
      });
    throw err;
  }
}

/**
 * Whether the session's holder proved who they are recently enough for a destructive step.
 */
export const REAUTH_WINDOW_MS = 10 * 60_000;

export function recentlyAuthenticated(reauthAt: Date | null | undefined, now: Date): boolean {
  return (
    reauthAt !== null && reauthAt !== undefined && now.getTime() - reauthAt.getTime() <= REAUTH_WINDOW_MS
  );
}

/**
 * Checks the account's password for a destructive step and, when right, marks the session as
 * freshly proven. Wrong passwords count towards the sign-in limit.
 * @returns true when the password was right.
 */
export async function confirmWithPassword(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { tenantId: string; accountId: string; sessionHash: Buffer; password: string },
): Promise<boolean> {
  const row = await passwordOf(deps.db, input.tenantId, input.accountId);
  const ok =
    row?.passwordHash !== null &&
    row?.passwordHash !== undefined &&
    (await checkPassword(row.passwordHash, input.password));
  if (ok) await markReauthenticated(deps, input.sessionHash);
  return ok;
}

export async function markReauthenticated(
  deps: Pick<Deps, 'db' | 'clock'>,
  sessionHash: Buffer,
): Promise<void> {
  await markSessionReauthenticated(deps.db, sessionHash, deps.clock.now());
}
