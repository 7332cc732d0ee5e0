import { MINUTE } from '../../adapters/clock.ts';
import type { Clock } from '../../adapters/clock.ts';
import type { Db } from '../../adapters/db/index.ts';
import type { Secrets } from '../../adapters/secrets.ts';
import { AppError } from '../../errors.ts';
import { ipLimitKey } from '../../http/ip.ts';
import { recordAudit } from '../audit/index.ts';
import type { Staff } from '../staff/index.ts';
import { activateInvitedStaff, findStaffByEmail, normaliseEmail, staffPasswordHash } from '../staff/index.ts';
import { checkPassword, hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { localLoginAllowed } from './sso.ts';
import { consumeLink } from './store/login-links.ts';
import type { PasswordLimits } from './limits.ts';
import { PASSWORD_DELAY, passwordCheckSucceeded, takePasswordCheck } from './limits.ts';
import { deleteAllSessions } from './store/sessions.ts';

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * MINUTE;

/** 5 tries per account before the delay starts; 5 per source address in 15 minutes. */
export function loginLimits(tenantId: string, email: string, ip: string): PasswordLimits {
  return {
    account: {
      key: `login:account-delay:${tenantId}:${normaliseEmail(email)}`,
      free: LOGIN_MAX_FAILURES,
      ...PASSWORD_DELAY,
      resetMs: LOGIN_WINDOW_MS,
    },
    source: { key: `login:ip:${ipLimitKey(ip)}`, max: LOGIN_MAX_FAILURES, windowMs: LOGIN_WINDOW_MS },
  };
}

interface Ctx {
  db: Db;
  clock: Clock;
}

/**
 * Checks e-mail and password. The slot for the check is taken first, in one atomic step, so
 * parallel tries cannot exceed the limits: after 5 tries on the account each further one waits
 * a delay that doubles (at most 5 minutes); a source address gets 5 tries in 15 minutes. Either
 * is refused unchecked, right password or wrong. A right password gives the slot back.
 * @throws {AppError} ERR_RATE_LIMITED, or ERR_INVALID_CREDENTIALS for an unknown address, a
 *   wrong password and an account without password alike.
 */
export async function signInWithPassword(
  ctx: Ctx,
  input: { tenantId: string; email: string; password: string; ip: string; ipPrefix: string | undefined },
): Promise<Staff> {
  const limits = loginLimits(input.tenantId, input.email, input.ip);
  if (!(await takePasswordCheck(ctx, limits))) throw new AppError('ERR_RATE_LIMITED');
  const staff = await findStaffByEmail(ctx.db, input.tenantId, input.email);
  const storedHash =
    staff === undefined ? undefined : await staffPasswordHash(ctx.db, input.tenantId, staff.id);
  const ok = await checkPassword(storedHash, input.password);
  if (!ok || staff?.status !== 'active') {
    // The slot taken stays counted: it was a failed check.
    await recordAudit(ctx.db, {
      tenantId: input.tenantId,
      at: ctx.clock.now(),
      actor: { kind: 'system' },
      action: 'staff.login_failed',
      ipPrefix: input.ipPrefix,
    });
    throw new AppError('ERR_INVALID_CREDENTIALS');
  }
  await passwordCheckSucceeded(ctx, limits);
  return staff;
}

export function validateNewPassword(password: string, confirm: string): AppError | undefined {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return new AppError('ERR_WEAK_PASSWORD', { fields: [{ field: 'password', code: 'ERR_WEAK_PASSWORD' }] });
  }
  if (password !== confirm) {
    return new AppError('ERR_PASSWORD_MISMATCH', {
      fields: [{ field: 'passwordConfirm', code: 'ERR_PASSWORD_MISMATCH' }],
    });
  }
  return undefined;
}

/**
 * Accepts an invitation: the link is used, the password set and the account activated in one
 * transaction, so a failure leaves the invitation usable and nothing half-set.
 * @throws {AppError} ERR_WEAK_PASSWORD, ERR_PASSWORD_MISMATCH, ERR_LINK_INVALID.
 */
export async function acceptInvitation(
  ctx: Ctx & { secrets: Secrets },
  input: {
    tenantId: string;
    token: string;
    displayName: string;
    password: string;
    passwordConfirm: string;
    ipPrefix: string | undefined;
  },
): Promise<{ staffId: string }> {
  const invalid = validateNewPassword(input.password, input.passwordConfirm);
  if (invalid !== undefined) throw invalid;
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const { staffId } = await consumeLink(tx, ctx.clock, input.tenantId, 'invitation', input.token);
    await activateInvitedStaff(tx, input.tenantId, staffId, { passwordHash, displayName: input.displayName });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: ctx.clock.now(),
      actor: { kind: 'staff', id: staffId },
      action: 'staff.invitation_accepted',
      subject: { kind: 'staff', id: staffId },
      ipPrefix: input.ipPrefix,
    });
    return { staffId };
  });
}

/**
 * Password sign-in for staff, where the tenant still allows it (with single sign-on only, no
 * password is even checked).
 * @throws {AppError} ERR_LOCAL_LOGIN_DISABLED, and what {@link signInWithPassword} throws.
 */
export async function signInStaff(
  ctx: Ctx,
  input: { tenantId: string; email: string; password: string; ip: string; ipPrefix: string | undefined },
): Promise<Staff> {
  if (!(await localLoginAllowed(ctx, input.tenantId))) throw new AppError('ERR_LOCAL_LOGIN_DISABLED');
  return signInWithPassword(ctx, input);
}

/** "Sign out everywhere": every session of this staff member ends, and the audit log says so. */
export async function signOutEverywhere(
  ctx: Ctx,
  input: { tenantId: string; staffId: string; ipPrefix: string | undefined },
): Promise<void> {
  await deleteAllSessions(ctx.db, input.tenantId, input.staffId);
  await recordAudit(ctx.db, {
    tenantId: input.tenantId,
    at: ctx.clock.now(),
    actor: { kind: 'staff', id: input.staffId },
    action: 'staff.logout_everywhere',
    ipPrefix: input.ipPrefix,
  });
}
