import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { originOf } from '../../http/origins.ts';
import { cspAllowingForms } from '../../http/security-headers.ts';
import { accountApiRoutes } from './routes/api.ts';
import { confirmRoutes } from './routes/confirm.ts';
import { oidcRoutes } from './routes/oidc.ts';
import { passkeyRoutes } from './routes/passkeys.ts';
import { passwordResetRoutes } from './routes/password.ts';
import { registerRoutes } from './routes/register.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { signinRoutes } from './routes/signin.ts';
import { totpRoutes } from './routes/totp.ts';

/**
 * Pages of a plugin may carry a form that leads to the identity service (sign in, link, confirm
 * with it): the form posts here and is redirected there, so their policy allows that origin.
 */
export function allowIdentityServiceForms(app: FastifyInstance, deps: Pick<AppDeps, 'config'>): void {
  if (deps.config.oidc === undefined) return;
  const csp = cspAllowingForms([originOf(deps.config.oidc.issuer)]);
  app.addHook('onSend', async (request, reply) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html'))
      reply.header('content-security-policy', csp);
  });
}

/**
 * The citizen's side: service accounts (register, sign in with password / passkey / TOTP /
 * identity service, reset, second factor, sessions, confirming it is you) and the OpenID
 * callback for citizens and staff alike. The account home page and its forms are the pages
 * module's (they show organisation invitations too); deleting the account is the privacy
 * module's (it erases everything).
 */
export function accountRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    allowIdentityServiceForms(app, deps);
    registerRoutes(app, deps);
    signinRoutes(app, deps);
    passwordResetRoutes(app, deps);
    totpRoutes(app, deps);
    passkeyRoutes(app, deps);
    sessionRoutes(app, deps);
    confirmRoutes(app, deps);
    accountApiRoutes(app, deps);
    oidcRoutes(app, deps);
  };
}
