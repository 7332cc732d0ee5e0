import type { FastifyInstance } from 'fastify';
import { accountRegisterPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { formRoute } from '../../../http/form-route.ts';
import { looksLikeEmail } from '../../../http/forms.ts';
import { safeNext } from '../../../http/redirects.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { pageContext } from '../../../http/context.ts';
import { signedInAccount } from '../../auth/index.ts';
import { normaliseEmail } from '../../staff/index.ts';
import { startAccountSession } from '../session.ts';
import { registerAccount, requestRegistrationCode } from '../services/registration.ts';

const nextQuery = { type: 'object', properties: { next: str(500) } } as const;

/** Registration: an address, a mailed code, and the account exists (signed in at once). */
export function registerRoutes(app: FastifyInstance, deps: AppDeps): void {
  routesOf(app).get(
    '/account/register',
    { config: { access: 'public' }, schema: { hide: true, querystring: nextQuery } },
    async (request, reply) => {
      if (signedInAccount(request) !== undefined) return reply.redirect('/account');
      const next = safeNext(request.query.next);
      return reply.page(accountRegisterPage(pageContext(request, reply), { errors: [], next }));
    },
  );

  formRoute(app, '/account/register', {
    access: 'public',
    schema: { body: formBody({ email: str(254), displayName: str(200), next: str(500) }) },
    errorField: 'email',
    async run(request, reply) {
      const email = (request.body.email ?? '').trim();
      const displayName = (request.body.displayName ?? '').trim();
      if (!looksLikeEmail(email))
        throw new AppError('ERR_VALIDATION', { fields: [{ field: 'email', code: 'ERR_VALIDATION' }] });
      const codeId = await requestRegistrationCode(deps, {
        tenant: request.tenant,
        email,
        ip: request.ip,
        locale: request.locale,
      });
      return reply.page(
        accountRegisterPage(pageContext(request, reply), {
          email: normaliseEmail(email),
          displayName,
          codeId,
          errors: [],
          next: safeNext((request.body.next ?? '').trim()),
        }),
      );
    },
    render: (request, reply, errors) =>
      accountRegisterPage(pageContext(request, reply), {
        email: (request.body.email ?? '').trim(),
        displayName: (request.body.displayName ?? '').trim(),
        errors,
        next: safeNext((request.body.next ?? '').trim()),
      }),
  });

  formRoute(app, '/account/register/verify', {
    access: 'public',
    schema: {
      body: formBody(
        { codeId: str(64), code: str(20), email: str(254), displayName: str(200), next: str(500) },
        ['codeId', 'code'],
      ),
    },
    errorField: 'code',
    fixable: ['ERR_CODE_INVALID'],
    async run(request, reply) {
      const account = await registerAccount(deps, {
        tenantId: request.tenant.id,
        codeId: request.body.codeId,
        code: request.body.code,
        displayName: (request.body.displayName ?? '').trim(),
        locale: request.locale,
        ipPrefix: request.ipPrefix,
      });
      await startAccountSession(deps, request, reply, account.id, 'code');
      return safeNext((request.body.next ?? '').trim()) ?? '/account?notice=account-created';
    },
    render: (request, reply, errors) =>
      accountRegisterPage(pageContext(request, reply), {
        email: (request.body.email ?? '').trim(),
        displayName: (request.body.displayName ?? '').trim(),
        codeId: request.body.codeId,
        errors,
        next: safeNext((request.body.next ?? '').trim()),
      }),
  });
}
