import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError, Page } from '@amtsbote/web';
import { adminPage } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { pageContext } from '../../http/context.ts';
import { departmentMemberCounts, listStaff } from '../staff/index.ts';
import { listDepartments } from '../tenants/index.ts';

export interface AdminForms {
  departmentForm?: { values: Record<string, string>; errors: FieldError[] };
  inviteForm?: { values: Record<string, string>; errors: FieldError[] };
}

/** The admin page: departments and staff, with a form shown again where one was refused. */
export async function adminPageOf(
  deps: Pick<AppDeps, 'db'>,
  request: FastifyRequest,
  reply: FastifyReply,
  forms: AdminForms,
): Promise<Page> {
  const [departments, memberCounts, staff] = await Promise.all([
    listDepartments(deps.db, request.tenant.id),
    departmentMemberCounts(deps.db, request.tenant.id),
    listStaff(deps.db, request.tenant.id),
  ]);
  return adminPage(pageContext(request, reply), {
    departments: departments.map((d) => ({
      id: d.id,
      name: d.name,
      description: d.description,
      memberCount: memberCounts.get(d.id) ?? 0,
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
  });
}
