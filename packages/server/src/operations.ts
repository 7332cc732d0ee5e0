/**
 * What the `amtsbote` CLI does to a portal's data, as functions on a database handle. They use
 * the same service functions as the HTTP routes, so the CLI can't bypass a rule the web obeys.
 */
import { DAY, systemClock } from './adapters/clock.ts';
import type { Db } from './adapters/db/index.ts';
import { randomSecrets } from './adapters/secrets.ts';
import { AppError, errorMessage } from './errors.ts';
import { createDepartment, createTenant, listDepartments, tenantBaseUrl } from './modules/tenants/index.ts';
import { createApiToken, hashPassword, issueLink, MIN_PASSWORD_LENGTH } from './modules/auth/index.ts';
import { recordAudit } from './modules/audit/index.ts';
import type { Staff } from './modules/staff/index.ts';
import { createStaff, findStaffByEmail } from './modules/staff/index.ts';
import type { Department, Tenant } from './modules/tenants/index.ts';

export { openClientDatabase, EmbeddedDatabaseBusyError } from './adapters/db/index.ts';
export type { Db } from './adapters/db/index.ts';
export type { Tenant } from './modules/tenants/index.ts';
export { listTenants, findTenantBySlug } from './modules/tenants/index.ts';
export { loadConfig, ConfigError } from './config.ts';
export { migrate, migrationStatus } from './adapters/migrations/migrate.ts';
export { AppError } from './errors.ts';

const deps = { clock: systemClock, secrets: randomSecrets };

/** An AppError in plain English for a terminal. */
export function describe(err: unknown): string | undefined {
  return err instanceof AppError ? `${err.code}: ${errorMessage(err.code, 'en')}` : undefined;
}

/**
 * @throws {AppError} ERR_TENANT_EXISTS; ERR_VALIDATION for a bad slug.
 */
export async function createTenantWithDepartment(
  db: Db,
  input: { slug: string; name: string; hostnames: string[]; department?: string },
): Promise<{ tenant: Tenant; department?: Department }> {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(input.slug)) {
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'slug', code: 'ERR_VALIDATION' }] });
  }
  return db.transaction(async (tx) => {
    const tenant = await createTenant(tx, deps, {
      slug: input.slug,
      name: input.name,
      hostnames: input.hostnames.map((h) => h.toLowerCase()),
    });
    const department =
      input.department === undefined
        ? undefined
        : await createDepartment(tx, deps, tenant.id, { name: input.department });
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: deps.clock.now(),
      actor: { kind: 'system' },
      action: 'tenant.created',
      subject: { kind: 'tenant', id: tenant.id },
    });
    return department === undefined ? { tenant } : { tenant, department };
  });
}

/**
 * Creates an active staff member, optionally with a password and a department (by name).
 * @throws {AppError} ERR_STAFF_EXISTS, ERR_WEAK_PASSWORD, ERR_NOT_FOUND (unknown department).
 */
export async function createStaffMember(
  db: Db,
  tenant: Tenant,
  input: {
    email: string;
    displayName?: string;
    isTenantAdmin: boolean;
    department?: string;
    password?: string;
  },
): Promise<Staff> {
  if (input.password !== undefined && input.password.length < MIN_PASSWORD_LENGTH)
    throw new AppError('ERR_WEAK_PASSWORD');
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  let departmentIds: string[] = [];
  if (input.department !== undefined) {
    const wanted = input.department.toLowerCase();
    const d = (await listDepartments(db, tenant.id)).find((x) => x.name.toLowerCase() === wanted);
    if (d === undefined)
      throw new AppError('ERR_NOT_FOUND', { fields: [{ field: 'department', code: 'ERR_NOT_FOUND' }] });
    departmentIds = [d.id];
  }
  return db.transaction(async (tx) => {
    const staff = await createStaff(tx, deps, tenant.id, {
      email: input.email,
      displayName: input.displayName ?? null,
      isTenantAdmin: input.isTenantAdmin,
      status: 'active',
      departmentIds,
      passwordHash,
    });
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: deps.clock.now(),
      actor: { kind: 'system' },
      action: 'staff.created',
      subject: { kind: 'staff', id: staff.id },
    });
    return staff;
  });
}

async function activeStaff(db: Db, tenant: Tenant, email: string): Promise<Staff> {
  const staff = await findStaffByEmail(db, tenant.id, email);
  if (staff?.status !== 'active')
    throw new AppError('ERR_NOT_FOUND', { fields: [{ field: 'email', code: 'ERR_NOT_FOUND' }] });
  return staff;
}

/**
 * A one-time login link for an active staff member (valid one day).
 * @throws {AppError} ERR_NOT_FOUND for an unknown or inactive address.
 */
export async function loginLinkFor(
  db: Db,
  publicUrl: string,
  tenant: Tenant,
  email: string,
): Promise<string> {
  const staff = await activeStaff(db, tenant, email);
  const token = await issueLink(db, deps, {
    tenantId: tenant.id,
    staffId: staff.id,
    purpose: 'login',
    lifetimeMs: DAY,
  });
  await recordAudit(db, {
    tenantId: tenant.id,
    at: deps.clock.now(),
    actor: { kind: 'system' },
    action: 'staff.login_link_issued',
    subject: { kind: 'staff', id: staff.id },
  });
  return `${tenantBaseUrl(tenant, { publicUrl })}/login/link/${token}`;
}

/**
 * An API token for an active staff member; shown once, stored hashed.
 * @throws {AppError} ERR_NOT_FOUND for an unknown or inactive address.
 */
export async function apiTokenFor(db: Db, tenant: Tenant, email: string, label?: string): Promise<string> {
  const staff = await activeStaff(db, tenant, email);
  const { id, token } = await createApiToken(db, deps, {
    tenantId: tenant.id,
    staffId: staff.id,
    ...(label === undefined ? {} : { label }),
  });
  await recordAudit(db, {
    tenantId: tenant.id,
    at: deps.clock.now(),
    actor: { kind: 'system' },
    action: 'api_token.created',
    subject: { kind: 'api_token', id },
  });
  return token;
}
