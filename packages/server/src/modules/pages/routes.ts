import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { accountHomeRoutes } from './routes/account-home.ts';
import { feedbackRoutes } from './routes/feedback.ts';
import { publicPages } from './routes/public.ts';

/** The public pages, the accessibility feedback form, and the pages composed of several modules. */
export function pageRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    await app.register(publicPages(deps));
    await app.register(feedbackRoutes(deps));
    await app.register(accountHomeRoutes(deps));
  };
}
