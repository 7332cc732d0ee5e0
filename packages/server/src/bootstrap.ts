import type { AppDeps } from './deps.ts';
import { DAY } from './adapters/clock.ts';
import { issueLink } from './modules/auth/index.ts';
import { createStaff, neverSignedInStaff } from './modules/staff/index.ts';
import {
  createDepartment,
  createTenant,
  findTenantBySlug,
  listTenants,
  tenantBaseUrl,
} from './modules/tenants/index.ts';

export const DEMO_TENANT = { slug: 'musterstadt', name: 'Musterstadt' } as const;
export const DEMO_ADMIN_EMAIL = 'admin@musterstadt.example';
export const DEMO_DEPARTMENT = {
  name: 'Bürgerservice',
  description: 'Allgemeine Anliegen, Anträge und Nachweise / General requests, applications and certificates',
};

/**
 * On an empty database: the demo tenant Musterstadt with one department and one admin. While
 * that admin has never signed in, every start issues a fresh one-time login link (valid one
 * day), so a newcomer who lost the console output is not locked out.
 * @returns the link to print, or undefined when there is nothing to print.
 */
export async function bootstrapDemo(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'config'>,
): Promise<{ created: boolean; loginLink?: string }> {
  let created = false;
  if (deps.config.seedDemo && (await listTenants(deps.db)).length === 0) {
    await deps.db.transaction(async (tx) => {
      const tenant = await createTenant(tx, deps, DEMO_TENANT);
      const department = await createDepartment(tx, deps, tenant.id, DEMO_DEPARTMENT);
      await createStaff(tx, deps, tenant.id, {
        email: DEMO_ADMIN_EMAIL,
        displayName: 'Admin Musterstadt',
        isTenantAdmin: true,
        status: 'active',
        departmentIds: [department.id],
      });
    });
    created = true;
  }
  const tenant = await findTenantBySlug(deps.db, DEMO_TENANT.slug);
  const admin =
    tenant === undefined ? undefined : await neverSignedInStaff(deps.db, tenant.id, DEMO_ADMIN_EMAIL);
  if (tenant === undefined || admin === undefined) return { created };
  const token = await issueLink(deps.db, deps, {
    tenantId: tenant.id,
    staffId: admin.id,
    purpose: 'login',
    lifetimeMs: DAY,
  });
  return {
    created,
    loginLink: `${tenantBaseUrl(tenant, deps.config)}/login/link/${token}`,
  };
}
