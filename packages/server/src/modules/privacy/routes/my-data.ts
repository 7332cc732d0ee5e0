import type { FastifyInstance } from 'fastify';
import { myDataPage } from '@amtsbote/web';
import { privacyPaths } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { pageContext } from '../../../http/context.ts';
import { routesOf } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { exportOwnData } from '../services/requests.ts';

/**
 * A service account's own data: the page, and the download of everything held about it
 * (deleting it is the account deletion, /account/delete).
 */
export function myDataRoutes(deps: AppDeps) {
  return async function plugin(plain: FastifyInstance): Promise<void> {
    const app = routesOf(plain);

    app.get(privacyPaths.myData, { config: { access: 'account' } }, async (request, reply) =>
      reply.page(myDataPage(pageContext(request, reply))),
    );

    app.get(privacyPaths.myDataExport, { config: { access: 'account' } }, async (request, reply) =>
      exportOwnData(deps, reply, {
        tenant: request.tenant,
        account: accountOf(request),
        ipPrefix: request.ipPrefix,
      }),
    );
  };
}
