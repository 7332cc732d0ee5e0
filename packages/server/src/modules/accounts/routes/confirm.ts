import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { confirmIdentityPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { safeNext } from '../../../http/redirects.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { accountOf, sessionOf } from '../../auth/index.ts';
import { confirmIdentityWithPassword } from '../reauth.ts';
import { accountOverview } from '../service.ts';

/** "Confirm it is you" before a destructive step: password, passkey or identity service. */
export function confirmRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);
  const oidcLabel = deps.config.oidc?.label;

  const confirmPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    next: string,
    errors: FieldError[] = [],
    status = 200,
  ) => {
    const account = accountOf(request);
    const overview = await accountOverview(deps.db, request.tenant.id, account.id);
    return reply.page({
      ...confirmIdentityPage(pageContext(request, reply), {
        next,
        errors,
        email: account.email,
        hasPassword: overview?.hasPassword === true,
        hasPasskey: (overview?.passkeys.length ?? 0) > 0,
        oidcLabel: (overview?.identities.length ?? 0) > 0 ? oidcLabel : undefined,
      }),
      status,
    });
  };

  r.get(
    '/account/confirm',
    {
      config: { access: 'account' },
      schema: { hide: true, querystring: { type: 'object', properties: { next: str(500) } } },
    },
    async (request, reply) => confirmPage(request, reply, safeNext(request.query.next) ?? '/account'),
  );

  r.post(
    '/account/confirm',
    {
      config: { access: 'account' },
      schema: { hide: true, body: formBody({ password: str(256), next: str(500), username: str(254) }) },
    },
    async (request, reply) => {
      const next = safeNext((request.body.next ?? '').trim()) ?? '/account';
      const problem = await confirmIdentityWithPassword(deps, {
        tenantId: request.tenant.id,
        account: accountOf(request),
        sessionHash: sessionOf(request).idHash,
        ip: request.ip,
        password: request.body.password ?? '',
      });
      if (problem === undefined) return reply.redirect(next, 303);
      const errors = [{ field: 'password', message: errorMessage(problem.code, request.locale) }];
      return confirmPage(request, reply, next, errors, problem.status);
    },
  );
}
