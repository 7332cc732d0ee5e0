import type { FastifyInstance } from 'fastify';
import type { FileTypeId } from '@amtsbote/contracts';
import { isFileTypeId } from '@amtsbote/contracts';
import { inboundSettingsPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { pageContext } from '../../../http/context.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import { listInboundDepartments } from '../departments.ts';
import { currentDepartmentKey } from '../keys.ts';
import { inboundPolicy } from '../policy.ts';
import { saveDropoffSettings } from '../services/settings.ts';

/** Settings (tenant admins): which departments take drop-off, and what. */
export function settingsRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.get(
    '/inbox/settings',
    { config: { access: 'tenantAdmin' }, schema: { hide: true } },
    async (request, reply) => {
      const departments = await listInboundDepartments(deps.db, request.tenant.id);
      const keys = await Promise.all(
        departments.map(
          async (d) => (await currentDepartmentKey(deps.db, request.tenant.id, d.id)) !== undefined,
        ),
      );
      return reply.page(
        inboundSettingsPage(pageContext(request, reply), {
          departments: departments.map((d, i) => ({ ...d, hasKey: keys[i] === true })),
          policy: inboundPolicy(request.tenant),
        }),
      );
    },
  );

  app.post(
    '/inbox/settings/:id',
    {
      config: { access: 'tenantAdmin' },
      schema: {
        hide: true,
        params: { $ref: 'IdParams#' },
        body: formBody({
          dropoffEnabled: { type: 'string' },
          dropoffHint: { type: 'string', maxLength: 2000 },
          types: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        }),
      },
    },
    async (request, reply) => {
      const body = request.body;
      const raw = body.types === undefined ? [] : Array.isArray(body.types) ? body.types : [body.types];
      const types: FileTypeId[] = raw.filter(isFileTypeId);
      await saveDropoffSettings(
        deps,
        request.tenant.id,
        staffOf(request),
        request.params.id,
        {
          dropoffEnabled: body.dropoffEnabled === 'on',
          dropoffHint: body.dropoffHint ?? null,
          allowedTypes: types,
        },
        request.ipPrefix,
      );
      return reply.redirect('/inbox/settings?notice=inbound-settings-saved', 303);
    },
  );
}
