import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '@amtsbote/web';
import { adminPage } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { appFieldErrors, csrfField, emailField, formString, schemaFieldErrors } from '../../http/forms.ts';
import { recordAudit } from '../audit/service.ts';
import { listStaff, updateStaffRole, getStaff } from '../staff/service.ts';
import { createDepartment, getDepartment, listDepartments, updateDepartment } from '../tenants/service.ts';
import { inviteStaff, requireTenantAdmin, resendInvitation } from './service.ts';

const uuid = { type: 'string', format: 'uuid' } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const;
const departmentInput = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    description: { type: 'string', maxLength: 2000 },
    _csrf: csrfField,
  },
} as const;
const invitationInput = {
  type: 'object',
  required: ['email'],
  properties: {
    email: emailField,
    displayName: { type: 'string', maxLength: 200 },
    departmentId: { anyOf: [uuid, { type: 'string', maxLength: 0 }] },
    isTenantAdmin: { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['on', 'true', 'false', ''] }] },
    _csrf: csrfField,
  },
} as const;

const departmentMessages = {
  name: {
    de: 'Bitte geben Sie einen Namen für die Abteilung ein.',
    en: 'Please enter a name for the department.',
  },
  description: {
    de: 'Die Beschreibung ist zu lang (höchstens 2000 Zeichen).',
    en: 'The description is too long (2000 characters at most).',
  },
};
const inviteMessages = {
  email: {
    de: 'Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@beispiel.de.',
    en: 'Please enter a valid e-mail address, for example name@example.org.',
  },
  displayName: {
    de: 'Der Name ist zu lang (höchstens 200 Zeichen).',
    en: 'The name is too long (200 characters at most).',
  },
  departmentId: {
    de: 'Bitte wählen Sie eine Abteilung aus der Liste.',
    en: 'Please choose a department from the list.',
  },
};

const departmentSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, description: { type: ['string', 'null'] } },
} as const;
const staffSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    displayName: { type: ['string', 'null'] },
    isTenantAdmin: { type: 'boolean' },
    status: { type: 'string', enum: ['invited', 'active', 'disabled'] },
    departments: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** The tenant admin's pages and API: departments and staff. */
export function adminRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const renderAdmin = async (
      request: FastifyRequest,
      reply: FastifyReply,
      forms: {
        departmentForm?: { values: Record<string, string>; errors: FieldError[] };
        inviteForm?: { values: Record<string, string>; errors: FieldError[] };
      },
      status = 200,
    ) => {
      const [departments, staff] = await Promise.all([
        listDepartments(deps.db, request.tenant.id),
        listStaff(deps.db, request.tenant.id),
      ]);
      return reply.page({
        ...adminPage(pageContext(request, reply), {
          departments: departments.map((d) => ({
            id: d.id,
            name: d.name,
            description: d.description,
            memberCount: d.member_count,
          })),
          staff: staff.map((s) => ({
            id: s.id,
            email: s.email,
            displayName: s.displayName,
            isTenantAdmin: s.isTenantAdmin,
            status: s.status,
            departments: s.departments,
          })),
          ...forms,
        }),
        status,
      });
    };

    // Browsers that are not signed in are sent to the login; signed-in non-admins see "not found".
    const adminOrLogin = (request: FastifyRequest, reply: FastifyReply): boolean => {
      if (request.auth === undefined) {
        void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
        return false;
      }
      requireTenantAdmin(request.auth.staff);
      return true;
    };

    app.get('/admin', async (request, reply) => {
      if (!adminOrLogin(request, reply)) return reply;
      return renderAdmin(request, reply, {});
    });

    app.post(
      '/admin/departments',
      { attachValidation: true, schema: { body: departmentInput } },
      async (request, reply) => {
        if (!adminOrLogin(request, reply)) return reply;
        const values = {
          name: formString(request.body, 'name'),
          description: formString(request.body, 'description'),
        };
        const errors = schemaFieldErrors(request, departmentMessages);
        if (errors.length > 0)
          return renderAdmin(request, reply, { departmentForm: { values, errors } }, 400);
        try {
          const d = await deps.db.transaction(async (tx) => {
            const created = await createDepartment(tx, deps, request.tenant.id, values);
            await recordAudit(tx, {
              tenantId: request.tenant.id,
              at: deps.clock.now(),
              actor: { kind: 'staff', id: request.auth?.staff.id },
              action: 'department.created',
              subject: { kind: 'department', id: created.id },
              ipPrefix: request.ipPrefix,
            });
            return created;
          });
          request.log.info({ department: d.id }, 'department created');
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'ERR_DEPARTMENT_EXISTS') throw err;
          return renderAdmin(
            request,
            reply,
            { departmentForm: { values, errors: appFieldErrors(err, request.locale, 'name') } },
            409,
          );
        }
        return reply.redirect('/admin?notice=department-created', 303);
      },
    );

    app.post(
      '/admin/departments/:id',
      { schema: { params: idParams, body: departmentInput } },
      async (request, reply) => {
        if (!adminOrLogin(request, reply)) return reply;
        const { id } = request.params as { id: string };
        const body = request.body as { name: string; description?: string };
        const found = await updateDepartment(deps.db, request.tenant.id, id, body);
        if (!found) throw new AppError('ERR_NOT_FOUND');
        return reply.redirect('/admin?notice=department-updated', 303);
      },
    );

    app.post(
      '/admin/staff/invitations',
      { attachValidation: true, schema: { body: invitationInput } },
      async (request, reply) => {
        if (!adminOrLogin(request, reply)) return reply;
        const values = {
          email: formString(request.body, 'email'),
          displayName: formString(request.body, 'displayName'),
          departmentId: formString(request.body, 'departmentId'),
          isTenantAdmin: formString(request.body, 'isTenantAdmin'),
        };
        const errors = schemaFieldErrors(request, inviteMessages);
        if (errors.length > 0) return renderAdmin(request, reply, { inviteForm: { values, errors } }, 400);
        try {
          await inviteStaff(deps, request.tenant, requireTenantAdmin(request.auth?.staff), {
            ...values,
            isTenantAdmin: values.isTenantAdmin === 'on' || values.isTenantAdmin === 'true',
            locale: request.locale,
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError) || (err.code !== 'ERR_STAFF_EXISTS' && err.code !== 'ERR_NOT_FOUND'))
            throw err;
          return renderAdmin(
            request,
            reply,
            { inviteForm: { values, errors: appFieldErrors(err, request.locale, 'email') } },
            err.status,
          );
        }
        return reply.redirect('/admin?notice=staff-invited', 303);
      },
    );

    app.post(
      '/admin/staff/:id',
      {
        schema: {
          params: idParams,
          body: {
            type: 'object',
            required: ['action'],
            properties: {
              action: {
                type: 'string',
                enum: ['make-admin', 'revoke-admin', 'disable', 'enable', 'resend-invitation'],
              },
              _csrf: csrfField,
            },
          },
        },
      },
      async (request, reply) => {
        if (!adminOrLogin(request, reply)) return reply;
        const admin = requireTenantAdmin(request.auth?.staff);
        const { id } = request.params as { id: string };
        const { action } = request.body as { action: string };
        if (action === 'resend-invitation') {
          await resendInvitation(deps, request.tenant, admin, id, request.locale);
          return reply.redirect('/admin?notice=staff-invited', 303);
        }
        const change =
          action === 'make-admin'
            ? { isTenantAdmin: true }
            : action === 'revoke-admin'
              ? { isTenantAdmin: false }
              : action === 'disable'
                ? { status: 'disabled' as const }
                : { status: 'active' as const };
        const found = await deps.db.transaction(async (tx) => {
          const ok = await updateStaffRole(tx, request.tenant.id, id, change);
          if (ok) {
            await recordAudit(tx, {
              tenantId: request.tenant.id,
              at: deps.clock.now(),
              actor: { kind: 'staff', id: admin.id },
              action: `staff.${action}`,
              subject: { kind: 'staff', id },
              ipPrefix: request.ipPrefix,
            });
          }
          return ok;
        });
        if (!found) throw new AppError('ERR_NOT_FOUND');
        return reply.redirect('/admin?notice=staff-updated', 303);
      },
    );

    // --- JSON API (bearer token or session + CSRF header) ---

    app.get(
      '/api/v1/departments',
      {
        schema: {
          summary: 'List the tenant’s departments',
          tags: ['admin'],
          response: { 200: { type: 'array', items: departmentSchema } },
        },
      },
      async (request) => {
        if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        const rows = await listDepartments(deps.db, request.tenant.id);
        return rows.map(({ id, name, description }) => ({ id, name, description }));
      },
    );

    app.post(
      '/api/v1/departments',
      {
        schema: {
          summary: 'Create a department (tenant admins)',
          tags: ['admin'],
          body: { ...departmentInput, additionalProperties: false },
          response: { 201: departmentSchema },
        },
      },
      async (request, reply) => {
        if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        const admin = requireTenantAdmin(request.auth.staff);
        const body = request.body as { name: string; description?: string };
        const d = await deps.db.transaction(async (tx) => {
          const created = await createDepartment(tx, deps, request.tenant.id, body);
          await recordAudit(tx, {
            tenantId: request.tenant.id,
            at: deps.clock.now(),
            actor: { kind: 'staff', id: admin.id },
            action: 'department.created',
            subject: { kind: 'department', id: created.id },
            ipPrefix: request.ipPrefix,
          });
          return created;
        });
        return reply.status(201).send(d);
      },
    );

    app.get(
      '/api/v1/departments/:id',
      {
        schema: {
          summary: 'One department',
          tags: ['admin'],
          params: idParams,
          response: { 200: departmentSchema },
        },
      },
      async (request) => {
        if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        const d = await getDepartment(deps.db, request.tenant.id, (request.params as { id: string }).id);
        if (d === undefined) throw new AppError('ERR_NOT_FOUND');
        return d;
      },
    );

    app.patch(
      '/api/v1/departments/:id',
      {
        schema: {
          summary: 'Rename or describe a department (tenant admins)',
          tags: ['admin'],
          params: idParams,
          body: { ...departmentInput, additionalProperties: false },
          response: { 200: departmentSchema },
        },
      },
      async (request) => {
        if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        requireTenantAdmin(request.auth.staff);
        const { id } = request.params as { id: string };
        const body = request.body as { name: string; description?: string };
        if (!(await updateDepartment(deps.db, request.tenant.id, id, body)))
          throw new AppError('ERR_NOT_FOUND');
        return getDepartment(deps.db, request.tenant.id, id);
      },
    );

    app.get(
      '/api/v1/staff',
      {
        schema: {
          summary: 'List staff (tenant admins)',
          tags: ['admin'],
          response: { 200: { type: 'array', items: staffSchema } },
        },
      },
      async (request) => {
        if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        requireTenantAdmin(request.auth.staff);
        return listStaff(deps.db, request.tenant.id);
      },
    );

    app.get(
      '/api/v1/staff/:id',
      {
        schema: {
          summary: 'One staff member (tenant admins)',
          tags: ['admin'],
          params: idParams,
          response: { 200: staffSchema },
        },
      },
      async (request) => {
        if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        requireTenantAdmin(request.auth.staff);
        const s = await getStaff(deps.db, request.tenant.id, (request.params as { id: string }).id);
        if (s === undefined) throw new AppError('ERR_NOT_FOUND');
        return s;
      },
    );

    app.post(
      '/api/v1/staff/invitations',
      {
        schema: {
          summary: 'Invite a staff member by e-mail (tenant admins)',
          tags: ['admin'],
          body: {
            type: 'object',
            required: ['email'],
            additionalProperties: false,
            properties: {
              email: emailField,
              displayName: { type: 'string', maxLength: 200 },
              departmentId: uuid,
              isTenantAdmin: { type: 'boolean' },
            },
          },
          response: { 201: staffSchema },
        },
      },
      async (request, reply) => {
        if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        const admin = requireTenantAdmin(request.auth.staff);
        const body = request.body as {
          email: string;
          displayName?: string;
          departmentId?: string;
          isTenantAdmin?: boolean;
        };
        const staff = await inviteStaff(deps, request.tenant, admin, {
          email: body.email,
          displayName: body.displayName ?? null,
          departmentId: body.departmentId ?? null,
          isTenantAdmin: body.isTenantAdmin ?? false,
          locale: request.locale,
          ipPrefix: request.ipPrefix,
        });
        return reply.status(201).send(staff);
      },
    );
  };
}
