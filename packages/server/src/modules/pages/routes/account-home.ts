import type { FastifyInstance } from 'fastify';
import { accountHomePage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { routesOf } from '../../../http/schemas.ts';
import type { AccountHomePage } from '../../accounts/index.ts';
import { accountHomeFormRoutes, accountOverview, allowIdentityServiceForms } from '../../accounts/index.ts';
import { accountOf } from '../../auth/index.ts';
import { invitationsFor } from '../../organisations/index.ts';

/**
 * The citizen's account home: the account and its ways to sign in (accounts), and how many
 * organisation invitations wait for its address (organisations). Its forms are the accounts
 * module's; a refused one shows this page again.
 */
export function accountHomeRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // The page links the account to the identity service through a form (see accounts' plugin).
    allowIdentityServiceForms(app, deps);
    const oidcLabel = deps.config.oidc?.label;

    const home: AccountHomePage = async (request, reply, accountId, extra = {}) => {
      const overview = await accountOverview(deps.db, request.tenant.id, accountId);
      if (overview === undefined) throw new AppError('ERR_NOT_FOUND');
      const invitations = await invitationsFor(deps.db, request.tenant.id, overview.email, deps.clock.now());
      return accountHomePage(pageContext(request, reply), {
        ...overview,
        oidcLabel,
        invitationsWaiting: invitations.filter((i) => i.status === 'pending').length,
        errors: [],
        ...extra,
      });
    };

    routesOf(app).get(
      '/account',
      { config: { access: 'account' }, schema: { hide: true } },
      async (request, reply) => reply.page(await home(request, reply, accountOf(request).id)),
    );
    accountHomeFormRoutes(app, deps, home);
  };
}
