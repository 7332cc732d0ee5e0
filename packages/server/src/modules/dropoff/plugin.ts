import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { inboundErrorHandler } from '../postbox/index.ts';
import { codeRoutes } from './routes/code.ts';
import { composeRoutes } from './routes/compose.ts';
import { islandRoutes } from './routes/island.ts';
import { startRoutes } from './routes/start.ts';
import { uploadLinkStartRoutes } from './routes/upload-link.ts';
import { uploadRoutes } from './routes/uploads.ts';

/**
 * Drop-off and the guest's side of upload links: the forms that start an inbound session, then
 * the steps every sender without an account goes through (the e-mail code, the message with
 * files, the confirmation), the JSON calls and the upload endpoint the page's island uses.
 */
export function dropoffRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // A refused file type names the file and the allowed types (the registry's message cannot).
    app.setErrorHandler(inboundErrorHandler);
    startRoutes(app, deps);
    uploadLinkStartRoutes(app, deps);
    codeRoutes(app, deps);
    composeRoutes(app, deps);
    islandRoutes(app, deps);
    uploadRoutes(app, deps);
  };
}
