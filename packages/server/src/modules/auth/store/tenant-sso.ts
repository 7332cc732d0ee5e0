import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

/** The tenant_sso table: one row per tenant with single sign-on; the client secret sealed. */

export interface TenantSsoRow {
  issuer: string;
  client_id: string;
  client_secret: Buffer | null;
  secret_key: Buffer | null;
  label: string;
  match_by: 'email' | 'subject';
  local_login: boolean;
}

export async function findTenantSso(q: Queryable, tenantId: string): Promise<TenantSsoRow | undefined> {
  return one<TenantSsoRow>(
    q,
    `SELECT issuer, client_id, client_secret, secret_key, label, match_by, local_login FROM tenant_sso WHERE tenant_id = $1`,
    [tenantId],
  );
}

/** Whether staff may sign in locally; undefined without single sign-on. */
export async function findLocalLogin(q: Queryable, tenantId: string): Promise<boolean | undefined> {
  const row = await one<{ local_login: boolean }>(
    q,
    `SELECT local_login FROM tenant_sso WHERE tenant_id = $1`,
    [tenantId],
  );
  return row?.local_login;
}

/** Writes the settings; a null secret (and key) keeps the stored one. */
export async function upsertTenantSso(
  q: Queryable,
  row: {
    tenantId: string;
    issuer: string;
    clientId: string;
    clientSecret: Buffer | null;
    secretKey: Buffer | null;
    label: string;
    matchBy: 'email' | 'subject';
    localLogin: boolean;
    updatedAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO tenant_sso (tenant_id, issuer, client_id, client_secret, secret_key, label, match_by, local_login, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (tenant_id) DO UPDATE SET issuer = $2, client_id = $3,
       client_secret = CASE WHEN $4::bytea IS NULL THEN tenant_sso.client_secret ELSE $4 END,
       secret_key = CASE WHEN $5::bytea IS NULL THEN tenant_sso.secret_key ELSE $5 END,
       label = $6, match_by = $7, local_login = $8, updated_at = $9`,
    [
      row.tenantId,
      row.issuer,
      row.clientId,
      row.clientSecret,
      row.secretKey,
      row.label,
      row.matchBy,
      row.localLogin,
      row.updatedAt,
    ],
  );
}

export async function deleteTenantSso(q: Queryable, tenantId: string): Promise<void> {
  await q.query(`DELETE FROM tenant_sso WHERE tenant_id = $1`, [tenantId]);
}
