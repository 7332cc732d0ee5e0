import type { FastifyInstance } from 'fastify';
import { accountForgotPage, accountResetPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { cookieOptions, pageContext } from '../../../http/context.ts';
import { formRoute } from '../../../http/form-route.ts';
import { appFieldErrors, looksLikeEmail } from '../../../http/forms.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { SESSION_COOKIE, sessionIfAny, signedInAccount } from '../../auth/index.ts';
import { requestPasswordReset, resetPassword } from '../services/password.ts';
import { peekResetLink } from '../signin.ts';

/** "Forgot password": a mailed link, and the form behind it that sets a new password. */
export function passwordResetRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/account/password/forgot',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) =>
      reply.page(accountForgotPage(pageContext(request, reply), { errors: [], sent: false })),
  );

  formRoute(app, '/account/password/forgot', {
    access: 'public',
    schema: { body: formBody({ email: str(254) }) },
    errorField: 'email',
    fixable: ['ERR_VALIDATION'],
    async run(request, reply) {
      const email = (request.body.email ?? '').trim();
      if (!looksLikeEmail(email))
        throw new AppError('ERR_VALIDATION', { fields: [{ field: 'email', code: 'ERR_VALIDATION' }] });
      await requestPasswordReset(deps, {
        tenant: request.tenant,
        email,
        ip: request.ip,
        locale: request.locale,
      });
      // The same answer whether or not the address has an account, and whether or not it was limited.
      return reply.page(accountForgotPage(pageContext(request, reply), { errors: [], sent: true }));
    },
    render: (request, reply, errors) =>
      accountForgotPage(pageContext(request, reply), {
        email: (request.body.email ?? '').trim(),
        errors,
        sent: false,
      }),
  });

  // GET only shows the form: mail scanners open links, and that must not use them up.
  r.get(
    '/account/password/reset/:token',
    { config: { access: 'public' }, schema: { hide: true, params: { $ref: 'TokenParams#' } } },
    async (request, reply) => {
      const { token } = request.params;
      const link = await peekResetLink(deps, request.tenant.id, token);
      if (link === undefined) throw new AppError('ERR_LINK_INVALID');
      return reply.page(
        accountResetPage(pageContext(request, reply), { token, email: link.email, errors: [] }),
      );
    },
  );

  // Written out: an invalid or used link is the error page, not the form again.
  r.post(
    '/account/password/reset',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        body: formBody(
          { token: str(200), password: str(256), passwordConfirm: str(256), username: str(254) },
          ['token'],
        ),
      },
    },
    async (request, reply) => {
      const { token } = request.body;
      // The reset ends every session of the account; a browser signed in to one forgets its cookie.
      const browserSession = signedInAccount(request) === undefined ? undefined : sessionIfAny(request);
      try {
        await resetPassword(deps, {
          tenantId: request.tenant.id,
          token,
          password: request.body.password ?? '',
          confirm: request.body.passwordConfirm ?? '',
          ipPrefix: request.ipPrefix,
          browserSession: browserSession?.idHash,
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'ERR_LINK_INVALID') throw err;
        const link = await peekResetLink(deps, request.tenant.id, token);
        if (link === undefined) throw new AppError('ERR_LINK_INVALID');
        return reply.page({
          ...accountResetPage(pageContext(request, reply), {
            token,
            email: link.email,
            errors: appFieldErrors(err, request.locale, 'password'),
          }),
          status: err.status,
        });
      }
      if (browserSession !== undefined) reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.redirect('/account/login?notice=password-reset', 303);
    },
  );
}
