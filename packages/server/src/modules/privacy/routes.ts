import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import type { LaterErasure } from './erasure-steps.ts';
import { accountDeletionRoutes } from './routes/account-deletion.ts';
import { myDataRoutes } from './routes/my-data.ts';
import { statisticsRoutes } from './routes/statistics.ts';

/**
 * Data-subject rights: a service account sees and downloads its data; a tenant admin reads the
 * usage counts. The tenant admin's privacy page (`privacyAdminRoutes`) needs the retention
 * periods, so the retention module registers it. `erasure` carries the later modules' part of
 * deleting an account (see LaterErasure): app.ts hands it in.
 */
export function privacyRoutes(deps: AppDeps, erasure: LaterErasure) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    await app.register(myDataRoutes(deps));
    await app.register(statisticsRoutes(deps));
    await app.register(accountDeletionRoutes(deps, erasure));
  };
}
