import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { routesOf } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import { getDepartment, listDepartments, updateDepartment } from '../../tenants/index.ts';
import { departmentInput, departmentSchema } from '../schemas.ts';
import { addDepartment } from '../service.ts';

/** The JSON API of departments (bearer token, or session + CSRF header). */
export function departmentApiRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get(
    '/api/v1/departments',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'List the tenant’s departments',
        tags: ['admin'],
        response: { 200: { type: 'array', items: departmentSchema } },
      },
    },
    async (request) => {
      const rows = await listDepartments(deps.db, request.tenant.id);
      return rows.map(({ id, name, description }) => ({ id, name, description }));
    },
  );

  r.post(
    '/api/v1/departments',
    {
      config: { access: 'tenantAdmin' },
      schema: {
        summary: 'Create a department (tenant admins)',
        tags: ['admin'],
        body: { ...departmentInput, additionalProperties: false },
        response: { 201: departmentSchema },
      },
    },
    async (request, reply) => {
      const d = await addDepartment(deps, {
        tenantId: request.tenant.id,
        adminId: staffOf(request).id,
        name: request.body.name,
        description: request.body.description,
        ipPrefix: request.ipPrefix,
      });
      return reply.status(201).send({ ...d });
    },
  );

  r.get(
    '/api/v1/departments/:id',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'One department',
        tags: ['admin'],
        params: { $ref: 'IdParams#' },
        response: { 200: departmentSchema },
      },
    },
    async (request) => {
      const d = await getDepartment(deps.db, request.tenant.id, request.params.id);
      if (d === undefined) throw new AppError('ERR_NOT_FOUND');
      return { ...d };
    },
  );

  r.patch(
    '/api/v1/departments/:id',
    {
      config: { access: 'tenantAdmin' },
      schema: {
        summary: 'Rename or describe a department (tenant admins)',
        tags: ['admin'],
        params: { $ref: 'IdParams#' },
        body: { ...departmentInput, additionalProperties: false },
        response: { 200: departmentSchema },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await updateDepartment(deps.db, request.tenant.id, id, request.body)))
        throw new AppError('ERR_NOT_FOUND');
      const d = await getDepartment(deps.db, request.tenant.id, id);
      return d === undefined ? undefined : { ...d };
    },
  );
}
