import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

/** The staff_identities table: which provider subject belongs to which staff member. */

export interface IdentityKey {
  tenantId: string;
  issuer: string;
  subject: string;
}

export async function linkedStaffId(q: Queryable, key: IdentityKey): Promise<string | undefined> {
  const row = await one<{ staff_id: string }>(
    q,
    `SELECT staff_id FROM staff_identities WHERE tenant_id = $1 AND issuer = $2 AND subject = $3`,
    [key.tenantId, key.issuer, key.subject],
  );
  return row?.staff_id;
}

export async function noteIdentityLogin(q: Queryable, key: IdentityKey, at: Date): Promise<void> {
  await q.query(
    `UPDATE staff_identities SET last_login_at = $4 WHERE tenant_id = $1 AND issuer = $2 AND subject = $3`,
    [key.tenantId, key.issuer, key.subject, at],
  );
}

/** Whether the staff member already has an identity at this issuer. */
export async function hasIdentityAt(
  q: Queryable,
  tenantId: string,
  staffId: string,
  issuer: string,
): Promise<boolean> {
  const other = await one(
    q,
    `SELECT 1 AS x FROM staff_identities WHERE tenant_id = $1 AND staff_id = $2 AND issuer = $3`,
    [tenantId, staffId, issuer],
  );
  return other !== undefined;
}

export async function insertIdentity(
  q: Queryable,
  key: IdentityKey,
  staffId: string,
  at: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO staff_identities (tenant_id, staff_id, issuer, subject, linked_at, last_login_at) VALUES ($1, $2, $3, $4, $5, $5)`,
    [key.tenantId, staffId, key.issuer, key.subject, at],
  );
}
