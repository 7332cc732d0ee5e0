import { hashToken } from '../../../adapters/secrets.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import { checkPassword, passwordCheckSucceeded, takePasswordCheck } from '../../auth/index.ts';
import { normaliseEmail } from '../../staff/index.ts';
import type { Account } from '../service.ts';
import { findAccountByEmail } from '../service.ts';
import {
  accountPasswordLimits,
  CHALLENGE_LIFETIME_MS,
  endChallenge,
  takeChallengeAttempt,
} from '../signin.ts';
import { passwordSignInOf } from '../store/credentials.ts';
import { insertLoginChallenge } from '../store/login-challenges.ts';
import { verifySecondFactor } from './totp.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

export type PasswordSignIn =
  { kind: 'done'; account: Account } | { kind: 'totp'; account: Account; challenge: string };

/**
 * Checks address and password. A right password of an account with TOTP opens only the second
 * step (a challenge token for the TOTP form); otherwise the sign-in is done. The slot for the
 * check is taken before the password is looked at, in one atomic step, so parallel tries cannot
 * exceed the limits: after 5 tries on the address each further one waits a doubling delay (at most
 * 5 minutes), and a source address gets 20 in 15 minutes; a refused try is not checked, right or
 * wrong. A right password gives the slot back.
 * @throws {AppError} ERR_RATE_LIMITED; ERR_INVALID_CREDENTIALS for unknown address, wrong
 *   password and an account without password alike (same time taken).
 */
export async function signInWithPassword(
  deps: Deps,
  input: {
    tenantId: string;
    email: string;
    password: string;
    ip: string;
    ipPrefix: string | undefined;
    next?: string | undefined;
  },
): Promise<PasswordSignIn> {
  const limits = accountPasswordLimits(input.tenantId, input.email, input.ip);
  if (!(await takePasswordCheck(deps, limits))) throw new AppError('ERR_RATE_LIMITED');
  const row = await passwordSignInOf(deps.db, input.tenantId, normaliseEmail(input.email));
  const ok = await checkPassword(row?.passwordHash, input.password);
  const account =
    row === undefined ? undefined : await findAccountByEmail(deps.db, input.tenantId, input.email);
  if (!ok || row === undefined || account === undefined) {
    // The slot taken stays counted: it was a failed check.
    await recordAudit(deps.db, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'system' },
      action: 'account.login_failed',
      ipPrefix: input.ipPrefix,
    });
    throw new AppError('ERR_INVALID_CREDENTIALS');
  }
  // A right password gives the slot back only when it finishes the sign-in. With TOTP the slot
  // stays counted: otherwise whoever knows the password could open challenge after challenge,
  // 5 code guesses each, without ever meeting the delay.
  if (!row.totp) {
    await passwordCheckSucceeded(deps, limits);
    return { kind: 'done', account };
  }
  const challenge = deps.secrets.token();
  const now = deps.clock.now();
  await insertLoginChallenge(deps.db, {
    tokenHash: hashToken(challenge),
    tenantId: input.tenantId,
    accountId: account.id,
    next: input.next ?? null,
    at: now,
    expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS),
  });
  return { kind: 'totp', account, challenge };
}

/**
 * The second step of a password sign-in: a TOTP or recovery code for the account behind the
 * challenge token (each try counts). A right code uses the challenge up; the caller then signs
 * the browser in with the method it names.
 * @throws {AppError} ERR_LINK_INVALID for an unknown, expired or exhausted challenge;
 *   ERR_TOTP_INVALID, ERR_TOTP_REUSED for a wrong code (the form is shown again)
 */
export async function signInWithSecondFactor(
  deps: Deps,
  input: { tenantId: string; challenge: string; code: string; ipPrefix: string | undefined },
): Promise<{ accountId: string; method: 'totp' | 'recovery'; next: string | null }> {
  const pending = await takeChallengeAttempt(deps, input.tenantId, input.challenge);
  if (pending === undefined) throw new AppError('ERR_LINK_INVALID');
  const method = await verifySecondFactor(deps, {
    tenantId: input.tenantId,
    accountId: pending.accountId,
    code: input.code,
    ipPrefix: input.ipPrefix,
  });
  await endChallenge(deps, input.challenge);
  return { accountId: pending.accountId, method, next: pending.next };
}
