import type { FastifyReply, FastifyRequest } from 'fastify';
import { acceptAttribute } from '@amtsbote/contracts';
import type { FieldError } from '@amtsbote/web';
import { inboundComposePage } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { wasmContentSecurityPolicy } from '../../http/security-headers.ts';
import { inboundPolicy } from '../postbox/index.ts';
import { expiryChoices } from './expiry.ts';
import type { InboundSession } from './sessions.ts';
import { resolveTarget } from './target.ts';

/** The upload endpoint for everything that comes in (tus, like the staff's own). */
export const INBOUND_UPLOADS_PATH = '/api/v1/inbound/uploads';

/**
 * The message form with the upload island: where it goes, which files and how large, how long
 * it stays; the password choice needs the WebAssembly-enabled policy for the browser's cipher.
 * @throws {AppError} ERR_DROPOFF_EXPIRED when the department or link is gone
 */
export async function composePage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  s: InboundSession,
  state: { values?: Record<string, string>; errors?: FieldError[]; status?: number } = {},
): Promise<FastifyReply> {
  const resolved = await resolveTarget(deps, request.tenant, s, { password: false });
  if (resolved === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
  const policy = inboundPolicy(request.tenant);
  if (resolved.passwordAllowed) void reply.header('content-security-policy', wasmContentSecurityPolicy);
  return reply.page({
    ...inboundComposePage(pageContext(request, reply), {
      sessionId: s.id,
      target: resolved.view,
      senderEmail: s.email,
      allowedTypes: resolved.target.allowedTypes,
      accept: acceptAttribute(resolved.target.allowedTypes),
      limits: {
        maxFileSize: resolved.target.maxFileSize,
        maxFiles: policy.maxFiles,
        maxTotalSize: policy.maxTotalSize,
      },
      expiry: {
        choices: expiryChoices(policy),
        value: policy.defaultExpiryDays,
        max: policy.maxExpiryDays,
      },
      passwordAllowed: resolved.passwordAllowed,
      publicKey: resolved.publicKey,
      e2eMessage: resolved.e2eMessage,
      uploadEndpoint: INBOUND_UPLOADS_PATH,
      values: state.values ?? {},
      errors: state.errors ?? [],
    }),
    status: state.status ?? 200,
  });
}
