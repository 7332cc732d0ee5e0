import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// How an account signs in, as kept on its accounts row: the password hash, the TOTP secrets
// (wrapped by the master key) with the last accepted time step, and the WebAuthn user handle.
// Whether another way to sign in remains reads account_passkeys and account_identities too.

/** What a password sign-in needs of the account at an address (already normalised). */
export async function passwordSignInOf(
  q: Queryable,
  tenantId: string,
  email: string,
): Promise<{ id: string; passwordHash: string | null; totp: boolean } | undefined> {
  const row = await one<{ id: string; password_hash: string | null; totp: boolean }>(
    q,
    `SELECT id, password_hash, totp_key IS NOT NULL AS totp FROM accounts WHERE tenant_id = $1 AND email = $2`,
    [tenantId, email],
  );
  return row === undefined ? undefined : { id: row.id, passwordHash: row.password_hash, totp: row.totp };
}

/** The account's address and password hash (null: it has none); undefined: no account. */
export async function passwordOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<{ email: string; passwordHash: string | null } | undefined> {
  const row = await one<{ email: string; password_hash: string | null }>(
    q,
    `SELECT email, password_hash FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
  return row === undefined ? undefined : { email: row.email, passwordHash: row.password_hash };
}

/** Stores a new password hash. @returns whether the account has TOTP on (undefined: no account). */
export async function storePasswordHash(
  q: Queryable,
  input: { tenantId: string; accountId: string; hash: string; at: Date },
): Promise<{ totp: boolean } | undefined> {
  return one<{ totp: boolean }>(
    q,
    `UPDATE accounts SET password_hash = $3, password_changed_at = $4 WHERE tenant_id = $1 AND id = $2 RETURNING totp_key IS NOT NULL AS totp`,
    [input.tenantId, input.accountId, input.hash, input.at],
  );
}

/** Whether the account has a password or a passkey of its own. */
export async function hasPasswordOrPasskey(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<boolean> {
  const row = await one<{ ok: boolean }>(
    q,
    `SELECT (a.password_hash IS NOT NULL OR EXISTS (SELECT 1 FROM account_passkeys p WHERE p.tenant_id = a.tenant_id AND p.account_id = a.id)) AS ok
     FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2`,
    [tenantId, accountId],
  );
  return row?.ok === true;
}

/**
 * Whether the account can still sign in without this identity link (a password, a passkey or
 * another identity); the row is locked. Undefined: no account.
 */
export async function lockWaysBesideIdentity(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<boolean | undefined> {
  const row = await one<{ other_ways: boolean }>(
    q,
    `SELECT (a.password_hash IS NOT NULL OR EXISTS (SELECT 1 FROM account_passkeys p WHERE p.tenant_id = a.tenant_id AND p.account_id = a.id)
        OR (SELECT count(*) FROM account_identities i WHERE i.tenant_id = a.tenant_id AND i.account_id = a.id) > 1) AS other_ways
     FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2 FOR UPDATE`,
    [tenantId, accountId],
  );
  return row?.other_ways;
}

/** Whether the account has a password, and how many passkeys besides this one; the row is locked. */
export async function lockWaysBesidePasskey(
  q: Queryable,
  tenantId: string,
  accountId: string,
  passkeyId: string,
): Promise<{ hasPassword: boolean; otherPasskeys: number } | undefined> {
  const row = await one<{ has_password: boolean; others: number }>(
    q,
    `SELECT a.password_hash IS NOT NULL AS has_password,
       (SELECT count(*)::int FROM account_passkeys p WHERE p.tenant_id = a.tenant_id AND p.account_id = a.id AND p.id <> $3) AS others
     FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2 FOR UPDATE`,
    [tenantId, accountId, passkeyId],
  );
  return row === undefined ? undefined : { hasPassword: row.has_password, otherPasskeys: row.others };
}

// ---- TOTP ----------------------------------------------------------------------------------------

/** Whether the account has TOTP on. */
export async function hasTotp(q: Queryable, tenantId: string, accountId: string): Promise<boolean> {
  const row = await one<{ totp: boolean }>(
    q,
    `SELECT totp_key IS NOT NULL AS totp FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
  return row?.totp === true;
}

/** The wrapped TOTP secret: the confirmed one, or the one waiting for its first code. */
export async function wrappedTotpKey(
  q: Queryable,
  tenantId: string,
  accountId: string,
  which: 'confirmed' | 'pending',
): Promise<Buffer | null | undefined> {
  const row = await one<{ k: Buffer | null }>(
    q,
    `SELECT ${which === 'pending' ? 'totp_pending_key' : 'totp_key'} AS k FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
  return row?.k;
}

export async function setPendingTotpKey(
  q: Queryable,
  tenantId: string,
  accountId: string,
  wrapped: Buffer,
): Promise<void> {
  await q.query(`UPDATE accounts SET totp_pending_key = $3 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    accountId,
    wrapped,
  ]);
}

/** The pending secret becomes the account's TOTP secret, with the time step of its first code. */
export async function enableTotp(
  q: Queryable,
  input: { tenantId: string; accountId: string; at: Date; step: number },
): Promise<void> {
  await q.query(
    `UPDATE accounts SET totp_key = totp_pending_key, totp_pending_key = NULL, totp_enabled_at = $3, totp_last_step = $4 WHERE tenant_id = $1 AND id = $2`,
    [input.tenantId, input.accountId, input.at, input.step],
  );
}

/**
 * Moves the last accepted time step forward to `step`; false when it is there or beyond already.
 * Atomic: of two requests racing with the same code only one moves the step forward.
 */
export async function advanceTotpStep(
  q: Queryable,
  tenantId: string,
  accountId: string,
  step: number,
): Promise<boolean> {
  const moved = await q.query(
    `UPDATE accounts SET totp_last_step = $3 WHERE tenant_id = $1 AND id = $2 AND (totp_last_step IS NULL OR totp_last_step < $3) RETURNING id`,
    [tenantId, accountId, step],
  );
  return moved.length > 0;
}

export async function clearTotp(q: Queryable, tenantId: string, accountId: string): Promise<void> {
  await q.query(
    `UPDATE accounts SET totp_key = NULL, totp_pending_key = NULL, totp_enabled_at = NULL WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
}

// ---- WebAuthn user handle ------------------------------------------------------------------------

/** The account's WebAuthn user handle (null: none yet). */
export async function webauthnUserHandle(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<Buffer | null | undefined> {
  const row = await one<{ h: Buffer | null }>(
    q,
    `SELECT webauthn_user_id AS h FROM accounts WHERE tenant_id = $1 AND id = $2`,
    [tenantId, accountId],
  );
  return row?.h;
}

/** Gives the account this handle unless it has one already (a concurrent request may win). */
export async function setWebauthnUserHandleIfUnset(
  q: Queryable,
  tenantId: string,
  accountId: string,
  handle: Buffer,
): Promise<void> {
  await q.query(
    `UPDATE accounts SET webauthn_user_id = $3 WHERE tenant_id = $1 AND id = $2 AND webauthn_user_id IS NULL`,
    [tenantId, accountId, handle],
  );
}
