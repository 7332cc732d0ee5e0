import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { adminPageRoutes } from './routes/admin-page.ts';
import { departmentApiRoutes } from './routes/departments-api.ts';
import { staffApiRoutes } from './routes/staff-api.ts';

/** The tenant admin's pages and API: departments and staff. */
export function adminRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    adminPageRoutes(app, deps);
    departmentApiRoutes(app, deps);
    staffApiRoutes(app, deps);
  };
}
