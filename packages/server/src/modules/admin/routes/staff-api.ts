import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { routesOf } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import { getStaff, listStaff } from '../../staff/index.ts';
import { staffSchema } from '../schemas.ts';
import { inviteStaff } from '../service.ts';

/** The JSON API of staff accounts, for tenant admins. */
export function staffApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/api/v1/staff',
    {
      config: { access: 'tenantAdmin' },
      schema: {
        summary: 'List staff (tenant admins)',
        tags: ['admin'],
        response: { 200: { type: 'array', items: staffSchema } },
      },
    },
    async (request) => (await listStaff(deps.db, request.tenant.id)).map((s) => ({ ...s })),
  );

  r.get(
    '/api/v1/staff/:id',
    {
      config: { access: 'tenantAdmin' },
      schema: {
        summary: 'One staff member (tenant admins)',
        tags: ['admin'],
        params: { $ref: 'IdParams#' },
        response: { 200: staffSchema },
      },
    },
    async (request) => {
      const s = await getStaff(deps.db, request.tenant.id, request.params.id);
      if (s === undefined) throw new AppError('ERR_NOT_FOUND');
      return { ...s };
    },
  );

  r.post(
    '/api/v1/staff/invitations',
    {
      config: { access: 'tenantAdmin' },
      schema: {
        summary: 'Invite a staff member by e-mail (tenant admins)',
        tags: ['admin'],
        body: {
          type: 'object',
          required: ['email'],
          additionalProperties: false,
          properties: {
            email: { $ref: 'Email#' },
            displayName: { type: 'string', maxLength: 200 },
            departmentId: { $ref: 'Uuid#' },
            isTenantAdmin: { type: 'boolean' },
          },
        },
        response: { 201: staffSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const staff = await inviteStaff(deps, request.tenant, staffOf(request), {
        email: body.email,
        displayName: body.displayName ?? null,
        departmentId: body.departmentId ?? null,
        isTenantAdmin: body.isTenantAdmin ?? false,
        locale: request.locale,
        ipPrefix: request.ipPrefix,
      });
      return reply.status(201).send({ ...staff });
    },
  );
}
