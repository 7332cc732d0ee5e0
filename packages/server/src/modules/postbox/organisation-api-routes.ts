import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { routesOf, singleLineNonBlankPattern, singleLinePattern } from '../../http/schemas.ts';
import type { Account } from '../accounts/index.ts';
import { getAccount } from '../accounts/index.ts';
import { accountOf } from '../auth/index.ts';
import { replyEnvelopesBody, UPLOADS_PATH } from '../transfers/index.ts';
import { postboxEnvelope } from './organisation-envelope.ts';
import {
  organisationReplyKeys,
  sendOrganisationReply,
  startOrganisationReply,
  storeOrganisationReplyEnvelopes,
} from './organisation-replies.ts';

const transferParams = {
  type: 'object',
  required: ['id', 'transferId'],
  properties: { id: { $ref: 'Uuid#' }, transferId: { $ref: 'Uuid#' } },
} as const;

const replyParams = {
  type: 'object',
  required: ['id', 'replyId'],
  properties: { id: { $ref: 'Uuid#' }, replyId: { $ref: 'Uuid#' } },
} as const;

/**
 * The organisation postbox's API for members' browsers: the envelope that opens a level-3/4
 * message, and replies in the organisation's name (start, keys to wrap for, envelopes, send).
 */
export function organisationPostboxApi(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);
  const fullAccount = async (request: FastifyRequest): Promise<Account> => {
    const a = await getAccount(deps.db, request.tenant.id, accountOf(request).id);
    if (a === undefined) throw new AppError('ERR_UNAUTHENTICATED');
    return a;
  };

  r.get(
    '/api/v1/organisations/:id/postbox/:transferId/envelope',
    {
      config: { access: 'account' },
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
    async (request) => ({
      ...(await postboxEnvelope(deps, {
        tenantId: request.tenant.id,
        organisationId: request.params.id,
        accountId: accountOf(request).id,
        transferId: request.params.transferId,
      })),
    }),
  );

  r.post(
    '/api/v1/organisations/:id/postbox/:transferId/replies',
    {
      config: { access: 'account' },
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
            subject: { type: 'string', minLength: 1, maxLength: 200, pattern: singleLineNonBlankPattern },
            message: { type: 'string', maxLength: 120000 },
            files: {
              type: 'array',
              maxItems: 10000,
              items: {
                type: 'object',
                required: ['name', 'size'],
                additionalProperties: false,
                properties: {
                  name: { type: 'string', minLength: 1, maxLength: 255, pattern: singleLinePattern },
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
      const body = request.body;
      const draft = await startOrganisationReply(deps, {
        tenant: request.tenant,
        organisationId: request.params.id,
        account: await fullAccount(request),
        transferId: request.params.transferId,
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

  // A reply at level 3/4 in the organisation's name (keys module, replies): the keys to wrap
  // for, then the envelopes the member's browser made.
  r.get(
    '/api/v1/organisations/:id/postbox/:transferId/reply-keys',
    { config: { access: 'account' }, schema: { hide: true, params: transferParams } },
    async (request) =>
      organisationReplyKeys(deps, {
        tenant: request.tenant,
        organisationId: request.params.id,
        account: await fullAccount(request),
        transferId: request.params.transferId,
      }),
  );

  r.put(
    '/api/v1/organisations/:id/replies/:replyId/envelopes',
    {
      config: { access: 'account' },
      schema: {
        hide: true,
        params: replyParams,
        body: replyEnvelopesBody,
      },
    },
    async (request, reply) => {
      await storeOrganisationReplyEnvelopes(deps, {
        tenant: request.tenant,
        organisationId: request.params.id,
        account: await fullAccount(request),
        replyId: request.params.replyId,
        envelopes: request.body.envelopes,
      });
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/v1/organisations/:id/replies/:replyId/send',
    { config: { access: 'account' }, schema: { hide: true, params: replyParams } },
    async (request) => {
      const { id, replyId } = request.params;
      await sendOrganisationReply(deps, {
        tenant: request.tenant,
        organisationId: id,
        account: await fullAccount(request),
        replyId,
        ipPrefix: request.ipPrefix,
      });
      return { id: replyId };
    },
  );
}
