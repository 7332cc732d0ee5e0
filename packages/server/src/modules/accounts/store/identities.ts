import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Identities at an OpenID provider linked to accounts: by the issuer's subject, with the trust
// level (acr) of the last sign-in.

/** The account the identity is linked to, if any. */
export async function linkedAccountOf(
  q: Queryable,
  tenantId: string,
  identity: { issuer: string; subject: string },
): Promise<string | undefined> {
  const row = await one<{ account_id: string }>(
    q,
    `SELECT account_id FROM account_identities WHERE tenant_id = $1 AND issuer = $2 AND subject = $3`,
    [tenantId, identity.issuer, identity.subject],
  );
  return row?.account_id;
}

/** Notes a sign-in with the identity: when, and at which trust level. */
export async function noteIdentitySignIn(
  q: Queryable,
  tenantId: string,
  identity: { issuer: string; subject: string; acr: string | null },
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE account_identities SET last_login_at = $4, acr = $5 WHERE tenant_id = $1 AND issuer = $2 AND subject = $3`,
    [tenantId, identity.issuer, identity.subject, at, identity.acr],
  );
}

/** Links the identity to the account (a unique violation when it is linked already). */
export async function insertIdentity(
  q: Queryable,
  input: {
    tenantId: string;
    id: string;
    accountId: string;
    issuer: string;
    subject: string;
    acr: string | null;
    at: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO account_identities (tenant_id, id, account_id, issuer, subject, acr, linked_at, last_login_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
    [input.tenantId, input.id, input.accountId, input.issuer, input.subject, input.acr, input.at],
  );
}

/** Whether this identity is linked to this account. */
export async function identityLinkedTo(
  q: Queryable,
  tenantId: string,
  accountId: string,
  identity: { issuer: string; subject: string },
): Promise<boolean> {
  const row = await one(
    q,
    `SELECT 1 AS x FROM account_identities WHERE tenant_id = $1 AND account_id = $2 AND issuer = $3 AND subject = $4`,
    [tenantId, accountId, identity.issuer, identity.subject],
  );
  return row !== undefined;
}

/** Deletes one of the account's identity links; false when it has none by that id. */
export async function deleteIdentityRow(
  q: Queryable,
  tenantId: string,
  accountId: string,
  identityId: string,
): Promise<boolean> {
  const gone = await q.query(
    `DELETE FROM account_identities WHERE tenant_id = $1 AND account_id = $2 AND id = $3 RETURNING id`,
    [tenantId, accountId, identityId],
  );
  return gone.length > 0;
}
