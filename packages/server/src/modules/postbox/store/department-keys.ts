import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Department keys and members' shares of them (keys.ts has the use cases).

export interface DepartmentKey {
  id: string;
  departmentId: string;
  publicKey: string;
  createdAt: Date;
}

export async function currentDepartmentKey(
  q: Queryable,
  tenantId: string,
  departmentId: string,
): Promise<DepartmentKey | undefined> {
  return one<DepartmentKey>(
    q,
    `SELECT id, department_id AS "departmentId", public_key AS "publicKey", created_at AS "createdAt" FROM department_keys
     WHERE tenant_id = $1 AND department_id = $2 AND retired_at IS NULL`,
    [tenantId, departmentId],
  );
}

/** A member's share of one department key, if one was made for their current personal key. */
export async function keyShareOf(
  q: Queryable,
  tenantId: string,
  keyId: string,
  staffId: string,
): Promise<Buffer | undefined> {
  const r = await one<{ wrapped_private_key: Buffer }>(
    q,
    `SELECT s.wrapped_private_key FROM department_key_shares s
       JOIN personal_keys p ON p.tenant_id = s.tenant_id AND p.id = s.personal_key_id AND p.retired_at IS NULL
       -- reads personal_keys (owner: keys): a share counts for the member's current key only, in the same query
     WHERE s.tenant_id = $1 AND s.key_id = $2 AND s.staff_id = $3`,
    [tenantId, keyId, staffId],
  );
  return r === undefined ? undefined : Buffer.from(r.wrapped_private_key);
}

/** A member as the department keys page lists them. */
export interface DepartmentKeyMember {
  staffId: string;
  name: string;
  email: string;
  /** The member's current personal key (to wrap the department key for), if they made one. */
  publicKey: string | null;
  /** Whether they hold a share of the current department key for that personal key. */
  hasShare: boolean;
}

/** The active members of a department with their personal key and share of the current key. */
export async function departmentKeyMembers(
  q: Queryable,
  tenantId: string,
  departmentId: string,
): Promise<DepartmentKeyMember[]> {
  const rows = await q.query<{
    staff_id: string;
    name: string;
    email: string;
    public_key: string | null;
    has_share: boolean;
  }>(
    `SELECT s.id AS staff_id, coalesce(s.display_name, s.email) AS name, s.email, p.public_key,
       EXISTS (SELECT 1 FROM department_key_shares x JOIN department_keys k ON k.tenant_id = x.tenant_id AND k.id = x.key_id AND k.retired_at IS NULL
               WHERE x.tenant_id = m.tenant_id AND x.staff_id = s.id AND k.department_id = m.department_id AND x.personal_key_id = p.id) AS has_share
     FROM department_members m JOIN staff s ON s.tenant_id = m.tenant_id AND s.id = m.staff_id
       LEFT JOIN personal_keys p ON p.tenant_id = s.tenant_id AND p.staff_id = s.id AND p.retired_at IS NULL
       -- reads department_members, staff (owner: staff) and personal_keys (owner: keys): the member list in one query
     WHERE m.tenant_id = $1 AND m.department_id = $2 AND s.status = 'active'
     ORDER BY lower(coalesce(s.display_name, s.email))`,
    [tenantId, departmentId],
  );
  return rows.map((r) => ({
    staffId: r.staff_id,
    name: r.name,
    email: r.email,
    publicKey: r.public_key,
    hasShare: r.has_share,
  }));
}

export interface PendingShare {
  departmentId: string;
  keyId: string;
  /** The department key's public key (the browser checks the scalar it unwraps against it). */
  departmentPublicKey: string;
  /** The caller's share of that key. */
  wrappedPrivateKey: string;
  staffId: string;
  /** The member's current personal key. */
  publicKey: string;
}

/**
 * Members of the caller's departments who have a personal key but no share (for it) of a key of
 * that department the caller holds a share of: current and retired keys, so a late member can
 * open what came in before they joined.
 */
export async function pendingShares(
  q: Queryable,
  tenantId: string,
  staffId: string,
): Promise<PendingShare[]> {
  const rows = await q.query<{
    department_id: string;
    key_id: string;
    department_public_key: string;
    share: Buffer;
    staff_id: string;
    public_key: string;
  }>(
    `SELECT k.department_id, k.id AS key_id, k.public_key AS department_public_key, mine.wrapped_private_key AS share,
       m.staff_id, p.public_key
     FROM department_key_shares mine
       JOIN personal_keys myp ON myp.tenant_id = mine.tenant_id AND myp.id = mine.personal_key_id AND myp.retired_at IS NULL
       JOIN department_keys k ON k.tenant_id = mine.tenant_id AND k.id = mine.key_id
       JOIN department_members m ON m.tenant_id = k.tenant_id AND m.department_id = k.department_id AND m.staff_id <> $2
       JOIN staff s ON s.tenant_id = m.tenant_id AND s.id = m.staff_id AND s.status = 'active'
       JOIN personal_keys p ON p.tenant_id = m.tenant_id AND p.staff_id = m.staff_id AND p.retired_at IS NULL
       -- reads personal_keys (owner: keys), department_members and staff (owner: staff): who still lacks a share, one query not one per member
     WHERE mine.tenant_id = $1 AND mine.staff_id = $2
       AND EXISTS (SELECT 1 FROM department_members me WHERE me.tenant_id = k.tenant_id AND me.department_id = k.department_id AND me.staff_id = $2)
       AND NOT EXISTS (SELECT 1 FROM department_key_shares x WHERE x.tenant_id = k.tenant_id AND x.key_id = k.id AND x.staff_id = m.staff_id AND x.personal_key_id = p.id)
     ORDER BY k.created_at DESC, m.staff_id
     LIMIT 100`,
    [tenantId, staffId],
  );
  return rows.map((r) => ({
    departmentId: r.department_id,
    keyId: r.key_id,
    departmentPublicKey: r.department_public_key,
    wrappedPrivateKey: Buffer.from(r.share).toString('base64url'),
    staffId: r.staff_id,
    publicKey: r.public_key,
  }));
}

/** Retires the department's current key (a new one is being set). */
export async function retireDepartmentKeys(
  q: Queryable,
  tenantId: string,
  departmentId: string,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE department_keys SET retired_at = $3 WHERE tenant_id = $1 AND department_id = $2 AND retired_at IS NULL`,
    [tenantId, departmentId, at],
  );
}

export async function insertDepartmentKey(
  q: Queryable,
  tenantId: string,
  key: { id: string; departmentId: string; publicKey: string; createdAt: Date; createdBy: string },
): Promise<void> {
  await q.query(
    `INSERT INTO department_keys (tenant_id, id, department_id, public_key, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
    [tenantId, key.id, key.departmentId, key.publicKey, key.createdAt, key.createdBy],
  );
}

/**
 * A member's share of a new department key, bound to the member's current personal key (and to
 * `memberPublicKey` when the browser named it).
 * @returns false when the staff member is not in the department or has no (such) current key
 */
export async function insertMemberShare(
  q: Queryable,
  tenantId: string,
  share: {
    keyId: string;
    departmentId: string;
    staffId: string;
    wrapped: Buffer;
    memberPublicKey: string | null;
    createdAt: Date;
    createdBy: string;
  },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO department_key_shares (tenant_id, key_id, staff_id, wrapped_private_key, created_at, personal_key_id, created_by)
     SELECT $1, $2, m.staff_id, $4, $5, p.id, $7 FROM department_members m
       JOIN personal_keys p ON p.tenant_id = m.tenant_id AND p.staff_id = m.staff_id AND p.retired_at IS NULL
       -- reads department_members (owner: staff) and personal_keys (owner: keys): a share per member with a current key, in the insert
     WHERE m.tenant_id = $1 AND m.department_id = $6 AND m.staff_id = $3 AND ($8::text IS NULL OR p.public_key = $8)
     RETURNING staff_id`,
    [
      tenantId,
      share.keyId,
      share.staffId,
      share.wrapped,
      share.createdAt,
      share.departmentId,
      share.createdBy,
      share.memberPublicKey,
    ],
  );
  return rows.length > 0;
}

/** Whether the member already holds a share of the key, made for this current personal key. */
export async function shareIsForCurrentKey(
  q: Queryable,
  tenantId: string,
  keyId: string,
  staffId: string,
  publicKey: string,
): Promise<boolean> {
  const row = await one(
    q,
    `SELECT 1 AS x FROM department_key_shares s JOIN personal_keys p ON p.tenant_id = s.tenant_id AND p.id = s.personal_key_id AND p.retired_at IS NULL
     -- reads personal_keys (owner: keys): the holder's share must be for their current key
     WHERE s.tenant_id = $1 AND s.key_id = $2 AND s.staff_id = $3 AND p.public_key = $4`,
    [tenantId, keyId, staffId, publicKey],
  );
  return row !== undefined;
}

/** Stores (or replaces) a member's share, bound to the member's current personal key. */
export async function upsertShare(
  q: Queryable,
  tenantId: string,
  share: { keyId: string; staffId: string; wrapped: Buffer; createdAt: Date; createdBy: string },
): Promise<void> {
  await q.query(
    `INSERT INTO department_key_shares (tenant_id, key_id, staff_id, wrapped_private_key, created_at, personal_key_id, created_by)
     SELECT $1, $2, $3, $4, $5, p.id, $6 FROM personal_keys p WHERE p.tenant_id = $1 AND p.staff_id = $3 AND p.retired_at IS NULL
     -- reads personal_keys (owner: keys): the share is bound to the member's current key, in the insert
     ON CONFLICT (tenant_id, key_id, staff_id) DO UPDATE SET wrapped_private_key = EXCLUDED.wrapped_private_key,
       created_at = EXCLUDED.created_at, personal_key_id = EXCLUDED.personal_key_id, created_by = EXCLUDED.created_by`,
    [tenantId, share.keyId, share.staffId, share.wrapped, share.createdAt, share.createdBy],
  );
}

/** The public key of one department key (current or retired). */
export async function departmentPublicKey(
  q: Queryable,
  tenantId: string,
  keyId: string,
): Promise<string | undefined> {
  const row = await one<{ public_key: string }>(
    q,
    `SELECT public_key FROM department_keys WHERE tenant_id = $1 AND id = $2`,
    [tenantId, keyId],
  );
  return row?.public_key;
}
