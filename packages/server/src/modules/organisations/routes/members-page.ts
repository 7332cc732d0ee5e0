import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError, Page } from '@amtsbote/web';
import { organisationMembersPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { accountOf } from '../../auth/index.ts';
import type { Account } from '../../accounts/index.ts';
import { requireMember } from '../policy.ts';
import { listInvitations } from '../store/invitations.ts';
import { listMembers } from '../store/members.ts';
import type { OrganisationAccess } from '../store/organisations.ts';
import { fullAccount, summaryOf } from './shared.ts';

/** The members page (administrators): members, open invitations, and what went wrong. */
export async function membersPage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  access: OrganisationAccess,
  o: { errors?: FieldError[]; actionError?: string } = {},
): Promise<Page> {
  const tenantId = request.tenant.id;
  return organisationMembersPage(pageContext(request, reply), {
    org: summaryOf(access),
    role: access.role,
    me: accountOf(request).id,
    members: await listMembers(deps.db, tenantId, access.organisation.id),
    invitations: await listInvitations(deps.db, tenantId, access.organisation.id),
    errors: o.errors ?? [],
    now: deps.clock.now(),
    actionError: o.actionError,
  });
}

/**
 * Runs an administrator's action on the members page and goes back to it with a notice; a
 * refusal other than "not found" shows the members page again with the reason (to an
 * administrator; anyone else gets the error page).
 */
export async function adminAction(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  organisationId: string,
  action: (admin: Account) => Promise<void>,
  notice: string,
): Promise<FastifyReply> {
  const admin = await fullAccount(deps, request);
  const access = await requireMember(deps.db, request.tenant.id, organisationId, admin.id);
  try {
    await action(admin);
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'ERR_NOT_FOUND') throw err;
    if (access.role !== 'admin') throw err;
    const page = await membersPage(deps, request, reply, access, {
      actionError: errorMessage(err.code, request.locale),
    });
    return reply.page({ ...page, status: err.status });
  }
  return reply.redirect(`/organisations/${access.organisation.id}/members?notice=${notice}`, 303);
}
