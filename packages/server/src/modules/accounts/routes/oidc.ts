import type { FastifyInstance, FastifyRequest } from 'fastify';
import { oidcEmailPaths } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { requestOrigin } from '../../../http/origins.ts';
import { safeNext } from '../../../http/redirects.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import {
  bindingSession,
  CALLBACK_PATH,
  finishOidc,
  getTenantSso,
  sessionIfAny,
  signedInAccount,
  ssoProvider,
  staffForIdentity,
  startOidc,
  startStaffSession,
  takeOidcState,
} from '../../auth/index.ts';
import { completeCitizenOidc } from '../services/citizen-oidc.ts';
import { startAccountSession } from '../session.ts';

/**
 * OpenID Connect for citizens (sign-in, linking an identity, confirming with it) and staff
 * (single sign-on): the start forms and the one callback they all return to.
 */
export function oidcRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);
  const redirectUri = (request: FastifyRequest) => `${requestOrigin(deps, request)}${CALLBACK_PATH}`;

  // Public: signing in needs no account, linking and confirming need one (checked here, by purpose).
  r.post(
    '/auth/oidc/start',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        body: formBody({ purpose: { type: 'string', enum: ['citizen', 'link', 'reauth'] }, next: str(500) }, [
          'purpose',
        ]),
      },
    },
    async (request, reply) => {
      const provider = deps.config.oidc;
      if (provider === undefined) throw new AppError('ERR_NOT_FOUND');
      const { purpose } = request.body;
      const account = signedInAccount(request);
      if (purpose !== 'citizen' && account === undefined) throw new AppError('ERR_UNAUTHENTICATED');
      const sessionHash = await bindingSession(deps, request, reply);
      const url = await startOidc(deps, {
        tenantId: request.tenant.id,
        purpose,
        provider,
        redirectUri: redirectUri(request),
        sessionHash,
        accountId: purpose === 'citizen' ? undefined : account?.id,
        next: safeNext((request.body.next ?? '').trim()),
        prompt: purpose === 'reauth' ? 'login' : undefined,
      });
      return reply.redirect(url.toString(), 303);
    },
  );

  r.post(
    '/login/sso',
    { config: { access: 'public' }, schema: { hide: true, body: formBody({ next: str(500) }) } },
    async (request, reply) => {
      const sso = await getTenantSso(deps, request.tenant.id);
      if (sso === undefined) throw new AppError('ERR_NOT_FOUND');
      const sessionHash = await bindingSession(deps, request, reply);
      const url = await startOidc(deps, {
        tenantId: request.tenant.id,
        purpose: 'staff',
        provider: ssoProvider(sso),
        redirectUri: redirectUri(request),
        sessionHash,
        next: safeNext((request.body.next ?? '').trim()),
      });
      return reply.redirect(url.toString(), 303);
    },
  );

  // Public: the state (bound to this browser's session) says what the sign-in was for.
  r.get(
    CALLBACK_PATH,
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { state: str(500), code: str(2000), error: str(200), iss: str(500) },
        },
      },
    },
    async (request, reply) => {
      const pending = await takeOidcState(deps, {
        tenantId: request.tenant.id,
        state: request.query.state,
        sessionHash: sessionIfAny(request)?.idHash,
      });
      if (request.query.error !== undefined) throw new AppError('ERR_OIDC_FAILED');
      const currentUrl = new URL(request.url, requestOrigin(deps, request));
      if (pending.purpose === 'staff') {
        const sso = await getTenantSso(deps, request.tenant.id);
        if (sso === undefined) throw new AppError('ERR_OIDC_STATE');
        const identity = await finishOidc(ssoProvider(sso), pending, currentUrl);
        const staff = await staffForIdentity(deps, request.tenant.id, sso, identity);
        await startStaffSession(deps, request, reply, staff.id, 'sso');
        return reply.redirect(safeNext(pending.next) ?? '/home', 303);
      }
      const provider = deps.config.oidc;
      if (provider === undefined) throw new AppError('ERR_OIDC_STATE');
      const identity = await finishOidc(provider, pending, currentUrl);
      const session = sessionIfAny(request);
      const outcome = await completeCitizenOidc(deps, {
        tenantId: request.tenant.id,
        purpose: pending.purpose,
        startedBy: pending.accountId,
        next: safeNext(pending.next) ?? null,
        identity,
        session:
          session === undefined
            ? undefined
            : { idHash: session.idHash, accountId: signedInAccount(request)?.id },
        locale: request.locale,
        ipPrefix: request.ipPrefix,
      });
      if (outcome.kind === 'awaiting-email') return reply.redirect(oidcEmailPaths.page, 303);
      if (outcome.kind === 'linked') return reply.redirect('/account?notice=identity-linked', 303);
      if (outcome.kind === 'sign-in')
        await startAccountSession(deps, request, reply, outcome.accountId, 'oidc');
      return reply.redirect(safeNext(pending.next) ?? '/account', 303);
    },
  );
}
