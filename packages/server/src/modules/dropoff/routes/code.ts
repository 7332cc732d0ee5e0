import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { inboundCodePage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { pageContext, queryString } from '../../../http/context.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { sessionOfRequest } from '../policy.ts';
import { checkSessionCode, sendSessionCode } from '../services/session-code.ts';
import { markVerified, maskAddress } from '../sessions.ts';

/** The page that asks for the code mailed to the sender (again, with an error or "sent again"). */
function codePage(
  request: FastifyRequest,
  reply: FastifyReply,
  s: { id: string; email: string },
  extra: { error?: AppError; resent?: boolean } = {},
): FastifyReply {
  return reply.page({
    ...inboundCodePage(pageContext(request, reply), {
      sessionId: s.id,
      maskedEmail: maskAddress(s.email),
      error: extra.error === undefined ? undefined : errorMessage(extra.error.code, request.locale),
      resent: extra.resent === true,
    }),
    status: extra.error?.status ?? 200,
  });
}

/** The e-mail code step: the page, checking the code, and sending another one. */
export function codeRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.get(
    '/inbound/:id/code',
    {
      config: { access: 'public' },
      schema: { hide: true, params: { $ref: 'IdParams#' } },
    },
    async (request, reply) => {
      const s = await sessionOfRequest(deps, request, request.params.id);
      if (s.verified) return reply.redirect(`/inbound/${s.id}`, 303);
      return codePage(request, reply, s, { resent: queryString(request, 'resent') === '1' });
    },
  );

  app.post(
    '/inbound/:id/verify',
    {
      config: { access: 'public' },
      schema: { hide: true, params: { $ref: 'IdParams#' }, body: formBody({ code: str(20) }, ['code']) },
    },
    async (request, reply) => {
      const s = await sessionOfRequest(deps, request, request.params.id);
      if (s.verified) return reply.redirect(`/inbound/${s.id}`, 303);
      try {
        await checkSessionCode(deps, request.tenant.id, s.id, request.body.code.trim());
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'ERR_CODE_INVALID') throw err;
        return codePage(request, reply, s, { error: err });
      }
      await markVerified(deps, request.tenant.id, s.id);
      return reply.redirect(`/inbound/${s.id}`, 303);
    },
  );

  app.post(
    '/inbound/:id/resend',
    {
      config: { access: 'public' },
      schema: { hide: true, params: { $ref: 'IdParams#' }, body: formBody({}) },
    },
    async (request, reply) => {
      const s = await sessionOfRequest(deps, request, request.params.id);
      if (s.verified) return reply.redirect(`/inbound/${s.id}`, 303);
      try {
        await sendSessionCode(deps, request, s);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'ERR_RATE_LIMITED') throw err;
        return codePage(request, reply, s, { error: err });
      }
      return reply.redirect(`/inbound/${s.id}/code?resent=1`, 303);
    },
  );
}
