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
     -- reads departments (owner: tenants): the list shows each person's department names
     LEFT JOIN department_members m ON m.tenant_id = s.tenant_id AND m.staff_id = s.id
     LEFT JOIN departments d ON d.tenant_id = m.tenant_id AND d.id = m.department_id
     WHERE s.tenant_id = $1
     GROUP BY s.id, s.tenant_id, s.email, s.display_name, s.is_tenant_admin, s.status
     ORDER BY s.email`,
    [tenantId],
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
    if (!(await addDepartmentMember(q, tenantId, departmentId, id)))
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
 * @returns the account's status afterwards; undefined when no such staff member exists in this
 *   tenant.
 * @throws {AppError} ERR_LAST_ADMIN when the change would leave the tenant without an active admin.
 */
export async function updateStaffRole(
  q: Queryable,
  tenantId: string,
  id: string,
  change: { isTenantAdmin?: boolean; status?: 'active' | 'disabled' },
): Promise<StaffStatus | undefined> {
  const current = await one<{ is_tenant_admin: boolean; status: StaffStatus }>(
    q,
    `SELECT is_tenant_admin, status FROM staff WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tenantId, id],
  );
  if (current === undefined) return undefined;
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
  return status;
}

/** The stored password hash of a staff member (null: none set, undefined: no such person). */
export async function staffPasswordHash(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<string | null | undefined> {
  const row = await one<{ password_hash: string | null }>(
    q,
    `SELECT password_hash FROM staff WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return row?.password_hash;
}

/**
 * An invitation accepted: the password is set and the account active; an empty display name
 * keeps the one the admin gave. A disabled account stays disabled.
 */
export async function activateInvitedStaff(
  q: Queryable,
  tenantId: string,
  id: string,
  input: { passwordHash: string; displayName: string },
): Promise<void> {
  await q.query(
    `UPDATE staff SET password_hash = $3, status = 'active', display_name = coalesce(nullif($4, ''), display_name)
     WHERE tenant_id = $1 AND id = $2 AND status <> 'disabled'`,
    [tenantId, id, input.passwordHash, input.displayName],
  );
}

/** An invited staff member who signed in through the tenant's provider is active from then on. */
export async function activateStaff(q: Queryable, tenantId: string, id: string): Promise<void> {
  await q.query(`UPDATE staff SET status = 'active' WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
}

/** Notes a sign-in (shown to the admin; used by nothing else). */
export async function noteStaffLogin(q: Queryable, tenantId: string, id: string, at: Date): Promise<void> {
  await q.query(`UPDATE staff SET last_login_at = $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, id, at]);
}

// ---- For drop-off (added by the inbound modules) ----

/** The e-mail domains of the tenant's active staff, so a typo in a caseworker's address is caught. */
export async function activeStaffDomains(q: Queryable, tenantId: string): Promise<string[]> {
  const rows = await q.query<{ domain: string }>(
    `SELECT DISTINCT split_part(email, '@', 2) AS domain FROM staff WHERE tenant_id = $1 AND status = 'active' ORDER BY 1`,
    [tenantId],
  );
  return rows.map((r) => r.domain);
}

// --- used by pages and bootstrap: who to tell, who has never signed in ---------------------------

/** The addresses of the tenant's active tenant admins, sorted (e.g. for accessibility feedback). */
export async function activeAdminEmails(q: Queryable, tenantId: string): Promise<string[]> {
  const rows = await q.query<{ email: string }>(
    `SELECT email FROM staff WHERE tenant_id = $1 AND is_tenant_admin AND status = 'active' ORDER BY email`,
    [tenantId],
  );
  return rows.map((r) => r.email);
}

/** An active staff member who has never signed in and has no password yet (the demo's admin). */
export async function neverSignedInStaff(
  q: Queryable,
  tenantId: string,
  email: string,
): Promise<{ id: string } | undefined> {
  return one<{ id: string }>(
    q,
    `SELECT id FROM staff WHERE tenant_id = $1 AND email = $2 AND status = 'active' AND last_login_at IS NULL AND password_hash IS NULL`,
    [tenantId, email],
  );
}

/** The departments a staff member belongs to, by name. */
export async function departmentsOf(
  q: Queryable,
  tenantId: string,
  staffId: string,
): Promise<{ id: string; name: string }[]> {
  return q.query(
    `SELECT d.id, d.name FROM department_members m JOIN departments d ON d.tenant_id = m.tenant_id AND d.id = m.department_id
     -- reads departments (owner: tenants): the names, in the same query
     WHERE m.tenant_id = $1 AND m.staff_id = $2 ORDER BY lower(d.name)`,
    [tenantId, staffId],
  );
}

/**
 * Makes a staff member a member of a department of the same tenant.
 * @returns false when the department is not the tenant's.
 */
export async function addDepartmentMember(
  q: Queryable,
  tenantId: string,
  departmentId: string,
  staffId: string,
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO department_members (tenant_id, department_id, staff_id)
     SELECT $1, d.id, $3 FROM departments d WHERE d.tenant_id = $1 AND d.id = $2 RETURNING staff_id
     -- reads departments (owner: tenants): only a department of the same tenant is joined`,
    [tenantId, departmentId, staffId],
  );
  return rows.length > 0;
}

/** How many staff members each department has (departments without any are absent). */
export async function departmentMemberCounts(q: Queryable, tenantId: string): Promise<Map<string, number>> {
  const rows = await q.query<{ department_id: string; n: number }>(
    `SELECT department_id, count(*)::int AS n FROM department_members WHERE tenant_id = $1 GROUP BY department_id`,
    [tenantId],
  );
  return new Map(rows.map((r) => [r.department_id, r.n]));
}

// --- used by postbox: who works in a department ---------------------------------------------

/** The ids of the departments a staff member belongs to. */
export async function memberDepartmentIds(
  q: Queryable,
  tenantId: string,
  staffId: string,
): Promise<string[]> {
  const rows = await q.query<{ department_id: string }>(
    `SELECT department_id FROM department_members WHERE tenant_id = $1 AND staff_id = $2`,
    [tenantId, staffId],
  );
  return rows.map((r) => r.department_id);
}

/** Active staff of a department, for notices. */
export async function departmentStaffEmails(
  q: Queryable,
  tenantId: string,
  departmentId: string,
): Promise<string[]> {
  const rows = await q.query<{ email: string }>(
    `SELECT s.email FROM department_members m JOIN staff s ON s.tenant_id = m.tenant_id AND s.id = m.staff_id
     WHERE m.tenant_id = $1 AND m.department_id = $2 AND s.status = 'active' ORDER BY s.email`,
    [tenantId, departmentId],
  );
  return rows.map((r) => r.email);
}

/** The active staff of some departments (for assigning), by name. */
export async function activeDepartmentStaff(
  q: Queryable,
  tenantId: string,
  departmentIds: readonly string[],
): Promise<{ id: string; name: string; departmentId: string }[]> {
  return q.query(
    `SELECT s.id, coalesce(s.display_name, s.email) AS name, m.department_id AS "departmentId"
     FROM department_members m JOIN staff s ON s.tenant_id = m.tenant_id AND s.id = m.staff_id
     WHERE m.tenant_id = $1 AND m.department_id = ANY($2::uuid[]) AND s.status = 'active' ORDER BY lower(coalesce(s.display_name, s.email))`,
    [tenantId, departmentIds],
  );
}
