import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { inboundErrorHandler } from './errors.ts';
import { answerRoutes } from './routes/answers.ts';
import { departmentKeyRoutes } from './routes/department-keys.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { settingsRoutes } from './routes/settings.ts';

/** The department postbox (staff): list, one item, assign, done, answer; settings; department keys. */
export function postboxRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.setErrorHandler(inboundErrorHandler);
    inboxRoutes(app, deps);
    answerRoutes(app, deps);
    settingsRoutes(app, deps);
    departmentKeyRoutes(app, deps);
  };
}
