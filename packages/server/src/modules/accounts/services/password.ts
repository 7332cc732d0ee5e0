import type { Locale } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { hashToken } from '../../../adapters/secrets.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import {
  deleteAccountSessions,
  deleteSession,
  hashPassword,
  isLimited,
  recordHit,
} from '../../auth/index.ts';
import { passwordResetMail } from '../mails.ts';
import { checkNewPassword } from '../password-policy.ts';
import { setPassword } from '../service.ts';
import {
  accountLoginLimits,
  accountMailLimits,
  issueResetLink,
  peekResetLink,
  takeMailAllowance,
} from '../signin.ts';
import { useLink } from '../store/account-links.ts';
import { storePasswordHash } from '../store/credentials.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer'>;

/**
 * "Forgot password": mails a reset link when the address has an account and the mail limits
 * allow. The caller answers the same either way, so the form tells nobody which addresses exist.
 */
export async function requestPasswordReset(
  deps: Deps,
  input: { tenant: { id: string; name: string }; email: string; ip: string; locale: Locale; origin: string },
): Promise<void> {
  const { tenant } = input;
  if (!(await takeMailAllowance(deps, accountMailLimits(tenant.id, input.email, input.ip, 'reset')))) return;
  const issued = await issueResetLink(deps, tenant.id, input.email);
  if (issued === undefined) return;
  await deps.mailer.send(
    passwordResetMail(issued.account.email, input.locale, {
      tenantName: tenant.name,
      link: `${input.origin}/account/password/reset/${issued.token}`,
    }),
  );
}

/**
 * Sets or changes the signed-in holder's password (see setPassword). Wrong current passwords
 * count towards the sign-in limit, and a limited address is refused before anything is checked.
 * @throws {AppError} ERR_RATE_LIMITED, and what setPassword throws
 */
export async function changePassword(
  deps: Deps,
  input: {
    tenantId: string;
    account: { id: string; email: string };
    ip: string;
    current: string;
    password: string;
    confirm: string;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  const limit = accountLoginLimits(input.tenantId, input.account.email, input.ip)[0];
  try {
    if (limit !== undefined && (await isLimited(deps.db, deps.clock, limit)))
      throw new AppError('ERR_RATE_LIMITED');
    await setPassword(deps, {
      tenantId: input.tenantId,
      accountId: input.account.id,
      current: input.current,
      password: input.password,
      confirm: input.confirm,
      ipPrefix: input.ipPrefix,
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'ERR_INVALID_CREDENTIALS' && limit !== undefined)
      await recordHit(deps.db, deps.clock, limit);
    throw err;
  }
}

/**
 * Sets a new password through a reset link: the link is used up, every session of the account
 * ends (whoever knew the old password is out). The second factor stays: a reset does not switch
 * TOTP off. `browserSession`, the session of the browser that reset (when it is signed in to an
 * account), ends too, so the caller can clear its cookie.
 * @throws {AppError} ERR_LINK_INVALID, ERR_WEAK_PASSWORD, ERR_PASSWORD_MISMATCH, ERR_COMMON_PASSWORD.
 */
export async function resetPassword(
  deps: Deps,
  input: {
    tenantId: string;
    token: string;
    password: string;
    confirm: string;
    ipPrefix: string | undefined;
    browserSession?: Buffer | undefined;
  },
): Promise<{ accountId: string; totp: boolean }> {
  const link = await peekResetLink(deps, input.tenantId, input.token);
  if (link === undefined) throw new AppError('ERR_LINK_INVALID');
  checkNewPassword(input.password, input.confirm, { email: link.email });
  const hash = await hashPassword(input.password);
  const done = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const used = await useLink(tx, hashToken(input.token), input.tenantId, now);
    if (used === undefined) throw new AppError('ERR_LINK_INVALID');
    const row = await storePasswordHash(tx, {
      tenantId: input.tenantId,
      accountId: used.accountId,
      hash,
      at: now,
    });
    await deleteAccountSessions(tx, input.tenantId, used.accountId);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: used.accountId },
      action: 'account.password_reset',
      subject: { kind: 'account', id: used.accountId },
      ipPrefix: input.ipPrefix,
    });
    return { accountId: used.accountId, totp: row?.totp === true };
  });
  if (input.browserSession !== undefined) await deleteSession(deps.db, input.browserSession);
  return done;
}
