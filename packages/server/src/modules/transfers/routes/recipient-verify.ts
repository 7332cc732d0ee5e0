import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { cookieOptions } from '../../../http/context.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { createSession, deleteSession, SESSION_COOKIE, SESSION_MAX_MS } from '../../auth/index.ts';
import { linkAccess, maskEmail } from '../link-access.ts';
import { mailRecipientCode, verifyRecipientAddress } from '../services/verify-recipient.ts';
import { showRecipientVerify } from './recipient-pages.ts';

/** Level 2: the recipient proves their address by a mailed code and is signed in by it. */
export function recipientVerifyRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.post(
    '/t/:token/code',
    {
      config: { access: 'public' },
      schema: { params: { $ref: 'TokenParams#' }, hide: true, body: formBody({}) },
    },
    async (request, reply) => {
      const { token } = request.params;
      const access = await linkAccess(deps, request, token);
      const maskedEmail = maskEmail(access.email);
      let codeId: string;
      try {
        codeId = await mailRecipientCode(deps, request.tenant, access, request);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return showRecipientVerify(request, reply.status(err.status), { token, maskedEmail, error: err });
      }
      return showRecipientVerify(request, reply, { token, maskedEmail, codeId });
    },
  );

  app.post(
    '/t/:token/verify',
    {
      config: { access: 'public' },
      schema: {
        params: { $ref: 'TokenParams#' },
        hide: true,
        body: formBody({ codeId: { $ref: 'Uuid#' }, code: { type: 'string', maxLength: 20 } }, [
          'codeId',
          'code',
        ]),
      },
    },
    async (request, reply) => {
      const { token } = request.params;
      const { codeId, code } = request.body;
      const access = await linkAccess(deps, request, token);
      try {
        const { accountId, needsSignIn } = await verifyRecipientAddress(deps, request.tenant, access, {
          codeId,
          code,
          locale: request.locale,
          ipPrefix: request.ipPrefix,
        });
        if (needsSignIn)
          return await reply.redirect(
            `/account/login?notice=sign-in-required&next=${encodeURIComponent(`/t/${token}`)}`,
            303,
          );
        if (request.session !== undefined) await deleteSession(deps.db, request.session.idHash);
        const sid = await createSession(deps.db, deps, {
          tenantId: request.tenant.id,
          accountId,
          locale: request.locale,
          userAgent: request.headers['user-agent'],
          ipPrefix: request.ipPrefix,
          authMethod: 'code',
        });
        void reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'ERR_CODE_INVALID') throw err;
        return showRecipientVerify(request, reply.status(err.status), {
          token,
          maskedEmail: maskEmail(access.email),
          codeId,
          error: err,
        });
      }
      return reply.redirect(`/t/${token}`, 303);
    },
  );
}
