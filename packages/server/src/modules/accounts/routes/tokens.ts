import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { accountTokenExpiryDays, accountTokensPage, messages } from '@amtsbote/web';
import { accountTokenPaths } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { createAccountToken, listAccountTokens, revokeAccountToken } from '../services/tokens.ts';

/**
 * The account holder's page for personal API tokens. Only a signed-in session reaches it
 * (access 'account', not 'accountToken'): a token can never mint, list or revoke tokens.
 */
export function accountTokenRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = routesOf(app);
    const render = async (
      request: FastifyRequest,
      reply: FastifyReply,
      extra: Omit<Parameters<typeof accountTokensPage>[1], 'tokens'> = {},
      status = 200,
    ) => {
      const tokens = await listAccountTokens(deps.db, request.tenant.id, accountOf(request).id);
      return reply.page({ ...accountTokensPage(pageContext(request, reply), { tokens, ...extra }), status });
    };

    r.get(
      accountTokenPaths.list,
      { config: { access: 'account' }, schema: { hide: true } },
      async (request, reply) => render(request, reply),
    );

    // Written out: the answer to a created token is the one page that shows its secret.
    r.post(
      accountTokenPaths.list,
      {
        config: { access: 'account' },
        schema: { hide: true, body: formBody({ name: str(400), expiresInDays: str(8) }) },
      },
      async (request, reply) => {
        const account = accountOf(request);
        const name = (request.body.name ?? '').trim();
        const expiry = (request.body.expiresInDays ?? '').trim();
        const t = messages(request.locale).accountTokens;
        const errors: FieldError[] = [];
        if (name === '' || name.length > 100) errors.push({ field: 'name', message: t.nameMissing });
        const days = expiry === '' ? undefined : Number(expiry);
        if (days !== undefined && !(accountTokenExpiryDays as readonly number[]).includes(days))
          errors.push({ field: 'expiresInDays', message: t.expiryInvalid });
        const values = { name, expiresInDays: expiry };
        if (errors.length > 0) return render(request, reply, { errors, values }, 400);
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
          return await render(request, reply, { created: { name, token: created.token } });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'ERR_TOKEN_LIMIT') throw err;
          return render(
            request,
            reply,
            { errors: [{ field: 'name', message: errorMessage(err.code, request.locale) }], values },
            err.status,
          );
        }
      },
    );

    r.post(
      '/account/tokens/:id/revoke',
      {
        config: { access: 'account' },
        schema: { hide: true, params: { $ref: 'IdParams#' }, body: formBody({}) },
      },
      async (request, reply) => {
        const gone = await revokeAccountToken(deps, {
          tenantId: request.tenant.id,
          accountId: accountOf(request).id,
          id: request.params.id,
          ipPrefix: request.ipPrefix,
        });
        if (!gone) throw new AppError('ERR_NOT_FOUND');
        return reply.redirect(`${accountTokenPaths.list}?notice=account-token-revoked`, 303);
      },
    );
  };
}
