import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { startAccountSession as startAuthAccountSession } from '../auth/index.ts';
import { noteAccountSignIn } from './store/sign-ins.ts';

/**
 * Signs the browser in as an account (the session is auth's): the account's last activity and
 * language are noted with it.
 */
export async function startAccountSession(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  accountId: string,
  method: string,
): Promise<void> {
  await startAuthAccountSession(deps, request, reply, {
    accountId,
    method,
    noteSignIn: (q) =>
      noteAccountSignIn(q, {
        tenantId: request.tenant.id,
        accountId,
        at: deps.clock.now(),
        locale: request.locale,
      }),
  });
}
