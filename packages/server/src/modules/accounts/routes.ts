import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  accountForgotPage,
  accountHomePage,
  accountLoginPage,
  accountRegisterPage,
  accountResetPage,
  accountTotpPage,
  confirmIdentityPage,
  deleteAccountPage,
  oidcEmailPaths,
  recoveryCodesPage,
  sessionsPage,
  totpSetupPage,
} from '@amtsbote/web';
import type { AccountHomeInput } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { cookieOptions, pageContext, SESSION_COOKIE } from '../../http/context.ts';
import { appFieldErrors, csrfField, formString } from '../../http/forms.ts';
import { recordAudit } from '../audit/service.ts';
import { safeNext } from '../../http/urls.ts';
import { issueCode, verifyCode } from '../auth/codes.ts';
import type { OidcPurpose } from '../auth/oidc.ts';
import { CALLBACK_PATH, finishOidc, startOidc, takeOidcState } from '../auth/oidc.ts';
import { isLimited, recordHit } from '../auth/rate-limit.ts';
import { getTenantSso, ssoProvider, staffForIdentity } from '../auth/sso.ts';
import { invitationsFor, soleAdminOf } from '../organisations/members.ts';
import { normaliseEmail } from '../staff/service.ts';
import { deleteAccount } from './delete.ts';
import {
  accountOf,
  accountOrLogin,
  bindingSession,
  freshlyConfirmed,
  passwordReentryProblem,
  cspAllowingForms,
  originOf,
  relyingParty,
  requestOrigin,
  startAccountSession,
  startStaffSession,
} from './http.ts';
import { accountForIdentity, identityBelongsTo, linkIdentity, unlinkIdentity } from './identities.ts';
import { holdIdentity } from './oidc-email.ts';
import {
  alreadyRegisteredMail,
  emailChangeCodeMail,
  emailChangedMail,
  passwordResetMail,
  registrationCodeMail,
} from './mails.ts';
import {
  deletePasskey,
  finishAuthentication,
  finishRegistration,
  loginOptions,
  reauthOptions,
  registrationOptions,
} from './passkeys.ts';
import {
  accountForVerifiedEmail,
  accountOverview,
  changeEmail,
  confirmWithPassword,
  findAccountByEmail,
  getAccount,
  hasFirstFactor,
  markReauthenticated,
  setPassword,
  updateDisplayName,
} from './service.ts';
import {
  accountLoginLimits,
  accountMailLimits,
  endChallenge,
  issueResetLink,
  peekResetLink,
  resetPassword,
  signInWithPassword,
  takeChallengeAttempt,
  takeMailAllowance,
} from './signin.ts';
import {
  beginTotpSetup,
  confirmTotpSetup,
  disableTotp,
  pendingTotpSetup,
  regenerateRecoveryCodes,
  verifySecondFactor,
} from './totp.ts';

const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 200 } },
} as const;
const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;
const form = (properties: Record<string, unknown>, required: string[] = []) =>
  ({ type: 'object', required, properties: { ...properties, _csrf: csrfField } }) as const;
const str = (max: number) => ({ type: 'string', maxLength: max }) as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The session handle shown in the sessions list: part of the id's hash, never the id itself. */
function handleOf(idHash: Uint8Array): string {
  return Buffer.from(idHash).subarray(0, 16).toString('hex');
}

/**
 * The citizen's side: service accounts (register, sign in with password / passkey / TOTP /
 * identity service, reset, settings, sessions, delete) and the OpenID callback for citizens and
 * staff alike.
 */
export function accountRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const oidcLabel = deps.config.oidc?.label;
    // Pages of this module may carry a form that leads to the identity service (see cspAllowingForms).
    if (deps.config.oidc !== undefined) {
      const csp = cspAllowingForms([originOf(deps.config.oidc.issuer)]);
      app.addHook('onSend', async (request, reply) => {
        if (String(reply.getHeader('content-type') ?? '').startsWith('text/html'))
          reply.header('content-security-policy', csp);
      });
    }

    const home = async (
      request: FastifyRequest,
      reply: FastifyReply,
      accountId: string,
      extra: Partial<AccountHomeInput> = {},
      status = 200,
    ) => {
      const overview = await accountOverview(deps.db, request.tenant.id, accountId);
      if (overview === undefined) throw new AppError('ERR_NOT_FOUND');
      const invitations = await invitationsFor(deps.db, request.tenant.id, overview.email, deps.clock.now());
      return reply.page({
        ...accountHomePage(pageContext(request, reply), {
          ...overview,
          oidcLabel,
          invitationsWaiting: invitations.filter((i) => i.status === 'pending').length,
          errors: [],
          ...extra,
        }),
        status,
      });
    };
    const fieldErrorsOf = (request: FastifyRequest, err: AppError, fallback: string) =>
      appFieldErrors(err, request.locale, fallback);
    const emailError = (request: FastifyRequest) => [
      { field: 'email', message: errorMessage('ERR_VALIDATION', request.locale) },
    ];

    // ---- Registration ---------------------------------------------------------------------------

    app.get(
      '/account/register',
      { schema: { hide: true, querystring: { type: 'object', properties: { next: str(500) } } } },
      async (request, reply) => {
        if (request.session?.account !== undefined) return reply.redirect('/account');
        const next = safeNext((request.query as { next?: string }).next);
        return reply.page(accountRegisterPage(pageContext(request, reply), { errors: [], next }));
      },
    );

    app.post(
      '/account/register',
      { schema: { hide: true, body: form({ email: str(254), displayName: str(200), next: str(500) }) } },
      async (request, reply) => {
        const email = formString(request.body, 'email');
        const displayName = formString(request.body, 'displayName');
        const next = safeNext(formString(request.body, 'next'));
        const ctx = pageContext(request, reply);
        if (!EMAIL.test(email))
          return reply.page({
            ...accountRegisterPage(ctx, { email, displayName, errors: emailError(request), next }),
            status: 400,
          });
        const existing = await findAccountByEmail(deps.db, request.tenant.id, email);
        let codeId: string;
        try {
          if (existing !== undefined && (await hasFirstFactor(deps.db, request.tenant.id, existing.id))) {
            // The same page as for a new address; the mail tells the holder to sign in instead.
            codeId = deps.secrets.id();
            if (
              await takeMailAllowance(
                deps,
                accountMailLimits(request.tenant.id, email, request.ip, 'register'),
              )
            ) {
              await deps.mailer.send(
                alreadyRegisteredMail(normaliseEmail(email), request.locale, {
                  tenantName: request.tenant.name,
                  loginLink: `${requestOrigin(deps, request)}/account/login`,
                }),
              );
            }
          } else {
            const issued = await issueCode(deps, {
              tenantId: request.tenant.id,
              purpose: 'account-register',
              email,
              subjectId: null,
              ip: request.ip,
            });
            await deps.mailer.send(
              registrationCodeMail(normaliseEmail(email), request.locale, {
                code: issued.code,
                tenantName: request.tenant.name,
              }),
            );
            codeId = issued.id;
          }
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          return reply.page({
            ...accountRegisterPage(ctx, {
              email,
              displayName,
              errors: fieldErrorsOf(request, err, 'email'),
              next,
            }),
            status: err.status,
          });
        }
        return reply.page(
          accountRegisterPage(ctx, { email: normaliseEmail(email), displayName, codeId, errors: [], next }),
        );
      },
    );

    app.post(
      '/account/register/verify',
      {
        schema: {
          hide: true,
          body: form(
            { codeId: str(64), code: str(20), email: str(254), displayName: str(200), next: str(500) },
            ['codeId', 'code'],
          ),
        },
      },
      async (request, reply) => {
        const body = request.body as { codeId: string; code: string };
        const email = formString(request.body, 'email');
        const displayName = formString(request.body, 'displayName');
        const next = safeNext(formString(request.body, 'next'));
        try {
          if (!/^[0-9a-f-]{36}$/i.test(body.codeId)) throw new AppError('ERR_CODE_INVALID');
          const verified = await verifyCode(deps, {
            tenantId: request.tenant.id,
            id: body.codeId,
            purpose: 'account-register',
            code: body.code,
          });
          const account = await deps.db.transaction(async (tx) => {
            const { account: a, created } = await accountForVerifiedEmail(
              tx,
              deps,
              request.tenant.id,
              verified.email,
              request.locale,
              displayName,
            );
            // A code never signs in to an account that has a password or passkey of its own.
            if (!created && (await hasFirstFactor(tx, request.tenant.id, a.id)))
              throw new AppError('ERR_CODE_INVALID');
            if (created) {
              await recordAudit(tx, {
                tenantId: request.tenant.id,
                at: deps.clock.now(),
                actor: { kind: 'account', id: a.id },
                action: 'account.created',
                subject: { kind: 'account', id: a.id },
                ipPrefix: request.ipPrefix,
                details: { via: 'register' },
              });
            }
            return a;
          });
          await startAccountSession(deps, request, reply, account.id, 'code');
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'ERR_CODE_INVALID') throw err;
          const ctx = pageContext(request, reply);
          return reply.page({
            ...accountRegisterPage(ctx, {
              email,
              displayName,
              codeId: body.codeId,
              errors: [{ field: 'code', message: errorMessage(err.code, request.locale) }],
              next,
            }),
            status: err.status,
          });
        }
        return reply.redirect(next ?? '/account?notice=account-created', 303);
      },
    );

    // ---- Sign-in --------------------------------------------------------------------------------

    app.get(
      '/account/login',
      {
        schema: {
          hide: true,
          querystring: { type: 'object', properties: { next: str(500), notice: str(50) } },
        },
      },
      async (request, reply) => {
        const next = safeNext((request.query as { next?: string }).next);
        if (request.session?.account !== undefined) return reply.redirect(next ?? '/account');
        return reply.page(accountLoginPage(pageContext(request, reply), { errors: [], next, oidcLabel }));
      },
    );

    app.post(
      '/account/login',
      { schema: { hide: true, body: form({ email: str(254), password: str(256), next: str(500) }) } },
      async (request, reply) => {
        const email = formString(request.body, 'email');
        const password = (request.body as { password?: string }).password ?? '';
        const next = safeNext(formString(request.body, 'next'));
        const ctx = pageContext(request, reply);
        if (!EMAIL.test(email) || password === '') {
          return reply.page({
            ...accountLoginPage(ctx, {
              email,
              errors: [{ field: 'email', message: errorMessage('ERR_INVALID_CREDENTIALS', request.locale) }],
              next,
              oidcLabel,
            }),
            status: 400,
          });
        }
        try {
          const result = await signInWithPassword(deps, {
            tenantId: request.tenant.id,
            email,
            password,
            ip: request.ip,
            ipPrefix: request.ipPrefix,
            next,
          });
          if (result.kind === 'totp')
            return await reply.page(accountTotpPage(ctx, { challenge: result.challenge, errors: [] }));
          await startAccountSession(deps, request, reply, result.account.id, 'password');
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          return reply.page({
            ...accountLoginPage(ctx, {
              email,
              errors: [{ field: 'email', message: errorMessage(err.code, request.locale) }],
              next,
              oidcLabel,
            }),
            status: err.status,
          });
        }
        return reply.redirect(next ?? '/account', 303);
      },
    );

    app.post(
      '/account/login/totp',
      { schema: { hide: true, body: form({ challenge: str(200), code: str(40) }, ['challenge', 'code']) } },
      async (request, reply) => {
        const { challenge, code } = request.body as { challenge: string; code: string };
        const pending = await takeChallengeAttempt(deps, request.tenant.id, challenge);
        if (pending === undefined) throw new AppError('ERR_LINK_INVALID');
        let method: 'totp' | 'recovery';
        try {
          method = await verifySecondFactor(deps, {
            tenantId: request.tenant.id,
            accountId: pending.accountId,
            code,
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          return reply.page({
            ...accountTotpPage(pageContext(request, reply), {
              challenge,
              errors: fieldErrorsOf(request, err, 'code'),
            }),
            status: err.status,
          });
        }
        await endChallenge(deps, challenge);
        await startAccountSession(deps, request, reply, pending.accountId, method);
        return reply.redirect(safeNext(pending.next) ?? '/account', 303);
      },
    );

    // ---- Password reset -------------------------------------------------------------------------

    app.get('/account/password/forgot', { schema: { hide: true } }, async (request, reply) =>
      reply.page(accountForgotPage(pageContext(request, reply), { errors: [], sent: false })),
    );

    app.post(
      '/account/password/forgot',
      { schema: { hide: true, body: form({ email: str(254) }) } },
      async (request, reply) => {
        const email = formString(request.body, 'email');
        const ctx = pageContext(request, reply);
        if (!EMAIL.test(email))
          return reply.page({
            ...accountForgotPage(ctx, { email, errors: emailError(request), sent: false }),
            status: 400,
          });
        if (await takeMailAllowance(deps, accountMailLimits(request.tenant.id, email, request.ip, 'reset'))) {
          const issued = await issueResetLink(deps, request.tenant.id, email);
          if (issued !== undefined) {
            await deps.mailer.send(
              passwordResetMail(issued.account.email, request.locale, {
                tenantName: request.tenant.name,
                link: `${requestOrigin(deps, request)}/account/password/reset/${issued.token}`,
              }),
            );
          }
        }
        // The same answer whether or not the address has an account, and whether or not it was limited.
        return reply.page(accountForgotPage(ctx, { errors: [], sent: true }));
      },
    );

    // GET only shows the form: mail scanners open links, and that must not use them up.
    app.get(
      '/account/password/reset/:token',
      { schema: { hide: true, params: tokenParams } },
      async (request, reply) => {
        const { token } = request.params as { token: string };
        const link = await peekResetLink(deps, request.tenant.id, token);
        if (link === undefined) throw new AppError('ERR_LINK_INVALID');
        return reply.page(
          accountResetPage(pageContext(request, reply), { token, email: link.email, errors: [] }),
        );
      },
    );

    app.post(
      '/account/password/reset',
      {
        schema: {
          hide: true,
          body: form({ token: str(200), password: str(256), passwordConfirm: str(256), username: str(254) }, [
            'token',
          ]),
        },
      },
      async (request, reply) => {
        const body = request.body as { token: string; password?: string; passwordConfirm?: string };
        try {
          await resetPassword(deps, {
            tenantId: request.tenant.id,
            token: body.token,
            password: body.password ?? '',
            confirm: body.passwordConfirm ?? '',
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code === 'ERR_LINK_INVALID') throw err;
          const link = await peekResetLink(deps, request.tenant.id, body.token);
          if (link === undefined) throw new AppError('ERR_LINK_INVALID');
          return reply.page({
            ...accountResetPage(pageContext(request, reply), {
              token: body.token,
              email: link.email,
              errors: fieldErrorsOf(request, err, 'password'),
            }),
            status: err.status,
          });
        }
        if (request.session?.account !== undefined) {
          await deps.db.query(`DELETE FROM sessions WHERE id_hash = $1`, [request.session.idHash]);
          reply.clearCookie(SESSION_COOKIE, cookieOptions);
        }
        return reply.redirect('/account/login?notice=password-reset', 303);
      },
    );

    // ---- Settings -------------------------------------------------------------------------------

    app.get('/account', { schema: { hide: true } }, async (request, reply) => {
      const account = accountOrLogin(request, reply);
      if (account === undefined) return reply;
      return home(request, reply, account.id);
    });

    app.post(
      '/account/profile',
      { schema: { hide: true, body: form({ displayName: str(200) }) } },
      async (request, reply) => {
        const account = accountOf(request);
        await updateDisplayName(deps, request.tenant.id, account.id, formString(request.body, 'displayName'));
        return reply.redirect('/account?notice=profile-saved', 303);
      },
    );

    app.post(
      '/account/password',
      {
        schema: {
          hide: true,
          body: form({
            current: str(256),
            password: str(256),
            passwordConfirm: str(256),
            username: str(254),
          }),
        },
      },
      async (request, reply) => {
        const account = accountOf(request);
        const body = request.body as { current?: string; password?: string; passwordConfirm?: string };
        const limit = accountLoginLimits(request.tenant.id, account.email, request.ip)[0];
        try {
          if (limit !== undefined && (await isLimited(deps.db, deps.clock, limit)))
            throw new AppError('ERR_RATE_LIMITED');
          await setPassword(deps, {
            tenantId: request.tenant.id,
            accountId: account.id,
            current: body.current ?? '',
            password: body.password ?? '',
            confirm: body.passwordConfirm ?? '',
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          if (err.code === 'ERR_INVALID_CREDENTIALS' && limit !== undefined)
            await recordHit(deps.db, deps.clock, limit);
          return home(
            request,
            reply,
            account.id,
            { errors: fieldErrorsOf(request, err, 'password'), errorForm: 'password' },
            err.status,
          );
        }
        return reply.redirect('/account?notice=password-saved', 303);
      },
    );

    app.post(
      '/account/email',
      { schema: { hide: true, body: form({ email: str(254) }) } },
      async (request, reply) => {
        const account = accountOf(request);
        const email = normaliseEmail(formString(request.body, 'email'));
        if (!EMAIL.test(email) || email === account.email)
          return home(request, reply, account.id, { errors: emailError(request), errorForm: 'email' }, 400);
        try {
          const issued = await issueCode(deps, {
            tenantId: request.tenant.id,
            purpose: 'account-email-change',
            email,
            subjectId: account.id,
            ip: request.ip,
          });
          await deps.mailer.send(
            emailChangeCodeMail(email, request.locale, {
              code: issued.code,
              tenantName: request.tenant.name,
            }),
          );
          return await home(request, reply, account.id, { emailChange: { email, codeId: issued.id } });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          return home(
            request,
            reply,
            account.id,
            { errors: fieldErrorsOf(request, err, 'email'), errorForm: 'email' },
            err.status,
          );
        }
      },
    );

    app.post(
      '/account/email/verify',
      {
        schema: {
          hide: true,
          body: form({ codeId: str(64), code: str(20), email: str(254) }, ['codeId', 'code']),
        },
      },
      async (request, reply) => {
        const account = accountOf(request);
        const body = request.body as { codeId: string; code: string };
        const email = formString(request.body, 'email');
        try {
          if (!/^[0-9a-f-]{36}$/i.test(body.codeId)) throw new AppError('ERR_CODE_INVALID');
          const verified = await verifyCode(deps, {
            tenantId: request.tenant.id,
            id: body.codeId,
            purpose: 'account-email-change',
            code: body.code,
          });
          if (verified.subjectId !== account.id) throw new AppError('ERR_CODE_INVALID');
          await changeEmail(deps, {
            tenantId: request.tenant.id,
            accountId: account.id,
            email: verified.email,
            ipPrefix: request.ipPrefix,
          });
          await deps.mailer
            .send(
              emailChangedMail(account.email, request.locale, {
                tenantName: request.tenant.name,
                newEmail: verified.email,
                link: requestOrigin(deps, request),
              }),
            )
            .catch((err: unknown) => {
              request.log.warn({ err }, 'could not tell the old address about the change');
            });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          const extra: Partial<AccountHomeInput> =
            err.code === 'ERR_CODE_INVALID'
              ? {
                  emailChange: { email, codeId: body.codeId },
                  errors: [{ field: 'code', message: errorMessage(err.code, request.locale) }],
                  errorForm: 'email-verify',
                }
              : { errors: fieldErrorsOf(request, err, 'email'), errorForm: 'email' };
          return home(request, reply, account.id, extra, err.status);
        }
        return reply.redirect('/account?notice=email-changed', 303);
      },
    );

    // ---- Second factor --------------------------------------------------------------------------

    app.get('/account/totp', { schema: { hide: true } }, async (request, reply) => {
      const account = accountOrLogin(request, reply);
      if (account === undefined) return reply;
      const overview = await accountOverview(deps.db, request.tenant.id, account.id);
      if (overview?.totpEnabled === true) return reply.redirect('/account');
      const input = {
        tenantId: request.tenant.id,
        accountId: account.id,
        issuer: request.tenant.name,
        label: account.email,
      };
      const setup = (await pendingTotpSetup(deps, input)) ?? (await beginTotpSetup(deps, input));
      return reply.page(totpSetupPage(pageContext(request, reply), { ...setup, errors: [] }));
    });

    app.post(
      '/account/totp/confirm',
      { schema: { hide: true, body: form({ code: str(20) }, ['code']) } },
      async (request, reply) => {
        const account = accountOf(request);
        const { code } = request.body as { code: string };
        try {
          const codes = await confirmTotpSetup(deps, {
            tenantId: request.tenant.id,
            accountId: account.id,
            code,
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
              errors: fieldErrorsOf(request, err, 'code'),
            }),
            status: err.status,
          });
        }
      },
    );

    app.post(
      '/account/totp/disable',
      { schema: { hide: true, body: form({ code: str(40) }, ['code']) } },
      async (request, reply) => {
        const account = accountOf(request);
        try {
          await disableTotp(deps, {
            tenantId: request.tenant.id,
            accountId: account.id,
            code: (request.body as { code: string }).code,
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          return home(
            request,
            reply,
            account.id,
            { errors: fieldErrorsOf(request, err, 'code'), errorForm: 'totp-disable' },
            err.status,
          );
        }
        return reply.redirect('/account?notice=totp-disabled', 303);
      },
    );

    app.post(
      '/account/recovery-codes',
      { schema: { hide: true, body: form({}) } },
      async (request, reply) => {
        const account = accountOf(request);
        const overview = await accountOverview(deps.db, request.tenant.id, account.id);
        if (overview?.totpEnabled !== true) return reply.redirect('/account', 303);
        const codes = await regenerateRecoveryCodes(deps, {
          tenantId: request.tenant.id,
          accountId: account.id,
          ipPrefix: request.ipPrefix,
        });
        return reply.page(recoveryCodesPage(pageContext(request, reply), { codes }));
      },
    );

    // ---- Passkeys -------------------------------------------------------------------------------

    const jsonBody = { type: 'object', additionalProperties: true } as const;

    app.post('/api/v1/account/passkeys/registration-options', { schema: { hide: true } }, async (request) => {
      const session = accountOf(request);
      const account = await getAccount(deps.db, request.tenant.id, session.id);
      if (account === undefined || request.session === undefined) throw new AppError('ERR_UNAUTHENTICATED');
      return registrationOptions(deps, {
        tenantId: request.tenant.id,
        account,
        rp: relyingParty(deps, request),
        sessionHash: request.session.idHash,
      });
    });

    app.post('/api/v1/account/passkeys', { schema: { hide: true, body: jsonBody } }, async (request) => {
      const account = accountOf(request);
      const body = request.body as { response?: RegistrationResponseJSON; name?: unknown };
      if (body.response === undefined || request.session === undefined)
        throw new AppError('ERR_PASSKEY_INVALID');
      await finishRegistration(deps, {
        tenantId: request.tenant.id,
        accountId: account.id,
        rp: relyingParty(deps, request),
        sessionHash: request.session.idHash,
        response: body.response,
        name: typeof body.name === 'string' ? body.name : '',
        ipPrefix: request.ipPrefix,
      });
      return { redirect: '/account?notice=passkey-added' };
    });

    app.post('/api/v1/account/passkeys/login-options', { schema: { hide: true } }, async (request, reply) => {
      const sessionHash = await bindingSession(deps, request, reply);
      return loginOptions(deps, {
        tenantId: request.tenant.id,
        rp: relyingParty(deps, request),
        sessionHash,
      });
    });

    app.post(
      '/api/v1/account/passkeys/login',
      { schema: { hide: true, body: jsonBody } },
      async (request, reply) => {
        const body = request.body as { response?: AuthenticationResponseJSON; next?: unknown };
        if (body.response === undefined || request.session === undefined)
          throw new AppError('ERR_PASSKEY_INVALID');
        const account = await finishAuthentication(deps, {
          tenantId: request.tenant.id,
          purpose: 'login',
          rp: relyingParty(deps, request),
          sessionHash: request.session.idHash,
          response: body.response,
          ipPrefix: request.ipPrefix,
        });
        await startAccountSession(deps, request, reply, account.id, 'passkey');
        return { redirect: safeNext(body.next) ?? '/account' };
      },
    );

    app.post('/api/v1/account/passkeys/reauth-options', { schema: { hide: true } }, async (request) => {
      const account = accountOf(request);
      if (request.session === undefined) throw new AppError('ERR_UNAUTHENTICATED');
      return reauthOptions(deps, {
        tenantId: request.tenant.id,
        accountId: account.id,
        rp: relyingParty(deps, request),
        sessionHash: request.session.idHash,
      });
    });

    app.post(
      '/api/v1/account/passkeys/reauth',
      { schema: { hide: true, body: jsonBody } },
      async (request) => {
        const account = accountOf(request);
        const body = request.body as { response?: AuthenticationResponseJSON; next?: unknown };
        if (body.response === undefined || request.session === undefined)
          throw new AppError('ERR_PASSKEY_INVALID');
        const who = await finishAuthentication(deps, {
          tenantId: request.tenant.id,
          purpose: 'reauth',
          rp: relyingParty(deps, request),
          sessionHash: request.session.idHash,
          response: body.response,
          ipPrefix: request.ipPrefix,
        });
        if (who.id !== account.id) throw new AppError('ERR_PASSKEY_INVALID');
        await markReauthenticated(deps, request.session.idHash);
        return { redirect: safeNext(body.next) ?? '/account' };
      },
    );

    app.post(
      '/account/passkeys/:id/delete',
      { schema: { hide: true, params: idParams, body: form({}) } },
      async (request, reply) => {
        const account = accountOf(request);
        try {
          await deletePasskey(deps, {
            tenantId: request.tenant.id,
            accountId: account.id,
            passkeyId: (request.params as { id: string }).id,
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code === 'ERR_NOT_FOUND') throw err;
          return home(
            request,
            reply,
            account.id,
            {
              errors: [{ field: 'name', message: errorMessage('ERR_VALIDATION', request.locale) }],
              errorForm: 'passkey-add',
            },
            err.status,
          );
        }
        return reply.redirect('/account?notice=passkey-removed', 303);
      },
    );

    app.post(
      '/account/identities/:id/delete',
      { schema: { hide: true, params: idParams, body: form({}) } },
      async (request, reply) => {
        const account = accountOf(request);
        await unlinkIdentity(deps, {
          tenantId: request.tenant.id,
          accountId: account.id,
          identityId: (request.params as { id: string }).id,
          ipPrefix: request.ipPrefix,
        });
        return reply.redirect('/account?notice=identity-removed', 303);
      },
    );

    // ---- Sessions -------------------------------------------------------------------------------

    app.get('/account/sessions', { schema: { hide: true } }, async (request, reply) => {
      const account = accountOrLogin(request, reply);
      if (account === undefined || request.session === undefined) return reply;
      const rows = await deps.db.query<{
        id_hash: Buffer;
        user_agent: string | null;
        created_at: Date;
        last_seen_at: Date;
        ip_prefix: string | null;
        auth_method: string | null;
      }>(
        `SELECT id_hash, user_agent, created_at, last_seen_at, ip_prefix, auth_method FROM sessions
         WHERE tenant_id = $1 AND account_id = $2 AND expires_at > $3 ORDER BY last_seen_at DESC`,
        [request.tenant.id, account.id, deps.clock.now()],
      );
      const current = request.session.idHash;
      return reply.page(
        sessionsPage(pageContext(request, reply), {
          sessions: rows.map((r) => ({
            handle: handleOf(r.id_hash),
            userAgent: r.user_agent,
            createdAt: r.created_at,
            lastSeenAt: r.last_seen_at,
            ipPrefix: r.ip_prefix,
            method: r.auth_method,
            current: Buffer.from(r.id_hash).equals(current),
          })),
        }),
      );
    });

    app.post(
      '/account/sessions/:handle/revoke',
      {
        schema: {
          hide: true,
          params: {
            type: 'object',
            required: ['handle'],
            properties: { handle: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
          },
          body: form({}),
        },
      },
      async (request, reply) => {
        const account = accountOf(request);
        const { handle } = request.params as { handle: string };
        const gone = await deps.db.query<{ id_hash: Buffer }>(
          `DELETE FROM sessions WHERE tenant_id = $1 AND account_id = $2 AND substring(id_hash from 1 for 16) = $3 RETURNING id_hash`,
          [request.tenant.id, account.id, Buffer.from(handle, 'hex')],
        );
        if (gone.length === 0) throw new AppError('ERR_NOT_FOUND');
        if (
          request.session !== undefined &&
          gone.some((g) => Buffer.from(g.id_hash).equals(request.session?.idHash ?? Buffer.alloc(0)))
        ) {
          reply.clearCookie(SESSION_COOKIE, cookieOptions);
          return reply.redirect('/?notice=signed-out', 303);
        }
        return reply.redirect('/account/sessions?notice=session-ended', 303);
      },
    );

    app.post(
      '/account/sessions/revoke-others',
      { schema: { hide: true, body: form({}) } },
      async (request, reply) => {
        const account = accountOf(request);
        await deps.db.query(
          `DELETE FROM sessions WHERE tenant_id = $1 AND account_id = $2 AND id_hash <> $3`,
          [request.tenant.id, account.id, request.session?.idHash ?? Buffer.alloc(0)],
        );
        return reply.redirect('/account/sessions?notice=sessions-ended', 303);
      },
    );

    // ---- Confirming it is you, deleting the account ---------------------------------------------

    const confirmPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      accountId: string,
      email: string,
      next: string,
      errors: { field: string; message: string }[] = [],
      status = 200,
    ) => {
      const overview = await accountOverview(deps.db, request.tenant.id, accountId);
      return reply.page({
        ...confirmIdentityPage(pageContext(request, reply), {
          next,
          errors,
          email,
          hasPassword: overview?.hasPassword === true,
          hasPasskey: (overview?.passkeys.length ?? 0) > 0,
          oidcLabel: (overview?.identities.length ?? 0) > 0 ? oidcLabel : undefined,
        }),
        status,
      });
    };

    app.get(
      '/account/confirm',
      { schema: { hide: true, querystring: { type: 'object', properties: { next: str(500) } } } },
      async (request, reply) => {
        const account = accountOrLogin(request, reply);
        if (account === undefined) return reply;
        return confirmPage(
          request,
          reply,
          account.id,
          account.email,
          safeNext((request.query as { next?: string }).next) ?? '/account',
        );
      },
    );

    app.post(
      '/account/confirm',
      { schema: { hide: true, body: form({ password: str(256), next: str(500), username: str(254) }) } },
      async (request, reply) => {
        const account = accountOf(request);
        const next = safeNext(formString(request.body, 'next')) ?? '/account';
        const limit = accountLoginLimits(request.tenant.id, account.email, request.ip)[0];
        const password = (request.body as { password?: string }).password ?? '';
        if (request.session === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        const limited = limit !== undefined && (await isLimited(deps.db, deps.clock, limit));
        const ok =
          !limited &&
          (await confirmWithPassword(deps, {
            tenantId: request.tenant.id,
            accountId: account.id,
            sessionHash: request.session.idHash,
            password,
          }));
        if (!ok) {
          if (limit !== undefined && !limited) await recordHit(deps.db, deps.clock, limit);
          const code = limited ? 'ERR_RATE_LIMITED' : 'ERR_INVALID_CREDENTIALS';
          return confirmPage(
            request,
            reply,
            account.id,
            account.email,
            next,
            [{ field: 'password', message: errorMessage(code, request.locale) }],
            limited ? 429 : 401,
          );
        }
        return reply.redirect(next, 303);
      },
    );

    const deletePage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      account: { id: string; email: string },
      errors: { field: string; message: string }[] = [],
      status = 200,
    ) => {
      const overview = await accountOverview(deps.db, request.tenant.id, account.id);
      return reply.page({
        ...deleteAccountPage(pageContext(request, reply), {
          email: account.email,
          soleAdminOf: await soleAdminOf(deps.db, request.tenant.id, account.id),
          hasPassword: overview?.hasPassword === true,
          confirmed: freshlyConfirmed(deps, request, overview?.hasPassword === true),
          errors,
        }),
        status,
      });
    };

    app.get('/account/delete', { schema: { hide: true } }, async (request, reply) => {
      const account = accountOrLogin(request, reply);
      if (account === undefined) return reply;
      return deletePage(request, reply, account);
    });

    app.post(
      '/account/delete',
      { schema: { hide: true, body: form({ password: str(256), username: str(254) }) } },
      async (request, reply) => {
        const account = accountOf(request);
        if (request.session === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        const password = (request.body as { password?: string }).password ?? '';
        // The last-admin rule first: no point asking for the password when it cannot go anyway.
        if ((await soleAdminOf(deps.db, request.tenant.id, account.id)).length > 0) {
          return deletePage(
            request,
            reply,
            account,
            [{ field: 'password', message: errorMessage('ERR_ORG_LAST_ADMIN', request.locale) }],
            409,
          );
        }
        const overview = await accountOverview(deps.db, request.tenant.id, account.id);
        const problem = await passwordReentryProblem(
          deps,
          request,
          account,
          overview?.hasPassword === true,
          password,
        );
        if (problem !== undefined) {
          return deletePage(
            request,
            reply,
            account,
            [{ field: 'password', message: errorMessage(problem.code, request.locale) }],
            problem.status,
          );
        }
        try {
          await deleteAccount(deps, {
            tenant: request.tenant,
            accountId: account.id,
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'ERR_ORG_LAST_ADMIN') throw err;
          return deletePage(
            request,
            reply,
            account,
            [{ field: 'password', message: errorMessage(err.code, request.locale) }],
            err.status,
          );
        }
        reply.clearCookie(SESSION_COOKIE, cookieOptions);
        return reply.redirect('/?notice=account-deleted', 303);
      },
    );

    app.get(
      '/api/v1/account',
      {
        schema: {
          summary: 'The signed-in service account (citizen session)',
          tags: ['accounts'],
          response: {
            200: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                email: { type: 'string' },
                displayName: { type: ['string', 'null'] },
                hasPassword: { type: 'boolean' },
                totpEnabled: { type: 'boolean' },
                passkeys: { type: 'integer' },
                identities: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { issuer: { type: 'string' }, acr: { type: ['string', 'null'] } },
                  },
                },
              },
            },
          },
        },
      },
      async (request) => {
        const account = accountOf(request);
        const o = await accountOverview(deps.db, request.tenant.id, account.id);
        if (o === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        return {
          id: o.id,
          email: o.email,
          displayName: o.displayName,
          hasPassword: o.hasPassword,
          totpEnabled: o.totpEnabled,
          passkeys: o.passkeys.length,
          identities: o.identities,
        };
      },
    );

    // ---- OpenID Connect (citizens and staff) ----------------------------------------------------

    const redirectUri = (request: FastifyRequest) => `${requestOrigin(deps, request)}${CALLBACK_PATH}`;

    app.post(
      '/auth/oidc/start',
      {
        schema: {
          hide: true,
          body: form({ purpose: { type: 'string', enum: ['citizen', 'link', 'reauth'] }, next: str(500) }, [
            'purpose',
          ]),
        },
      },
      async (request, reply) => {
        const provider = deps.config.oidc;
        if (provider === undefined) throw new AppError('ERR_NOT_FOUND');
        const purpose = (request.body as { purpose: OidcPurpose }).purpose;
        const account = request.session?.account;
        if (purpose !== 'citizen' && account === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        const sessionHash = await bindingSession(deps, request, reply);
        const url = await startOidc(deps, {
          tenantId: request.tenant.id,
          purpose,
          provider,
          redirectUri: redirectUri(request),
          sessionHash,
          accountId: purpose === 'citizen' ? undefined : account?.id,
          next: safeNext(formString(request.body, 'next')),
          prompt: purpose === 'reauth' ? 'login' : undefined,
        });
        return reply.redirect(url.toString(), 303);
      },
    );

    app.post(
      '/login/sso',
      { schema: { hide: true, body: form({ next: str(500) }) } },
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
          next: safeNext(formString(request.body, 'next')),
        });
        return reply.redirect(url.toString(), 303);
      },
    );

    app.get(
      CALLBACK_PATH,
      {
        schema: {
          hide: true,
          querystring: {
            type: 'object',
            properties: { state: str(500), code: str(2000), error: str(200), iss: str(500) },
          },
        },
      },
      async (request, reply) => {
        const q = request.query as { state?: string; error?: string };
        const pending = await takeOidcState(deps, {
          tenantId: request.tenant.id,
          state: q.state,
          sessionHash: request.session?.idHash,
        });
        if (q.error !== undefined) throw new AppError('ERR_OIDC_FAILED');
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
        if (pending.purpose === 'citizen') {
          const found = await accountForIdentity(deps, {
            tenantId: request.tenant.id,
            identity,
            locale: request.locale,
            ipPrefix: request.ipPrefix,
          });
          if (found === undefined) {
            // No address from the provider: the identity waits for this session (oidc-email.ts).
            if (request.session === undefined) throw new AppError('ERR_OIDC_STATE');
            await holdIdentity(deps, {
              tenantId: request.tenant.id,
              sessionHash: request.session.idHash,
              identity,
              next: safeNext(pending.next) ?? null,
            });
            return reply.redirect(oidcEmailPaths.page, 303);
          }
          await startAccountSession(deps, request, reply, found.account.id, 'oidc');
          return reply.redirect(safeNext(pending.next) ?? '/account', 303);
        }
        const accountId = request.session?.account?.id;
        if (accountId === undefined || accountId !== pending.accountId) throw new AppError('ERR_OIDC_STATE');
        if (pending.purpose === 'link') {
          await linkIdentity(deps, {
            tenantId: request.tenant.id,
            accountId: accountId,
            identity,
            ipPrefix: request.ipPrefix,
          });
          return reply.redirect('/account?notice=identity-linked', 303);
        }
        if (
          !(await identityBelongsTo(deps, request.tenant.id, accountId, identity)) ||
          request.session === undefined
        )
          throw new AppError('ERR_OIDC_STATE');
        await markReauthenticated(deps, request.session.idHash);
        return reply.redirect(safeNext(pending.next) ?? '/account', 303);
      },
    );
  };
}
