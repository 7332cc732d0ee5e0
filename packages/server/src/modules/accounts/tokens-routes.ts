import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { accountTokenExpiryDays, accountTokenPaths, accountTokensPage, messages } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { csrfField, formString } from '../../http/forms.ts';
import { accountOf, accountOrLogin } from './http.ts';
import { createAccountToken, listAccountTokens, revokeAccountToken } from './tokens.ts';

const createBody = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 400 },
    expiresInDays: { type: 'string', maxLength: 8 },
    _csrf: csrfField,
  },
} as const;
const revokeParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

/**
 * The account holder's page for personal API tokens. Only a signed-in session reaches it: a
 * request that carries an account token is anonymous here, so a token can never mint, list or
 * revoke tokens.
 */
export function accountTokenRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const render = async (
      request: FastifyRequest,
      reply: FastifyReply,
      accountId: string,
      extra: Omit<Parameters<typeof accountTokensPage>[1], 'tokens'> = {},
      status = 200,
    ) => {
      const tokens = await listAccountTokens(deps.db, request.tenant.id, accountId);
      return reply.page({ ...accountTokensPage(pageContext(request, reply), { tokens, ...extra }), status });
    };

    app.get(accountTokenPaths.list, { schema: { hide: true } }, async (request, reply) => {
      const account = accountOrLogin(request, reply);
      if (account === undefined) return reply;
      return render(request, reply, account.id);
    });

    app.post(accountTokenPaths.list, { schema: { hide: true, body: createBody } }, async (request, reply) => {
      const account = accountOf(request);
      const name = formString(request.body, 'name');
      const expiry = formString(request.body, 'expiresInDays');
      const t = messages(request.locale).accountTokens;
      const errors: FieldError[] = [];
      if (name === '' || name.length > 100) errors.push({ field: 'name', message: t.nameMissing });
      const days = expiry === '' ? undefined : Number(expiry);
      if (days !== undefined && !(accountTokenExpiryDays as readonly number[]).includes(days))
        errors.push({ field: 'expiresInDays', message: t.expiryInvalid });
      const values = { name, expiresInDays: expiry };
      if (errors.length > 0) return render(request, reply, account.id, { errors, values }, 400);
      try {
        const created = await createAccountToken(deps, {
          tenantId: request.tenant.id,
          accountId: account.id,
          name,
          expiresInDays: days,
          ipPrefix: request.ipPrefix,
        });
        // The one answer that carries the secret: no cache may keep it.
        void reply.header('cache-control', 'no-store');
        return await render(request, reply, account.id, { created: { name, token: created.token } });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'ERR_TOKEN_LIMIT') throw err;
        return render(
          request,
          reply,
          account.id,
          { errors: [{ field: 'name', message: errorMessage(err.code, request.locale) }], values },
          err.status,
        );
      }
    });

    app.post(
      '/account/tokens/:id/revoke',
      {
        schema: {
          hide: true,
          params: revokeParams,
          body: { type: 'object', properties: { _csrf: csrfField } },
        },
      },
      async (request, reply) => {
        const account = accountOf(request);
        const { id } = request.params as { id: string };
        const gone = await revokeAccountToken(deps, {
          tenantId: request.tenant.id,
          accountId: account.id,
          id,
          ipPrefix: request.ipPrefix,
        });
        if (!gone) throw new AppError('ERR_NOT_FOUND');
        return reply.redirect(`${accountTokenPaths.list}?notice=account-token-revoked`, 303);
      },
    );
  };
}
