import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { requireAdmin } from '../policy.ts';
import { revokeMember, setMemberRole } from '../services/membership.ts';
import { adminAction, membersPage } from './members-page.ts';

const memberParams = {
  type: 'object',
  required: ['id', 'accountId'],
  properties: { id: { $ref: 'Uuid#' }, accountId: { $ref: 'Uuid#' } },
} as const;

/** The members page of an organisation and the administrators' changes to its members. */
export function memberRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/organisations/:id/members',
    { config: { access: 'account' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const access = await requireAdmin(deps.db, request.tenant.id, request.params.id, accountOf(request).id);
      return reply.page(await membersPage(deps, request, reply, access));
    },
  );

  r.post(
    '/organisations/:id/members/:accountId/role',
    {
      config: { access: 'account' },
      schema: {
        hide: true,
        params: memberParams,
        body: formBody({ role: { type: 'string', enum: ['member', 'admin'] } }, ['role']),
      },
    },
    async (request, reply) =>
      adminAction(
        deps,
        request,
        reply,
        request.params.id,
        (admin) =>
          setMemberRole(deps, {
            tenantId: request.tenant.id,
            organisationId: request.params.id,
            accountId: request.params.accountId,
            role: request.body.role,
            admin,
            ipPrefix: request.ipPrefix,
          }),
        'role-changed',
      ),
  );

  r.post(
    '/organisations/:id/members/:accountId/revoke',
    { config: { access: 'account' }, schema: { hide: true, params: memberParams, body: formBody({}) } },
    async (request, reply) =>
      adminAction(
        deps,
        request,
        reply,
        request.params.id,
        (admin) =>
          revokeMember(deps, {
            tenant: request.tenant,
            organisationId: request.params.id,
            accountId: request.params.accountId,
            admin,
            ipPrefix: request.ipPrefix,
          }),
        'member-revoked',
      ),
  );
}
