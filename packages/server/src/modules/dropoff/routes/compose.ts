import type { FastifyInstance } from 'fastify';
import { inboundDonePage, messages } from '@amtsbote/web';
import type { FieldError } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError, errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { formString } from '../../../http/forms.ts';
import { formBody, line, routesOf, str } from '../../../http/schemas.ts';
import { inboundNumber } from '../../postbox/index.ts';
import { inboundReceipt } from '../../transfers/index.ts';
import { composePage } from '../compose-page.ts';
import { sessionOfRequest } from '../policy.ts';
import { sendMessageOnly } from '../services/drafts.ts';

/** The no-JavaScript message form; every field is checked below, in the sender's words. */
const messageOnlyBody = formBody({
  subject: line(200),
  reference: str(100),
  message: str(20000),
  expiresInDays: { type: 'string', pattern: '^[0-9]{1,3}$' },
  notify: { type: 'string' },
  password: str(1024),
});

/** The message step and the confirmation after it. */
export function composeRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.get(
    '/inbound/:id',
    { config: { access: 'public' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const s = await sessionOfRequest(deps, request, request.params.id);
      if (!s.verified) return reply.redirect(`/inbound/${s.id}/code`, 303);
      if (s.transferId !== null) return reply.redirect(`/inbound/${s.id}/done`, 303);
      return composePage(deps, request, reply, s);
    },
  );

  // Without JavaScript: the message alone (files need the upload island). Sent twice, it is
  // still one transfer: the session remembers it. Not formRoute: the session decides first
  // (delivered already: to the confirmation), and a password is refused here, not by the schema.
  app.post(
    '/inbound/:id',
    {
      config: { access: 'public' },
      attachValidation: true,
      schema: { hide: true, params: { $ref: 'IdParams#' }, body: messageOnlyBody },
    },
    async (request, reply) => {
      const values = {
        subject: formString(request.body, 'subject'),
        reference: formString(request.body, 'reference'),
        message: formString(request.body, 'message'),
        expiresInDays: formString(request.body, 'expiresInDays'),
        notify: formString(request.body, 'notify'),
      };
      const s = await deps.db.transaction(async (tx) => {
        const locked = await sessionOfRequest(deps, request, request.params.id, { q: tx, forUpdate: true });
        if (!locked.verified) throw new AppError('ERR_DROPOFF_EXPIRED');
        return locked;
      });
      if (s.transferId !== null) return reply.redirect(`/inbound/${s.id}/done`, 303);
      const t = messages(request.locale).inbound.compose.errors;
      const errors: FieldError[] = [];
      if (request.validationError !== undefined)
        errors.push({ field: 'message', message: errorMessage('ERR_VALIDATION', request.locale) });
      if (values.subject === '') errors.push({ field: 'subject', message: t.subject });
      if (formString(request.body, 'password') !== '') {
        errors.push({ field: 'password', message: t.passwordNeedsJs });
      }
      if (errors.length > 0) return composePage(deps, request, reply, s, { values, errors, status: 400 });
      await sendMessageOnly(deps, request, s, values);
      return reply.redirect(`/inbound/${s.id}/done`, 303);
    },
  );

  app.get(
    '/inbound/:id/done',
    { config: { access: 'public' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const s = await sessionOfRequest(deps, request, request.params.id);
      if (s.transferId === null) return reply.redirect(`/inbound/${s.id}`, 303);
      const t = await inboundReceipt(deps.db, request.tenant.id, s.transferId);
      if (t === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
      return reply.page(
        inboundDonePage(pageContext(request, reply), {
          number: inboundNumber(s.transferId),
          expiresAt: t.expiresAt,
          recipient: s.addressedTo ?? t.department,
          notify: t.notifyOnDownload,
          e2e: t.e2e !== null,
          password: t.e2e === 'password',
          email: s.email,
        }),
      );
    },
  );
}
