import type { Queryable } from '../../adapters/db/index.ts';
import { isUniqueViolation, one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import { checkPassword, hashPassword } from '../auth/passwords.ts';
import { normaliseEmail } from '../staff/service.ts';
import { checkNewPassword } from './password-policy.ts';

/** A citizen's service account: nothing but a verified e-mail address to begin with. */
export interface Account {
  id: string;
  tenantId: string;
  email: string;
  displayName: string | null;
}

/** What the account settings page shows: the account and how it can sign in. */
export interface AccountOverview extends Account {
  createdAt: Date;
  hasPassword: boolean;
  totpEnabled: boolean;
  recoveryCodesLeft: number;
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null; backedUp: boolean }[];
  identities: { id: string; issuer: string; acr: string | null; linkedAt: Date; lastLoginAt: Date | null }[];
}

const columns = `id, tenant_id AS "tenantId", email, display_name AS "displayName"`;

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

export async function getAccount(q: Queryable, tenantId: string, id: string): Promise<Account | undefined> {
  return one<Account>(q, `SELECT ${columns} FROM accounts WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
}

export async function findAccountByEmail(
  q: Queryable,
  tenantId: string,
  email: string,
): Promise<Account | undefined> {
  return one<Account>(q, `SELECT ${columns} FROM accounts WHERE tenant_id = $1 AND email = $2`, [
    tenantId,
    normaliseEmail(email),
  ]);
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
  const inserted = await one<Account>(
    q,
    `INSERT INTO accounts (tenant_id, id, email, display_name, locale, created_at, last_active_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (tenant_id, email) DO NOTHING RETURNING ${columns}`,
    [tenantId, deps.secrets.id(), address, name, locale, now],
  );
  if (inserted !== undefined) return { account: inserted, created: true };
  const existing = await one<Account>(
    q,
    `UPDATE accounts SET last_active_at = $3 WHERE tenant_id = $1 AND email = $2 RETURNING ${columns}`,
    [tenantId, address, now],
  );
  if (existing === undefined) throw new Error('account vanished between insert and update');
  return { account: existing, created: false };
}

/**
 * Whether the account has a way to sign in of its own (a password or a passkey). An account
 * without one was made by a level-2 code or an identity service; a mailed code may then sign in.
 */
export async function hasFirstFactor(q: Queryable, tenantId: string, accountId: string): Promise<boolean> {
  const row = await one<{ ok: boolean }>(
    q,
    `SELECT (a.password_hash IS NOT NULL OR EXISTS (SELECT 1 FROM account_passkeys p WHERE p.tenant_id = a.tenant_id AND p.account_id = a.id)) AS ok
     FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2`,
    [tenantId, accountId],
  );
  return row?.ok === true;
}

export async function accountOverview(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<AccountOverview | undefined> {
  const row = await one<
    Account & { createdAt: Date; hasPassword: boolean; totpEnabled: boolean; recoveryCodesLeft: number }
  >(
    q,
    `SELECT ${columns}, created_at AS "createdAt", password_hash IS NOT NULL AS "hasPassword", totp_key IS NOT NULL AS "totpEnabled",
       (SELECT count(*)::int FROM account_recovery_codes r WHERE r.tenant_id = a.tenant_id AND r.account_id = a.id AND r.used_at IS NULL) AS "recoveryCodesLeft"
     FROM accounts a WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
  if (row === undefined) return undefined;
  const passkeys = await q.query<AccountOverview['passkeys'][number]>(
    `SELECT id, name, created_at AS "createdAt", last_used_at AS "lastUsedAt", backed_up AS "backedUp"
     FROM account_passkeys WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at`,
    [tenantId, accountId],
  );
  const identities = await q.query<AccountOverview['identities'][number]>(
    `SELECT id, issuer, acr, linked_at AS "linkedAt", last_login_at AS "lastLoginAt"
     FROM account_identities WHERE tenant_id = $1 AND account_id = $2 ORDER BY linked_at`,
    [tenantId, accountId],
  );
  return { ...row, passkeys, identities };
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
  const row = await one<{ email: string; password_hash: string | null }>(
    deps.db,
    `SELECT email, password_hash FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, input.accountId],
  );
  if (row === undefined) throw new AppError('ERR_NOT_FOUND');
  if (row.password_hash !== null && !(await checkPassword(row.password_hash, input.current))) {
    throw new AppError('ERR_INVALID_CREDENTIALS', {
      fields: [{ field: 'current', code: 'ERR_INVALID_CREDENTIALS' }],
    });
  }
  checkNewPassword(input.password, input.confirm, { email: row.email });
  const hash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    await tx.query(
      `UPDATE accounts SET password_hash = $3, password_changed_at = $4 WHERE tenant_id = $1 AND id = $2`,
      [input.tenantId, input.accountId, hash, now],
    );
    await tx.query(
      `DELETE FROM account_links WHERE tenant_id = $1 AND account_id = $2 AND purpose = 'password-reset'`,
      [input.tenantId, input.accountId],
    );
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.accountId },
      action: row.password_hash === null ? 'account.password_set' : 'account.password_changed',
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
  await deps.db.query(`UPDATE accounts SET display_name = $3 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    accountId,
    name === '' ? null : name.slice(0, 200),
  ]);
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
      const before = await one<{ email: string }>(
        tx,
        `SELECT email FROM accounts WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [input.tenantId, input.accountId],
      );
      if (before === undefined) throw new AppError('ERR_NOT_FOUND');
      await tx.query(`UPDATE accounts SET email = $3 WHERE tenant_id = $1 AND id = $2`, [
        input.tenantId,
        input.accountId,
        email,
      ]);
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
  const row = await one<{ password_hash: string | null }>(
    deps.db,
    `SELECT password_hash FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, input.accountId],
  );
  const ok =
    row?.password_hash !== null &&
    row?.password_hash !== undefined &&
    (await checkPassword(row.password_hash, input.password));
  if (ok) await markReauthenticated(deps, input.sessionHash);
  return ok;
}

export async function markReauthenticated(
  deps: Pick<Deps, 'db' | 'clock'>,
  sessionHash: Buffer,
): Promise<void> {
  await deps.db.query(`UPDATE sessions SET reauth_at = $2 WHERE id_hash = $1`, [
    sessionHash,
    deps.clock.now(),
  ]);
}
