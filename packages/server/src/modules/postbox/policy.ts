import type { FileTypeId } from '@amtsbote/contracts';
import { DEFAULT_FILE_TYPES, isFileTypeId } from '@amtsbote/contracts';
import type { Queryable } from '../../adapters/db/index.ts';
import type { Staff } from '../staff/index.ts';
import { transferPolicy } from '../transfers/index.ts';
import { getInboundDepartment, memberDepartmentIds } from './departments.ts';
import type { Tenant } from '../tenants/index.ts';

const GiB = 1024 ** 3;

/**
 * What a tenant accepts from outside (drop-off, upload links). Stored in
 * `tenants.settings.inbound`; absent keys take these defaults, which follow what counties offer
 * with Cryptshare today: PDF, JPEG and PNG, 14 days' availability.
 */
export interface InboundPolicy {
  /** File types accepted when a department has not chosen its own. */
  allowedTypes: FileTypeId[];
  maxFileSize: number;
  maxFiles: number;
  maxTotalSize: number;
  defaultExpiryDays: number;
  maxExpiryDays: number;
}

export const DEFAULT_INBOUND_POLICY: InboundPolicy = {
  allowedTypes: [...DEFAULT_FILE_TYPES],
  maxFileSize: 2 * GiB,
  maxFiles: 20,
  maxTotalSize: 4 * GiB,
  defaultExpiryDays: 14,
  maxExpiryDays: 60,
};

function positiveInt(v: unknown, fallback: number, max: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? Math.min(v, max) : fallback;
}

/** The tenant's inbound policy; never beyond its limits for transfers in general. */
export function inboundPolicy(tenant: Pick<Tenant, 'settings'>): InboundPolicy {
  const raw = (tenant.settings as { inbound?: Record<string, unknown> }).inbound ?? {};
  const outer = transferPolicy(tenant);
  const d = DEFAULT_INBOUND_POLICY;
  const types = Array.isArray(raw.allowedTypes) ? raw.allowedTypes.filter(isFileTypeId) : [];
  const maxExpiryDays = positiveInt(
    raw.maxExpiryDays,
    Math.min(d.maxExpiryDays, outer.maxExpiryDays),
    outer.maxExpiryDays,
  );
  return {
    allowedTypes: types.length > 0 ? types : [...d.allowedTypes],
    maxFileSize: positiveInt(raw.maxFileSize, Math.min(d.maxFileSize, outer.maxFileSize), outer.maxFileSize),
    maxFiles: positiveInt(raw.maxFiles, Math.min(d.maxFiles, outer.maxFiles), outer.maxFiles),
    maxTotalSize: positiveInt(
      raw.maxTotalSize,
      Math.min(d.maxTotalSize, outer.maxTotalSize),
      outer.maxTotalSize,
    ),
    defaultExpiryDays: Math.min(positiveInt(raw.defaultExpiryDays, d.defaultExpiryDays, 365), maxExpiryDays),
    maxExpiryDays,
  };
}

/** A department's own list where it has one, else the tenant's. */
export function typesFor(policy: InboundPolicy, departmentTypes: readonly string[] | null): FileTypeId[] {
  const own = (departmentTypes ?? []).filter(isFileTypeId);
  return own.length > 0 ? own : policy.allowedTypes;
}

// ---- Record-level checks of the department side --------------------------------------------

/**
 * Who may see and set a department's key: its members, and tenant admins (who set up the first
 * key for a department). Anyone else finds no such department.
 */
export async function mayManageDepartmentKey(
  q: Queryable,
  staff: Staff,
  tenantId: string,
  departmentId: string,
): Promise<boolean> {
  return (
    (await getInboundDepartment(q, tenantId, departmentId)) !== undefined &&
    (staff.isTenantAdmin || (await memberDepartmentIds(q, tenantId, staff.id)).includes(departmentId))
  );
}
