import type { FastifyInstance } from 'fastify';
import { inboxAnswerPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { routesOf } from '../../../http/schemas.ts';
import { wasmContentSecurityPolicy } from '../../../http/security-headers.ts';
import { staffOf } from '../../auth/index.ts';
import { transferPolicy, UPLOADS_PATH } from '../../transfers/index.ts';
import { answerBody } from '../schemas.ts';
import { openInboxItem } from '../items.ts';
import { sendAnswer, startAnswer } from '../services/answer.ts';

/** Answer: a transfer back to the sender's address, in the same thread. */
export function answerRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.get(
    '/inbox/:id/answer',
    { config: { access: 'staff' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const item = await openInboxItem(deps, request.tenant, staffOf(request), request.params.id, {
        record: false,
      });
      if (item.entry.status !== 'sent' || item.guest.email === undefined) throw new AppError('ERR_NOT_FOUND');
      // Answering to the same password checks and wraps it with Argon2id (hash-wasm) here.
      if (item.entry.e2e === 'password')
        void reply.header('content-security-policy', wasmContentSecurityPolicy);
      return reply.page(
        inboxAnswerPage(pageContext(request, reply), {
          item,
          policy: transferPolicy(request.tenant),
          uploadEndpoint: UPLOADS_PATH,
        }),
      );
    },
  );

  app.post(
    '/api/v1/inbox/:id/answers',
    { config: { access: 'staff' }, schema: { hide: true, params: { $ref: 'IdParams#' }, body: answerBody } },
    async (request, reply) => {
      const draft = await startAnswer(
        deps,
        request.tenant,
        staffOf(request),
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ ...draft, uploadEndpoint: UPLOADS_PATH });
    },
  );

  app.post(
    '/api/v1/inbox/:id/answers/:draftId/send',
    {
      config: { access: 'staff' },
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['id', 'draftId'],
          properties: { id: { $ref: 'Uuid#' }, draftId: { $ref: 'Uuid#' } },
        },
        // An answer to the same password brings its P envelope (79 bytes: 106 characters).
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { envelope: { type: 'string', maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' } },
        },
      },
    },
    async (request) =>
      sendAnswer(
        deps,
        request.tenant,
        staffOf(request),
        request.params.id,
        request.params.draftId,
        request.body.envelope,
        request.ipPrefix,
      ),
  );
}
