import type { Clock } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import { isUniqueViolation, one } from '../../adapters/db/index.ts';
import type { Secrets } from '../../adapters/secrets.ts';
import { AppError } from '../../errors.ts';

export type StaffStatus = 'invited' | 'active' | 'disabled';

export interface Staff {
  id: string;
  tenantId: string;
  email: string;
  displayName: string | null;
  isTenantAdmin: boolean;
  status: StaffStatus;
}

export interface StaffListEntry extends Staff {
  departments: string[];
}

const columns = `id, tenant_id AS "tenantId", email, display_name AS "displayName",
  is_tenant_admin AS "isTenantAdmin", status`;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findStaffByEmail(
  q: Queryable,
  tenantId: string,
  email: string,
): Promise<Staff | undefined> {
  return one<Staff>(q, `SELECT ${columns} FROM staff WHERE tenant_id = $1 AND email = $2`, [
    tenantId,
    normaliseEmail(email),
  ]);
}

export async function getStaff(q: Queryable, tenantId: string, id: string): Promise<Staff | undefined> {
  return one<Staff>(q, `SELECT ${columns} FROM staff WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
}

export async function listStaff(q: Queryable, tenantId: string): Promise<StaffListEntry[]> {
  return q.query<StaffListEntry>(
    `SELECT s.id, s.tenant_id AS "tenantId", s.email, s.display_name AS "displayName",
       s.is_tenant_admin AS "isTenantAdmin", s.status,
       coalesce(array_agg(d.name ORDER BY lower(d.name)) FILTER (WHERE d.id IS NOT NULL), '{}') AS departments
     FROM staff s
     LEFT JOIN department_members m ON m.tenant_id = s.tenant_id AND m.staff_id = s.id
     LEFT JOIN departments d ON d.tenant_id = m.tenant_id AND d.id = m.department_id
     WHERE s.tenant_id = $1
     GROUP BY s.id, s.tenant_id, s.email, s.display_name, s.is_tenant_admin, s.status
     ORDER BY s.email`,
    [tenantId],
  );
}

export async function departmentsOf(
  q: Queryable,
  tenantId: string,
  staffId: string,
): Promise<{ id: string; name: string }[]> {
  return q.query(
    `SELECT d.id, d.name FROM department_members m JOIN departments d ON d.tenant_id = m.tenant_id AND d.id = m.department_id
     WHERE m.tenant_id = $1 AND m.staff_id = $2 ORDER BY lower(d.name)`,
    [tenantId, staffId],
  );
}

/**
 * Creates a staff member (status `invited` until they set a password, or `active` for the CLI
 * and the demo admin) and their department memberships.
 * @throws {AppError} ERR_STAFF_EXISTS when the tenant has an account with that e-mail;
 *   ERR_NOT_FOUND when a department id is not the tenant's.
 */
export async function createStaff(
  q: Queryable,
  deps: { clock: Clock; secrets: Secrets },
  tenantId: string,
  input: {
    email: string;
    displayName?: string | null;
    isTenantAdmin?: boolean;
    status: StaffStatus;
    departmentIds?: string[];
    passwordHash?: string | null;
  },
): Promise<Staff> {
  const id = deps.secrets.id();
  const email = normaliseEmail(input.email);
  const displayName = input.displayName?.trim() === '' ? null : (input.displayName?.trim() ?? null);
  try {
    await q.query(
      `INSERT INTO staff (tenant_id, id, email, display_name, password_hash, is_tenant_admin, status, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        tenantId,
        id,
        email,
        displayName,
        input.passwordHash ?? null,
        input.isTenantAdmin ?? false,
        input.status,
        deps.clock.now(),
      ],
    );
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('ERR_STAFF_EXISTS', {
        fields: [{ field: 'email', code: 'ERR_STAFF_EXISTS' }],
        cause: err,
      });
    }
    throw err;
  }
  for (const departmentId of input.departmentIds ?? []) {
    const rows = await q.query(
      `INSERT INTO department_members (tenant_id, department_id, staff_id)
       SELECT $1, d.id, $3 FROM departments d WHERE d.tenant_id = $1 AND d.id = $2 RETURNING staff_id`,
      [tenantId, departmentId, id],
    );
    if (rows.length === 0)
      throw new AppError('ERR_NOT_FOUND', { fields: [{ field: 'departmentId', code: 'ERR_NOT_FOUND' }] });
  }
  return {
    id,
    tenantId,
    email,
    displayName,
    isTenantAdmin: input.isTenantAdmin ?? false,
    status: input.status,
  };
}

/** Number of active tenant admins; the last one must stay. */
export async function countActiveAdmins(q: Queryable, tenantId: string): Promise<number> {
  const row = await one<{ n: number }>(
    q,
    `SELECT count(*)::int AS n FROM staff WHERE tenant_id = $1 AND is_tenant_admin AND status = 'active'`,
    [tenantId],
  );
  return row?.n ?? 0;
}

/**
 * Grants or withdraws the tenant-admin role, or disables/re-enables an account.
 * @returns false when no such staff member exists in this tenant.
 * @throws {AppError} ERR_LAST_ADMIN when the change would leave the tenant without an active admin.
 */
export async function updateStaffRole(
  q: Queryable,
  tenantId: string,
  id: string,
  change: { isTenantAdmin?: boolean; status?: 'active' | 'disabled' },
): Promise<boolean> {
  const current = await one<{ is_tenant_admin: boolean; status: StaffStatus }>(
    q,
    `SELECT is_tenant_admin, status FROM staff WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, id],
  );
  if (current === undefined) return false;
  const wasActiveAdmin = current.is_tenant_admin && current.status === 'active';
  const isAdmin = change.isTenantAdmin ?? current.is_tenant_admin;
  const status = change.status ?? current.status;
  if (wasActiveAdmin && !(isAdmin && status === 'active') && (await countActiveAdmins(q, tenantId)) <= 1) {
    throw new AppError('ERR_LAST_ADMIN');
  }
  await q.query(`UPDATE staff SET is_tenant_admin = $3, status = $4 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    id,
    isAdmin,
    status,
  ]);
  if (status === 'disabled') {
    // A disabled account keeps no way in.
    await q.query(`DELETE FROM sessions WHERE tenant_id = $1 AND staff_id = $2`, [tenantId, id]);
    await q.query(`DELETE FROM api_tokens WHERE tenant_id = $1 AND staff_id = $2`, [tenantId, id]);
  }
  return true;
}
