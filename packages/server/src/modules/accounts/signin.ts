import { HOUR, MINUTE } from '../../adapters/clock.ts';
import { one } from '../../adapters/db/index.ts';
import { hashToken, looksLikeToken } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import { checkPassword, hashPassword } from '../auth/passwords.ts';
import type { Limit } from '../auth/rate-limit.ts';
import { isLimited, recordHit } from '../auth/rate-limit.ts';
import { normaliseEmail } from '../staff/service.ts';
import { checkNewPassword } from './password-policy.ts';
import type { Account } from './service.ts';
import { findAccountByEmail } from './service.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

export const ACCOUNT_LOGIN_MAX_FAILURES = 5;
export const ACCOUNT_LOGIN_WINDOW_MS = 15 * MINUTE;
/** The TOTP step after a right password: 5 minutes, 5 tries. */
export const CHALLENGE_LIFETIME_MS = 5 * MINUTE;
export const CHALLENGE_MAX_ATTEMPTS = 5;
export const RESET_LINK_LIFETIME_MS = HOUR;

export function accountLoginLimits(tenantId: string, email: string, ip: string): Limit[] {
  return [
    {
      key: `account-login:address:${tenantId}:${normaliseEmail(email)}`,
      max: ACCOUNT_LOGIN_MAX_FAILURES,
      windowMs: ACCOUNT_LOGIN_WINDOW_MS,
    },
    { key: `account-login:ip:${ip}`, max: ACCOUNT_LOGIN_MAX_FAILURES * 4, windowMs: ACCOUNT_LOGIN_WINDOW_MS },
  ];
}

/** Mails per address and IP for registration, password reset and e-mail change. */
export function accountMailLimits(tenantId: string, email: string, ip: string, purpose: string): Limit[] {
  return [
    { key: `account-mail:${purpose}:address:${tenantId}:${normaliseEmail(email)}`, max: 3, windowMs: HOUR },
    { key: `account-mail:ip:${ip}`, max: 20, windowMs: HOUR },
  ];
}

/** Counts a mail against the limits; false (and nothing counted) when one is reached. */
export async function takeMailAllowance(deps: Pick<Deps, 'db' | 'clock'>, limits: Limit[]): Promise<boolean> {
  for (const l of limits) if (await isLimited(deps.db, deps.clock, l)) return false;
  for (const l of limits) await recordHit(deps.db, deps.clock, l);
  return true;
}

export type PasswordSignIn =
  { kind: 'done'; account: Account } | { kind: 'totp'; account: Account; challenge: string };

/**
 * Checks address and password. A right password of an account with TOTP opens only the second
 * step (a challenge token for the TOTP form); otherwise the sign-in is done. After 5 failures for
 * the address within 15 minutes every try is refused, right or wrong.
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
  const limits = accountLoginLimits(input.tenantId, input.email, input.ip);
  for (const l of limits) if (await isLimited(deps.db, deps.clock, l)) throw new AppError('ERR_RATE_LIMITED');
  const row = await one<{ id: string; password_hash: string | null; totp: boolean }>(
    deps.db,
    `SELECT id, password_hash, totp_key IS NOT NULL AS totp FROM accounts WHERE tenant_id = $1 AND email = $2`,
    [input.tenantId, normaliseEmail(input.email)],
  );
  const ok = await checkPassword(row?.password_hash, input.password);
  const account =
    row === undefined ? undefined : await findAccountByEmail(deps.db, input.tenantId, input.email);
  if (!ok || row === undefined || account === undefined) {
    for (const l of limits) await recordHit(deps.db, deps.clock, l);
    await recordAudit(deps.db, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'system' },
      action: 'account.login_failed',
      ipPrefix: input.ipPrefix,
    });
    throw new AppError('ERR_INVALID_CREDENTIALS');
  }
  if (!row.totp) return { kind: 'done', account };
  const challenge = deps.secrets.token();
  const now = deps.clock.now();
  await deps.db.query(
    `INSERT INTO login_challenges (token_hash, tenant_id, account_id, next, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      hashToken(challenge),
      input.tenantId,
      account.id,
      input.next ?? null,
      now,
      new Date(now.getTime() + CHALLENGE_LIFETIME_MS),
    ],
  );
  return { kind: 'totp', account, challenge };
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
  return one<{ accountId: string; next: string | null }>(
    deps.db,
    `UPDATE login_challenges SET attempts = attempts + 1
     WHERE token_hash = $1 AND tenant_id = $2 AND expires_at > $3 AND attempts < $4
     RETURNING account_id AS "accountId", next`,
    [hashToken(challenge), tenantId, deps.clock.now(), CHALLENGE_MAX_ATTEMPTS],
  );
}

export async function endChallenge(deps: Pick<Deps, 'db'>, challenge: string): Promise<void> {
  if (looksLikeToken(challenge))
    await deps.db.query(`DELETE FROM login_challenges WHERE token_hash = $1`, [hashToken(challenge)]);
}

/** Where the challenge would lead, without counting a try (for re-showing the form). */
export async function peekChallenge(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  challenge: string,
): Promise<boolean> {
  if (!looksLikeToken(challenge)) return false;
  const row = await one(
    deps.db,
    `SELECT 1 AS x FROM login_challenges WHERE token_hash = $1 AND tenant_id = $2 AND expires_at > $3 AND attempts < $4`,
    [hashToken(challenge), tenantId, deps.clock.now(), CHALLENGE_MAX_ATTEMPTS],
  );
  return row !== undefined;
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
    await tx.query(
      `DELETE FROM account_links WHERE tenant_id = $1 AND account_id = $2 AND purpose = 'password-reset' AND used_at IS NULL`,
      [tenantId, account.id],
    );
    await tx.query(
      `INSERT INTO account_links (token_hash, tenant_id, account_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, 'password-reset', $4, $5)`,
      [hashToken(token), tenantId, account.id, now, new Date(now.getTime() + RESET_LINK_LIFETIME_MS)],
    );
  });
  return { account, token };
}

export async function peekResetLink(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  token: string,
): Promise<{ accountId: string; email: string } | undefined> {
  if (!looksLikeToken(token)) return undefined;
  return one<{ accountId: string; email: string }>(
    deps.db,
    `SELECT l.account_id AS "accountId", a.email FROM account_links l JOIN accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
     WHERE l.token_hash = $1 AND l.tenant_id = $2 AND l.purpose = 'password-reset' AND l.used_at IS NULL AND l.expires_at > $3`,
    [hashToken(token), tenantId, deps.clock.now()],
  );
}

/**
 * Sets a new password through a reset link: the link is used up, every session of the account
 * ends (whoever knew the old password is out). The second factor stays: a reset does not switch
 * TOTP off.
 * @throws {AppError} ERR_LINK_INVALID, ERR_WEAK_PASSWORD, ERR_PASSWORD_MISMATCH, ERR_COMMON_PASSWORD.
 */
export async function resetPassword(
  deps: Deps,
  input: { tenantId: string; token: string; password: string; confirm: string; ipPrefix: string | undefined },
): Promise<{ accountId: string; totp: boolean }> {
  const link = await peekResetLink(deps, input.tenantId, input.token);
  if (link === undefined) throw new AppError('ERR_LINK_INVALID');
  checkNewPassword(input.password, input.confirm, { email: link.email });
  const hash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const used = await one<{ accountId: string }>(
      tx,
      `UPDATE account_links SET used_at = $3 WHERE token_hash = $1 AND tenant_id = $2 AND used_at IS NULL AND expires_at > $3 RETURNING account_id AS "accountId"`,
      [hashToken(input.token), input.tenantId, now],
    );
    if (used === undefined) throw new AppError('ERR_LINK_INVALID');
    const row = await one<{ totp: boolean }>(
      tx,
      `UPDATE accounts SET password_hash = $3, password_changed_at = $4 WHERE tenant_id = $1 AND id = $2 RETURNING totp_key IS NOT NULL AS totp`,
      [input.tenantId, used.accountId, hash, now],
    );
    await tx.query(`DELETE FROM sessions WHERE tenant_id = $1 AND account_id = $2`, [
      input.tenantId,
      used.accountId,
    ]);
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
}
