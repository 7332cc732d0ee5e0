import type { FastifyInstance } from 'fastify';
import { acceptInvitationPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { appFieldErrors } from '../../../http/forms.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { acceptInvitation } from '../service.ts';
import { invitedStaff } from '../services/login-links.ts';
import { startStaffSession } from '../session-start.ts';

/** An invited staff member sets a password and is signed in. */
export function invitationRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/invitations/:token',
    { config: { access: 'public' }, schema: { params: { $ref: 'TokenParams#' } } },
    async (request, reply) => {
      const { token } = request.params;
      const staff = await invitedStaff(deps, request.tenant.id, token);
      return reply.page(
        acceptInvitationPage(pageContext(request, reply), { token, email: staff.email, errors: [] }),
      );
    },
  );

  // Written out: an invalid body or link is the error page, not the form again.
  r.post(
    '/invitations/accept',
    {
      config: { access: 'public' },
      schema: {
        body: formBody(
          { token: str(200), displayName: str(200), password: str(256), passwordConfirm: str(256) },
          ['token', 'password', 'passwordConfirm'],
        ),
      },
    },
    async (request, reply) => {
      const body = request.body;
      try {
        const { staffId } = await acceptInvitation(deps, {
          tenantId: request.tenant.id,
          token: body.token,
          displayName: body.displayName?.trim() ?? '',
          password: body.password,
          passwordConfirm: body.passwordConfirm,
          ipPrefix: request.ipPrefix,
        });
        await startStaffSession(deps, request, reply, staffId);
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'ERR_LINK_INVALID') throw err;
        const staff = await invitedStaff(deps, request.tenant.id, body.token);
        return reply.page({
          ...acceptInvitationPage(pageContext(request, reply), {
            token: body.token,
            email: staff.email,
            errors: appFieldErrors(err, request.locale, 'password'),
          }),
          status: err.status,
        });
      }
      return reply.redirect('/home', 303);
    },
  );
}
