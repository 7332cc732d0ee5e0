import { HOUR, MINUTE } from '../../adapters/clock.ts';
import { hashToken, looksLikeToken } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';
import { ipLimitKey } from '../../http/ip.ts';
import { PASSWORD_DELAY, takeTokens } from '../auth/index.ts';
import type { Limit, PasswordLimits } from '../auth/index.ts';
import { normaliseEmail } from '../staff/index.ts';
import type { Account } from './service.ts';
import { findAccountByEmail } from './service.ts';
import { deleteResetLinks, insertResetLink, liveResetLink } from './store/account-links.ts';
import {
  countLoginChallengeAttempt,
  deleteLoginChallenge,
  liveLoginChallengeExists,
} from './store/login-challenges.ts';

// Sign-in limits, the TOTP step's challenge tokens and password-reset links; the use cases that
// compose them are in services/sign-in.ts and services/password.ts.

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

export const ACCOUNT_LOGIN_MAX_FAILURES = 5;
export const ACCOUNT_LOGIN_WINDOW_MS = 15 * MINUTE;
/** The TOTP step after a right password: 5 minutes, 5 tries. */
export const CHALLENGE_LIFETIME_MS = 5 * MINUTE;
export const CHALLENGE_MAX_ATTEMPTS = 5;
export const RESET_LINK_LIFETIME_MS = HOUR;

/**
 * The password sign-in's limits (taken with `takePasswordCheck` before the password is checked):
 * 5 tries on the address, then a doubling delay; 20 tries per source address in 15 minutes.
 */
export function accountPasswordLimits(tenantId: string, email: string, ip: string): PasswordLimits {
  return {
    account: {
      key: `account-login:delay:${tenantId}:${normaliseEmail(email)}`,
      free: ACCOUNT_LOGIN_MAX_FAILURES,
      ...PASSWORD_DELAY,
      resetMs: ACCOUNT_LOGIN_WINDOW_MS,
    },
    source: {
      key: `account-login:ip:${ipLimitKey(ip)}`,
      max: ACCOUNT_LOGIN_MAX_FAILURES * 4,
      windowMs: ACCOUNT_LOGIN_WINDOW_MS,
    },
  };
}

/**
 * The hard per-address bucket that the password re-entry checks (reauth.ts, the password change)
 * count wrong passwords against; the sign-in uses {@link accountPasswordLimits} instead.
 */
export function accountLoginLimits(tenantId: string, email: string, ip: string): Limit[] {
  return [
    {
      key: `account-login:address:${tenantId}:${normaliseEmail(email)}`,
      max: ACCOUNT_LOGIN_MAX_FAILURES,
      windowMs: ACCOUNT_LOGIN_WINDOW_MS,
    },
    // The same bucket as the sign-in's: a source's password tries count together.
    accountPasswordLimits(tenantId, email, ip).source,
  ];
}

/** Mails per address and source address for registration, password reset and e-mail change. */
export function accountMailLimits(tenantId: string, email: string, ip: string, purpose: string): Limit[] {
  return [
    { key: `account-mail:${purpose}:address:${tenantId}:${normaliseEmail(email)}`, max: 3, windowMs: HOUR },
    { key: `account-mail:ip:${ipLimitKey(ip)}`, max: 20, windowMs: HOUR },
  ];
}

/**
 * Takes a mail from every limit in one atomic step each, all or none; false (and nothing
 * counted) when one is reached.
 */
export async function takeMailAllowance(deps: Pick<Deps, 'db' | 'clock'>, limits: Limit[]): Promise<boolean> {
  return takeTokens(deps.db, deps.clock, limits);
}

/**
 * The pending second step behind a challenge token, counting this try. Undefined when unknown,
 * expired or out of tries.
 */
export async function takeChallengeAttempt(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  challenge: string,
): Promise<{ accountId: string; next: string | null } | undefined> {
  if (!looksLikeToken(challenge)) return undefined;
  return countLoginChallengeAttempt(deps.db, {
    tokenHash: hashToken(challenge),
    tenantId,
    now: deps.clock.now(),
    maxAttempts: CHALLENGE_MAX_ATTEMPTS,
  });
}

export async function endChallenge(deps: Pick<Deps, 'db'>, challenge: string): Promise<void> {
  if (looksLikeToken(challenge)) await deleteLoginChallenge(deps.db, hashToken(challenge));
}

/** Where the challenge would lead, without counting a try (for re-showing the form). */
export async function peekChallenge(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  challenge: string,
): Promise<boolean> {
  if (!looksLikeToken(challenge)) return false;
  return liveLoginChallengeExists(deps.db, {
    tokenHash: hashToken(challenge),
    tenantId,
    now: deps.clock.now(),
    maxAttempts: CHALLENGE_MAX_ATTEMPTS,
  });
}

/**
 * A password-reset link for the account at `email`, if there is one. The caller answers the
 * same whether or not a link was made.
 */
export async function issueResetLink(
  deps: Deps,
  tenantId: string,
  email: string,
): Promise<{ account: Account; token: string } | undefined> {
  const account = await findAccountByEmail(deps.db, tenantId, email);
  if (account === undefined) return undefined;
  const token = deps.secrets.token();
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await deleteResetLinks(tx, tenantId, account.id, 'unused');
    await insertResetLink(tx, {
      tokenHash: hashToken(token),
      tenantId,
      accountId: account.id,
      at: now,
      expiresAt: new Date(now.getTime() + RESET_LINK_LIFETIME_MS),
    });
  });
  return { account, token };
}

export async function peekResetLink(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  token: string,
): Promise<{ accountId: string; email: string } | undefined> {
  if (!looksLikeToken(token)) return undefined;
  return liveResetLink(deps.db, hashToken(token), tenantId, deps.clock.now());
}
