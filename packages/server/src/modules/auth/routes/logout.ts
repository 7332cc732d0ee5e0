import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { cookieOptions } from '../../../http/context.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { SESSION_COOKIE, sessionIfAny, staffIfSignedIn } from '../request.ts';
import { signOutEverywhere } from '../service.ts';
import { deleteSession } from '../store/sessions.ts';

/**
 * Signing out. Both stay `public`: signing out without a session (an expired one, a second
 * tab) still clears the cookie and lands on the start page, never on a sign-in request.
 */
export function logoutRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.post(
    '/logout',
    { config: { access: 'public' }, schema: { body: formBody({}) } },
    async (request, reply) => {
      const session = sessionIfAny(request);
      if (session !== undefined) await deleteSession(deps.db, session.idHash);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.redirect('/?notice=signed-out', 303);
    },
  );

  r.post(
    '/logout/all',
    { config: { access: 'public' }, schema: { body: formBody({}) } },
    async (request, reply) => {
      const staff = staffIfSignedIn(request);
      if (staff !== undefined)
        await signOutEverywhere(deps, {
          tenantId: request.tenant.id,
          staffId: staff.id,
          ipPrefix: request.ipPrefix,
        });
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.redirect('/?notice=signed-out-everywhere', 303);
    },
  );
}
