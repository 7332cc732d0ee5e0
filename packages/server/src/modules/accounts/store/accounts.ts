import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// The accounts table itself: who the account is (address, name). How it signs in (password,
// TOTP, passkey handle) is in credentials.ts; what the settings page shows, in overview.ts.

/** A citizen's service account: nothing but a verified e-mail address to begin with. */
export interface Account {
  id: string;
  tenantId: string;
  email: string;
  displayName: string | null;
}

export const accountColumns = `id, tenant_id AS "tenantId", email, display_name AS "displayName"`;

export async function accountById(q: Queryable, tenantId: string, id: string): Promise<Account | undefined> {
  return one<Account>(q, `SELECT ${accountColumns} FROM accounts WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    id,
  ]);
}

/** The account of an address (already normalised). */
export async function accountByEmail(
  q: Queryable,
  tenantId: string,
  email: string,
): Promise<Account | undefined> {
  return one<Account>(q, `SELECT ${accountColumns} FROM accounts WHERE tenant_id = $1 AND email = $2`, [
    tenantId,
    email,
  ]);
}

/** A new account for the address; undefined when the address has one already. */
export async function insertAccountIfNew(
  q: Queryable,
  input: {
    tenantId: string;
    id: string;
    email: string;
    displayName: string | null;
    locale: string;
    at: Date;
  },
): Promise<Account | undefined> {
  return one<Account>(
    q,
    `INSERT INTO accounts (tenant_id, id, email, display_name, locale, created_at, last_active_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (tenant_id, email) DO NOTHING RETURNING ${accountColumns}`,
    [input.tenantId, input.id, input.email, input.displayName, input.locale, input.at],
  );
}

/** Notes activity on the account of an address and returns it (undefined: no such account). */
export async function touchAccountByEmail(
  q: Queryable,
  tenantId: string,
  email: string,
  at: Date,
): Promise<Account | undefined> {
  return one<Account>(
    q,
    `UPDATE accounts SET last_active_at = $3 WHERE tenant_id = $1 AND email = $2 RETURNING ${accountColumns}`,
    [tenantId, email, at],
  );
}

/** Notes activity on the account (a sign-in through a linked identity). */
export async function touchAccount(
  q: Queryable,
  tenantId: string,
  accountId: string,
  at: Date,
): Promise<void> {
  await q.query(`UPDATE accounts SET last_active_at = $3 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    accountId,
    at,
  ]);
}

export async function setDisplayName(
  q: Queryable,
  tenantId: string,
  accountId: string,
  displayName: string | null,
): Promise<void> {
  await q.query(`UPDATE accounts SET display_name = $3 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    accountId,
    displayName,
  ]);
}

/** The account's address, its row locked until the transaction ends (undefined: no account). */
export async function lockAccountEmail(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<string | undefined> {
  const row = await one<{ email: string }>(
    q,
    `SELECT email FROM accounts WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, accountId],
  );
  return row?.email;
}

/** Moves the account to another address (a unique violation when another account has it). */
export async function setAccountEmail(
  q: Queryable,
  tenantId: string,
  accountId: string,
  email: string,
): Promise<void> {
  await q.query(`UPDATE accounts SET email = $3 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    accountId,
    email,
  ]);
}

/** Locks the account row, so concurrent changes of one account run one after the other. */
export async function lockAccount(q: Queryable, tenantId: string, accountId: string): Promise<void> {
  await q.query(`SELECT id FROM accounts WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, accountId]);
}
