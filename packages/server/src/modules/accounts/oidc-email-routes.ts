import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { oidcEmailPage, oidcEmailPaths } from '@amtsbote/web';
import type { FieldError, OidcEmailPageInput } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { appFieldErrors, csrfField, formString } from '../../http/forms.ts';
import { safeNext } from '../../http/urls.ts';
import { startAccountSession } from './http.ts';
import { confirmIdentityCode, identityCodeMail, pendingIdentity, sendIdentityCode } from './oidc-email.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The page that asks for an e-mail address after a first sign-in through the identity service
 * without one (oidc-email.ts). GET shows the step the session is at; POST either mails a code
 * (`step=send`) or checks it (`step=verify`).
 */
export function oidcEmailRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const render = async (
      request: FastifyRequest,
      reply: FastifyReply,
      input: Omit<OidcEmailPageInput, 'name'>,
      status = 200,
    ) => {
      const pending = await pendingIdentity(deps, request.tenant.id, request.session?.idHash);
      if (pending === undefined) throw new AppError('ERR_OIDC_STATE');
      return reply.page({
        ...oidcEmailPage(pageContext(request, reply), { ...input, name: pending.identity.name }),
        status,
      });
    };

    app.get(oidcEmailPaths.page, { schema: { hide: true } }, async (request, reply) => {
      const pending = await pendingIdentity(deps, request.tenant.id, request.session?.idHash);
      if (pending === undefined) throw new AppError('ERR_OIDC_STATE');
      return render(request, reply, { sentTo: pending.email ?? undefined, errors: [] });
    });

    app.post(
      oidcEmailPaths.page,
      {
        schema: {
          hide: true,
          body: {
            type: 'object',
            required: ['step'],
            properties: {
              step: { type: 'string', enum: ['send', 'verify'] },
              email: { type: 'string', maxLength: 254 },
              code: { type: 'string', maxLength: 20 },
              _csrf: csrfField,
            },
          },
        },
      },
      async (request, reply) => {
        const step = (request.body as { step: 'send' | 'verify' }).step;
        if (step === 'send') {
          const email = formString(request.body, 'email');
          if (!EMAIL.test(email)) {
            const errors: FieldError[] = [
              { field: 'email', message: errorMessage('ERR_VALIDATION', request.locale) },
            ];
            return render(request, reply, { email, errors }, 400);
          }
          let sent: { code: string; email: string };
          try {
            sent = await sendIdentityCode(deps, {
              tenantId: request.tenant.id,
              sessionHash: request.session?.idHash,
              email,
              ip: request.ip,
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
          await deps.mailer.send(
            identityCodeMail(sent.email, request.locale, {
              code: sent.code,
              tenantName: request.tenant.name,
              service:
                deps.config.oidc?.label ??
                (request.locale === 'de' ? 'dem Identitätsdienst' : 'the identity service'),
            }),
          );
          return render(request, reply, { sentTo: sent.email, errors: [] });
        }
        let done: Awaited<ReturnType<typeof confirmIdentityCode>>;
        try {
          done = await confirmIdentityCode(deps, {
            tenantId: request.tenant.id,
            sessionHash: request.session?.idHash,
            code: formString(request.body, 'code'),
            locale: request.locale,
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'ERR_CODE_INVALID') throw err;
          const pending = await pendingIdentity(deps, request.tenant.id, request.session?.idHash);
          return render(
            request,
            reply,
            {
              sentTo: pending?.email ?? undefined,
              errors: [
                {
                  field: pending?.email == null ? 'email' : 'code',
                  message: errorMessage(err.code, request.locale),
                },
              ],
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
