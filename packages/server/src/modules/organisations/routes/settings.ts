import type { FastifyInstance } from 'fastify';
import { organisationNoticePage, organisationSettingsPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { pageContext } from '../../../http/context.ts';
import { formRoute } from '../../../http/form-route.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { accountOf } from '../../auth/index.ts';
import { getNotice } from '../notices.ts';
import { requireMember } from '../policy.ts';
import { setGeneralRelease, updateProfile } from '../service.ts';
import { profileBody, profileOf, summaryOf } from './shared.ts';

/** The organisation's profile and data release (administrators change them), and its notices. */
export function settingsRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/organisations/:id/settings',
    { config: { access: 'account' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const access = await requireMember(
        deps.db,
        request.tenant.id,
        request.params.id,
        accountOf(request).id,
      );
      return reply.page(
        organisationSettingsPage(pageContext(request, reply), {
          org: access.organisation,
          role: access.role,
          errors: [],
        }),
      );
    },
  );

  formRoute(app, '/organisations/:id/settings', {
    access: 'account',
    schema: { params: { $ref: 'IdParams#' }, body: profileBody },
    errorField: 'name',
    fixable: ['ERR_VALIDATION'],
    run: async (request) => {
      const account = accountOf(request);
      const access = await requireMember(deps.db, request.tenant.id, request.params.id, account.id);
      await updateProfile(deps, {
        tenantId: request.tenant.id,
        organisationId: access.organisation.id,
        accountId: account.id,
        profile: profileOf(request.body),
        ipPrefix: request.ipPrefix,
      });
      return `/organisations/${access.organisation.id}/settings?notice=organisation-saved`;
    },
    render: async (request, reply, errors) => {
      const access = await requireMember(
        deps.db,
        request.tenant.id,
        request.params.id,
        accountOf(request).id,
      );
      return organisationSettingsPage(pageContext(request, reply), {
        org: access.organisation,
        role: access.role,
        errors,
        values: { ...profileOf(request.body) },
      });
    },
  });

  r.post(
    '/organisations/:id/release',
    {
      config: { access: 'account' },
      schema: {
        hide: true,
        params: { $ref: 'IdParams#' },
        body: formBody({ release: { type: 'string', enum: ['general', 'per-use'] } }, ['release']),
      },
    },
    async (request, reply) => {
      await setGeneralRelease(deps, {
        tenantId: request.tenant.id,
        organisationId: request.params.id,
        accountId: accountOf(request).id,
        on: request.body.release === 'general',
        ipPrefix: request.ipPrefix,
      });
      return reply.redirect(`/organisations/${request.params.id}/settings?notice=release-saved`, 303);
    },
  );

  r.get(
    '/organisations/:id/notices/:noticeId',
    {
      config: { access: 'account' },
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['id', 'noticeId'],
          properties: { id: { $ref: 'Uuid#' }, noticeId: { $ref: 'Uuid#' } },
        },
      },
    },
    async (request, reply) => {
      const access = await requireMember(
        deps.db,
        request.tenant.id,
        request.params.id,
        accountOf(request).id,
      );
      const notice = await getNotice(
        deps.db,
        deps,
        request.tenant.id,
        access.organisation.id,
        access.role,
        request.params.noticeId,
      );
      return reply.page(
        organisationNoticePage(pageContext(request, reply), {
          org: summaryOf(access),
          role: access.role,
          notice: notice.body,
          createdAt: notice.createdAt,
        }),
      );
    },
  );
}
