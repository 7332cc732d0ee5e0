import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import {
  accountPaths,
  messages,
  myDataPage,
  privacyPaths,
  retentionAdminPage,
  retentionField,
} from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { formString } from '../../http/forms.ts';
import { findAccountByEmail } from '../accounts/service.ts';
import { requireTenantAdmin } from '../admin/service.ts';
import { recordAudit } from '../audit/service.ts';
import { describeRetention, isConfigurable, withDays } from '../retention/registry.ts';
import type { RetentionRegistry } from '../retention/registry.ts';
import { retentionRegistry } from '../retention/rules.ts';
import { dailyStats, METRICS } from '../stats/service.ts';
import { normaliseEmail } from '../staff/service.ts';
import { drainBlobDeletions } from '../transfers/storage.ts';
import { eraseServiceAccount } from './erase.ts';
import { sendExportZip } from './export.ts';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Data-subject rights and the tenant admin's privacy page: a service account downloads its data
 * (deleting it is the accounts module's /account/delete); a tenant admin sees and sets the retention periods, sees aggregate usage,
 * and runs an export or deletion for a person on request (by e-mail address, audited).
 */
export function privacyRoutes(deps: AppDeps, registry: RetentionRegistry = retentionRegistry) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    // --- the service account's own data --------------------------------------------------------

    const accountOrLogin = (request: FastifyRequest, reply: FastifyReply) => {
      const account = request.session?.account;
      if (account === undefined)
        void reply.redirect(`${accountPaths.login}?next=${encodeURIComponent(request.url)}`, 303);
      return account;
    };

    app.get(privacyPaths.myData, async (request, reply) => {
      const account = accountOrLogin(request, reply);
      if (account === undefined) return reply;
      return reply.page(myDataPage(pageContext(request, reply)));
    });

    app.get(privacyPaths.myDataExport, async (request, reply) => {
      const account = accountOrLogin(request, reply);
      if (account === undefined) return reply;
      await recordAudit(deps.db, {
        tenantId: request.tenant.id,
        at: deps.clock.now(),
        actor: { kind: 'account', id: account.id },
        action: 'privacy.exported',
        subject: { kind: 'account', id: account.id },
        ipPrefix: request.ipPrefix,
      });
      return sendExportZip(deps, reply, request.tenant, { accountId: account.id, email: account.email });
    });

    // --- the tenant admin ---------------------------------------------------------------------

    const adminOrLogin = (request: FastifyRequest, reply: FastifyReply) => {
      if (request.auth === undefined) {
        void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
        return undefined;
      }
      return requireTenantAdmin(request.auth.staff);
    };

    const renderAdmin = async (
      request: FastifyRequest,
      reply: FastifyReply,
      forms: Pick<Parameters<typeof retentionAdminPage>[1], 'retentionForm' | 'requestForm'> = {},
      status = 200,
    ) => {
      const entries = describeRetention(registry, request.tenant, request.locale, {
        accessLogDays: deps.config.accessLog.enabled ? deps.config.accessLog.retentionDays : 0,
      });
      const stats = await dailyStats(deps.db, request.tenant.id, deps.clock.now(), 30);
      return reply.page({
        ...retentionAdminPage(pageContext(request, reply), {
          rules: entries,
          stats,
          metrics: METRICS,
          ...forms,
        }),
        status,
      });
    };

    app.get(privacyPaths.admin, async (request, reply) => {
      if (adminOrLogin(request, reply) === undefined) return reply;
      return renderAdmin(request, reply);
    });

    app.post(privacyPaths.adminRetention, async (request, reply) => {
      const admin = adminOrLogin(request, reply);
      if (admin === undefined) return reply;
      const t = messages(request.locale).retention.admin;
      const values: Record<string, string> = {};
      const errors: FieldError[] = [];
      let settings = request.tenant.settings;
      const changed: Record<string, number> = {};
      for (const rule of registry.rules) {
        if (!isConfigurable(rule) || rule.id === 'access-log') continue;
        const field = retentionField(rule.id);
        const raw = formString(request.body, field);
        values[field] = raw;
        if (raw === '') continue;
        const n = Number(raw);
        if (!/^\d+$/.test(raw) || n < rule.minDays || n > rule.maxDays) {
          errors.push({ field, message: t.invalid(rule.minDays, rule.maxDays) });
          continue;
        }
        settings = withDays(rule, settings, n);
        changed[rule.id] = n;
      }
      if (errors.length > 0) return renderAdmin(request, reply, { retentionForm: { values, errors } }, 400);
      await deps.db.transaction(async (tx) => {
        await tx.query(`UPDATE tenants SET settings = $2 WHERE id = $1`, [
          request.tenant.id,
          JSON.stringify(settings),
        ]);
        await recordAudit(tx, {
          tenantId: request.tenant.id,
          at: deps.clock.now(),
          actor: { kind: 'staff', id: admin.id },
          action: 'retention.policy_changed',
          ipPrefix: request.ipPrefix,
          details: changed,
        });
      });
      app.invalidateTenantCache();
      return reply.redirect(`${privacyPaths.admin}?notice=retention-saved`, 303);
    });

    const requestedEmail = (request: FastifyRequest): string | undefined => {
      const raw = formString(request.body, 'email');
      return raw.length <= 254 && emailPattern.test(raw) ? normaliseEmail(raw) : undefined;
    };

    app.post(privacyPaths.adminExport, async (request, reply) => {
      const admin = adminOrLogin(request, reply);
      if (admin === undefined) return reply;
      const email = requestedEmail(request);
      if (email === undefined) {
        return renderAdmin(
          request,
          reply,
          {
            requestForm: {
              values: { email: formString(request.body, 'email') },
              errors: [{ field: 'email', message: messages(request.locale).retention.admin.emailInvalid }],
            },
          },
          400,
        );
      }
      const account = await findAccountByEmail(deps.db, request.tenant.id, email);
      await recordAudit(deps.db, {
        tenantId: request.tenant.id,
        at: deps.clock.now(),
        actor: { kind: 'staff', id: admin.id },
        action: 'privacy.exported',
        ...(account === undefined ? {} : { subject: { kind: 'account', id: account.id } }),
        ipPrefix: request.ipPrefix,
        details: { onRequest: true, account: account !== undefined },
      });
      return sendExportZip(deps, reply, request.tenant, { accountId: account?.id, email });
    });

    app.post(privacyPaths.adminDelete, async (request, reply) => {
      const admin = adminOrLogin(request, reply);
      if (admin === undefined) return reply;
      const t = messages(request.locale).retention.admin;
      const email = requestedEmail(request);
      const values = { email: formString(request.body, 'email') };
      const errors: FieldError[] = [];
      if (email === undefined) errors.push({ field: 'email', message: t.emailInvalid });
      if (formString(request.body, 'confirm') !== 'on')
        errors.push({ field: 'confirm', message: t.confirmMissing });
      const account =
        email === undefined ? undefined : await findAccountByEmail(deps.db, request.tenant.id, email);
      if (errors.length === 0 && account === undefined) errors.push({ field: 'email', message: t.notFound });
      if (errors.length > 0 || account === undefined)
        return renderAdmin(request, reply, { requestForm: { values, errors } }, 400);
      try {
        await deps.db.transaction((tx) =>
          eraseServiceAccount(tx, deps, {
            tenant: request.tenant,
            accountId: account.id,
            reason: 'admin-request',
            actor: { kind: 'staff', id: admin.id },
            ipPrefix: request.ipPrefix,
            enforceLastAdmin: true,
          }),
        );
      } catch (err) {
        if (err instanceof AppError && err.code === 'ERR_ORG_LAST_ADMIN') {
          return renderAdmin(
            request,
            reply,
            {
              requestForm: {
                values,
                errors: [{ field: 'email', message: errorMessage(err.code, request.locale) }],
              },
            },
            409,
          );
        }
        throw err;
      }
      await drainBlobDeletions(deps);
      return reply.redirect(`${privacyPaths.admin}?notice=data-subject-deleted`, 303);
    });

    app.get(
      privacyPaths.apiStatistics,
      {
        schema: {
          summary: 'Usage counts per day, last 30 days (tenant admins); no personal data',
          tags: ['admin'],
          querystring: {
            type: 'object',
            properties: {
              days: { type: 'string', pattern: '^(?:[1-9]|[1-9][0-9]|[12][0-9][0-9]|3[0-6][0-6])$' },
            },
          },
        },
      },
      async (request) => {
        if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        requireTenantAdmin(request.auth.staff);
        const days = Number((request.query as { days?: string }).days ?? '30');
        return {
          metrics: METRICS,
          days: await dailyStats(deps.db, request.tenant.id, deps.clock.now(), days),
        };
      },
    );
  };
}
