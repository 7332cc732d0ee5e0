import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { inboundErrorHandler } from '../postbox/index.ts';
import { linkRoutes } from './routes/links.ts';

/**
 * Upload links: the caseworker's requests (create, see, close). The page behind each link, where
 * the guest starts an inbound session, belongs to the drop-off module (`/u/:token`).
 */
export function uploadLinkRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.setErrorHandler(inboundErrorHandler);
    linkRoutes(app, deps);
  };
}
