// The tenants module's public surface: other modules import from here, never from its files.
export type { Department, Tenant, TenantSettings } from './store.ts';
export {
  createDepartment,
  createTenant,
  findTenantBySlug,
  getDepartment,
  listDepartments,
  listTenants,
  updateDepartment,
} from './store.ts';
export { saveTenantSettings } from './store.ts';
export { registerTenantResolution } from './request.ts';
export { tenantBaseUrl } from './urls.ts';

// Used by postbox: departments' drop-off settings.
export type { InboundDepartmentRow } from './store.ts';
export { inboundDepartmentRow, inboundDepartmentRows, setDepartmentDropoff } from './store.ts';
