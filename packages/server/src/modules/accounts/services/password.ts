import type { Locale } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { hashToken } from '../../../adapters/secrets.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import {
  deleteAccountSessions,
  deleteSession,
  hashPassword,
  passwordCheckSucceeded,
  retryAfterSeconds,
  takePasswordCheck,
} from '../../auth/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { tenantBaseUrl } from '../../tenants/index.ts';
import { passwordResetMail } from '../mails.ts';
import { checkNewPassword } from '../password-policy.ts';
import { setPassword } from '../service.ts';
import {
  accountMailLimits,
  accountPasswordLimits,
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
  deps: Deps & Pick<AppDeps, 'config'>,
  input: { tenant: Pick<Tenant, 'id' | 'name' | 'hostnames'>; email: string; ip: string; locale: Locale },
): Promise<void> {
  const { tenant } = input;
  if (!(await takeMailAllowance(deps, accountMailLimits(tenant.id, input.email, input.ip, 'reset')))) return;
  const issued = await issueResetLink(deps, tenant.id, input.email);
  if (issued === undefined) return;
  await deps.mailer.send(
    passwordResetMail(issued.account.email, input.locale, {
      tenantName: tenant.name,
      link: `${tenantBaseUrl(tenant, deps.config)}/account/password/reset/${issued.token}`,
    }),
  );
}

/**
 * Sets or changes the signed-in holder's password (see setPassword). The current password is a
 * password check like the sign-in's, with its limits: the slot is taken in one atomic step before
 * anything is checked, a wrong current password keeps it counted, anything else gives it back.
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
  const limits = accountPasswordLimits(input.tenantId, input.account.email, input.ip);
  if (!(await takePasswordCheck(deps, limits)))
    throw new AppError('ERR_RATE_LIMITED', {
      retryAfterSeconds: retryAfterSeconds(limits.source, limits.account),
    });
  try {
    await setPassword(deps, {
      tenantId: input.tenantId,
      accountId: input.account.id,
      current: input.current,
      password: input.password,
      confirm: input.confirm,
      ipPrefix: input.ipPrefix,
    });
  } catch (err) {
    // setPassword checks the current password first: any other refusal came after a right one
    // (or without one to check), so only a wrong current password stays counted.
    if (!(err instanceof AppError && err.code === 'ERR_INVALID_CREDENTIALS'))
      await passwordCheckSucceeded(deps, limits);
    throw err;
  }
  await passwordCheckSucceeded(deps, limits);
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
