import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Page } from '@amtsbote/web';
import { organisationPage, organisationTransferPage } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { formBody, routesOf } from '../../http/schemas.ts';
import { getAccount } from '../accounts/index.ts';
import { accountOf } from '../auth/index.ts';
import type { OrganisationAccess } from '../organisations/index.ts';
import { leaveOrganisation, listMembers, requireMember } from '../organisations/index.ts';
import { UPLOADS_PATH, recordDownload, sendFile, sendZip, transferPolicy } from '../transfers/index.ts';
import { organisationPostboxApi } from './organisation-api-routes.ts';
import { organisationPostbox, organisationTransfer } from './organisation-postbox.ts';

const transferParams = {
  type: 'object',
  required: ['id', 'transferId'],
  properties: { id: { $ref: 'Uuid#' }, transferId: { $ref: 'Uuid#' } },
} as const;

const summaryOf = (a: OrganisationAccess) => ({ id: a.organisation.id, name: a.organisation.name });

async function postboxPage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  access: OrganisationAccess,
  actionError?: string,
): Promise<Page> {
  const items = await organisationPostbox(deps, request.tenant.id, access);
  const members = await listMembers(deps.db, request.tenant.id, access.organisation.id);
  return organisationPage(pageContext(request, reply), {
    org: summaryOf(access),
    role: access.role,
    adminCount: members.filter((m) => m.role === 'admin').length,
    items: items.map((i) =>
      i.kind === 'notice' ? { kind: 'notice', id: i.id, at: i.at, notice: i.notice.body } : i,
    ),
    actionError,
  });
}

/**
 * The organisation's postbox pages for its members: the listing (the organisation's start
 * page), one message with its conversation, its files, and leaving (whose refusal shows the
 * postbox again), and its API (organisation-api-routes.ts). Membership is checked on every
 * request (organisations' policy). Registered by app.ts on its own, outside the inbound plugin,
 * whose error handler is for staff's inbox.
 */
export function organisationPostboxRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const r = routesOf(app);
    organisationPostboxApi(app, deps);

    r.get(
      '/organisations/:id',
      { config: { access: 'account' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
      async (request, reply) => {
        const access = await requireMember(
          deps.db,
          request.tenant.id,
          request.params.id,
          accountOf(request).id,
        );
        return reply.page(await postboxPage(deps, request, reply, access));
      },
    );

    r.get(
      '/organisations/:id/postbox/:transferId',
      { config: { access: 'account' }, schema: { hide: true, params: transferParams } },
      async (request, reply) => {
        const account = accountOf(request);
        const access = await requireMember(deps.db, request.tenant.id, request.params.id, account.id);
        const view = await organisationTransfer(deps, {
          tenantId: request.tenant.id,
          organisationId: access.organisation.id,
          accountId: account.id,
          transferId: request.params.transferId,
          ipPrefix: request.ipPrefix,
        });
        const policy = transferPolicy(request.tenant);
        return reply.page(
          organisationTransferPage(pageContext(request, reply), {
            org: summaryOf(access),
            role: access.role,
            transfer: view.transfer,
            direction: view.direction,
            thread: view.thread,
            senderName: view.senderName,
            canReply: view.canReply,
            uploadEndpoint: UPLOADS_PATH,
            policy: {
              maxFileSize: policy.maxFileSize,
              maxFiles: policy.maxFiles,
              maxTotalSize: policy.maxTotalSize,
            },
          }),
        );
      },
    );

    r.route({
      config: { access: 'account' },
      method: ['GET', 'HEAD'],
      url: '/organisations/:id/postbox/:transferId/files/:fileId',
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['id', 'transferId', 'fileId'],
          properties: { id: { $ref: 'Uuid#' }, transferId: { $ref: 'Uuid#' }, fileId: { $ref: 'Uuid#' } },
        },
      },
      handler: async (request, reply) => {
        const { id, transferId, fileId } = request.params;
        const view = await organisationTransfer(deps, {
          tenantId: request.tenant.id,
          organisationId: id,
          accountId: accountOf(request).id,
          transferId,
          ipPrefix: request.ipPrefix,
        });
        const file = view.transfer.files.find((f) => f.id === fileId);
        if (file === undefined) throw new AppError('ERR_NOT_FOUND');
        const range = request.headers.range;
        if (
          request.method === 'GET' &&
          view.direction === 'received' &&
          (range === undefined || range.startsWith('bytes=0-'))
        ) {
          await recordDownload(deps, request.tenant, {
            transferId,
            recipientId: view.recipientId,
            fileId,
            ipPrefix: request.ipPrefix,
            actor: { kind: 'guest', id: view.recipientId },
          });
        }
        return sendFile(deps, request, reply, request.tenant.id, file);
      },
    });

    r.get(
      '/organisations/:id/postbox/:transferId/zip',
      { config: { access: 'account' }, schema: { hide: true, params: transferParams } },
      async (request, reply) => {
        const { id, transferId } = request.params;
        const view = await organisationTransfer(deps, {
          tenantId: request.tenant.id,
          organisationId: id,
          accountId: accountOf(request).id,
          transferId,
          ipPrefix: request.ipPrefix,
        });
        if (view.transfer.files.length === 0) throw new AppError('ERR_NOT_FOUND');
        if (view.direction === 'received')
          await recordDownload(deps, request.tenant, {
            transferId,
            recipientId: view.recipientId,
            fileId: null,
            ipPrefix: request.ipPrefix,
            actor: { kind: 'guest', id: view.recipientId },
          });
        return sendZip(
          deps,
          reply,
          request.tenant.id,
          view.transfer.files,
          `${view.transfer.subject ?? 'Nachricht'}.zip`,
        );
      },
    );

    r.post(
      '/organisations/:id/leave',
      {
        config: { access: 'account' },
        schema: { hide: true, params: { $ref: 'IdParams#' }, body: formBody({}) },
      },
      async (request, reply) => {
        const account = await getAccount(deps.db, request.tenant.id, accountOf(request).id);
        if (account === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        const access = await requireMember(deps.db, request.tenant.id, request.params.id, account.id);
        try {
          await leaveOrganisation(deps, {
            tenant: request.tenant,
            organisationId: access.organisation.id,
            account,
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'ERR_ORG_LAST_ADMIN') throw err;
          const page = await postboxPage(
            deps,
            request,
            reply,
            access,
            errorMessage(err.code, request.locale),
          );
          return reply.page({ ...page, status: err.status });
        }
        return reply.redirect('/organisations?notice=left-organisation', 303);
      },
    );
  };
}
