import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import { FileTypeError, HEAD_BYTES, judgeHead, peekBody } from '../../postbox/index.ts';
import { discardDraft } from '../../postbox/index.ts';
import { loadTransferView, registerUploads, transferE2eMode, uploadableFile } from '../../transfers/index.ts';
import { INBOUND_UPLOADS_PATH } from '../compose-page.ts';
import { sessionOfRequest, uploaderSessionOf } from '../policy.ts';
import { resolveTarget } from '../target.ts';

/** The `:fileId` of the path, when the route has one. */
function fileIdParam(request: FastifyRequest): string | undefined {
  const params: unknown = request.params;
  if (typeof params !== 'object' || params === null || !('fileId' in params)) return undefined;
  return typeof params.fileId === 'string' ? params.fileId : undefined;
}

/** On creation the file is named in the tus metadata (`fileId <base64>`). */
function fileIdFromMetadata(request: FastifyRequest): string | undefined {
  const header = request.headers['upload-metadata'];
  if (typeof header !== 'string') return undefined;
  for (const pair of header.split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key === 'fileId' && value !== undefined) return Buffer.from(value, 'base64').toString('utf8');
  }
  return undefined;
}

/**
 * Uploads: the sender's own draft only, judged by content as the first bytes arrive (tus, at
 * the inbound endpoint).
 */
export function uploadRoutes(app: FastifyInstance, deps: AppDeps): void {
  /** The first bytes of a file decide at once: a refused type leaves nothing stored. */
  const checkHead = async (request: FastifyRequest, transferId: string, sessionId: string): Promise<void> => {
    if ((await transferE2eMode(deps.db, request.tenant.id, transferId)) != null) return;
    const s = await sessionOfRequest(deps, request, sessionId);
    const resolved = await resolveTarget(deps, request.tenant, s, { password: false });
    if (resolved === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
    const head = await peekBody(request.raw, HEAD_BYTES);
    if (head === undefined) return;
    if ((await judgeHead(head, resolved.target.allowedTypes)) === 'refused') {
      const fileId = fileIdParam(request);
      const view = await loadTransferView(deps, request.tenant.id, transferId);
      const name = view?.files.find((f) => f.id === fileId)?.name;
      await discardDraft(deps, request.tenant.id, transferId);
      await recordAudit(deps.db, {
        tenantId: request.tenant.id,
        at: deps.clock.now(),
        actor: { kind: 'guest' },
        action: 'inbound.file-refused',
        subject: { kind: 'transfer', id: transferId },
        ipPrefix: request.ipPrefix,
        details: { reason: 'type' },
      });
      throw new FileTypeError(resolved.target.allowedTypes, name);
    }
  };

  registerUploads(
    app,
    deps,
    async (request, file) => {
      if (file.senderStaffId !== null || file.senderRecipientId !== null) return false;
      const info = await uploadableFile(
        deps.db,
        request.tenant.id,
        fileIdParam(request) ?? fileIdFromMetadata(request) ?? '',
      );
      if (info === undefined) return false;
      const sessionId = await uploaderSessionOf(deps, request, info.transferId);
      if (sessionId === undefined) return false;
      const offset = request.headers['upload-offset'];
      if (request.method === 'PATCH' && offset === '0' && info.size > 0)
        await checkHead(request, info.transferId, sessionId);
      return true;
    },
    INBOUND_UPLOADS_PATH,
  );
}
