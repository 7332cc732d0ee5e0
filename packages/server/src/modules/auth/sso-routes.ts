import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { staffSsoPage } from '@amtsbote/web';
import type { FieldError } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { appFieldErrors, csrfField, formString } from '../../http/forms.ts';
import { requestOrigin } from '../accounts/http.ts';
import { requireTenantAdmin } from '../admin/service.ts';
import { CALLBACK_PATH } from './oidc.ts';
import { getTenantSso, removeTenantSso, saveTenantSso } from './sso.ts';

/** The tenant admin's settings for staff single sign-on (the tenant's own OpenID provider). */
export function ssoAdminRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const adminOrLogin = (request: FastifyRequest, reply: FastifyReply): boolean => {
      if (request.auth === undefined) {
        void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
        return false;
      }
      requireTenantAdmin(request.auth.staff);
      return true;
    };
    const render = async (
      request: FastifyRequest,
      reply: FastifyReply,
      errors: FieldError[] = [],
      status = 200,
    ) => {
      const sso = await getTenantSso(deps, request.tenant.id);
      return reply.page({
        ...staffSsoPage(pageContext(request, reply), {
          settings:
            sso === undefined
              ? undefined
              : {
                  issuer: sso.issuer,
                  clientId: sso.clientId,
                  hasSecret: sso.clientSecret !== undefined,
                  label: sso.label,
                  matchBy: sso.matchBy,
                  localLogin: sso.localLogin,
                },
          redirectUri: `${requestOrigin(deps, request)}${CALLBACK_PATH}`,
          errors,
        }),
        status,
      });
    };

    app.get('/admin/sso', { schema: { hide: true } }, async (request, reply) => {
      if (!adminOrLogin(request, reply)) return reply;
      return render(request, reply);
    });

    const str = (max: number) => ({ type: 'string', maxLength: max }) as const;
    app.post(
      '/admin/sso',
      {
        schema: {
          hide: true,
          body: {
            type: 'object',
            properties: {
              issuer: str(500),
              clientId: str(200),
              clientSecret: str(500),
              label: str(100),
              matchBy: { type: 'string', enum: ['email', 'subject'] },
              localLogin: str(10),
              _csrf: csrfField,
            },
          },
        },
      },
      async (request, reply) => {
        if (!adminOrLogin(request, reply) || request.auth === undefined) return reply;
        const body = request.body as { clientSecret?: string; matchBy?: 'email' | 'subject' };
        const problems: { field: string; code: 'ERR_VALIDATION' }[] = [];
        for (const field of ['issuer', 'clientId', 'label'])
          if (formString(request.body, field) === '') problems.push({ field, code: 'ERR_VALIDATION' });
        try {
          if (problems.length > 0) throw new AppError('ERR_VALIDATION', { fields: problems });
          await saveTenantSso(deps, {
            tenantId: request.tenant.id,
            staffId: request.auth.staff.id,
            issuer: formString(request.body, 'issuer'),
            clientId: formString(request.body, 'clientId'),
            clientSecret: body.clientSecret ?? '',
            label: formString(request.body, 'label'),
            matchBy: body.matchBy ?? 'email',
            localLogin: formString(request.body, 'localLogin') === 'on',
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          return render(request, reply, appFieldErrors(err, request.locale, 'issuer'), err.status);
        }
        return reply.redirect('/admin/sso?notice=sso-saved', 303);
      },
    );

    app.post(
      '/admin/sso/remove',
      { schema: { hide: true, body: { type: 'object', properties: { _csrf: csrfField } } } },
      async (request, reply) => {
        if (!adminOrLogin(request, reply) || request.auth === undefined) return reply;
        await removeTenantSso(deps, {
          tenantId: request.tenant.id,
          staffId: request.auth.staff.id,
          ipPrefix: request.ipPrefix,
        });
        return reply.redirect('/admin/sso?notice=sso-removed', 303);
      },
    );
  };
}
