import type { FastifyInstance } from 'fastify';
import { postboxPage, transferComposePage, transferDetailPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { formBody } from '../../../http/schemas.ts';
import { routesOf } from '../../../http/schemas.ts';
import { wasmContentSecurityPolicy } from '../../../http/security-headers.ts';
import { staffOf } from '../../auth/index.ts';
import { passwordEnvelopeOf } from '../password.ts';
import { transferPolicy } from '../policy.ts';
import { recipientEmailOf, recipientStatuses } from '../recipients.ts';
import { extendTransfer, revokeTransfer } from '../services/lifecycle.ts';
import { UPLOADS_PATH } from '../tus.ts';
import { listPostbox, transferForStaff } from '../views.ts';

/** The sender's pages: the postbox, compose, one transfer, revoke and extend. */
export function staffTransferPages(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.get(
    '/transfers',
    {
      config: { access: 'staff' },
      schema: {
        hide: true,
        querystring: { type: 'object', properties: { before: { type: 'string', format: 'date-time' } } },
      },
    },
    async (request, reply) => {
      const { before } = request.query;
      const entries = await listPostbox(
        deps,
        request.tenant,
        staffOf(request),
        before === undefined ? {} : { before: new Date(before) },
      );
      return reply.page(postboxPage(pageContext(request, reply), { entries }));
    },
  );

  app.get('/transfers/new', { config: { access: 'staff' }, schema: { hide: true } }, async (request, reply) =>
    reply.page(
      transferComposePage(pageContext(request, reply), {
        policy: transferPolicy(request.tenant),
        uploadEndpoint: UPLOADS_PATH,
      }),
    ),
  );

  app.get(
    '/transfers/:id',
    { config: { access: 'staff' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id } = request.params;
      const transfer = await transferForStaff(deps, request.tenant.id, staff, id);
      const isSender = transfer.senderStaffId === staff.id;
      const recipients = isSender ? await recipientStatuses(deps.db, request.tenant.id, id) : [];
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
    },
  );

  app.post(
    '/transfers/:id/revoke',
    {
      config: { access: 'staff' },
      schema: { hide: true, params: { $ref: 'IdParams#' }, body: formBody({}) },
    },
    async (request, reply) => {
      const { id } = request.params;
      await revokeTransfer(deps, request.tenant, staffOf(request), id, request.ipPrefix);
      return reply.redirect(`/transfers/${id}?notice=transfer-revoked`, 303);
    },
  );

  app.post(
    '/transfers/:id/extend',
    {
      config: { access: 'staff' },
      schema: {
        hide: true,
        params: { $ref: 'IdParams#' },
        body: formBody({ days: { type: 'string', pattern: '^[0-9]{1,3}$' } }, ['days']),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const days = Number(request.body.days);
      if (days < 1)
        throw new AppError('ERR_VALIDATION', { fields: [{ field: 'days', code: 'ERR_VALIDATION' }] });
      await extendTransfer(deps, request.tenant, staffOf(request), id, days, request.ipPrefix);
      return reply.redirect(`/transfers/${id}?notice=transfer-extended`, 303);
    },
  );
}
