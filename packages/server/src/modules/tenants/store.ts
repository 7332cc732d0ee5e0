import type { Locale } from '@amtsbote/contracts';
import type { Clock } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import { isUniqueViolation, one } from '../../adapters/db/index.ts';
import type { Secrets } from '../../adapters/secrets.ts';
import { AppError } from '../../errors.ts';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  hostnames: string[];
  settings: TenantSettings;
}

/** Per-tenant settings kept as JSON: legal texts, policies. Absent keys take defaults. */
export interface TenantSettings {
  legal?: Record<string, unknown>;
  defaultLocale?: Locale;
  /** Levels 3/4: also wrap the file key for the sending department's key (default off). */
  sharedDepartmentOutboxes?: boolean;
}

export interface Department {
  id: string;
  name: string;
  description: string | null;
}

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  hostnames: string[];
  settings: TenantSettings;
}

const tenantColumns = 'id, slug, name, hostnames, settings';

export async function listTenants(q: Queryable): Promise<Tenant[]> {
  return q.query<TenantRow>(`SELECT ${tenantColumns} FROM tenants ORDER BY created_at, slug`);
}

export async function findTenantBySlug(q: Queryable, slug: string): Promise<Tenant | undefined> {
  return one<TenantRow>(q, `SELECT ${tenantColumns} FROM tenants WHERE slug = $1`, [slug]);
}

/**
 * @throws {AppError} ERR_TENANT_EXISTS when the slug is taken.
 */
export async function createTenant(
  db: Queryable,
  deps: { clock: Clock; secrets: Secrets },
  input: { slug: string; name: string; hostnames?: string[] },
): Promise<Tenant> {
  const id = deps.secrets.id();
  // No language preset: German unless the browser asks for English (or the visitor switches).
  const settings: TenantSettings = {};
  try {
    await db.query(
      `INSERT INTO tenants (id, slug, name, hostnames, settings, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, input.slug, input.name, input.hostnames ?? [], JSON.stringify(settings), deps.clock.now()],
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('ERR_TENANT_EXISTS', { cause: err });
    throw err;
  }
  return { id, slug: input.slug, name: input.name, hostnames: input.hostnames ?? [], settings };
}

export async function listDepartments(q: Queryable, tenantId: string): Promise<Department[]> {
  return q.query<Department>(
    `SELECT id, name, description FROM departments WHERE tenant_id = $1 ORDER BY lower(name)`,
    [tenantId],
  );
}

export async function getDepartment(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<Department | undefined> {
  return one<Department>(
    q,
    `SELECT id, name, description FROM departments WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
}

/**
 * @throws {AppError} ERR_DEPARTMENT_EXISTS when the tenant has a department of that name.
 */
export async function createDepartment(
  q: Queryable,
  deps: { clock: Clock; secrets: Secrets },
  tenantId: string,
  input: { name: string; description?: string | null },
): Promise<Department> {
  const id = deps.secrets.id();
  const description = input.description?.trim() === '' ? null : (input.description ?? null);
  try {
    await q.query(
      `INSERT INTO departments (tenant_id, id, name, description, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [tenantId, id, input.name.trim(), description, deps.clock.now()],
    );
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('ERR_DEPARTMENT_EXISTS', {
        fields: [{ field: 'name', code: 'ERR_DEPARTMENT_EXISTS' }],
        cause: err,
      });
    }
    throw err;
  }
  return { id, name: input.name.trim(), description };
}

/**
 * @returns false when no such department exists in this tenant.
 * @throws {AppError} ERR_DEPARTMENT_EXISTS when the new name is taken.
 */
export async function updateDepartment(
  q: Queryable,
  tenantId: string,
  id: string,
  input: { name: string; description?: string | null },
): Promise<boolean> {
  try {
    const rows = await q.query(
      `UPDATE departments SET name = $3, description = $4 WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [
        tenantId,
        id,
        input.name.trim(),
        input.description?.trim() === '' ? null : (input.description ?? null),
      ],
    );
    return rows.length === 1;
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError('ERR_DEPARTMENT_EXISTS', {
        fields: [{ field: 'name', code: 'ERR_DEPARTMENT_EXISTS' }],
        cause: err,
      });
    }
    throw err;
  }
}

// --- used by retention: the tenant admin's retention periods ----------------------------------

/** Replaces a tenant's settings (the caller merged its change into the current ones). */
export async function saveTenantSettings(
  q: Queryable,
  tenantId: string,
  settings: TenantSettings,
): Promise<void> {
  await q.query(`UPDATE tenants SET settings = $2 WHERE id = $1`, [tenantId, JSON.stringify(settings)]);
}

// --- used by postbox: departments as the inbound side sees them (drop-off settings) ------------

export interface InboundDepartmentRow {
  id: string;
  name: string;
  description: string | null;
  dropoff_enabled: boolean;
  dropoff_hint: string | null;
  allowed_types: string[] | null;
}

const inboundColumns = 'id, name, description, dropoff_enabled, dropoff_hint, allowed_types';

export async function inboundDepartmentRows(q: Queryable, tenantId: string): Promise<InboundDepartmentRow[]> {
  return q.query<InboundDepartmentRow>(
    `SELECT ${inboundColumns} FROM departments WHERE tenant_id = $1 ORDER BY lower(name)`,
    [tenantId],
  );
}

export async function inboundDepartmentRow(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<InboundDepartmentRow | undefined> {
  return one<InboundDepartmentRow>(
    q,
    `SELECT ${inboundColumns} FROM departments WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
}

/** @returns false when there is no such department. */
export async function setDepartmentDropoff(
  q: Queryable,
  tenantId: string,
  id: string,
  s: { dropoffEnabled: boolean; dropoffHint: string | null; allowedTypes: readonly string[] | null },
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE departments SET dropoff_enabled = $3, dropoff_hint = $4, allowed_types = $5 WHERE tenant_id = $1 AND id = $2 RETURNING id`,
    [tenantId, id, s.dropoffEnabled, s.dropoffHint, s.allowedTypes],
  );
  return rows.length === 1;
}
