import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError, Page } from '@amtsbote/web';
import { organisationDeletePage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { accountOverview, freshlyConfirmed, passwordReentryProblem } from '../../accounts/index.ts';
import { accountOf } from '../../auth/index.ts';
import { requireAdmin } from '../policy.ts';
import { deleteOrganisation } from '../service.ts';
import type { OrganisationAccess } from '../store/organisations.ts';
import { summaryOf } from './shared.ts';

async function deletePage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  access: OrganisationAccess,
  errors: FieldError[] = [],
): Promise<Page> {
  const account = accountOf(request);
  const overview = await accountOverview(deps.db, request.tenant.id, account.id);
  return organisationDeletePage(pageContext(request, reply), {
    org: summaryOf(access),
    role: access.role,
    email: account.email,
    hasPassword: overview?.hasPassword === true,
    confirmed: freshlyConfirmed(deps, request, overview?.hasPassword === true),
    errors,
  });
}

/** Deleting the organisation for good (administrators). */
export function deleteRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/organisations/:id/delete',
    { config: { access: 'account' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const access = await requireAdmin(deps.db, request.tenant.id, request.params.id, accountOf(request).id);
      return reply.page(await deletePage(deps, request, reply, access));
    },
  );

  // Deleting needs an administrator and the re-entered password (or a confirmation with passkey
  // or identity service within the last 10 minutes): seed 002, "Konto löschen".
  r.post(
    '/organisations/:id/delete',
    {
      config: { access: 'account' },
      schema: {
        hide: true,
        params: { $ref: 'IdParams#' },
        body: formBody({ password: str(256), username: str(254) }),
      },
    },
    async (request, reply) => {
      const account = accountOf(request);
      const access = await requireAdmin(deps.db, request.tenant.id, request.params.id, account.id);
      const overview = await accountOverview(deps.db, request.tenant.id, account.id);
      const problem = await passwordReentryProblem(
        deps,
        request,
        account,
        overview?.hasPassword === true,
        request.body.password ?? '',
      );
      if (problem !== undefined) {
        const field = { field: 'password', message: errorMessage(problem.code, request.locale) };
        const page = await deletePage(deps, request, reply, access, [field]);
        return reply.page({ ...page, status: problem.status });
      }
      await deleteOrganisation(deps, {
        tenantId: request.tenant.id,
        organisationId: access.organisation.id,
        accountId: account.id,
        ipPrefix: request.ipPrefix,
      });
      return reply.redirect('/organisations?notice=organisation-deleted', 303);
    },
  );
}
