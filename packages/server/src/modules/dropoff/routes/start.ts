import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { dropoffIndexPage, inboundContactPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { formString } from '../../../http/forms.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { getInboundDepartment, listInboundDepartments } from '../../postbox/index.ts';
import { activeStaffDomains } from '../../staff/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { dropoffContactFields, fallbackDepartment, handleContact } from '../contact.ts';
import { formStamp } from '../stamp.ts';

type DropoffTarget = { kind: 'department'; id: string } | { kind: 'direct' };

/** Drop-off: the public list of departments and the contact forms that start a session. */
export function startRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);
  const directAvailable = async (tenant: Tenant) => (await fallbackDepartment(deps, tenant)) !== undefined;

  app.get('/dropoff', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const departments = (await listInboundDepartments(deps.db, request.tenant.id)).filter(
      (d) => d.dropoffEnabled,
    );
    return reply.page(
      dropoffIndexPage(pageContext(request, reply), {
        departments,
        directAvailable: await directAvailable(request.tenant),
      }),
    );
  });

  const contactPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    target: DropoffTarget,
    state: { values: Record<string, string>; errors: FieldError[]; status: number },
  ) => {
    const department =
      target.kind === 'department'
        ? await getInboundDepartment(deps.db, request.tenant.id, target.id)
        : undefined;
    if (target.kind === 'department' && department?.dropoffEnabled !== true)
      throw new AppError('ERR_NOT_FOUND');
    if (target.kind === 'direct' && !(await directAvailable(request.tenant)))
      throw new AppError('ERR_NOT_FOUND');
    return reply.page({
      ...inboundContactPage(pageContext(request, reply), {
        action: '/dropoff/start',
        target:
          department === undefined
            ? { kind: 'direct', domains: await activeStaffDomains(deps.db, request.tenant.id) }
            : { kind: 'department', department },
        values: state.values,
        errors: state.errors,
        started: formStamp(deps),
      }),
      status: state.status,
    });
  };

  app.get(
    '/dropoff/to/:departmentId',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['departmentId'],
          properties: { departmentId: { type: 'string', format: 'uuid' } },
        },
      },
    },
    async (request, reply) =>
      contactPage(
        request,
        reply,
        { kind: 'department', id: request.params.departmentId },
        { values: {}, errors: [], status: 200 },
      ),
  );
  app.get(
    '/dropoff/direct',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) =>
      contactPage(request, reply, { kind: 'direct' }, { values: {}, errors: [], status: 200 }),
  );

  // Not formRoute: the department is checked before anything else, and the contact step has
  // checks of its own (handleContact).
  app.post(
    '/dropoff/start',
    {
      config: { access: 'public' },
      attachValidation: true,
      schema: { hide: true, body: formBody(dropoffContactFields) },
    },
    async (request, reply) => {
      const departmentId = formString(request.body, 'departmentId');
      const target: DropoffTarget =
        departmentId === '' ? { kind: 'direct' } : { kind: 'department', id: departmentId };
      if (target.kind === 'department') {
        const d = /^[0-9a-f-]{36}$/.test(departmentId)
          ? await getInboundDepartment(deps.db, request.tenant.id, departmentId)
          : undefined;
        if (d?.dropoffEnabled !== true) throw new AppError('ERR_NOT_FOUND');
      }
      if (request.validationError !== undefined) {
        return contactPage(request, reply, target, {
          values: {},
          errors: [{ field: 'firstName', message: errorMessage('ERR_VALIDATION', request.locale) }],
          status: 400,
        });
      }
      return handleContact(deps, request, reply, target, (state) =>
        contactPage(request, reply, target, state),
      );
    },
  );
}
