import type { FileTypeId } from '@amtsbote/contracts';
import { isFileTypeId } from '@amtsbote/contracts';
import type { Queryable } from '../../adapters/db/index.ts';
import type { InboundDepartmentRow } from '../tenants/index.ts';
import { inboundDepartmentRow, inboundDepartmentRows, setDepartmentDropoff } from '../tenants/index.ts';
import { activeDepartmentStaff } from '../staff/index.ts';

// Departments (owner: tenants) and their members (owner: staff) as the inbound side sees them.
export { departmentStaffEmails, memberDepartmentIds } from '../staff/index.ts';

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

function toDepartment(r: InboundDepartmentRow): InboundDepartment {
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
  return (await inboundDepartmentRows(q, tenantId)).map(toDepartment);
}

export async function getInboundDepartment(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<InboundDepartment | undefined> {
  const r = await inboundDepartmentRow(q, tenantId, id);
  return r === undefined ? undefined : toDepartment(r);
}

/** Drop-off settings of one department (tenant admins). @returns false when there is no such department. */
export async function updateDropoffSettings(
  q: Queryable,
  tenantId: string,
  id: string,
  s: { dropoffEnabled: boolean; dropoffHint: string | null; allowedTypes: FileTypeId[] | null },
): Promise<boolean> {
  return setDepartmentDropoff(q, tenantId, id, {
    dropoffEnabled: s.dropoffEnabled,
    dropoffHint: s.dropoffHint === null || s.dropoffHint.trim() === '' ? null : s.dropoffHint.trim(),
    allowedTypes: s.allowedTypes === null || s.allowedTypes.length === 0 ? null : s.allowedTypes,
  });
}

/** The staff of a department (for assigning), active ones. */
export async function departmentStaff(
  q: Queryable,
  tenantId: string,
  departmentIds: readonly string[],
): Promise<{ id: string; name: string; departmentId: string }[]> {
  if (departmentIds.length === 0) return [];
  return activeDepartmentStaff(q, tenantId, departmentIds);
}
