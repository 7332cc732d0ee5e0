import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { routesOf, singleLineNonBlankPattern } from '../../../http/schemas.ts';
import { declaredFiles } from '../../transfers/index.ts';
import { INBOUND_UPLOADS_PATH } from '../compose-page.ts';
import { verifiedSessionOfRequest } from '../policy.ts';
import { submitDraft } from '../services/deliver.ts';
import { prepareDraft } from '../services/drafts.ts';

const draftBody = {
  type: 'object',
  required: ['subject', 'files'],
  additionalProperties: false,
  properties: {
    subject: { type: 'string', minLength: 1, maxLength: 200, pattern: singleLineNonBlankPattern },
    reference: { type: 'string', maxLength: 100 },
    // End-to-end encrypted text arrives as base64url of an encrypted stream: longer than 20 000.
    message: { type: 'string', maxLength: 40000 },
    expiresInDays: { type: 'integer', minimum: 1, maximum: 365 },
    notify: { type: 'boolean' },
    password: { type: 'boolean' },
    files: declaredFiles(1000),
  },
} as const;

const submitBody = {
  type: 'object',
  required: ['draftId'],
  additionalProperties: false,
  properties: {
    draftId: { type: 'string', format: 'uuid' },
    envelope: { type: 'string', maxLength: 200 },
  },
} as const;

const draftParams = {
  type: 'object',
  required: ['id', 'draftId'],
  properties: { id: { type: 'string', format: 'uuid' }, draftId: { type: 'string', format: 'uuid' } },
} as const;

/** JSON for the compose island: prepare the draft its files go into, then send it. */
export function islandRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.post(
    '/api/v1/inbound/:id/drafts',
    { config: { access: 'public' }, schema: { hide: true, params: { $ref: 'IdParams#' }, body: draftBody } },
    async (request, reply) => {
      const s = await verifiedSessionOfRequest(deps, request, request.params.id);
      const draft = await prepareDraft(deps, request, s, request.body);
      return reply.status(201).send({ ...draft, uploadEndpoint: INBOUND_UPLOADS_PATH });
    },
  );

  app.post(
    '/api/v1/inbound/:id/submit',
    { config: { access: 'public' }, schema: { hide: true, params: { $ref: 'IdParams#' }, body: submitBody } },
    async (request) =>
      submitDraft(deps, request, request.params.id, request.body.draftId, request.body.envelope),
  );
  // The same for the shared upload island, which names the draft in the path.
  app.post(
    '/api/v1/inbound/:id/drafts/:draftId/submit',
    { config: { access: 'public' }, schema: { hide: true, params: draftParams } },
    async (request) => submitDraft(deps, request, request.params.id, request.params.draftId, undefined),
  );
}
