import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { acceptInvitationPage, loginLinkConfirmPage, loginPage, staffHomePage } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { SESSION_COOKIE, cookieOptions, pageContext } from '../../http/context.ts';
import { appFieldErrors, csrfField, emailField, formString, schemaFieldErrors } from '../../http/forms.ts';
import { safeNext, tenantBaseUrl } from '../../http/urls.ts';
import { recordAudit } from '../audit/service.ts';
import { departmentsOf, findStaffByEmail, getStaff, normaliseEmail } from '../staff/service.ts';
import { issueLink, peekLink, consumeLink } from './links.ts';
import { loginLinkMail } from './mails.ts';
import { isLimited, recordHit } from './rate-limit.ts';
import { acceptInvitation, signInWithPassword } from './service.ts';
import { createSession, deleteAllSessions, deleteSession, SESSION_MAX_MS } from './sessions.ts';
import { HOUR } from '../../adapters/clock.ts';
import { getTenantSso, localLoginAllowed } from './sso.ts';
import { cspAllowingForms, originOf } from '../accounts/http.ts';

const loginMessages = {
  email: {
    de: 'Bitte geben Sie Ihre E-Mail-Adresse ein, zum Beispiel name@beispiel.de.',
    en: 'Please enter your e-mail address, for example name@example.org.',
  },
  password: { de: 'Bitte geben Sie Ihr Passwort ein.', en: 'Please enter your password.' },
};

/** Sign-in and sign-out for staff: password, one-time links, invitations. */
export function authRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // The tenant's single sign-on, for the login page: its button, and whether passwords still work.
    const ssoInfo = async (tenantId: string) => {
      const sso = await getTenantSso(deps, tenantId);
      return sso === undefined ? undefined : { label: sso.label, localLogin: sso.localLogin };
    };
    const startSession = async (
      request: FastifyRequest,
      reply: FastifyReply,
      tenantId: string,
      staffId: string,
    ) => {
      if (request.session !== undefined) await deleteSession(deps.db, request.session.idHash);
      const sid = await createSession(deps.db, deps, {
        tenantId,
        staffId,
        locale: request.locale,
        userAgent: request.headers['user-agent'],
        ipPrefix: request.ipPrefix,
      });
      reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
      await recordAudit(deps.db, {
        tenantId,
        at: deps.clock.now(),
        actor: { kind: 'staff', id: staffId },
        action: 'staff.login',
        ipPrefix: request.ipPrefix,
      });
    };

    app.get(
      '/login',
      {
        schema: { querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 500 } } } },
      },
      async (request, reply) => {
        if (request.auth !== undefined) return reply.redirect('/home');
        const next = safeNext((request.query as { next?: string }).next);
        const sso = await getTenantSso(deps, request.tenant.id);
        // The single sign-on form posts here and is redirected to the tenant's provider.
        if (sso !== undefined)
          void reply.header('content-security-policy', cspAllowingForms([originOf(sso.issuer)]));
        return reply.page(
          loginPage(pageContext(request, reply), { errors: [], next, sso: await ssoInfo(request.tenant.id) }),
        );
      },
    );

    app.post(
      '/login',
      {
        attachValidation: true,
        schema: {
          body: {
            type: 'object',
            required: ['email', 'password'],
            properties: {
              email: emailField,
              password: { type: 'string', minLength: 1, maxLength: 256 },
              next: { type: 'string', maxLength: 500 },
              _csrf: csrfField,
            },
          },
        },
      },
      async (request, reply) => {
        const email = formString(request.body, 'email');
        const next = safeNext(formString(request.body, 'next'));
        const ctx = pageContext(request, reply);
        const fieldErrors = schemaFieldErrors(request, loginMessages);
        if (fieldErrors.length > 0)
          return reply.page({
            ...loginPage(ctx, { email, errors: fieldErrors, next, sso: await ssoInfo(request.tenant.id) }),
            status: 400,
          });
        const password = (request.body as { password: string }).password;
        try {
          // A tenant with single sign-on only: no password is even checked.
          if (!(await localLoginAllowed(deps, request.tenant.id)))
            throw new AppError('ERR_LOCAL_LOGIN_DISABLED');
          const staff = await signInWithPassword(deps, {
            tenantId: request.tenant.id,
            email,
            password,
            ip: request.ip,
            ipPrefix: request.ipPrefix,
          });
          await startSession(request, reply, request.tenant.id, staff.id);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          // The refusal is shown at the password form, so that form stays visible here.
          const sso = await ssoInfo(request.tenant.id);
          return reply.page({
            ...loginPage(ctx, {
              email,
              errors: appFieldErrors(err, request.locale, 'email'),
              next,
              sso: sso === undefined ? undefined : { ...sso, localLogin: true },
            }),
            status: err.status,
          });
        }
        return reply.redirect(next ?? '/home', 303);
      },
    );

    app.post(
      '/login/link',
      {
        attachValidation: true,
        schema: {
          body: { type: 'object', required: ['email'], properties: { email: emailField, _csrf: csrfField } },
        },
      },
      async (request, reply) => {
        const email = formString(request.body, 'email');
        const ctx = pageContext(request, reply);
        const fieldErrors = schemaFieldErrors(request, loginMessages);
        if (fieldErrors.length > 0)
          return reply.page({ ...loginPage(ctx, { email, errors: fieldErrors }), status: 400 });
        // Links are capped per address and per IP so the form can't be used to flood a mailbox.
        const limits = [
          { key: `link:account:${request.tenant.id}:${normaliseEmail(email)}`, max: 3, windowMs: HOUR },
          { key: `link:ip:${request.ip}`, max: 10, windowMs: HOUR },
        ];
        let limited = false;
        for (const l of limits) limited ||= await isLimited(deps.db, deps.clock, l);
        if (!limited && (await localLoginAllowed(deps, request.tenant.id))) {
          for (const l of limits) await recordHit(deps.db, deps.clock, l);
          const staff = await findStaffByEmail(deps.db, request.tenant.id, email);
          if (staff?.status === 'active') {
            const token = await issueLink(deps.db, deps, {
              tenantId: request.tenant.id,
              staffId: staff.id,
              purpose: 'login',
            });
            const link = `${tenantBaseUrl(request.tenant, deps.config)}/login/link/${token}`;
            await deps.mailer.send(loginLinkMail(staff.email, request.locale, request.tenant.name, link));
          }
        }
        // The same answer whether or not the address has an account, and whether or not it was limited.
        return reply.page(loginPage(ctx, { email: '', errors: [], linkRequested: true }));
      },
    );

    // GET only shows a button: mail scanners open links, and that must not use them up.
    app.get(
      '/login/link/:token',
      { schema: { params: { type: 'object', properties: { token: { type: 'string', maxLength: 200 } } } } },
      async (request, reply) => {
        const { token } = request.params as { token: string };
        const link = await peekLink(deps.db, deps.clock, request.tenant.id, 'login', token);
        if (link === undefined) throw new AppError('ERR_LINK_INVALID');
        return reply.page(loginLinkConfirmPage(pageContext(request, reply), { token }));
      },
    );

    app.post(
      '/login/link/confirm',
      {
        schema: {
          body: {
            type: 'object',
            required: ['token'],
            properties: { token: { type: 'string', maxLength: 200 }, _csrf: csrfField },
          },
        },
      },
      async (request, reply) => {
        const { token } = request.body as { token: string };
        const { staffId } = await consumeLink(deps.db, deps.clock, request.tenant.id, 'login', token);
        const staff = await getStaff(deps.db, request.tenant.id, staffId);
        if (staff?.status !== 'active') throw new AppError('ERR_LINK_INVALID');
        await startSession(request, reply, request.tenant.id, staff.id);
        return reply.redirect('/home', 303);
      },
    );

    app.get(
      '/invitations/:token',
      { schema: { params: { type: 'object', properties: { token: { type: 'string', maxLength: 200 } } } } },
      async (request, reply) => {
        const { token } = request.params as { token: string };
        const link = await peekLink(deps.db, deps.clock, request.tenant.id, 'invitation', token);
        const staff =
          link === undefined ? undefined : await getStaff(deps.db, request.tenant.id, link.staffId);
        if (staff === undefined) throw new AppError('ERR_LINK_INVALID');
        return reply.page(
          acceptInvitationPage(pageContext(request, reply), { token, email: staff.email, errors: [] }),
        );
      },
    );

    app.post(
      '/invitations/accept',
      {
        schema: {
          body: {
            type: 'object',
            required: ['token', 'password', 'passwordConfirm'],
            properties: {
              token: { type: 'string', maxLength: 200 },
              displayName: { type: 'string', maxLength: 200 },
              password: { type: 'string', maxLength: 256 },
              passwordConfirm: { type: 'string', maxLength: 256 },
              _csrf: csrfField,
            },
          },
        },
      },
      async (request, reply) => {
        const body = request.body as {
          token: string;
          displayName?: string;
          password: string;
          passwordConfirm: string;
        };
        try {
          const { staffId } = await acceptInvitation(deps, {
            tenantId: request.tenant.id,
            token: body.token,
            displayName: body.displayName?.trim() ?? '',
            password: body.password,
            passwordConfirm: body.passwordConfirm,
            ipPrefix: request.ipPrefix,
          });
          await startSession(request, reply, request.tenant.id, staffId);
        } catch (err) {
          if (!(err instanceof AppError) || err.code === 'ERR_LINK_INVALID') throw err;
          const link = await peekLink(deps.db, deps.clock, request.tenant.id, 'invitation', body.token);
          const staff =
            link === undefined ? undefined : await getStaff(deps.db, request.tenant.id, link.staffId);
          if (staff === undefined) throw new AppError('ERR_LINK_INVALID');
          const ctx = pageContext(request, reply);
          return reply.page({
            ...acceptInvitationPage(ctx, {
              token: body.token,
              email: staff.email,
              errors: appFieldErrors(err, request.locale, 'password'),
            }),
            status: err.status,
          });
        }
        return reply.redirect('/home', 303);
      },
    );

    app.post(
      '/logout',
      { schema: { body: { type: 'object', properties: { _csrf: csrfField } } } },
      async (request, reply) => {
        if (request.session !== undefined) await deleteSession(deps.db, request.session.idHash);
        reply.clearCookie(SESSION_COOKIE, cookieOptions);
        return reply.redirect('/?notice=signed-out', 303);
      },
    );

    app.post(
      '/logout/all',
      { schema: { body: { type: 'object', properties: { _csrf: csrfField } } } },
      async (request, reply) => {
        const staff = request.auth?.staff;
        if (staff !== undefined) {
          await deleteAllSessions(deps.db, request.tenant.id, staff.id);
          await recordAudit(deps.db, {
            tenantId: request.tenant.id,
            at: deps.clock.now(),
            actor: { kind: 'staff', id: staff.id },
            action: 'staff.logout_everywhere',
            ipPrefix: request.ipPrefix,
          });
        }
        reply.clearCookie(SESSION_COOKIE, cookieOptions);
        return reply.redirect('/?notice=signed-out-everywhere', 303);
      },
    );

    app.get('/home', async (request, reply) => {
      const staff = request.auth?.staff;
      if (staff === undefined) return reply.redirect(`/login?next=${encodeURIComponent('/home')}`);
      const departments = await departmentsOf(deps.db, request.tenant.id, staff.id);
      return reply.page(staffHomePage(pageContext(request, reply), { departments }));
    });

    app.get(
      '/api/v1/me',
      {
        schema: {
          summary: 'The signed-in staff member',
          tags: ['account'],
          response: {
            200: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                email: { type: 'string' },
                displayName: { type: ['string', 'null'] },
                isTenantAdmin: { type: 'boolean' },
                tenant: {
                  type: 'object',
                  properties: { slug: { type: 'string' }, name: { type: 'string' } },
                },
              },
            },
          },
        },
      },
      async (request) => {
        const staff = request.auth?.staff;
        if (staff === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        return {
          id: staff.id,
          email: staff.email,
          displayName: staff.displayName,
          isTenantAdmin: staff.isTenantAdmin,
          tenant: { slug: request.tenant.slug, name: request.tenant.name },
        };
      },
    );
  };
}
