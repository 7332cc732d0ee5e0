import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { messages } from '@amtsbote/web';
import { privacyPaths } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { formString, looksLikeEmail } from '../../../http/forms.ts';
import { formBody, routesOf, str } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import { normaliseEmail } from '../../staff/index.ts';
import type { RetentionOverview } from '../admin-page.ts';
import { sendPrivacyAdminPage } from '../admin-page.ts';
import type { LaterErasure } from '../erasure-steps.ts';
import { accountOfAddress, eraseOnRequest, exportOnRequest } from '../services/requests.ts';

// The fields are read with formString (trimmed, '' when not a string), and the page says what is
// wrong in its own words: a body the schema refuses is shown again like any other mistake.
const exportSchema = { body: formBody({ email: str(1000) }) } as const;
const deleteSchema = { body: formBody({ email: str(1000), confirm: str(10) }) } as const;

/** The address of a request form, normalised, or undefined when it is no address. */
function requestedEmail(body: unknown): string | undefined {
  const raw = formString(body, 'email');
  return looksLikeEmail(raw) ? normaliseEmail(raw) : undefined;
}

/**
 * The tenant admin's privacy page: retention periods (their form is the retention module's),
 * usage counts, and a person's export or deletion on request (by e-mail address, on record).
 * Registered by the retention module, which supplies the periods the page lists.
 */
export function privacyAdminRoutes(deps: AppDeps, overview: RetentionOverview, erasure: LaterErasure) {
  return async function plugin(plain: FastifyInstance): Promise<void> {
    const app = routesOf(plain);
    const requestFormAgain = (
      request: FastifyRequest,
      reply: FastifyReply,
      values: Record<string, string>,
      errors: FieldError[],
      status: number,
    ) => sendPrivacyAdminPage(deps, overview, request, reply, { requestForm: { values, errors } }, status);

    app.get(privacyPaths.admin, { config: { access: 'tenantAdmin' } }, async (request, reply) =>
      sendPrivacyAdminPage(deps, overview, request, reply),
    );

    app.post(
      privacyPaths.adminExport,
      { config: { access: 'tenantAdmin' }, schema: exportSchema, attachValidation: true },
      async (request, reply) => {
        const email = requestedEmail(request.body);
        if (email === undefined) {
          const message = messages(request.locale).retention.admin.emailInvalid;
          return requestFormAgain(
            request,
            reply,
            { email: formString(request.body, 'email') },
            [{ field: 'email', message }],
            400,
          );
        }
        return exportOnRequest(deps, reply, {
          tenant: request.tenant,
          admin: staffOf(request),
          email,
          ipPrefix: request.ipPrefix,
        });
      },
    );

    app.post(
      privacyPaths.adminDelete,
      { config: { access: 'tenantAdmin' }, schema: deleteSchema, attachValidation: true },
      async (request, reply) => {
        const t = messages(request.locale).retention.admin;
        const email = requestedEmail(request.body);
        const values = { email: formString(request.body, 'email') };
        const errors: FieldError[] = [];
        if (email === undefined) errors.push({ field: 'email', message: t.emailInvalid });
        if (formString(request.body, 'confirm') !== 'on')
          errors.push({ field: 'confirm', message: t.confirmMissing });
        const account = email === undefined ? undefined : await accountOfAddress(deps, request.tenant, email);
        if (errors.length === 0 && account === undefined)
          errors.push({ field: 'email', message: t.notFound });
        if (errors.length > 0 || account === undefined)
          return requestFormAgain(request, reply, values, errors, 400);
        try {
          await eraseOnRequest(deps, {
            tenant: request.tenant,
            admin: staffOf(request),
            accountId: account.id,
            ipPrefix: request.ipPrefix,
            alsoErase: erasure.alsoErase,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'ERR_ORG_LAST_ADMIN') throw err;
          const message = errorMessage(err.code, request.locale);
          return requestFormAgain(request, reply, values, [{ field: 'email', message }], 409);
        }
        return reply.redirect(`${privacyPaths.admin}?notice=data-subject-deleted`, 303);
      },
    );
  };
}
