import type { FastifyInstance } from 'fastify';
import { loginLinkConfirmPage, loginPage, messages } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { formRoute } from '../../../http/form-route.ts';
import { formString } from '../../../http/forms.ts';
import { originOf } from '../../../http/origins.ts';
import { safeNext } from '../../../http/redirects.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { cspAllowingForms } from '../../../http/security-headers.ts';
import { staffIfSignedIn } from '../request.ts';
import { signInStaff } from '../service.ts';
import { loginLinkIsLive, requestLoginLink, useLoginLink } from '../services/login-links.ts';
import { startStaffSession } from '../session-start.ts';
import { getTenantSso } from '../sso.ts';

/** Staff sign-in: the password form, and one-time links by mail. */
export function loginRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);
  // The tenant's single sign-on, for the login page: its button, and whether passwords still work.
  const ssoInfo = async (tenantId: string) => {
    const sso = await getTenantSso(deps, tenantId);
    return sso === undefined ? undefined : { label: sso.label, localLogin: sso.localLogin };
  };

  r.get(
    '/login',
    {
      config: { access: 'public' },
      schema: { querystring: { type: 'object', properties: { next: str(500) } } },
    },
    async (request, reply) => {
      if (staffIfSignedIn(request) !== undefined) return reply.redirect('/home');
      const next = safeNext(request.query.next);
      const sso = await getTenantSso(deps, request.tenant.id);
      // The single sign-on form posts here and is redirected to the tenant's provider.
      if (sso !== undefined)
        void reply.header('content-security-policy', cspAllowingForms([originOf(sso.issuer)]));
      return reply.page(
        loginPage(pageContext(request, reply), { errors: [], next, sso: await ssoInfo(request.tenant.id) }),
      );
    },
  );

  formRoute(app, '/login', {
    access: 'public',
    schema: {
      body: formBody(
        {
          email: { $ref: 'Email#' },
          password: { type: 'string', minLength: 1, maxLength: 256 },
          next: str(500),
        },
        ['email', 'password'],
      ),
    },
    fieldMessages: (locale) => messages(locale).login.fieldErrors,
    errorField: 'email',
    async run(request, reply) {
      const staff = await signInStaff(deps, {
        tenantId: request.tenant.id,
        email: formString(request.body, 'email'),
        password: request.body.password,
        ip: request.ip,
        ipPrefix: request.ipPrefix,
      });
      await startStaffSession(deps, request, reply, staff.id);
      return safeNext(formString(request.body, 'next')) ?? '/home';
    },
    async render(request, reply, errors) {
      const sso = await ssoInfo(request.tenant.id);
      return loginPage(pageContext(request, reply), {
        email: formString(request.body, 'email'),
        errors,
        next: safeNext(formString(request.body, 'next')),
        // A refused sign-in is shown at the password form, so that form stays visible then.
        sso: sso === undefined || request.validationError !== undefined ? sso : { ...sso, localLogin: true },
      });
    },
  });

  formRoute(app, '/login/link', {
    access: 'public',
    schema: { body: formBody({ email: { $ref: 'Email#' } }, ['email']) },
    fieldMessages: (locale) => messages(locale).login.fieldErrors,
    errorField: 'email',
    // Nothing the person could fix: any refusal is the error page.
    fixable: [],
    async run(request, reply) {
      await requestLoginLink(deps, {
        tenant: request.tenant,
        email: formString(request.body, 'email'),
        ip: request.ip,
        locale: request.locale,
      });
      // The same answer whether or not the address has an account, and whether or not it was limited.
      return reply.page(
        loginPage(pageContext(request, reply), { email: '', errors: [], linkRequested: true }),
      );
    },
    render: (request, reply, errors) =>
      loginPage(pageContext(request, reply), { email: formString(request.body, 'email'), errors }),
  });

  // GET only shows a button: mail scanners open links, and that must not use them up.
  r.get(
    '/login/link/:token',
    { config: { access: 'public' }, schema: { params: { $ref: 'TokenParams#' } } },
    async (request, reply) => {
      const { token } = request.params;
      if (!(await loginLinkIsLive(deps, request.tenant.id, token))) throw new AppError('ERR_LINK_INVALID');
      return reply.page(loginLinkConfirmPage(pageContext(request, reply), { token }));
    },
  );

  r.post(
    '/login/link/confirm',
    { config: { access: 'public' }, schema: { body: formBody({ token: str(200) }, ['token']) } },
    async (request, reply) => {
      const staff = await useLoginLink(deps, request.tenant.id, request.body.token);
      await startStaffSession(deps, request, reply, staff.id);
      return reply.redirect('/home', 303);
    },
  );
}
