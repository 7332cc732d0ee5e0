import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { apiRoutes } from './api.ts';
import { deleteRoutes } from './delete.ts';
import { invitationRoutes } from './invitations.ts';
import { keyRoutes } from './keys.ts';
import { listRoutes } from './list.ts';
import { memberRoutes } from './members.ts';
import { settingsRoutes } from './settings.ts';

/**
 * Organisation accounts: pages and API. Every route is for a signed-in service account (but
 * the invitation link and the key-shares poll); which organisation it may see is decided per
 * request by policy.ts: non-members get 404 for every organisation URL. The organisation's
 * postbox (messages, replies) is the postbox module's.
 */
export function organisationRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    listRoutes(app, deps);
    invitationRoutes(app, deps);
    memberRoutes(app, deps);
    settingsRoutes(app, deps);
    deleteRoutes(app, deps);
    keyRoutes(app, deps);
    apiRoutes(app, deps);
  };
}
