import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { privacyAdminRoutes } from '../privacy/index.ts';
import { retentionErasureSteps } from './erasure.ts';
import { adminRetention } from './notice.ts';
import type { RetentionRegistry } from './registry.ts';
import { keepPage } from './routes/keep.ts';
import { periodRoutes } from './routes/periods.ts';
import { retentionRegistry } from './rules.ts';

/**
 * The stop link of an organisation's deletion announcement, and the tenant admin's privacy page:
 * its retention periods are this module's; the page and a person's requests are the privacy
 * module's, registered here because the page lists the periods.
 */
export function retentionRoutes(deps: AppDeps, registry: RetentionRegistry = retentionRegistry) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const overview = adminRetention(deps.config, registry);
    await app.register(keepPage(deps));
    await app.register(periodRoutes(deps, registry, overview));
    await app.register(privacyAdminRoutes(deps, overview, { alsoErase: retentionErasureSteps }));
  };
}
