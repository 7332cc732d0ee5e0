import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  postboxPage,
  recipientTransferPage,
  recipientVerifyPage,
  transferComposePage,
  transferDetailPage,
} from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { csrfField } from '../../http/forms.ts';
import { transferApi } from './api.ts';
import { transferPolicy } from './policy.ts';
import { recipientMayUpload, recipientRoutes } from './recipient.ts';
import {
  extendTransfer,
  listPostbox,
  recipientEmailOf,
  recipientStatuses,
  revokeTransfer,
  transferForStaff,
} from './service.ts';
import { registerUploads, UPLOADS_PATH } from './tus.ts';
import { wasmContentSecurityPolicy } from '../../http/security-headers.ts';
import { passwordEnvelopeOf } from './password.ts';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

/** Sends a browser that is not signed in as staff to the login, and back here afterwards. */
function staffOrLogin(request: FastifyRequest, reply: FastifyReply): boolean {
  if (request.auth !== undefined) return true;
  void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  return false;
}

/** Transfers: compose, postbox, sender's view, the recipient's link pages, uploads, downloads. */
export function transferRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    registerUploads(app, deps, async (request, file) => {
      if (file.senderStaffId !== null) return request.auth?.staff.id === file.senderStaffId;
      if (file.senderRecipientId !== null) return recipientMayUpload(deps, request, file.senderRecipientId);
      return false;
    });
    transferApi(app, deps);
    recipientRoutes(app, deps, {
      transfer: (request, reply, data) =>
        reply.page(
          recipientTransferPage(pageContext(request, reply), {
            token: data.token,
            transfer: data.transfer,
            thread: data.thread,
            email: data.email,
            uploadEndpoint: UPLOADS_PATH,
            senderName: data.senderName,
            passwordEnvelope: data.passwordEnvelope,
            policy: transferPolicy(request.tenant),
          }),
        ),
      verify: (request, reply, data) =>
        reply.page({
          ...recipientVerifyPage(pageContext(request, reply), {
            token: data.token,
            maskedEmail: data.maskedEmail,
            codeId: data.codeId,
            error: data.error === undefined ? undefined : errorMessage(data.error.code, request.locale),
          }),
          status: reply.statusCode,
        }),
    });

    app.get(
      '/transfers',
      {
        schema: {
          hide: true,
          querystring: { type: 'object', properties: { before: { type: 'string', format: 'date-time' } } },
        },
      },
      async (request, reply) => {
        if (!staffOrLogin(request, reply) || request.auth === undefined) return reply;
        const before = (request.query as { before?: string }).before;
        const entries = await listPostbox(
          deps,
          request.tenant,
          request.auth.staff,
          before === undefined ? {} : { before: new Date(before) },
        );
        return reply.page(postboxPage(pageContext(request, reply), { entries }));
      },
    );

    app.get('/transfers/new', { schema: { hide: true } }, async (request, reply) => {
      if (!staffOrLogin(request, reply)) return reply;
      return reply.page(
        transferComposePage(pageContext(request, reply), {
          policy: transferPolicy(request.tenant),
          uploadEndpoint: UPLOADS_PATH,
        }),
      );
    });

    app.get('/transfers/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
      if (!staffOrLogin(request, reply) || request.auth === undefined) return reply;
      const { id } = request.params as { id: string };
      const transfer = await transferForStaff(deps, request.tenant.id, request.auth.staff, id);
      const recipients =
        transfer.senderStaffId === request.auth.staff.id
          ? await recipientStatuses(deps.db, request.tenant.id, id)
          : [];
      const isSender = transfer.senderStaffId === request.auth.staff.id;
      const from = isSender
        ? undefined
        : await recipientEmailOf(deps.db, request.tenant.id, transfer.senderRecipientId);
      // An answer to a password drop-off opens here with that password (Argon2id in hash-wasm).
      const passwordEnvelope =
        transfer.e2e === 'password' ? await passwordEnvelopeOf(deps.db, request.tenant.id, id) : undefined;
      if (passwordEnvelope !== undefined)
        void reply.header('content-security-policy', wasmContentSecurityPolicy);
      return reply.page(
        transferDetailPage(pageContext(request, reply), {
          transfer,
          recipients,
          policy: transferPolicy(request.tenant),
          isSender,
          from,
          now: deps.clock.now(),
          passwordEnvelope,
        }),
      );
    });

    app.post(
      '/transfers/:id/revoke',
      {
        schema: { hide: true, params: idParams, body: { type: 'object', properties: { _csrf: csrfField } } },
      },
      async (request, reply) => {
        if (!staffOrLogin(request, reply) || request.auth === undefined) return reply;
        const { id } = request.params as { id: string };
        await revokeTransfer(deps, request.tenant, request.auth.staff, id, request.ipPrefix);
        return reply.redirect(`/transfers/${id}?notice=transfer-revoked`, 303);
      },
    );

    app.post(
      '/transfers/:id/extend',
      {
        schema: {
          hide: true,
          params: idParams,
          body: {
            type: 'object',
            required: ['days'],
            properties: { days: { type: 'string', pattern: '^[0-9]{1,3}$' }, _csrf: csrfField },
          },
        },
      },
      async (request, reply) => {
        if (!staffOrLogin(request, reply) || request.auth === undefined) return reply;
        const { id } = request.params as { id: string };
        const days = Number((request.body as { days: string }).days);
        if (days < 1)
          throw new AppError('ERR_VALIDATION', { fields: [{ field: 'days', code: 'ERR_VALIDATION' }] });
        await extendTransfer(deps, request.tenant, request.auth.staff, id, days, request.ipPrefix);
        return reply.redirect(`/transfers/${id}?notice=transfer-extended`, 303);
      },
    );
  };
}
