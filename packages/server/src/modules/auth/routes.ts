import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { loginRoutes } from './routes/login.ts';
import { logoutRoutes } from './routes/logout.ts';
import { ssoSettingsRoutes } from './routes/sso-settings.ts';
import { staffHomeRoutes } from './routes/staff-home.ts';

/**
 * Sign-in and sign-out for staff: password, one-time links, invitations; and the staff home
 * page (`GET /home`, which stays here: it is the landing page of a staff sign-in).
 */
export function authRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    loginRoutes(app, deps);
    invitationRoutes(app, deps);
    logoutRoutes(app, deps);
    staffHomeRoutes(app, deps);
  };
}

/** The tenant admin's settings for staff single sign-on. */
export function ssoAdminRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    ssoSettingsRoutes(app, deps);
  };
}
