import type { FastifyInstance } from 'fastify';
import { recoveryCodesPage, totpSetupPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { appFieldErrors } from '../../../http/forms.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { recentlyProven } from '../reauth.ts';
import {
  confirmTotpSetup,
  pendingTotpSetup,
  renewRecoveryCodes,
  startTotpEnrolment,
} from '../services/totp.ts';

/** Switching the second factor (TOTP) on, and new recovery codes. */
export function totpRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/account/totp',
    { config: { access: 'account' }, schema: { hide: true } },
    async (request, reply) => {
      const account = accountOf(request);
      const setup = await startTotpEnrolment(deps, {
        tenantId: request.tenant.id,
        accountId: account.id,
        issuer: request.tenant.name,
        label: account.email,
      });
      if (setup === undefined) return reply.redirect('/account');
      return reply.page(totpSetupPage(pageContext(request, reply), { ...setup, errors: [] }));
    },
  );

  // Written out: the answer is the one page that shows the recovery codes, and a refusal needs
  // the pending setup again (gone: back to the account page).
  r.post(
    '/account/totp/confirm',
    { config: { access: 'account' }, schema: { hide: true, body: formBody({ code: str(20) }, ['code']) } },
    async (request, reply) => {
      const account = accountOf(request);
      try {
        const codes = await confirmTotpSetup(deps, {
          tenantId: request.tenant.id,
          accountId: account.id,
          code: request.body.code,
          ipPrefix: request.ipPrefix,
        });
        return await reply.page(recoveryCodesPage(pageContext(request, reply), { codes }));
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const setup = await pendingTotpSetup(deps, {
          tenantId: request.tenant.id,
          accountId: account.id,
          issuer: request.tenant.name,
          label: account.email,
        });
        if (setup === undefined) return reply.redirect('/account', 303);
        return reply.page({
          ...totpSetupPage(pageContext(request, reply), {
            ...setup,
            errors: appFieldErrors(err, request.locale, 'code'),
          }),
          status: err.status,
        });
      }
    },
  );

  r.post(
    '/account/recovery-codes',
    { config: { access: 'account' }, schema: { hide: true, body: formBody({}) } },
    async (request, reply) => {
      // New codes are a second factor of their own: someone with only a stolen session cookie
      // must not mint them. Without a sign-in or confirmation in the last minutes, confirm first
      // (the confirm page leads back to the account page, where the button is).
      if (!recentlyProven(deps, request)) return reply.redirect('/account/confirm?next=%2Faccount', 303);
      const codes = await renewRecoveryCodes(deps, {
        tenantId: request.tenant.id,
        accountId: accountOf(request).id,
        ipPrefix: request.ipPrefix,
      });
      if (codes === undefined) return reply.redirect('/account', 303);
      return reply.page(recoveryCodesPage(pageContext(request, reply), { codes }));
    },
  );
}
