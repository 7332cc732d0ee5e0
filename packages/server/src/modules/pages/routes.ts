import type { FastifyInstance } from 'fastify';
import type { TenantLegalSettings } from '@amtsbote/web';
import {
  accessibilityPage,
  apiReferenceFromSpec,
  resolveLegalSettings,
  imprintPage,
  leichteSprachePage,
  privacyPage,
  startPage,
} from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { pageContext } from '../../http/context.ts';
import { csrfField, formString, schemaFieldErrors } from '../../http/forms.ts';
import { HOUR } from '../../adapters/clock.ts';
import { isLimited, recordHit } from '../auth/rate-limit.ts';
import { feedbackMail } from '../auth/mails.ts';
import type { Tenant } from '../tenants/service.ts';
import { publicRetention } from '../retention/notice.ts';

/** The tenant's legal texts: its own settings over the defaults, so nothing is ever blank. */
export function legalSettings(tenant: Tenant): TenantLegalSettings {
  return resolveLegalSettings(tenant.settings.legal, tenant.name);
}

const feedbackMessages = {
  message: {
    de: 'Bitte schreiben Sie uns, was nicht barrierefrei ist (höchstens 5000 Zeichen).',
    en: 'Please tell us what is not accessible (5000 characters at most).',
  },
  email: {
    de: 'Bitte geben Sie eine gültige E-Mail-Adresse ein oder lassen Sie das Feld leer.',
    en: 'Please enter a valid e-mail address or leave the field empty.',
  },
  name: {
    de: 'Der Name ist zu lang (höchstens 200 Zeichen).',
    en: 'The name is too long (200 characters at most).',
  },
};

/** Pages everyone may see: start, Leichte Sprache, privacy, imprint, accessibility, API reference. */
export function pageRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/', async (request, reply) => reply.page(startPage(pageContext(request, reply))));
    app.get('/leichte-sprache', async (request, reply) =>
      reply.page(leichteSprachePage(pageContext(request, reply))),
    );
    app.get('/datenschutz', async (request, reply) =>
      reply.page(
        privacyPage(
          pageContext(request, reply),
          legalSettings(request.tenant),
          publicRetention(request.tenant, request.locale, deps.config),
        ),
      ),
    );
    app.get('/impressum', async (request, reply) =>
      reply.page(imprintPage(pageContext(request, reply), legalSettings(request.tenant))),
    );
    app.get('/barrierefreiheit', async (request, reply) =>
      reply.page(
        accessibilityPage(pageContext(request, reply), legalSettings(request.tenant), {
          values: {},
          errors: [],
        }),
      ),
    );

    app.post(
      '/accessibility/feedback',
      {
        attachValidation: true,
        schema: {
          body: {
            type: 'object',
            required: ['message'],
            properties: {
              name: { type: 'string', maxLength: 200 },
              email: {
                anyOf: [
                  { type: 'string', format: 'email', maxLength: 254 },
                  { type: 'string', maxLength: 0 },
                ],
              },
              message: { type: 'string', minLength: 1, maxLength: 5000, pattern: '\\S' },
              page: { type: 'string', maxLength: 500 },
              _csrf: csrfField,
            },
          },
        },
      },
      async (request, reply) => {
        const values = {
          name: formString(request.body, 'name'),
          email: formString(request.body, 'email'),
          message: formString(request.body, 'message'),
          page: formString(request.body, 'page'),
        };
        const settings = legalSettings(request.tenant);
        const errors = schemaFieldErrors(request, feedbackMessages);
        const ctx = pageContext(request, reply);
        if (errors.length > 0)
          return reply.page({ ...accessibilityPage(ctx, settings, { values, errors }), status: 400 });
        const limit = { key: `feedback:ip:${request.ip}`, max: 10, windowMs: HOUR };
        if (await isLimited(deps.db, deps.clock, limit)) {
          return reply.page({
            ...accessibilityPage(ctx, settings, {
              values,
              errors: [
                {
                  field: 'message',
                  message:
                    request.locale === 'de'
                      ? 'Zu viele Nachrichten. Bitte versuchen Sie es in einer Stunde noch einmal.'
                      : 'Too many messages. Please try again in an hour.',
                },
              ],
            }),
            status: 429,
          });
        }
        await recordHit(deps.db, deps.clock, limit);
        await deps.db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO accessibility_feedback (tenant_id, id, name, email, message, page, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [
              request.tenant.id,
              deps.secrets.id(),
              values.name || null,
              values.email || null,
              values.message,
              values.page || null,
              deps.clock.now(),
            ],
          );
          const admins = await tx.query<{ email: string }>(
            `SELECT email FROM staff WHERE tenant_id = $1 AND is_tenant_admin AND status = 'active' ORDER BY email`,
            [request.tenant.id],
          );
          const to = admins.map((a) => a.email);
          if (to.length > 0) await deps.mailer.send(feedbackMail(to, request.tenant.name, values));
        });
        return reply.redirect('/barrierefreiheit?notice=feedback-sent', 303);
      },
    );

    app.get('/api/docs', async (request, reply) =>
      reply.page(apiReferenceFromSpec(pageContext(request, reply), app.swagger())),
    );
  };
}
