import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorPage } from '@amtsbote/web';
import { pageContext } from '../../http/context.ts';
import { sendError, toAppError, wantsJson } from '../../http/error-handler.ts';
import { FileTypeError } from './file-check.ts';

/**
 * The inbound plugins' error handler: like the portal's, except that a refused file type says
 * which file and which types are allowed (the registry's message cannot know them).
 */
export async function inboundErrorHandler(
  err: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  if (err instanceof FileTypeError) {
    const message = err.detail(request.locale);
    if (wantsJson(request)) {
      return reply
        .status(err.status)
        .type('application/json; charset=utf-8')
        .send({
          error: {
            code: err.code,
            message,
            fields: err.fields.map((f) => ({ ...f, message })),
            requestId: request.id,
          },
        });
    }
    return reply.page({
      ...errorPage(pageContext(request, reply), { requestId: request.id, message }),
      status: err.status,
    });
  }
  const appErr = toAppError(err);
  if (
    appErr.code === 'ERR_INTERNAL' ||
    appErr.code === 'ERR_STORAGE_FULL' ||
    appErr.code === 'ERR_MAIL_DELIVERY'
  )
    request.log.error({ err }, 'request failed');
  return sendError(request, reply, appErr);
}
