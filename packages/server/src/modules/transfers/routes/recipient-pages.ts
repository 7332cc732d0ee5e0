import type { FastifyReply, FastifyRequest } from 'fastify';
import { recipientTransferPage, recipientVerifyPage } from '@amtsbote/web';
import type { AppError } from '../../../errors.ts';
import { errorMessage } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { transferPolicy } from '../policy.ts';
import { UPLOADS_PATH } from '../tus.ts';
import type { TransferView } from '../views.ts';

/** The recipient's page of one transfer behind a link. */
export function showRecipientTransfer(
  request: FastifyRequest,
  reply: FastifyReply,
  data: {
    token: string;
    transfer: TransferView;
    thread: TransferView[];
    email: string;
    senderName: string | undefined;
    passwordEnvelope?: string | undefined;
  },
): FastifyReply {
  return reply.page(
    recipientTransferPage(pageContext(request, reply), {
      token: data.token,
      transfer: data.transfer,
      thread: data.thread,
      email: data.email,
      uploadEndpoint: UPLOADS_PATH,
      senderName: data.senderName,
      passwordEnvelope: data.passwordEnvelope,
      policy: transferPolicy(request.tenant),
    }),
  );
}

/** Level 2: the page that proves the recipient's address by a mailed code (status as set on `reply`). */
export function showRecipientVerify(
  request: FastifyRequest,
  reply: FastifyReply,
  data: { token: string; maskedEmail: string; codeId?: string; error?: AppError },
): FastifyReply {
  return reply.page({
    ...recipientVerifyPage(pageContext(request, reply), {
      token: data.token,
      maskedEmail: data.maskedEmail,
      codeId: data.codeId,
      error: data.error === undefined ? undefined : errorMessage(data.error.code, request.locale),
    }),
    status: reply.statusCode,
  });
}
