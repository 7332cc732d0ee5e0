import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountHomeInput, Page } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { formRoute } from '../../../http/form-route.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { unlinkIdentity } from '../services/identities.ts';
import { removePasskey } from '../services/passkeys.ts';
import { updateDisplayName } from '../service.ts';
import { changePassword } from '../services/password.ts';
import { disableTotp } from '../services/totp.ts';
import { emailChangeRoutes } from './email.ts';

/**
 * The account home page with the given additions (errors of one of its forms, the e-mail
 * change step). The page composes more than this module knows (waiting organisation
 * invitations), so the module that shows it supplies it (modules/pages).
 */
export type AccountHomePage = (
  request: FastifyRequest,
  reply: FastifyReply,
  accountId: string,
  extra?: Partial<AccountHomeInput>,
) => Promise<Page>;

/**
 * The forms of the account home page: display name, password, e-mail address, switching the
 * second factor off, removing a passkey or an identity link. A refused form shows the home page
 * again, which the caller supplies.
 */
export function accountHomeFormRoutes(app: FastifyInstance, deps: AppDeps, home: AccountHomePage): void {
  const r = routesOf(app);

  r.post(
    '/account/profile',
    { config: { access: 'account' }, schema: { hide: true, body: formBody({ displayName: str(200) }) } },
    async (request, reply) => {
      const account = accountOf(request);
      await updateDisplayName(deps, request.tenant.id, account.id, (request.body.displayName ?? '').trim());
      return reply.redirect('/account?notice=profile-saved', 303);
    },
  );

  formRoute(app, '/account/password', {
    access: 'account',
    schema: {
      body: formBody({
        current: str(256),
        password: str(256),
        passwordConfirm: str(256),
        username: str(254),
      }),
    },
    errorField: 'password',
    async run(request) {
      await changePassword(deps, {
        tenantId: request.tenant.id,
        account: accountOf(request),
        ip: request.ip,
        current: request.body.current ?? '',
        password: request.body.password ?? '',
        confirm: request.body.passwordConfirm ?? '',
        ipPrefix: request.ipPrefix,
      });
      return '/account?notice=password-saved';
    },
    render: (request, reply, errors) =>
      home(request, reply, accountOf(request).id, { errors, errorForm: 'password' }),
  });

  emailChangeRoutes(app, deps, home);

  formRoute(app, '/account/totp/disable', {
    access: 'account',
    schema: { body: formBody({ code: str(40) }, ['code']) },
    errorField: 'code',
    async run(request) {
      await disableTotp(deps, {
        tenantId: request.tenant.id,
        accountId: accountOf(request).id,
        code: request.body.code,
        ipPrefix: request.ipPrefix,
      });
      return '/account?notice=totp-disabled';
    },
    render: (request, reply, errors) =>
      home(request, reply, accountOf(request).id, { errors, errorForm: 'totp-disable' }),
  });

  r.post(
    '/account/passkeys/:id/delete',
    {
      config: { access: 'account' },
      schema: { hide: true, params: { $ref: 'IdParams#' }, body: formBody({}) },
    },
    async (request, reply) => {
      const account = accountOf(request);
      try {
        await removePasskey(deps, {
          tenantId: request.tenant.id,
          accountId: account.id,
          passkeyId: request.params.id,
          ipPrefix: request.ipPrefix,
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'ERR_NOT_FOUND') throw err;
        const errors = [{ field: 'name', message: errorMessage('ERR_VALIDATION', request.locale) }];
        return reply.page({
          ...(await home(request, reply, account.id, { errors, errorForm: 'passkey-add' })),
          status: err.status,
        });
      }
      return reply.redirect('/account?notice=passkey-removed', 303);
    },
  );

  r.post(
    '/account/identities/:id/delete',
    {
      config: { access: 'account' },
      schema: { hide: true, params: { $ref: 'IdParams#' }, body: formBody({}) },
    },
    async (request, reply) => {
      await unlinkIdentity(deps, {
        tenantId: request.tenant.id,
        accountId: accountOf(request).id,
        identityId: request.params.id,
        ipPrefix: request.ipPrefix,
      });
      return reply.redirect('/account?notice=identity-removed', 303);
    },
  );
}
