import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { routesOf } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import { publicKeysFor, sharesDepartmentOutboxes } from '../service.ts';
import { memberDepartmentKeys } from '../store.ts';

/**
 * The staff side of end-to-end transfers (levels 3 and 4): recipients' public keys to encrypt to.
 * The envelopes of a draft and re-wraps are the transfers module's (transfers/routes/envelopes.ts).
 */
export function envelopeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = routesOf(app);

  r.post(
    '/api/v1/keys/lookup',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'Public keys of recipients (service accounts with a key), to encrypt to them before upload',
        tags: ['keys'],
        body: {
          type: 'object',
          required: ['emails'],
          additionalProperties: false,
          properties: {
            emails: {
              type: 'array',
              maxItems: 50,
              items: { type: 'string', format: 'email', maxLength: 254 },
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              recipients: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { email: { type: 'string' }, publicKey: { type: ['string', 'null'] } },
                },
              },
              departments: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { keyId: { type: 'string' }, publicKey: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const departments = sharesDepartmentOutboxes(request.tenant)
        ? await memberDepartmentKeys(deps.db, request.tenant.id, staffOf(request).id)
        : [];
      return {
        recipients: await publicKeysFor(deps.db, request.tenant.id, request.body.emails),
        departments,
      };
    },
  );
}
