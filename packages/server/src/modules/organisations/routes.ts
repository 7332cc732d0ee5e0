import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  organisationCreatePage,
  organisationDeletePage,
  organisationInvitationPage,
  organisationKeysPage,
  organisationMembersPage,
  organisationNoticePage,
  organisationPage,
  organisationSettingsPage,
  organisationsPage,
  organisationTransferPage,
} from '@amtsbote/web';
import type { FieldError } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { appFieldErrors, csrfField, formString } from '../../http/forms.ts';
import { accountOf, accountOrLogin, freshlyConfirmed, passwordReentryProblem } from '../accounts/http.ts';
import type { Account } from '../accounts/service.ts';
import { accountOverview, getAccount } from '../accounts/service.ts';
import { recordDownload, sendFile, sendZip } from '../transfers/downloads.ts';
import { transferPolicy } from '../transfers/policy.ts';
import { UPLOADS_PATH } from '../transfers/tus.ts';
import { keyState, pendingOrganisationShares, setOrganisationKey, shareOrganisationKey } from './keys.ts';
import {
  acceptInvitation,
  closeInvitation,
  confirmInvitation,
  invitationByToken,
  invitationsFor,
  inviteMember,
  leaveOrganisation,
  listInvitations,
  listMembers,
  revokeMember,
  setMemberRole,
} from './members.ts';
import type { ReplyEnvelopeInput } from '../keys/replies.ts';
import { getNotice } from './notices.ts';
import {
  organisationPostbox,
  organisationTransfer,
  postboxEnvelope,
  organisationReplyKeys,
  sendOrganisationReply,
  startOrganisationReply,
  storeOrganisationReplyEnvelopes,
} from './postbox.ts';
import type { OrganisationAccess, ProfileInput } from './service.ts';
import {
  createOrganisation,
  deleteOrganisation,
  organisationDirectory,
  organisationsOf,
  profileForForm,
  requireAdmin,
  requireMember,
  setGeneralRelease,
  updateProfile,
} from './service.ts';

const uuid = { type: 'string', format: 'uuid' } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const;
const str = (max: number) => ({ type: 'string', maxLength: max }) as const;
const form = (properties: Record<string, unknown>, required: string[] = []) =>
  ({ type: 'object', required, properties: { ...properties, _csrf: csrfField } }) as const;
const profileBody = form({
  name: str(200),
  legalForm: str(100),
  seat: str(200),
  address: str(500),
  contactEmail: str(254),
  consent: str(10),
});

function profileOf(body: unknown): ProfileInput {
  return {
    name: formString(body, 'name'),
    legalForm: formString(body, 'legalForm'),
    seat: formString(body, 'seat'),
    address: formString(body, 'address'),
    contactEmail: formString(body, 'contactEmail'),
  };
}

/**
 * Organisation accounts: pages and API. Every route decides access through requireMember /
 * requireAdmin (service.ts): non-members get 404 for every organisation URL.
 */
export function organisationRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const fullAccount = async (request: FastifyRequest): Promise<Account> => {
      const a = await getAccount(deps.db, request.tenant.id, accountOf(request).id);
      if (a === undefined) throw new AppError('ERR_UNAUTHENTICATED');
      return a;
    };
    const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
    const summaryOf = (a: OrganisationAccess) => ({ id: a.organisation.id, name: a.organisation.name });

    const postboxPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      access: OrganisationAccess,
      actionError?: string,
      status = 200,
    ) => {
      const items = await organisationPostbox(deps, request.tenant.id, access);
      const members = await listMembers(deps.db, request.tenant.id, access.organisation.id);
      return reply.page({
        ...organisationPage(pageContext(request, reply), {
          org: summaryOf(access),
          role: access.role,
          adminCount: members.filter((m) => m.role === 'admin').length,
          items: items.map((i) =>
            i.kind === 'notice' ? { kind: 'notice', id: i.id, at: i.at, notice: i.notice.body } : i,
          ),
          actionError,
        }),
        status,
      });
    };

    const membersPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      access: OrganisationAccess,
      o: { errors?: FieldError[]; actionError?: string; status?: number } = {},
    ) => {
      const account = accountOf(request);
      return reply.page({
        ...organisationMembersPage(pageContext(request, reply), {
          org: summaryOf(access),
          role: access.role,
          me: account.id,
          members: await listMembers(deps.db, request.tenant.id, access.organisation.id),
          invitations: await listInvitations(deps.db, request.tenant.id, access.organisation.id),
          errors: o.errors ?? [],
          now: deps.clock.now(),
          actionError: o.actionError,
        }),
        status: o.status ?? 200,
      });
    };

    /** Runs an administrator's action; a refusal other than "not found" re-shows the members page. */
    const adminAction = async (
      request: FastifyRequest,
      reply: FastifyReply,
      action: (admin: Account) => Promise<void>,
      notice: string,
    ) => {
      const admin = await fullAccount(request);
      const access = await requireMember(deps.db, request.tenant.id, idOf(request), admin.id);
      try {
        await action(admin);
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'ERR_NOT_FOUND') throw err;
        if (access.role !== 'admin') throw err;
        return membersPage(request, reply, access, {
          actionError: errorMessage(err.code, request.locale),
          status: err.status,
        });
      }
      return reply.redirect(`/organisations/${access.organisation.id}/members?notice=${notice}`, 303);
    };

    // ---- List, create ---------------------------------------------------------------------------

    app.get('/organisations', { schema: { hide: true } }, async (request, reply) => {
      const account = accountOrLogin(request, reply);
      if (account === undefined) return reply;
      const orgs = await organisationsOf(deps.db, request.tenant.id, account.id);
      return reply.page(
        organisationsPage(pageContext(request, reply), {
          organisations: orgs.map((o) => ({
            id: o.organisation.id,
            name: o.organisation.name,
            role: o.role,
          })),
          invitations: await invitationsFor(deps.db, request.tenant.id, account.email, deps.clock.now()),
        }),
      );
    });

    app.get('/organisations/new', { schema: { hide: true } }, async (request, reply) => {
      const account = accountOrLogin(request, reply);
      if (account === undefined) return reply;
      return reply.page(
        organisationCreatePage(pageContext(request, reply), {
          values: { contactEmail: account.email },
          errors: [],
        }),
      );
    });

    app.post('/organisations/new', { schema: { hide: true, body: profileBody } }, async (request, reply) => {
      const account = await fullAccount(request);
      try {
        const org = await createOrganisation(deps, {
          tenantId: request.tenant.id,
          account,
          profile: profileOf(request.body),
          consent: formString(request.body, 'consent') === 'on',
          ipPrefix: request.ipPrefix,
        });
        return await reply.redirect(`/organisations/${org.id}?notice=organisation-created`, 303);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const values = { ...profileOf(request.body), consent: formString(request.body, 'consent') };
        return reply.page({
          ...organisationCreatePage(pageContext(request, reply), {
            values,
            errors: appFieldErrors(err, request.locale, 'name'),
          }),
          status: err.status,
        });
      }
    });

    // ---- Invitation links (before the organisation id: a literal segment wins in the router) --

    app.get(
      '/organisations/invitations/:token',
      {
        schema: {
          hide: true,
          params: { type: 'object', required: ['token'], properties: { token: str(200) } },
        },
      },
      async (request, reply) => {
        const { token } = request.params as { token: string };
        const inv = await invitationByToken(deps, request.tenant.id, token);
        return reply.page(
          organisationInvitationPage(pageContext(request, reply), {
            token,
            organisationName: inv.organisationName,
            email: inv.email,
            signedInAs: request.session?.account?.email,
            accepted: inv.status === 'accepted',
          }),
        );
      },
    );

    app.post(
      '/organisations/invitations/accept',
      { schema: { hide: true, body: form({ token: str(200) }, ['token']) } },
      async (request, reply) => {
        const { token } = request.body as { token: string };
        const account = await fullAccount(request);
        try {
          const inv = await acceptInvitation(deps, {
            tenant: request.tenant,
            token,
            account,
            ipPrefix: request.ipPrefix,
          });
          return await reply.page(
            organisationInvitationPage(pageContext(request, reply), {
              token,
              organisationName: inv.organisationName,
              email: inv.email,
              signedInAs: account.email,
              accepted: true,
            }),
          );
        } catch (err) {
          if (
            !(err instanceof AppError) ||
            err.code === 'ERR_LINK_INVALID' ||
            err.code === 'ERR_INVITATION_EXPIRED'
          )
            throw err;
          const inv = await invitationByToken(deps, request.tenant.id, token);
          return reply.page({
            ...organisationInvitationPage(pageContext(request, reply), {
              token,
              organisationName: inv.organisationName,
              email: inv.email,
              signedInAs: account.email,
              accepted: false,
              error: errorMessage(err.code, request.locale),
            }),
            status: err.status,
          });
        }
      },
    );

    // ---- One organisation -----------------------------------------------------------------------

    app.get('/organisations/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const account = accountOrLogin(request, reply);
      if (account === undefined) return reply;
      const access = await requireMember(deps.db, request.tenant.id, idOf(request), account.id);
      return postboxPage(request, reply, access);
    });

    const transferParams = {
      type: 'object',
      required: ['id', 'transferId'],
      properties: { id: uuid, transferId: uuid },
    } as const;

    app.get(
      '/organisations/:id/postbox/:transferId',
      { schema: { hide: true, params: transferParams } },
      async (request, reply) => {
        const account = accountOrLogin(request, reply);
        if (account === undefined) return reply;
        const access = await requireMember(deps.db, request.tenant.id, idOf(request), account.id);
        const { transferId } = request.params as { transferId: string };
        const view = await organisationTransfer(deps, {
          tenantId: request.tenant.id,
          organisationId: access.organisation.id,
          accountId: account.id,
          transferId,
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

    app.route({
      method: ['GET', 'HEAD'],
      url: '/organisations/:id/postbox/:transferId/files/:fileId',
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['id', 'transferId', 'fileId'],
          properties: { id: uuid, transferId: uuid, fileId: uuid },
        },
      },
      handler: async (request, reply) => {
        const account = accountOf(request);
        const { id, transferId, fileId } = request.params as {
          id: string;
          transferId: string;
          fileId: string;
        };
        const view = await organisationTransfer(deps, {
          tenantId: request.tenant.id,
          organisationId: id,
          accountId: account.id,
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

    app.get(
      '/organisations/:id/postbox/:transferId/zip',
      { schema: { hide: true, params: transferParams } },
      async (request, reply) => {
        const account = accountOf(request);
        const { id, transferId } = request.params as { id: string; transferId: string };
        const view = await organisationTransfer(deps, {
          tenantId: request.tenant.id,
          organisationId: id,
          accountId: account.id,
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

    app.get(
      '/organisations/:id/notices/:noticeId',
      {
        schema: {
          hide: true,
          params: { type: 'object', required: ['id', 'noticeId'], properties: { id: uuid, noticeId: uuid } },
        },
      },
      async (request, reply) => {
        const account = accountOrLogin(request, reply);
        if (account === undefined) return reply;
        const access = await requireMember(deps.db, request.tenant.id, idOf(request), account.id);
        const notice = await getNotice(
          deps.db,
          deps,
          request.tenant.id,
          access.organisation.id,
          access.role,
          (request.params as { noticeId: string }).noticeId,
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

    app.post(
      '/organisations/:id/leave',
      { schema: { hide: true, params: idParams, body: form({}) } },
      async (request, reply) => {
        const account = await fullAccount(request);
        const access = await requireMember(deps.db, request.tenant.id, idOf(request), account.id);
        try {
          await leaveOrganisation(deps, {
            tenant: request.tenant,
            organisationId: access.organisation.id,
            account,
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'ERR_ORG_LAST_ADMIN') throw err;
          return postboxPage(request, reply, access, errorMessage(err.code, request.locale), err.status);
        }
        return reply.redirect('/organisations?notice=left-organisation', 303);
      },
    );

    // ---- Members (administrators) ---------------------------------------------------------------

    app.get(
      '/organisations/:id/members',
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const account = accountOrLogin(request, reply);
        if (account === undefined) return reply;
        const access = await requireAdmin(deps.db, request.tenant.id, idOf(request), account.id);
        return membersPage(request, reply, access);
      },
    );

    app.post(
      '/organisations/:id/invitations',
      { schema: { hide: true, params: idParams, body: form({ email: str(254) }) } },
      async (request, reply) => {
        const admin = await fullAccount(request);
        const access = await requireAdmin(deps.db, request.tenant.id, idOf(request), admin.id);
        try {
          await inviteMember(deps, {
            tenant: request.tenant,
            organisationId: access.organisation.id,
            admin,
            email: formString(request.body, 'email'),
            locale: request.locale,
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (!(err instanceof AppError) || err.code === 'ERR_NOT_FOUND') throw err;
          return membersPage(request, reply, access, {
            errors: appFieldErrors(err, request.locale, 'email'),
            status: err.status,
          });
        }
        return reply.redirect(`/organisations/${access.organisation.id}/members?notice=invitation-sent`, 303);
      },
    );

    const invitationParams = {
      type: 'object',
      required: ['id', 'invitationId'],
      properties: { id: uuid, invitationId: uuid },
    } as const;

    app.post(
      '/organisations/:id/invitations/:invitationId/confirm',
      { schema: { hide: true, params: invitationParams, body: form({}) } },
      async (request, reply) =>
        adminAction(
          request,
          reply,
          (admin) =>
            confirmInvitation(deps, {
              tenant: request.tenant,
              organisationId: idOf(request),
              invitationId: (request.params as { invitationId: string }).invitationId,
              admin,
              ipPrefix: request.ipPrefix,
            }),
          'member-confirmed',
        ),
    );

    app.post(
      '/organisations/:id/invitations/:invitationId/close',
      { schema: { hide: true, params: invitationParams, body: form({}) } },
      async (request, reply) =>
        adminAction(
          request,
          reply,
          (admin) =>
            closeInvitation(deps, {
              tenantId: request.tenant.id,
              organisationId: idOf(request),
              invitationId: (request.params as { invitationId: string }).invitationId,
              admin,
              ipPrefix: request.ipPrefix,
            }),
          'invitation-closed',
        ),
    );

    const memberParams = {
      type: 'object',
      required: ['id', 'accountId'],
      properties: { id: uuid, accountId: uuid },
    } as const;

    app.post(
      '/organisations/:id/members/:accountId/role',
      {
        schema: {
          hide: true,
          params: memberParams,
          body: form({ role: { type: 'string', enum: ['member', 'admin'] } }, ['role']),
        },
      },
      async (request, reply) =>
        adminAction(
          request,
          reply,
          (admin) =>
            setMemberRole(deps, {
              tenantId: request.tenant.id,
              organisationId: idOf(request),
              accountId: (request.params as { accountId: string }).accountId,
              role: (request.body as { role: 'member' | 'admin' }).role,
              admin,
              ipPrefix: request.ipPrefix,
            }),
          'role-changed',
        ),
    );

    app.post(
      '/organisations/:id/members/:accountId/revoke',
      { schema: { hide: true, params: memberParams, body: form({}) } },
      async (request, reply) =>
        adminAction(
          request,
          reply,
          (admin) =>
            revokeMember(deps, {
              tenant: request.tenant,
              organisationId: idOf(request),
              accountId: (request.params as { accountId: string }).accountId,
              admin,
              ipPrefix: request.ipPrefix,
            }),
          'member-revoked',
        ),
    );

    // ---- The organisation's key (levels 3 and 4) -------------------------------------------------

    app.get(
      '/organisations/:id/keys',
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const account = accountOrLogin(request, reply);
        if (account === undefined) return reply;
        const access = await requireMember(deps.db, request.tenant.id, idOf(request), account.id);
        const state = await keyState(deps, {
          tenantId: request.tenant.id,
          organisationId: access.organisation.id,
          accountId: account.id,
        });
        return reply.page(
          organisationKeysPage(pageContext(request, reply), {
            org: summaryOf(access),
            role: access.role,
            publicKey: state.publicKey,
            hasShare: state.wrappedPrivateKey !== null,
            waiting: state.membersWithoutShare.length,
          }),
        );
      },
    );

    // ---- Settings, data release, deletion --------------------------------------------------------

    app.get(
      '/organisations/:id/settings',
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const account = accountOrLogin(request, reply);
        if (account === undefined) return reply;
        const access = await requireMember(deps.db, request.tenant.id, idOf(request), account.id);
        return reply.page(
          organisationSettingsPage(pageContext(request, reply), {
            org: access.organisation,
            role: access.role,
            errors: [],
          }),
        );
      },
    );

    app.post(
      '/organisations/:id/settings',
      { schema: { hide: true, params: idParams, body: profileBody } },
      async (request, reply) => {
        const account = accountOf(request);
        const access = await requireMember(deps.db, request.tenant.id, idOf(request), account.id);
        try {
          await updateProfile(deps, {
            tenantId: request.tenant.id,
            organisationId: access.organisation.id,
            accountId: account.id,
            profile: profileOf(request.body),
            ipPrefix: request.ipPrefix,
          });
        } catch (err) {
          if (
            !(err instanceof AppError) ||
            err.code === 'ERR_NOT_FOUND' ||
            err.code === 'ERR_ORG_ADMIN_REQUIRED'
          )
            throw err;
          return reply.page({
            ...organisationSettingsPage(pageContext(request, reply), {
              org: access.organisation,
              role: access.role,
              errors: appFieldErrors(err, request.locale, 'name'),
              values: { ...profileOf(request.body) },
            }),
            status: err.status,
          });
        }
        return reply.redirect(
          `/organisations/${access.organisation.id}/settings?notice=organisation-saved`,
          303,
        );
      },
    );

    app.post(
      '/organisations/:id/release',
      {
        schema: {
          hide: true,
          params: idParams,
          body: form({ release: { type: 'string', enum: ['general', 'per-use'] } }, ['release']),
        },
      },
      async (request, reply) => {
        const account = accountOf(request);
        await setGeneralRelease(deps, {
          tenantId: request.tenant.id,
          organisationId: idOf(request),
          accountId: account.id,
          on: (request.body as { release: string }).release === 'general',
          ipPrefix: request.ipPrefix,
        });
        return reply.redirect(`/organisations/${idOf(request)}/settings?notice=release-saved`, 303);
      },
    );

    const deletePage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      access: OrganisationAccess,
      errors: FieldError[] = [],
      status = 200,
    ) => {
      const account = accountOf(request);
      const overview = await accountOverview(deps.db, request.tenant.id, account.id);
      return reply.page({
        ...organisationDeletePage(pageContext(request, reply), {
          org: summaryOf(access),
          role: access.role,
          email: account.email,
          hasPassword: overview?.hasPassword === true,
          confirmed: freshlyConfirmed(deps, request, overview?.hasPassword === true),
          errors,
        }),
        status,
      });
    };

    app.get(
      '/organisations/:id/delete',
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const account = accountOrLogin(request, reply);
        if (account === undefined) return reply;
        const access = await requireAdmin(deps.db, request.tenant.id, idOf(request), account.id);
        return deletePage(request, reply, access);
      },
    );

    // Deleting needs an administrator and the re-entered password (or a confirmation with passkey
    // or identity service within the last 10 minutes): seed 002, "Konto löschen".
    app.post(
      '/organisations/:id/delete',
      { schema: { hide: true, params: idParams, body: form({ password: str(256), username: str(254) }) } },
      async (request, reply) => {
        const account = accountOf(request);
        const access = await requireAdmin(deps.db, request.tenant.id, idOf(request), account.id);
        if (request.session === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        const overview = await accountOverview(deps.db, request.tenant.id, account.id);
        const password = (request.body as { password?: string }).password ?? '';
        const problem = await passwordReentryProblem(
          deps,
          request,
          account,
          overview?.hasPassword === true,
          password,
        );
        if (problem !== undefined) {
          return deletePage(
            request,
            reply,
            access,
            [{ field: 'password', message: errorMessage(problem.code, request.locale) }],
            problem.status,
          );
        }
        await deleteOrganisation(deps, {
          tenantId: request.tenant.id,
          organisationId: access.organisation.id,
          accountId: account.id,
          ipPrefix: request.ipPrefix,
        });
        return reply.redirect('/organisations?notice=organisation-deleted', 303);
      },
    );

    // ---- JSON API ---------------------------------------------------------------------------------

    const orgSchema = {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        legalForm: { type: ['string', 'null'] },
        seat: { type: ['string', 'null'] },
        address: { type: ['string', 'null'] },
        contactEmail: { type: 'string' },
        role: { type: 'string', enum: ['member', 'admin'] },
        generalRelease: {
          type: 'boolean',
          description: 'Profile data released in general for online forms (else: confirm each use)',
        },
        releaseChangedAt: { type: ['string', 'null'], format: 'date-time' },
      },
    } as const;
    const orgJson = (a: OrganisationAccess) => ({ ...a.organisation, role: a.role });

    app.get(
      '/api/v1/organisations',
      {
        schema: {
          summary: 'The signed-in service account’s organisations',
          tags: ['organisations'],
          response: { 200: { type: 'array', items: orgSchema } },
        },
      },
      async (request) => {
        const account = accountOf(request);
        return (await organisationsOf(deps.db, request.tenant.id, account.id)).map(orgJson);
      },
    );

    app.get(
      '/api/v1/organisations/:id',
      {
        schema: {
          summary: 'One organisation: profile, role, data release setting',
          tags: ['organisations'],
          params: idParams,
          response: { 200: orgSchema },
        },
      },
      async (request) => {
        return orgJson(await requireMember(deps.db, request.tenant.id, idOf(request), accountOf(request).id));
      },
    );

    app.put(
      '/api/v1/organisations/:id/release',
      {
        schema: {
          summary: 'Switch the general release of the profile data on or off (administrators)',
          tags: ['organisations'],
          params: idParams,
          body: {
            type: 'object',
            required: ['generalRelease'],
            additionalProperties: false,
            properties: { generalRelease: { type: 'boolean' } },
          },
          response: { 200: orgSchema },
        },
      },
      async (request) => {
        const account = accountOf(request);
        await setGeneralRelease(deps, {
          tenantId: request.tenant.id,
          organisationId: idOf(request),
          accountId: account.id,
          on: (request.body as { generalRelease: boolean }).generalRelease,
          ipPrefix: request.ipPrefix,
        });
        return orgJson(await requireMember(deps.db, request.tenant.id, idOf(request), account.id));
      },
    );

    app.post(
      '/api/v1/organisations/:id/profile-for-form',
      {
        schema: {
          summary:
            'The profile for prefilling an online form: given under a general release or with the member’s confirmation of this use',
          tags: ['organisations'],
          params: idParams,
          body: {
            type: 'object',
            required: ['purpose'],
            additionalProperties: false,
            properties: {
              purpose: { type: 'string', minLength: 1, maxLength: 100 },
              confirmed: { type: 'boolean' },
            },
          },
        },
      },
      async (request) => {
        const body = request.body as { purpose: string; confirmed?: boolean };
        return profileForForm(deps, {
          tenantId: request.tenant.id,
          organisationId: idOf(request),
          accountId: accountOf(request).id,
          confirmedThisUse: body.confirmed === true,
          purpose: body.purpose,
          ipPrefix: request.ipPrefix,
        });
      },
    );

    app.get(
      '/api/v1/organisations/:id/keys',
      {
        schema: {
          summary:
            'The organisation’s public key, the caller’s wrapped private key, and members still without one',
          tags: ['organisations'],
          params: idParams,
          response: {
            200: {
              type: 'object',
              properties: {
                publicKey: { type: ['string', 'null'] },
                wrappedPrivateKey: { type: ['string', 'null'] },
                membersWithoutShare: { type: 'array', items: { type: 'string' } },
                shareable: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { accountId: { type: 'string' }, publicKey: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
      async (request) =>
        keyState(deps, {
          tenantId: request.tenant.id,
          organisationId: idOf(request),
          accountId: accountOf(request).id,
        }),
    );

    app.put(
      '/api/v1/organisations/:id/keys',
      {
        schema: {
          summary:
            'Set the organisation’s key pair once: public key and the administrator’s own wrap (type-E envelope, base64url)',
          tags: ['organisations'],
          params: idParams,
          body: {
            type: 'object',
            required: ['publicKey', 'wrappedPrivateKey'],
            additionalProperties: false,
            properties: { publicKey: str(100), wrappedPrivateKey: str(200) },
          },
        },
      },
      async (request, reply) => {
        const body = request.body as { publicKey: string; wrappedPrivateKey: string };
        await setOrganisationKey(deps, {
          tenantId: request.tenant.id,
          organisationId: idOf(request),
          accountId: accountOf(request).id,
          ...body,
          ipPrefix: request.ipPrefix,
        });
        return reply.status(204).send();
      },
    );

    // Before the `:id` routes' siblings matter: a static segment wins over the parameter.
    app.get(
      '/api/v1/organisations/key-shares',
      {
        schema: {
          summary:
            'In each organisation where the caller holds the key: members with a personal key still without a wrap',
          tags: ['organisations'],
          response: {
            200: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  organisationId: { type: 'string' },
                  publicKey: { type: 'string' },
                  wrappedPrivateKey: { type: 'string' },
                  members: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { accountId: { type: 'string' }, publicKey: { type: 'string' } },
                    },
                  },
                },
              },
            },
          },
        },
      },
      async (request) => {
        // Every signed-in page asks (key-session.ts); staff belong to no organisation.
        const account = request.session?.account;
        return account === undefined ? [] : pendingOrganisationShares(deps.db, request.tenant.id, account.id);
      },
    );

    app.get(
      '/api/v1/organisations/:id/postbox/:transferId/envelope',
      {
        schema: {
          summary:
            'For a member: the file key of a level-3/4 message (received, or a reply sent in the organisation’s name) wrapped to the organisation’s key, and the member’s wrap of that key',
          tags: ['organisations'],
          params: transferParams,
          response: {
            200: {
              type: 'object',
              properties: {
                state: { type: 'string', enum: ['ready', 'no-key', 'no-share', 'waiting'] },
                envelope: { type: ['string', 'null'] },
                organisationPublicKey: { type: ['string', 'null'] },
                wrappedOrganisationKey: { type: ['string', 'null'] },
              },
            },
          },
        },
      },
      async (request) => {
        const { transferId } = request.params as { transferId: string };
        return postboxEnvelope(deps, {
          tenantId: request.tenant.id,
          organisationId: idOf(request),
          accountId: accountOf(request).id,
          transferId,
        });
      },
    );

    app.put(
      '/api/v1/organisations/:id/keys/shares/:accountId',
      {
        schema: {
          summary:
            'Store the organisation’s private key wrapped for a confirmed member (made by a member who holds it)',
          tags: ['organisations'],
          params: memberParams,
          body: {
            type: 'object',
            required: ['wrappedPrivateKey'],
            additionalProperties: false,
            properties: {
              wrappedPrivateKey: str(200),
              publicKey: { type: 'string', pattern: '^amtb-pub1-[A-Za-z0-9_-]{44}$' },
            },
          },
        },
      },
      async (request, reply) => {
        const { accountId } = request.params as { accountId: string };
        await shareOrganisationKey(deps, {
          tenantId: request.tenant.id,
          organisationId: idOf(request),
          accountId: accountOf(request).id,
          forAccountId: accountId,
          ...(request.body as { wrappedPrivateKey: string; publicKey?: string }),
          ipPrefix: request.ipPrefix,
        });
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/v1/organisations/:id/postbox/:transferId/replies',
      {
        schema: {
          hide: true,
          params: transferParams,
          body: {
            type: 'object',
            required: ['subject', 'files'],
            additionalProperties: false,
            // At level 4 the text is base64url ciphertext with the file names (as in draftBody).
            if: { properties: { level: { type: 'integer', maximum: 3 } } },
            then: { properties: { message: { type: 'string', maxLength: 20000 } } },
            properties: {
              level: { type: 'integer', enum: [1, 2, 3, 4] },
              subject: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
              message: { type: 'string', maxLength: 120000 },
              files: {
                type: 'array',
                maxItems: 10000,
                items: {
                  type: 'object',
                  required: ['name', 'size'],
                  additionalProperties: false,
                  properties: {
                    name: { type: 'string', minLength: 1, maxLength: 255 },
                    size: { type: 'integer', minimum: 0 },
                    type: { type: 'string', maxLength: 255 },
                  },
                },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const account = await fullAccount(request);
        const body = request.body as {
          level?: 1 | 2 | 3 | 4;
          subject: string;
          message?: string;
          files: { name: string; size: number; type?: string }[];
        };
        const draft = await startOrganisationReply(deps, {
          tenant: request.tenant,
          organisationId: idOf(request),
          account,
          transferId: (request.params as { transferId: string }).transferId,
          draft: {
            // Without a level (older clients), or 1/2: the message's own level 1 or 2.
            level: body.level ?? 2,
            subject: body.subject.trim(),
            message: body.message ?? '',
            files: body.files.map((f) => ({ name: f.name, size: f.size, type: f.type ?? '' })),
          },
        });
        return reply.status(201).send({ ...draft, uploadEndpoint: UPLOADS_PATH });
      },
    );

    // A reply at level 3/4 in the organisation's name (keys/replies.ts): the keys to wrap for,
    // then the envelopes the member's browser made.
    app.get(
      '/api/v1/organisations/:id/postbox/:transferId/reply-keys',
      { schema: { hide: true, params: transferParams } },
      async (request) =>
        organisationReplyKeys(deps, {
          tenant: request.tenant,
          organisationId: idOf(request),
          account: await fullAccount(request),
          transferId: (request.params as { transferId: string }).transferId,
        }),
    );

    app.put(
      '/api/v1/organisations/:id/replies/:replyId/envelopes',
      {
        schema: {
          hide: true,
          params: { type: 'object', required: ['id', 'replyId'], properties: { id: uuid, replyId: uuid } },
          body: {
            type: 'object',
            required: ['envelopes'],
            additionalProperties: false,
            properties: {
              envelopes: {
                type: 'array',
                minItems: 2,
                maxItems: 20,
                items: {
                  type: 'object',
                  required: ['holder', 'envelope'],
                  additionalProperties: false,
                  properties: {
                    holder: { type: 'string', enum: ['sender', 'addressee', 'department'] },
                    departmentKeyId: uuid,
                    envelope: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 400 },
                  },
                },
              },
            },
          },
        },
      },
      async (request, reply) => {
        await storeOrganisationReplyEnvelopes(deps, {
          tenant: request.tenant,
          organisationId: idOf(request),
          account: await fullAccount(request),
          replyId: (request.params as { replyId: string }).replyId,
          envelopes: (request.body as { envelopes: ReplyEnvelopeInput[] }).envelopes,
        });
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/v1/organisations/:id/replies/:replyId/send',
      {
        schema: {
          hide: true,
          params: { type: 'object', required: ['id', 'replyId'], properties: { id: uuid, replyId: uuid } },
        },
      },
      async (request) => {
        const account = await fullAccount(request);
        const { replyId } = request.params as { replyId: string };
        await sendOrganisationReply(deps, {
          tenant: request.tenant,
          organisationId: idOf(request),
          account,
          replyId,
          ipPrefix: request.ipPrefix,
        });
        return { id: replyId };
      },
    );

    // Staff: organisations they can address (by contact address) from the compose page.
    app.get(
      '/api/v1/organisations/directory',
      {
        schema: {
          summary:
            'Organisations of this authority staff can write to: name and contact address (staff only)',
          tags: ['organisations'],
          querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 100 } } },
          response: {
            200: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  name: { type: 'string' },
                  contactEmail: { type: 'string' },
                },
              },
            },
          },
        },
      },
      async (request) => {
        if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
        return organisationDirectory(deps.db, request.tenant.id, (request.query as { q?: string }).q ?? '');
      },
    );
  };
}
