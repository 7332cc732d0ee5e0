import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { staffSsoPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { appFieldErrors, formString } from '../../../http/forms.ts';
import { requestOrigin } from '../../../http/origins.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { CALLBACK_PATH } from '../oidc.ts';
import { staffOf } from '../request.ts';
import { getTenantSso, removeTenantSso, saveTenantSso } from '../sso.ts';

const settingsBody = formBody({
  issuer: str(500),
  clientId: str(200),
  clientSecret: str(500),
  label: str(100),
  matchBy: { type: 'string', enum: ['email', 'subject'] },
  localLogin: str(10),
});

/** The tenant admin's settings for staff single sign-on (the tenant's own OpenID provider). */
export function ssoSettingsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);
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

  r.get('/admin/sso', { config: { access: 'tenantAdmin' }, schema: { hide: true } }, async (request, reply) =>
    render(request, reply),
  );

  // Written out: a body the schema refuses is the error page (the form cannot send one).
  r.post(
    '/admin/sso',
    { config: { access: 'tenantAdmin' }, schema: { hide: true, body: settingsBody } },
    async (request, reply) => {
      const body = request.body;
      const problems: { field: string; code: 'ERR_VALIDATION' }[] = [];
      for (const field of ['issuer', 'clientId', 'label'])
        if (formString(body, field) === '') problems.push({ field, code: 'ERR_VALIDATION' });
      try {
        if (problems.length > 0) throw new AppError('ERR_VALIDATION', { fields: problems });
        await saveTenantSso(deps, {
          tenantId: request.tenant.id,
          staffId: staffOf(request).id,
          issuer: formString(body, 'issuer'),
          clientId: formString(body, 'clientId'),
          clientSecret: body.clientSecret ?? '',
          label: formString(body, 'label'),
          matchBy: body.matchBy ?? 'email',
          localLogin: formString(body, 'localLogin') === 'on',
          ipPrefix: request.ipPrefix,
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return render(request, reply, appFieldErrors(err, request.locale, 'issuer'), err.status);
      }
      return reply.redirect('/admin/sso?notice=sso-saved', 303);
    },
  );

  r.post(
    '/admin/sso/remove',
    { config: { access: 'tenantAdmin' }, schema: { hide: true, body: formBody({}) } },
    async (request, reply) => {
      await removeTenantSso(deps, {
        tenantId: request.tenant.id,
        staffId: staffOf(request).id,
        ipPrefix: request.ipPrefix,
      });
      return reply.redirect('/admin/sso?notice=sso-removed', 303);
    },
  );
}
