import { replyEnvelopesBody } from '../schemas.ts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { routesOf } from '../../../http/schemas.ts';
import { ownReplyEnvelope, replyKeys, storeReplyEnvelopes } from '../services/reply-envelopes.ts';
import { sendFile } from '../downloads.ts';
import { openableLink, readableLink } from '../link-access.ts';
import { linkAccountOf, readerAccountOf } from '../policy.ts';
import { replyBody } from '../schemas.ts';
import { startReply } from '../services/reply.ts';
import { sendDraft } from '../services/send-draft.ts';
import { UPLOADS_PATH } from '../tus.ts';
import { loadTransferView } from '../views.ts';

const replyParams = {
  type: 'object',
  required: ['token', 'id'],
  properties: { token: { type: 'string', maxLength: 200 }, id: { $ref: 'Uuid#' } },
} as const;

const replyFileParams = {
  type: 'object',
  required: ['token', 'id', 'fileId'],
  properties: { ...replyParams.properties, fileId: { $ref: 'Uuid#' } },
} as const;

/**
 * The recipient's replies through their link: the keys to encrypt to, the draft, its envelopes,
 * sending it; and re-opening a level-3/4 reply they sent.
 */
export function recipientReplyRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  // The keys a level-3/4 reply is encrypted to in the recipient's browser (keys/replies.ts).
  app.get(
    '/api/v1/received/:token/reply-keys',
    { config: { access: 'public' }, schema: { params: { $ref: 'TokenParams#' }, hide: true } },
    async (request) => {
      const access = await openableLink(deps, request, request.params.token);
      const t = access.transfer;
      const account = linkAccountOf(request);
      if (!t.allow_reply || t.sender_staff_id === null || t.level < 3 || account === undefined)
        throw new AppError('ERR_LINK_INVALID');
      return {
        level: t.level,
        ...(await replyKeys(deps.db, request.tenant, t.sender_staff_id, {
          kind: 'account',
          accountId: account.id,
        })),
      };
    },
  );

  // A reply is a draft like any other, composed by the recipient and addressed to the sender's
  // postbox; its files go through the same upload endpoint, authorised by the link. To a level-3/4
  // message it goes at the same level, end-to-end from the recipient's browser, or at level 2
  // (also when no level is asked for, as older clients do).
  app.post(
    '/t/:token/replies',
    {
      config: { access: 'public' },
      schema: { params: { $ref: 'TokenParams#' }, hide: true, body: replyBody },
    },
    async (request, reply) => {
      const access = await openableLink(deps, request, request.params.token);
      const draft = await startReply(deps, request.tenant, access, linkAccountOf(request), request.body);
      return reply.status(201).send({ ...draft, uploadEndpoint: UPLOADS_PATH });
    },
  );

  // The file key of a level-3/4 reply, wrapped in the recipient's browser for the addressee,
  // for the recipient's own key and (shared department outboxes) the addressee's departments.
  app.put(
    '/t/:token/replies/:id/envelopes',
    { config: { access: 'public' }, schema: { hide: true, params: replyParams, body: replyEnvelopesBody } },
    async (request, reply) => {
      const access = await openableLink(deps, request, request.params.token);
      const account = linkAccountOf(request);
      if (account === undefined) throw new AppError('ERR_LINK_INVALID');
      await storeReplyEnvelopes(
        deps,
        request.tenant,
        { recipientId: access.recipientId, owner: { kind: 'account', accountId: account.id } },
        request.params.id,
        request.body.envelopes,
      );
      return reply.status(204).send();
    },
  );

  app.post(
    '/t/:token/replies/:id/send',
    { config: { access: 'public' }, schema: { hide: true, params: replyParams } },
    async (request) => {
      const access = await openableLink(deps, request, request.params.token);
      const { id } = request.params;
      await sendDraft(
        deps,
        request.tenant,
        { kind: 'recipient', recipientId: access.recipientId, email: access.email },
        id,
        request.ipPrefix,
      );
      return { id };
    },
  );

  // The replier reads a level-3/4 reply they sent: their own envelope and the reply's
  // ciphertext, through the link they replied by (keys/replies.ts ownReplyEnvelope).
  app.get(
    '/api/v1/received/:token/replies/:id/envelope',
    {
      config: { access: 'public' },
      schema: {
        summary: 'The replier’s own envelope of a level-3/4 reply they sent by this link',
        tags: ['transfers'],
        params: replyParams,
      },
    },
    async (request) => {
      const access = await readableLink(deps, request, request.params.token);
      const account = readerAccountOf(request);
      if (account === undefined) throw new AppError('ERR_LINK_INVALID');
      return ownReplyEnvelope(
        deps,
        request.tenant.id,
        { recipientId: access.recipientId, accountId: account.id },
        request.params.id,
      );
    },
  );

  app.route({
    config: { access: 'public' },
    method: ['GET', 'HEAD'],
    url: '/t/:token/replies/:id/files/:fileId',
    schema: { hide: true, params: replyFileParams },
    handler: async (request, reply) => {
      const access = await readableLink(deps, request, request.params.token);
      const { id, fileId } = request.params;
      const view = await loadTransferView(deps, request.tenant.id, id);
      // Only the ciphertext of an end-to-end reply sent by this link's recipient.
      if (
        view?.senderRecipientId !== access.recipientId ||
        view.status !== 'sent' ||
        view.e2e !== 'recipients'
      )
        throw new AppError('ERR_NOT_FOUND');
      const file = view.files.find((f) => f.id === fileId);
      if (file === undefined) throw new AppError('ERR_NOT_FOUND');
      return sendFile(deps, request, reply, request.tenant.id, file);
    },
  });
}
