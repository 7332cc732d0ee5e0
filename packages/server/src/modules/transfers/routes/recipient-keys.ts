import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { routesOf } from '../../../http/schemas.ts';
import { recipientEnvelope } from '../services/envelopes.ts';
import { mayRead } from '../policy.ts';
import { resolveRecipientLink } from '../recipients.ts';

/** The recipient's envelope of a level-3/4 transfer, reached by the recipient's link. */
export function recipientKeyRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  // Public like the link itself: without the recipient's account (session, or its personal API
  // token for `amtsbote fetch`) the answer is the same as for a wrong link.
  app.get(
    '/api/v1/received/:token/envelope',
    {
      config: { access: 'public' },
      schema: {
        summary: 'The recipient’s envelope of a level-3/4 transfer, or why there is none yet',
        tags: ['transfers'],
        params: { $ref: 'TokenParams#' },
      },
    },
    async (request) => {
      const access = await resolveRecipientLink(deps, request.tenant.id, request.params.token);
      const account = request.session?.account ?? request.accountToken?.account;
      if (
        access === undefined ||
        access.transfer.level < 3 ||
        account === undefined ||
        !mayRead(request, access)
      )
        throw new AppError('ERR_LINK_INVALID');
      return recipientEnvelope(deps.db, request.tenant.id, access.recipientId, account.id);
    },
  );
}
