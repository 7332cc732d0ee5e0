import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { deleteAccountPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { cookieOptions, pageContext } from '../../../http/context.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import {
  accountOverview,
  allowIdentityServiceForms,
  freshlyConfirmed,
  passwordReentryProblem,
} from '../../accounts/index.ts';
import { accountOf, SESSION_COOKIE } from '../../auth/index.ts';
import { soleAdminOf } from '../../organisations/index.ts';
import type { LaterErasure } from '../erasure-steps.ts';
import { deleteAccount } from '../services/delete-account.ts';

/**
 * A citizen deletes their own service account: after re-entering the password (or a fresh
 * confirmation), and never while they are the last administrator of an organisation.
 */
export function accountDeletionRoutes(deps: AppDeps, erasure: LaterErasure) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // The same page policy as the other account pages (see accounts' plugin).
    allowIdentityServiceForms(app, deps);
    const r = routesOf(app);

    const deletePage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      errors: FieldError[] = [],
      status = 200,
    ) => {
      const account = accountOf(request);
      const overview = await accountOverview(deps.db, request.tenant.id, account.id);
      return reply.page({
        ...deleteAccountPage(pageContext(request, reply), {
          email: account.email,
          soleAdminOf: await soleAdminOf(deps.db, request.tenant.id, account.id),
          hasPassword: overview?.hasPassword === true,
          confirmed: freshlyConfirmed(deps, request, overview?.hasPassword === true),
          errors,
        }),
        status,
      });
    };
    const refused = (request: FastifyRequest, reply: FastifyReply, code: AppError['code'], status: number) =>
      deletePage(
        request,
        reply,
        [{ field: 'password', message: errorMessage(code, request.locale) }],
        status,
      );

    r.get(
      '/account/delete',
      { config: { access: 'account' }, schema: { hide: true } },
      async (request, reply) => deletePage(request, reply),
    );

    // Written out: each refusal (last admin, password) is shown at the password field.
    r.post(
      '/account/delete',
      {
        config: { access: 'account' },
        schema: { hide: true, body: formBody({ password: str(256), username: str(254) }) },
      },
      async (request, reply) => {
        const account = accountOf(request);
        // The last-admin rule first: no point asking for the password when it cannot go anyway.
        if ((await soleAdminOf(deps.db, request.tenant.id, account.id)).length > 0)
          return refused(request, reply, 'ERR_ORG_LAST_ADMIN', 409);
        const overview = await accountOverview(deps.db, request.tenant.id, account.id);
        const problem = await passwordReentryProblem(
          deps,
          request,
          account,
          overview?.hasPassword === true,
          request.body.password ?? '',
        );
        if (problem !== undefined) return refused(request, reply, problem.code, problem.status);
        try {
          await deleteAccount(deps, {
            tenant: request.tenant,
            accountId: account.id,
            ipPrefix: request.ipPrefix,
            alsoErase: erasure.alsoErase,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'ERR_ORG_LAST_ADMIN') throw err;
          return refused(request, reply, err.code, err.status);
        }
        reply.clearCookie(SESSION_COOKIE, cookieOptions);
        return reply.redirect('/?notice=account-deleted', 303);
      },
    );
  };
}
