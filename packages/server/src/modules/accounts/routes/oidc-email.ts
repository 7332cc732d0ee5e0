import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { oidcEmailPage } from '@amtsbote/web';
import { oidcEmailPaths } from '@amtsbote/contracts';
import type { FieldError, OidcEmailPageInput } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { appFieldErrors, looksLikeEmail } from '../../../http/forms.ts';
import { safeNext } from '../../../http/redirects.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { sessionIfAny } from '../../auth/index.ts';
import { confirmIdentityCode, pendingIdentity, sendIdentityCode } from '../services/oidc-email.ts';
import { startAccountSession } from '../session.ts';

/**
 * The page that asks for an e-mail address after a first sign-in through the identity service
 * without one (oidc-email.ts). GET shows the step the session is at; POST either mails a code
 * (`step=send`) or checks it (`step=verify`). Public: the caller is not signed in yet; the
 * identity waiting for this browser's session is what they may act on.
 */
export function oidcEmailRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = routesOf(app);
    // Only this browser's session finds the identity waiting for it.
    const sessionHash = (request: FastifyRequest) => sessionIfAny(request)?.idHash;
    const render = async (
      request: FastifyRequest,
      reply: FastifyReply,
      input: Omit<OidcEmailPageInput, 'name'>,
      status = 200,
    ) => {
      const pending = await pendingIdentity(deps, request.tenant.id, sessionHash(request));
      if (pending === undefined) throw new AppError('ERR_OIDC_STATE');
      return reply.page({
        ...oidcEmailPage(pageContext(request, reply), { ...input, name: pending.identity.name }),
        status,
      });
    };

    r.get(
      oidcEmailPaths.page,
      { config: { access: 'public' }, schema: { hide: true } },
      async (request, reply) => {
        const pending = await pendingIdentity(deps, request.tenant.id, sessionHash(request));
        if (pending === undefined) throw new AppError('ERR_OIDC_STATE');
        return render(request, reply, { sentTo: pending.email ?? undefined, errors: [] });
      },
    );

    r.post(
      oidcEmailPaths.page,
      {
        config: { access: 'public' },
        schema: {
          hide: true,
          body: formBody(
            { step: { type: 'string', enum: ['send', 'verify'] }, email: str(254), code: str(20) },
            ['step'],
          ),
        },
      },
      async (request, reply) => {
        if (request.body.step === 'send') {
          const email = (request.body.email ?? '').trim();
          if (!looksLikeEmail(email)) {
            const errors: FieldError[] = [
              { field: 'email', message: errorMessage('ERR_VALIDATION', request.locale) },
            ];
            return render(request, reply, { email, errors }, 400);
          }
          let sentTo: string;
          try {
            sentTo = await sendIdentityCode(deps, {
              tenant: request.tenant,
              sessionHash: sessionHash(request),
              email,
              ip: request.ip,
              locale: request.locale,
            });
          } catch (err) {
            if (!(err instanceof AppError) || err.code === 'ERR_OIDC_STATE') throw err;
            return render(
              request,
              reply,
              { email, errors: appFieldErrors(err, request.locale, 'email') },
              err.status,
            );
          }
          return render(request, reply, { sentTo, errors: [] });
        }
        let done: Awaited<ReturnType<typeof confirmIdentityCode>>;
        try {
          done = await confirmIdentityCode(deps, {
            tenantId: request.tenant.id,
            sessionHash: sessionHash(request),
            code: (request.body.code ?? '').trim(),
            locale: request.locale,
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'ERR_CODE_INVALID') throw err;
          const pending = await pendingIdentity(deps, request.tenant.id, sessionHash(request));
          const field = pending?.email == null ? 'email' : 'code';
          return render(
            request,
            reply,
            {
              sentTo: pending?.email ?? undefined,
              errors: [{ field, message: errorMessage(err.code, request.locale) }],
            },
            err.status,
          );
        }
        await startAccountSession(deps, request, reply, done.account.id, 'oidc');
        return reply.redirect(
          safeNext(done.next) ??
            `/account?notice=${done.created ? 'oidc-account-created' : 'oidc-identity-linked'}`,
          303,
        );
      },
    );
  };
}
