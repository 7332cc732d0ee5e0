import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { routesOf } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import { keyReadyMail } from '../../keys/index.ts';
import { tenantBaseUrl } from '../../tenants/index.ts';
import { envelopeText } from '../schemas.ts';
import { staffEnvelope, storeDraftEnvelopes } from '../services/envelopes.ts';
import { pendingRewraps, storeRewrap } from '../services/rewraps.ts';

/**
 * The staff side of end-to-end transfers (levels 3 and 4): the envelopes of a draft, the
 * sender's own envelope, and re-wraps for recipients who got a key late.
 */
export function envelopeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.put(
    '/api/v1/transfers/:id/envelopes',
    {
      config: { access: 'staff' },
      schema: {
        summary:
          'The file key of a level-3/4 draft, wrapped for its sender, recipients with a key and (shared outboxes) departments',
        tags: ['transfers'],
        params: { $ref: 'IdParams#' },
        body: {
          type: 'object',
          required: ['envelopes'],
          additionalProperties: false,
          properties: {
            envelopes: {
              type: 'array',
              minItems: 1,
              maxItems: 60,
              items: {
                type: 'object',
                required: ['holder', 'envelope'],
                additionalProperties: false,
                properties: {
                  holder: { type: 'string', enum: ['sender', 'recipient', 'department'] },
                  email: { type: 'string', maxLength: 254 },
                  departmentKeyId: { $ref: 'Uuid#' },
                  envelope: envelopeText,
                },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      await storeDraftEnvelopes(
        deps,
        request.tenant,
        staffOf(request).id,
        request.params.id,
        request.body.envelopes,
      );
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/v1/transfers/:id/envelope',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'The caller’s own envelope of a level-3/4 transfer they sent',
        tags: ['transfers'],
        params: { $ref: 'IdParams#' },
      },
    },
    async (request) => {
      const env = await staffEnvelope(deps.db, request.tenant, staffOf(request).id, request.params.id);
      if (env === undefined) throw new AppError('ERR_NOT_FOUND');
      return env;
    },
  );

  r.get(
    '/api/v1/keys/rewraps',
    {
      config: { access: 'staff' },
      schema: {
        summary:
          'Recipients of the caller’s level-3/4 transfers who created a key since: wrap the file key for them',
        tags: ['keys'],
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                transferId: { type: 'string' },
                recipientId: { type: 'string' },
                publicKey: { type: 'string' },
                holder: { type: 'string' },
                envelope: { type: 'string' },
                departmentPublicKey: { type: ['string', 'null'] },
                wrappedDepartmentKey: { type: ['string', 'null'] },
              },
            },
          },
        },
      },
    },
    async (request) =>
      (await pendingRewraps(deps.db, request.tenant, staffOf(request).id, deps.clock.now())).map((p) => ({
        ...p,
      })),
  );

  r.post(
    '/api/v1/keys/rewraps',
    {
      config: { access: 'staff' },
      schema: {
        summary:
          'Store a re-wrapped file key for a recipient; the recipient is told the message can be opened now',
        tags: ['keys'],
        body: {
          type: 'object',
          required: ['transferId', 'recipientId', 'envelope'],
          additionalProperties: false,
          properties: {
            transferId: { $ref: 'Uuid#' },
            recipientId: { $ref: 'Uuid#' },
            envelope: envelopeText,
          },
        },
      },
    },
    async (request, reply) => {
      const notify = await storeRewrap(
        deps,
        request.tenant,
        staffOf(request).id,
        request.body,
        request.ipPrefix,
      );
      if (notify !== undefined) {
        await deps.mailer.send(
          keyReadyMail(notify.email, notify.locale, {
            tenantName: request.tenant.name,
            link: `${tenantBaseUrl(request.tenant, deps.config)}/account`,
          }),
        );
      }
      return reply.status(204).send();
    },
  );
}
