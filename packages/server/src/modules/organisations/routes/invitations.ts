import type { FastifyInstance } from 'fastify';
import { organisationInvitationPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { formRoute } from '../../../http/form-route.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { requireAdmin } from '../policy.ts';
import {
  acceptInvitation,
  closeInvitation,
  confirmInvitation,
  invitationByToken,
  inviteMember,
} from '../services/invitations.ts';
import { adminAction, membersPage } from './members-page.ts';
import { fullAccount } from './shared.ts';

const invitationParams = {
  type: 'object',
  required: ['id', 'invitationId'],
  properties: { id: { $ref: 'Uuid#' }, invitationId: { $ref: 'Uuid#' } },
} as const;

/**
 * Invitations: the link an invitee opens and accepts, and the administrators' side (invite,
 * confirm an accepted invitation, decline or withdraw one).
 */
export function invitationRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  // Before the organisation id: a literal segment wins in the router. Anyone may look at an
  // invitation (it says which address it is for); accepting needs that address's account.
  r.get(
    '/organisations/invitations/:token',
    { config: { access: 'public' }, schema: { hide: true, params: { $ref: 'TokenParams#' } } },
    async (request, reply) => {
      const { token } = request.params;
      const inv = await invitationByToken(deps, request.tenant.id, token);
      return reply.page(
        organisationInvitationPage(pageContext(request, reply), {
          token,
          organisationName: inv.organisationName,
          email: inv.email,
          signedInAs: request.session?.account?.email,
          accepted: inv.status === 'accepted',
        }),
      );
    },
  );

  // Answers with the invitation page either way (no redirect): it says what happens next.
  r.post(
    '/organisations/invitations/accept',
    { config: { access: 'account' }, schema: { hide: true, body: formBody({ token: str(200) }, ['token']) } },
    async (request, reply) => {
      const { token } = request.body;
      const account = await fullAccount(deps, request);
      try {
        const inv = await acceptInvitation(deps, {
          tenant: request.tenant,
          token,
          account,
          ipPrefix: request.ipPrefix,
        });
        return await reply.page(
          organisationInvitationPage(pageContext(request, reply), {
            token,
            organisationName: inv.organisationName,
            email: inv.email,
            signedInAs: account.email,
            accepted: true,
          }),
        );
      } catch (err) {
        if (
          !(err instanceof AppError) ||
          err.code === 'ERR_LINK_INVALID' ||
          err.code === 'ERR_INVITATION_EXPIRED'
        )
          throw err;
        const inv = await invitationByToken(deps, request.tenant.id, token);
        return reply.page({
          ...organisationInvitationPage(pageContext(request, reply), {
            token,
            organisationName: inv.organisationName,
            email: inv.email,
            signedInAs: account.email,
            accepted: false,
            error: errorMessage(err.code, request.locale),
          }),
          status: err.status,
        });
      }
    },
  );

  formRoute(app, '/organisations/:id/invitations', {
    access: 'account',
    schema: { params: { $ref: 'IdParams#' }, body: formBody({ email: str(254) }) },
    errorField: 'email',
    fixable: ['ERR_ALREADY_MEMBER', 'ERR_VALIDATION'],
    run: async (request) => {
      const admin = await fullAccount(deps, request);
      const access = await requireAdmin(deps.db, request.tenant.id, request.params.id, admin.id);
      await inviteMember(deps, {
        tenant: request.tenant,
        organisationId: access.organisation.id,
        admin,
        email: (request.body.email ?? '').trim(),
        locale: request.locale,
        ipPrefix: request.ipPrefix,
      });
      return `/organisations/${access.organisation.id}/members?notice=invitation-sent`;
    },
    render: async (request, reply, errors) => {
      const account = await fullAccount(deps, request);
      const access = await requireAdmin(deps.db, request.tenant.id, request.params.id, account.id);
      return membersPage(deps, request, reply, access, { errors });
    },
  });

  r.post(
    '/organisations/:id/invitations/:invitationId/confirm',
    { config: { access: 'account' }, schema: { hide: true, params: invitationParams, body: formBody({}) } },
    async (request, reply) =>
      adminAction(
        deps,
        request,
        reply,
        request.params.id,
        (admin) =>
          confirmInvitation(deps, {
            tenant: request.tenant,
            organisationId: request.params.id,
            invitationId: request.params.invitationId,
            admin,
            ipPrefix: request.ipPrefix,
          }),
        'member-confirmed',
      ),
  );

  r.post(
    '/organisations/:id/invitations/:invitationId/close',
    { config: { access: 'account' }, schema: { hide: true, params: invitationParams, body: formBody({}) } },
    async (request, reply) =>
      adminAction(
        deps,
        request,
        reply,
        request.params.id,
        (admin) =>
          closeInvitation(deps, {
            tenantId: request.tenant.id,
            organisationId: request.params.id,
            invitationId: request.params.invitationId,
            admin,
            ipPrefix: request.ipPrefix,
          }),
        'invitation-closed',
      ),
  );
}
