import type { FastifyInstance } from 'fastify';
import type { AccountHomeInput } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { formRoute } from '../../../http/form-route.ts';
import { appFieldErrors, looksLikeEmail } from '../../../http/forms.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { normaliseEmail } from '../../staff/index.ts';
import { confirmEmailChange, requestEmailChange } from '../services/email-change.ts';
import type { AccountHomePage } from './home-forms.ts';

/** Changing the address: a code to the new one, then the change (the old one is told). */
export function emailChangeRoutes(app: FastifyInstance, deps: AppDeps, home: AccountHomePage): void {
  formRoute(app, '/account/email', {
    access: 'account',
    schema: { body: formBody({ email: str(254) }) },
    errorField: 'email',
    async run(request, reply) {
      const account = accountOf(request);
      const email = normaliseEmail((request.body.email ?? '').trim());
      if (!looksLikeEmail(email) || email === account.email)
        throw new AppError('ERR_VALIDATION', { fields: [{ field: 'email', code: 'ERR_VALIDATION' }] });
      const codeId = await requestEmailChange(deps, {
        tenant: request.tenant,
        accountId: account.id,
        email,
        ip: request.ip,
        locale: request.locale,
      });
      return reply.page(await home(request, reply, account.id, { emailChange: { email, codeId } }));
    },
    render: (request, reply, errors) =>
      home(request, reply, accountOf(request).id, { errors, errorForm: 'email' }),
  });

  // Written out: a wrong code shows the code step again, any other refusal the address form.
  routesOf(app).post(
    '/account/email/verify',
    {
      config: { access: 'account' },
      schema: {
        hide: true,
        body: formBody({ codeId: str(64), code: str(20), email: str(254) }, ['codeId', 'code']),
      },
    },
    async (request, reply) => {
      const account = accountOf(request);
      const { codeId, code } = request.body;
      try {
        await confirmEmailChange(deps, {
          tenant: request.tenant,
          account,
          codeId,
          code,
          locale: request.locale,
          ipPrefix: request.ipPrefix,
          log: request.log,
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const extra: Partial<AccountHomeInput> =
          err.code === 'ERR_CODE_INVALID'
            ? {
                emailChange: { email: (request.body.email ?? '').trim(), codeId },
                errors: [{ field: 'code', message: errorMessage(err.code, request.locale) }],
                errorForm: 'email-verify',
              }
            : { errors: appFieldErrors(err, request.locale, 'email'), errorForm: 'email' };
        return reply.page({ ...(await home(request, reply, account.id, extra)), status: err.status });
      }
      return reply.redirect('/account?notice=email-changed', 303);
    },
  );
}
