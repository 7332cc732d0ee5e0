import type { FastifyInstance } from 'fastify';
import { sessionsPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { cookieOptions, pageContext } from '../../../http/context.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { accountOf, listAccountSessions, SESSION_COOKIE, sessionOf } from '../../auth/index.ts';
import { revokeOtherSessions, revokeSession } from '../services/sessions.ts';

/** The session handle shown in the sessions list: part of the id's hash, never the id itself. */
function handleOf(idHash: Uint8Array): string {
  return Buffer.from(idHash).subarray(0, 16).toString('hex');
}

const handleParams = {
  type: 'object',
  required: ['handle'],
  properties: { handle: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
} as const;

/** The account's signed-in devices: the list, signing one out, signing out all others. */
export function sessionRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/account/sessions',
    { config: { access: 'account' }, schema: { hide: true } },
    async (request, reply) => {
      const account = accountOf(request);
      const current = sessionOf(request).idHash;
      const rows = await listAccountSessions(deps.db, request.tenant.id, account.id, deps.clock.now());
      return reply.page(
        sessionsPage(pageContext(request, reply), {
          sessions: rows.map((s) => ({
            handle: handleOf(s.idHash),
            userAgent: s.userAgent,
            createdAt: s.createdAt,
            lastSeenAt: s.lastSeenAt,
            ipPrefix: s.ipPrefix,
            method: s.authMethod,
            current: Buffer.from(s.idHash).equals(current),
          })),
        }),
      );
    },
  );

  r.post(
    '/account/sessions/:handle/revoke',
    { config: { access: 'account' }, schema: { hide: true, params: handleParams, body: formBody({}) } },
    async (request, reply) => {
      const { wasCurrent } = await revokeSession(deps, {
        tenantId: request.tenant.id,
        accountId: accountOf(request).id,
        handle: Buffer.from(request.params.handle, 'hex'),
        currentSession: sessionOf(request).idHash,
      });
      if (wasCurrent) {
        reply.clearCookie(SESSION_COOKIE, cookieOptions);
        return reply.redirect('/?notice=signed-out', 303);
      }
      return reply.redirect('/account/sessions?notice=session-ended', 303);
    },
  );

  r.post(
    '/account/sessions/revoke-others',
    { config: { access: 'account' }, schema: { hide: true, body: formBody({}) } },
    async (request, reply) => {
      await revokeOtherSessions(deps, {
        tenantId: request.tenant.id,
        accountId: accountOf(request).id,
        currentSession: sessionOf(request).idHash,
      });
      return reply.redirect('/account/sessions?notice=sessions-ended', 303);
    },
  );
}
