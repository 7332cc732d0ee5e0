import type { FastifyInstance } from 'fastify';
import { privacyPaths } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import type { RetentionOverview } from '../../privacy/index.ts';
import { sendPrivacyAdminPage } from '../../privacy/index.ts';
import type { RetentionRegistry } from '../registry.ts';
import { readPeriodsForm, saveRetentionPeriods } from '../services/periods.ts';

// One field per configurable rule (`days-<rule id>`), so the body schema names only the CSRF
// field; the rules' bounds are checked against the registry, in the page's own words.
const schema = { body: formBody({}) } as const;

/** The tenant admin sets the retention periods, on the privacy page. */
export function periodRoutes(deps: AppDeps, registry: RetentionRegistry, overview: RetentionOverview) {
  return async function plugin(plain: FastifyInstance): Promise<void> {
    const app = routesOf(plain);
    app.post(
      privacyPaths.adminRetention,
      { config: { access: 'tenantAdmin' }, schema, attachValidation: true },
      async (request, reply) => {
        const form = readPeriodsForm(registry, request.tenant, request.body, request.locale);
        if (form.errors.length > 0) {
          const retentionForm = { values: form.values, errors: form.errors };
          return sendPrivacyAdminPage(deps, overview, request, reply, { retentionForm }, 400);
        }
        await saveRetentionPeriods(deps, {
          tenant: request.tenant,
          adminId: staffOf(request).id,
          ipPrefix: request.ipPrefix,
          form,
        });
        app.invalidateTenantCache();
        return reply.redirect(`${privacyPaths.admin}?notice=retention-saved`, 303);
      },
    );
  };
}
