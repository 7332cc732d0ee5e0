import type { FastifyInstance } from 'fastify';
import { keepOrganisationPage } from '@amtsbote/web';
import { looksLikeToken } from '../../../adapters/secrets.ts';
import type { AppDeps } from '../../../deps.ts';
import { pageContext } from '../../../http/context.ts';
import { routesOf } from '../../../http/schemas.ts';
import { keepOrganisation } from '../inactivity.ts';

const schema = { params: { $ref: 'TokenParams#' } } as const;

/**
 * The link in an organisation's deletion announcement. GET only shows a button (mail filters
 * and link previews open links; they must not decide anything); POST stops the deletion.
 */
export function keepPage(deps: AppDeps) {
  return async function plugin(plain: FastifyInstance): Promise<void> {
    const app = routesOf(plain);
    app.get('/retention/keep/:token', { config: { access: 'public' }, schema }, async (request, reply) => {
      const { token } = request.params;
      const name = looksLikeToken(token)
        ? await keepOrganisation(deps, request.tenant.id, token, false)
        : undefined;
      const ctx = pageContext(request, reply);
      return reply.page(
        name === undefined
          ? keepOrganisationPage(ctx, { state: 'invalid' })
          : keepOrganisationPage(ctx, { state: 'confirm', name, token }),
      );
    });
    app.post('/retention/keep/:token', { config: { access: 'public' }, schema }, async (request, reply) => {
      const { token } = request.params;
      const name = looksLikeToken(token)
        ? await keepOrganisation(deps, request.tenant.id, token, true)
        : undefined;
      return reply.page(
        keepOrganisationPage(pageContext(request, reply), {
          state: name === undefined ? 'invalid' : 'done',
        }),
      );
    });
  };
}
