import type { FastifyInstance } from 'fastify';
import { accountLoginPage, accountTotpPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import type { ErrorCode } from '../../../errors.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { appFieldErrors, looksLikeEmail } from '../../../http/forms.ts';
import { safeNext } from '../../../http/redirects.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { signedInAccount } from '../../auth/index.ts';
import { signInWithPassword, signInWithSecondFactor } from '../services/sign-in.ts';
import { startAccountSession } from '../session.ts';

/** Signing in with address and password, and the second step with a TOTP or recovery code. */
export function signinRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);
  const oidcLabel = deps.config.oidc?.label;

  r.get(
    '/account/login',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: { type: 'object', properties: { next: str(500), notice: str(50) } },
      },
    },
    async (request, reply) => {
      const next = safeNext(request.query.next);
      if (signedInAccount(request) !== undefined) return reply.redirect(next ?? '/account');
      return reply.page(accountLoginPage(pageContext(request, reply), { errors: [], next, oidcLabel }));
    },
  );

  // Written out rather than with formRoute: every refusal is shown at the address field in the
  // same words (a wrong password must not look different from an unknown address).
  r.post(
    '/account/login',
    {
      config: { access: 'public' },
      schema: { hide: true, body: formBody({ email: str(254), password: str(256), next: str(500) }) },
    },
    async (request, reply) => {
      const email = (request.body.email ?? '').trim();
      const password = request.body.password ?? '';
      const next = safeNext((request.body.next ?? '').trim());
      const ctx = pageContext(request, reply);
      const refused = (code: ErrorCode, status: number) =>
        reply.page({
          ...accountLoginPage(ctx, {
            email,
            errors: [{ field: 'email', message: errorMessage(code, request.locale) }],
            next,
            oidcLabel,
          }),
          status,
        });
      if (!looksLikeEmail(email) || password === '') return refused('ERR_INVALID_CREDENTIALS', 400);
      try {
        const result = await signInWithPassword(deps, {
          tenantId: request.tenant.id,
          email,
          password,
          ip: request.ip,
          ipPrefix: request.ipPrefix,
          next,
        });
        if (result.kind === 'totp')
          return await reply.page(accountTotpPage(ctx, { challenge: result.challenge, errors: [] }));
        await startAccountSession(deps, request, reply, result.account.id, 'password');
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return refused(err.code, err.status);
      }
      return reply.redirect(next ?? '/account', 303);
    },
  );

  r.post(
    '/account/login/totp',
    {
      config: { access: 'public' },
      schema: { hide: true, body: formBody({ challenge: str(200), code: str(40) }, ['challenge', 'code']) },
    },
    async (request, reply) => {
      const { challenge, code } = request.body;
      let done: Awaited<ReturnType<typeof signInWithSecondFactor>>;
      try {
        done = await signInWithSecondFactor(deps, {
          tenantId: request.tenant.id,
          challenge,
          code,
          ipPrefix: request.ipPrefix,
        });
      } catch (err) {
        // A challenge that is gone is the error page; a wrong code shows the form again.
        if (!(err instanceof AppError) || err.code === 'ERR_LINK_INVALID') throw err;
        return reply.page({
          ...accountTotpPage(pageContext(request, reply), {
            challenge,
            errors: appFieldErrors(err, request.locale, 'code'),
          }),
          status: err.status,
        });
      }
      await startAccountSession(deps, request, reply, done.accountId, done.method);
      return reply.redirect(safeNext(done.next) ?? '/account', 303);
    },
  );
}
