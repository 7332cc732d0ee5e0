import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { requestOrigin } from '../../../http/origins.ts';
import { safeNext } from '../../../http/redirects.ts';
import { routesOf } from '../../../http/schemas.ts';
import { accountOf, bindingSession, sessionIfAny, sessionOf } from '../../auth/index.ts';
import { confirmWithPasskey } from '../services/confirm-identity.ts';
import { startAccountSession } from '../session.ts';
import type { RelyingParty } from '../services/passkeys.ts';
import {
  addPasskey,
  finishAuthentication,
  loginOptions,
  reauthOptions,
  registrationOptions,
} from '../services/passkeys.ts';

/** This portal as the relying party of the request: its host name, the tenant's name, the origin. */
function relyingParty(deps: Pick<AppDeps, 'config'>, request: FastifyRequest): RelyingParty {
  return { id: request.hostname, name: request.tenant.name, origin: requestOrigin(deps, request) };
}

// The browser's credential responses arrive as JSON of any shape: @simplewebauthn checks them
// (and their signatures) and every malformed one fails there, as ERR_PASSKEY_INVALID. So these
// only name the type the library takes; absent means absent.
function asRegistrationResponse(value: unknown): RegistrationResponseJSON | undefined {
  return value === undefined ? undefined : (value as RegistrationResponseJSON);
}

function asAuthenticationResponse(value: unknown): AuthenticationResponseJSON | undefined {
  return value === undefined ? undefined : (value as AuthenticationResponseJSON);
}

// What the browser's WebAuthn script posts: the credential response (checked by @simplewebauthn,
// whose errors answer ERR_PASSKEY_INVALID) and a name or a next page.
const credentialBody = {
  type: 'object',
  additionalProperties: true,
  properties: { response: {}, name: {}, next: {} },
} as const;

/** Passkeys: adding one, signing in with one, and confirming with one before a destructive step. */
export function passkeyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.post(
    '/api/v1/account/passkeys/registration-options',
    { config: { access: 'account' }, schema: { hide: true } },
    async (request) =>
      registrationOptions(deps, {
        tenantId: request.tenant.id,
        accountId: accountOf(request).id,
        rp: relyingParty(deps, request),
        sessionHash: sessionOf(request).idHash,
      }),
  );

  r.post(
    '/api/v1/account/passkeys',
    { config: { access: 'account' }, schema: { hide: true, body: credentialBody } },
    async (request) => {
      const account = accountOf(request);
      const response = asRegistrationResponse(request.body.response);
      if (response === undefined) throw new AppError('ERR_PASSKEY_INVALID');
      const { name } = request.body;
      await addPasskey(deps, {
        tenantId: request.tenant.id,
        accountId: account.id,
        rp: relyingParty(deps, request),
        sessionHash: sessionOf(request).idHash,
        response,
        name: typeof name === 'string' ? name : '',
        ipPrefix: request.ipPrefix,
      });
      return { redirect: '/account?notice=passkey-added' };
    },
  );

  r.post(
    '/api/v1/account/passkeys/login-options',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      const sessionHash = await bindingSession(deps, request, reply);
      return loginOptions(deps, {
        tenantId: request.tenant.id,
        rp: relyingParty(deps, request),
        sessionHash,
      });
    },
  );

  r.post(
    '/api/v1/account/passkeys/login',
    { config: { access: 'public' }, schema: { hide: true, body: credentialBody } },
    async (request, reply) => {
      const response = asAuthenticationResponse(request.body.response);
      // The challenge is bound to the session the login options were given to.
      const session = sessionIfAny(request);
      if (response === undefined || session === undefined) throw new AppError('ERR_PASSKEY_INVALID');
      const account = await finishAuthentication(deps, {
        tenantId: request.tenant.id,
        purpose: 'login',
        rp: relyingParty(deps, request),
        sessionHash: session.idHash,
        response,
        ipPrefix: request.ipPrefix,
      });
      await startAccountSession(deps, request, reply, account.id, 'passkey');
      return { redirect: safeNext(request.body.next) ?? '/account' };
    },
  );

  r.post(
    '/api/v1/account/passkeys/reauth-options',
    { config: { access: 'account' }, schema: { hide: true } },
    async (request) =>
      reauthOptions(deps, {
        tenantId: request.tenant.id,
        accountId: accountOf(request).id,
        rp: relyingParty(deps, request),
        sessionHash: sessionOf(request).idHash,
      }),
  );

  r.post(
    '/api/v1/account/passkeys/reauth',
    { config: { access: 'account' }, schema: { hide: true, body: credentialBody } },
    async (request) => {
      const account = accountOf(request);
      const response = asAuthenticationResponse(request.body.response);
      if (response === undefined) throw new AppError('ERR_PASSKEY_INVALID');
      await confirmWithPasskey(deps, {
        tenantId: request.tenant.id,
        accountId: account.id,
        rp: relyingParty(deps, request),
        sessionHash: sessionOf(request).idHash,
        response,
        ipPrefix: request.ipPrefix,
      });
      return { redirect: safeNext(request.body.next) ?? '/account' };
    },
  );
}
