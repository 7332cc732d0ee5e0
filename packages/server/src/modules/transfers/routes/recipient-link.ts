import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { routesOf } from '../../../http/schemas.ts';
import { wasmContentSecurityPolicy } from '../../../http/security-headers.ts';
import { recordDownload, sendFile, sendZip } from '../downloads.ts';
import { bindLinkAccount, linkAccess, maskEmail, readableLink } from '../link-access.ts';
import { passwordEnvelopeOf } from '../password.ts';
import { downloadActor, mayOpen } from '../policy.ts';
import { openAsRecipient, staffNameOf } from '../recipients.ts';
import { threadOf } from '../views.ts';
import { showRecipientTransfer, showRecipientVerify } from './recipient-pages.ts';

const tokenFileParams = {
  type: 'object',
  required: ['token', 'fileId'],
  properties: { token: { type: 'string', maxLength: 200 }, fileId: { $ref: 'Uuid#' } },
} as const;

/**
 * The recipient's link: the page, the same transfer as JSON, file and ZIP downloads. Public by
 * design: the link is the credential, checked per record (link-access.ts, policy.ts).
 */
export function recipientLinkRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.get(
    '/t/:token',
    { config: { access: 'public' }, schema: { params: { $ref: 'TokenParams#' }, hide: true } },
    async (request, reply) => {
      const { token } = request.params;
      const access = await linkAccess(deps, request, token);
      if (!mayOpen(request, access))
        return showRecipientVerify(request, reply, { token, maskedEmail: maskEmail(access.email) });
      await bindLinkAccount(deps, request, access);
      const transfer = await openAsRecipient(deps, request.tenant.id, access, request.ipPrefix);
      // Other recipients of the same message never see each other's replies.
      // Password-encrypted messages (the drop-off an answer refers to) hold ciphertext: not listed.
      // A link shows no message of a higher level than its own: a level-1 answer opens for whoever
      // holds the link, and must not reveal the level-2 message (e.g. a drop-off) it answers.
      const thread = (await threadOf(deps, request.tenant.id, transfer.threadId)).filter(
        (t) =>
          t.id !== transfer.id &&
          t.e2e !== 'password' &&
          t.level <= transfer.level &&
          (t.senderRecipientId === null || t.senderRecipientId === access.recipientId),
      );
      const senderName = await staffNameOf(deps.db, request.tenant.id, transfer.senderStaffId);
      const passwordEnvelope =
        transfer.e2e === 'password'
          ? await passwordEnvelopeOf(deps.db, request.tenant.id, transfer.id)
          : undefined;
      // The password page runs Argon2id in WebAssembly (hash-wasm).
      if (passwordEnvelope !== undefined)
        void reply.header('content-security-policy', wasmContentSecurityPolicy);
      return showRecipientTransfer(request, reply, {
        token,
        transfer,
        thread,
        email: access.email,
        senderName,
        passwordEnvelope,
      });
    },
  );

  // The same transfer as JSON, for `amtsbote fetch`: level 1 by link alone; from level 2 only for
  // the recipient's account, by its session or its personal API token.
  app.get(
    '/api/v1/received/:token',
    {
      config: { access: 'public' },
      schema: {
        summary:
          'A received transfer by its link: level 1 by the link alone, level 2 with the recipient account’s personal API token',
        tags: ['transfers'],
        params: { $ref: 'TokenParams#' },
      },
    },
    async (request) => {
      const { token } = request.params;
      const access = await readableLink(deps, request, token);
      const view = await openAsRecipient(deps, request.tenant.id, access, request.ipPrefix);
      const base = `/t/${encodeURIComponent(token)}`;
      return {
        id: view.id,
        level: view.level,
        subject: view.subject ?? null,
        message: view.message ?? null,
        expiresAt: view.expiresAt,
        files: view.files.map((f) => ({
          id: f.id,
          name: f.name,
          type: f.type,
          size: f.size,
          url: `${base}/files/${f.id}`,
        })),
        zipUrl: `${base}/zip`,
      };
    },
  );

  app.route({
    config: { access: 'public' },
    method: ['GET', 'HEAD'],
    url: '/t/:token/files/:fileId',
    schema: { params: tokenFileParams, hide: true },
    handler: async (request, reply) => {
      const { token, fileId } = request.params;
      const access = await readableLink(deps, request, token);
      const view = await openAsRecipient(deps, request.tenant.id, access, request.ipPrefix);
      const file = view.files.find((f) => f.id === fileId);
      if (file === undefined) throw new AppError('ERR_NOT_FOUND');
      // A resumed download (a Range past the start) is the same download, not a new one.
      const range = request.headers.range;
      if (request.method === 'GET' && (range === undefined || range.startsWith('bytes=0-'))) {
        await recordDownload(deps, request.tenant, {
          transferId: view.id,
          recipientId: access.recipientId,
          fileId,
          ipPrefix: request.ipPrefix,
          actor: downloadActor(request, access),
        });
      }
      return sendFile(deps, request, reply, request.tenant.id, file);
    },
  });

  app.get(
    '/t/:token/zip',
    { config: { access: 'public' }, schema: { params: { $ref: 'TokenParams#' }, hide: true } },
    async (request, reply) => {
      const access = await readableLink(deps, request, request.params.token);
      const view = await openAsRecipient(deps, request.tenant.id, access, request.ipPrefix);
      if (view.files.length === 0) throw new AppError('ERR_NOT_FOUND');
      await recordDownload(deps, request.tenant, {
        transferId: view.id,
        recipientId: access.recipientId,
        fileId: null,
        ipPrefix: request.ipPrefix,
        actor: downloadActor(request, access),
      });
      return sendZip(deps, reply, request.tenant.id, view.files, `${view.subject ?? 'Nachricht'}.zip`);
    },
  );
}
