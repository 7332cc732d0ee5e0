import type { AppDeps } from './deps.ts';
import { DAY } from './adapters/clock.ts';
import { one } from './adapters/db/index.ts';
import { issueLink } from './modules/auth/links.ts';
import { createStaff } from './modules/staff/service.ts';
import { createDepartment, createTenant, listTenants } from './modules/tenants/service.ts';
import { tenantBaseUrl } from './http/urls.ts';

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
  const admin = await one<{ tenant_id: string; id: string; hostnames: string[] }>(
    deps.db,
    `SELECT s.tenant_id, s.id, t.hostnames FROM staff s JOIN tenants t ON t.id = s.tenant_id
     WHERE t.slug = $1 AND s.email = $2 AND s.status = 'active' AND s.last_login_at IS NULL AND s.password_hash IS NULL`,
    [DEMO_TENANT.slug, DEMO_ADMIN_EMAIL],
  );
  if (admin === undefined) return { created };
  const token = await issueLink(deps.db, deps, {
    tenantId: admin.tenant_id,
    staffId: admin.id,
    purpose: 'login',
    lifetimeMs: DAY,
  });
  return {
    created,
    loginLink: `${tenantBaseUrl({ hostnames: admin.hostnames }, deps.config)}/login/link/${token}`,
  };
}
