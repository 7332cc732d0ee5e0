import type { FileTypeId } from '@amtsbote/web';
import { isFileTypeId } from '@amtsbote/web';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';

/** A department as the inbound side sees it: whether it takes drop-off, and what. */
export interface InboundDepartment {
  id: string;
  name: string;
  description: string | null;
  dropoffEnabled: boolean;
  /** What a sender should include (e.g. the file number). */
  dropoffHint: string | null;
  /** Its own accepted types, or null for the tenant's. */
  allowedTypes: FileTypeId[] | null;
}

interface Row {
  id: string;
  name: string;
  description: string | null;
  dropoff_enabled: boolean;
  dropoff_hint: string | null;
  allowed_types: string[] | null;
}

const columns = 'id, name, description, dropoff_enabled, dropoff_hint, allowed_types';

function toDepartment(r: Row): InboundDepartment {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    dropoffEnabled: r.dropoff_enabled,
    dropoffHint: r.dropoff_hint,
    allowedTypes: r.allowed_types === null ? null : r.allowed_types.filter(isFileTypeId),
  };
}

export async function listInboundDepartments(q: Queryable, tenantId: string): Promise<InboundDepartment[]> {
  const rows = await q.query<Row>(
    `SELECT ${columns} FROM departments WHERE tenant_id = $1 ORDER BY lower(name)`,
    [tenantId],
  );
  return rows.map(toDepartment);
}

export async function getInboundDepartment(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<InboundDepartment | undefined> {
  const r = await one<Row>(q, `SELECT ${columns} FROM departments WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    id,
  ]);
  return r === undefined ? undefined : toDepartment(r);
}

/** Drop-off settings of one department (tenant admins). @returns false when there is no such department. */
export async function updateDropoffSettings(
  q: Queryable,
  tenantId: string,
  id: string,
  s: { dropoffEnabled: boolean; dropoffHint: string | null; allowedTypes: FileTypeId[] | null },
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE departments SET dropoff_enabled = $3, dropoff_hint = $4, allowed_types = $5 WHERE tenant_id = $1 AND id = $2 RETURNING id`,
    [
      tenantId,
      id,
      s.dropoffEnabled,
      s.dropoffHint === null || s.dropoffHint.trim() === '' ? null : s.dropoffHint.trim(),
      s.allowedTypes === null || s.allowedTypes.length === 0 ? null : s.allowedTypes,
    ],
  );
  return rows.length === 1;
}

/** Departments the staff member belongs to. */
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

/** The staff of a department (for assigning), active ones. */
export async function departmentStaff(
  q: Queryable,
  tenantId: string,
  departmentIds: readonly string[],
): Promise<{ id: string; name: string; departmentId: string }[]> {
  if (departmentIds.length === 0) return [];
  return q.query(
    `SELECT s.id, coalesce(s.display_name, s.email) AS name, m.department_id AS "departmentId"
     FROM department_members m JOIN staff s ON s.tenant_id = m.tenant_id AND s.id = m.staff_id
     WHERE m.tenant_id = $1 AND m.department_id = ANY($2::uuid[]) AND s.status = 'active' ORDER BY lower(coalesce(s.display_name, s.email))`,
    [tenantId, departmentIds],
  );
}
