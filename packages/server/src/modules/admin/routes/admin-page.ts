import type { FastifyInstance } from 'fastify';
import { messages } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { formRoute } from '../../../http/form-route.ts';
import { formString } from '../../../http/forms.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import { updateDepartment } from '../../tenants/index.ts';
import { adminPageOf } from '../page.ts';
import { departmentInput } from '../schemas.ts';
import { addDepartment, changeStaff, inviteStaff, resendInvitation } from '../service.ts';

const invitationForm = formBody(
  {
    email: { $ref: 'Email#' },
    displayName: { type: 'string', maxLength: 200 },
    departmentId: { anyOf: [{ $ref: 'Uuid#' }, { type: 'string', maxLength: 0 }] },
    isTenantAdmin: { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['on', 'true', 'false', ''] }] },
  },
  ['email'],
);

/** The tenant admin's page: departments and staff, and the forms on it. */
export function adminPageRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.get('/admin', { config: { access: 'tenantAdmin' } }, async (request, reply) =>
    reply.page(await adminPageOf(deps, request, reply, {})),
  );

  const departmentValues = (body: unknown) => ({
    name: formString(body, 'name'),
    description: formString(body, 'description'),
  });
  formRoute(app, '/admin/departments', {
    access: 'tenantAdmin',
    schema: { body: departmentInput },
    fieldMessages: (locale) => messages(locale).admin.departmentErrors,
    errorField: 'name',
    fixable: ['ERR_DEPARTMENT_EXISTS'],
    async run(request) {
      const d = await addDepartment(deps, {
        tenantId: request.tenant.id,
        adminId: staffOf(request).id,
        ...departmentValues(request.body),
        ipPrefix: request.ipPrefix,
      });
      request.log.info({ department: d.id }, 'department created');
      return '/admin?notice=department-created';
    },
    render: (request, reply, errors) =>
      adminPageOf(deps, request, reply, {
        departmentForm: { values: departmentValues(request.body), errors },
      }),
  });

  r.post(
    '/admin/departments/:id',
    { config: { access: 'tenantAdmin' }, schema: { params: { $ref: 'IdParams#' }, body: departmentInput } },
    async (request, reply) => {
      const found = await updateDepartment(deps.db, request.tenant.id, request.params.id, request.body);
      if (!found) throw new AppError('ERR_NOT_FOUND');
      return reply.redirect('/admin?notice=department-updated', 303);
    },
  );

  const invitationValues = (body: unknown) => ({
    email: formString(body, 'email'),
    displayName: formString(body, 'displayName'),
    departmentId: formString(body, 'departmentId'),
    isTenantAdmin: formString(body, 'isTenantAdmin'),
  });
  formRoute(app, '/admin/staff/invitations', {
    access: 'tenantAdmin',
    schema: { body: invitationForm },
    fieldMessages: (locale) => messages(locale).admin.inviteErrors,
    errorField: 'email',
    fixable: ['ERR_STAFF_EXISTS', 'ERR_NOT_FOUND'],
    async run(request) {
      const values = invitationValues(request.body);
      await inviteStaff(deps, request.tenant, staffOf(request), {
        ...values,
        isTenantAdmin: values.isTenantAdmin === 'on' || values.isTenantAdmin === 'true',
        locale: request.locale,
        ipPrefix: request.ipPrefix,
      });
      return '/admin?notice=staff-invited';
    },
    render: (request, reply, errors) =>
      adminPageOf(deps, request, reply, { inviteForm: { values: invitationValues(request.body), errors } }),
  });

  r.post(
    '/admin/staff/:id',
    {
      config: { access: 'tenantAdmin' },
      schema: {
        params: { $ref: 'IdParams#' },
        body: formBody(
          {
            action: {
              type: 'string',
              enum: ['make-admin', 'revoke-admin', 'disable', 'enable', 'resend-invitation'],
            },
          },
          ['action'],
        ),
      },
    },
    async (request, reply) => {
      const admin = staffOf(request);
      const { id } = request.params;
      const { action } = request.body;
      if (action === 'resend-invitation') {
        await resendInvitation(deps, request.tenant, admin, id, request.locale);
        return reply.redirect('/admin?notice=staff-invited', 303);
      }
      const found = await changeStaff(deps, {
        tenantId: request.tenant.id,
        admin,
        staffId: id,
        action,
        ipPrefix: request.ipPrefix,
      });
      if (!found) throw new AppError('ERR_NOT_FOUND');
      return reply.redirect('/admin?notice=staff-updated', 303);
    },
  );
}
