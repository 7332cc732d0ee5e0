import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { recipientMayUpload } from './link-access.ts';
import { isDraftSender } from './policy.ts';
import { transferApi } from './routes/api.ts';
import { envelopeRoutes } from './routes/envelopes.ts';
import { recipientKeyRoutes } from './routes/recipient-keys.ts';
import { recipientLinkRoutes } from './routes/recipient-link.ts';
import { recipientReplyRoutes } from './routes/recipient-replies.ts';
import { recipientVerifyRoutes } from './routes/recipient-verify.ts';
import { staffTransferPages } from './routes/staff-pages.ts';
import { registerUploads } from './tus.ts';

/** Transfers: compose, postbox, sender's view, the recipient's link pages, uploads, downloads. */
export function transferRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    registerUploads(app, deps, async (request, file) => {
      if (file.senderStaffId !== null) return isDraftSender(request, file.senderStaffId);
      if (file.senderRecipientId !== null) return recipientMayUpload(deps, request, file.senderRecipientId);
      return false;
    });
    transferApi(app, deps);
    envelopeRoutes(app, deps);
    recipientLinkRoutes(app, deps);
    recipientVerifyRoutes(app, deps);
    recipientReplyRoutes(app, deps);
    recipientKeyRoutes(app, deps);
    staffTransferPages(app, deps);
  };
}
