import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { cookieOptions, SESSION_COOKIE } from '../../http/context.ts';
import { recordAudit } from '../audit/service.ts';
import { accountForVerifiedEmail, hasFirstFactor } from '../accounts/service.ts';
import { issueCode, verifyCode } from '../auth/codes.ts';
import { createSession, deleteSession, SESSION_MAX_MS } from '../auth/sessions.ts';
import type { DraftBody } from './api.ts';
import { draftBody, draftInputOf } from './api.ts';
import { createDraft } from './drafts.ts';
import { recordDownload, sendFile, sendZip } from './downloads.ts';
import { verificationCodeMail } from './mails.ts';
import type { RecipientAccess, TransferView } from './service.ts';
import {
  loadTransferView,
  openAsRecipient,
  resolveRecipientLink,
  sendDraft,
  staffNameOf,
  threadOf,
} from './service.ts';
import { UPLOADS_PATH } from './tus.ts';
import { organisationMemberMayUpload } from '../organisations/postbox.ts';
import { wasmContentSecurityPolicy } from '../../http/security-headers.ts';
import { passwordEnvelopeOf } from './password.ts';
import type { ReplyEnvelopeInput } from '../keys/replies.ts';
import { ownReplyEnvelope, replyKeys, requireReplyKeys, storeReplyEnvelopes } from '../keys/replies.ts';

type Deps = AppDeps;

/** What the recipient's pages need to render; the page functions live in @amtsbote/web. */
export interface RecipientPageRenderers {
  transfer(
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
  ): FastifyReply;
  verify(
    request: FastifyRequest,
    reply: FastifyReply,
    data: { token: string; maskedEmail: string; codeId?: string; error?: AppError },
  ): FastifyReply;
}

const tokenParams = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string', maxLength: 200 } },
} as const;
const tokenFileParams = {
  type: 'object',
  required: ['token', 'fileId'],
  properties: { token: { type: 'string', maxLength: 200 }, fileId: { type: 'string', format: 'uuid' } },
} as const;

/** `a***@example.org`: enough for the owner to recognise, too little for a finder to use. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/**
 * Whether the request may see the transfer behind a link. Level 1: the link is enough. Level 2:
 * only the account that proved the recipient's address, so a forwarded link opens nothing.
 */
export function mayOpen(request: FastifyRequest, access: RecipientAccess): boolean {
  // An answer to a password drop-off: the sender has no account and gets none; the password
  // they chose opens the content in their browser, so the link leads to the password form.
  if (access.transfer.level === 1 || access.transfer.e2e === 'password') return true;
  const account = request.session?.account;
  if (account === undefined) return false;
  return access.accountId === account.id || (access.accountId === null && account.email === access.email);
}

/**
 * For the read-only routes (the JSON manifest, file and ZIP downloads): what {@link mayOpen}
 * allows, and also the recipient's account by its personal API token (`amtsbote fetch --token`).
 * A token of any other account, or a staff token, gets the same answer as an unknown link.
 */
export function mayRead(request: FastifyRequest, access: RecipientAccess): boolean {
  if (mayOpen(request, access)) return true;
  const account = request.accountToken?.account;
  if (account === undefined) return false;
  return access.accountId === account.id || (access.accountId === null && account.email === access.email);
}

/** Who a download is recorded for: the account behind a token, else the link's recipient. */
function downloadActor(
  request: FastifyRequest,
  access: RecipientAccess,
): { kind: 'account' | 'guest'; id: string } {
  const viaToken = request.accountToken?.account;
  return viaToken === undefined
    ? { kind: 'guest', id: access.recipientId }
    : { kind: 'account', id: viaToken.id };
}

/**
 * The recipient's side: the link page, level-2 verification, downloads, replies. Every unknown,
 * tampered, expired or revoked link answers the same 404 page.
 */
export function recipientRoutes(app: FastifyInstance, deps: Deps, pages: RecipientPageRenderers): void {
  const resolve = async (request: FastifyRequest): Promise<RecipientAccess> => {
    const { token } = request.params as { token: string };
    const access = await resolveRecipientLink(deps, request.tenant.id, token);
    if (access === undefined) throw new AppError('ERR_LINK_INVALID');
    return access;
  };
  const resolveOpen = async (request: FastifyRequest): Promise<RecipientAccess> => {
    const access = await resolve(request);
    if (!mayOpen(request, access)) throw new AppError('ERR_LINK_INVALID');
    await bindAccount(access, request);
    return access;
  };
  const resolveRead = async (request: FastifyRequest): Promise<RecipientAccess> => {
    const access = await resolve(request);
    if (!mayRead(request, access)) throw new AppError('ERR_LINK_INVALID');
    await bindAccount(access, request);
    return access;
  };
  const bindAccount = async (access: RecipientAccess, request: FastifyRequest) => {
    const account = request.session?.account ?? request.accountToken?.account;
    if (access.transfer.level >= 2 && access.accountId === null && account !== undefined) {
      await deps.db.query(
        `UPDATE transfer_recipients SET account_id = $3 WHERE tenant_id = $1 AND id = $2 AND account_id IS NULL`,
        [request.tenant.id, access.recipientId, account.id],
      );
    }
  };

  app.get('/t/:token', { schema: { params: tokenParams, hide: true } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const access = await resolve(request);
    if (!mayOpen(request, access))
      return pages.verify(request, reply, { token, maskedEmail: maskEmail(access.email) });
    await bindAccount(access, request);
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
    return pages.transfer(request, reply, {
      token,
      transfer,
      thread,
      email: access.email,
      senderName,
      passwordEnvelope,
    });
  });

  // The same transfer as JSON, for `amtsbote fetch`: level 1 by link alone; from level 2 only for
  // the recipient's account, by its session or its personal API token.
  app.get(
    '/api/v1/received/:token',
    {
      schema: {
        summary:
          'A received transfer by its link: level 1 by the link alone, level 2 with the recipient account’s personal API token',
        tags: ['transfers'],
        params: tokenParams,
      },
    },
    async (request) => {
      const { token } = request.params as { token: string };
      const access = await resolveRead(request);
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

  // Level 2, step 1: a fresh code to the recipient's address, mailed now (not in the first mail).
  app.post(
    '/t/:token/code',
    {
      schema: {
        params: tokenParams,
        hide: true,
        body: { type: 'object', properties: { _csrf: { type: 'string' } } },
      },
    },
    async (request, reply) => {
      const { token } = request.params as { token: string };
      const access = await resolve(request);
      const maskedEmail = maskEmail(access.email);
      let codeId: string;
      try {
        const { id, code } = await issueCode(deps, {
          tenantId: request.tenant.id,
          purpose: 'transfer-recipient',
          email: access.email,
          subjectId: access.recipientId,
          ip: request.ip,
        });
        await deps.mailer.send(
          verificationCodeMail(access.email, request.locale, { code, tenantName: request.tenant.name }),
        );
        codeId = id;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return pages.verify(request, reply.status(err.status), { token, maskedEmail, error: err });
      }
      return pages.verify(request, reply, { token, maskedEmail, codeId });
    },
  );

  // Level 2, step 2: the code proves the address; the account is created or signed in.
  app.post(
    '/t/:token/verify',
    {
      schema: {
        params: tokenParams,
        hide: true,
        body: {
          type: 'object',
          required: ['codeId', 'code'],
          properties: {
            codeId: { type: 'string', format: 'uuid' },
            code: { type: 'string', maxLength: 20 },
            _csrf: { type: 'string' },
          },
        },
      },
    },
    async (request, reply) => {
      const { token } = request.params as { token: string };
      const body = request.body as { codeId: string; code: string };
      const access = await resolve(request);
      try {
        const verified = await verifyCode(deps, {
          tenantId: request.tenant.id,
          id: body.codeId,
          purpose: 'transfer-recipient',
          code: body.code,
        });
        if (verified.subjectId !== access.recipientId) throw new AppError('ERR_CODE_INVALID');
        const { account, needsSignIn } = await deps.db.transaction(async (tx) => {
          const { account: a, created } = await accountForVerifiedEmail(
            tx,
            deps,
            request.tenant.id,
            verified.email,
            request.locale,
          );
          await tx.query(
            `UPDATE transfer_recipients SET account_id = $3 WHERE tenant_id = $1 AND id = $2 AND account_id IS NULL`,
            [request.tenant.id, access.recipientId, a.id],
          );
          await recordAudit(tx, {
            tenantId: request.tenant.id,
            at: deps.clock.now(),
            actor: { kind: 'account', id: a.id },
            action: created ? 'account.created' : 'account.login',
            subject: { kind: 'account', id: a.id },
            ipPrefix: request.ipPrefix,
          });
          // An account with a password or passkey of its own is not opened by a mailed code.
          return { account: a, needsSignIn: !created && (await hasFirstFactor(tx, request.tenant.id, a.id)) };
        });
        if (needsSignIn)
          return await reply.redirect(
            `/account/login?notice=sign-in-required&next=${encodeURIComponent(`/t/${token}`)}`,
            303,
          );
        if (request.session !== undefined) await deleteSession(deps.db, request.session.idHash);
        const sid = await createSession(deps.db, deps, {
          tenantId: request.tenant.id,
          accountId: account.id,
          locale: request.locale,
          userAgent: request.headers['user-agent'],
          ipPrefix: request.ipPrefix,
          authMethod: 'code',
        });
        void reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'ERR_CODE_INVALID') throw err;
        return pages.verify(request, reply.status(err.status), {
          token,
          maskedEmail: maskEmail(access.email),
          codeId: body.codeId,
          error: err,
        });
      }
      return reply.redirect(`/t/${token}`, 303);
    },
  );

  app.route({
    method: ['GET', 'HEAD'],
    url: '/t/:token/files/:fileId',
    schema: { params: tokenFileParams, hide: true },
    handler: async (request, reply) => {
      const access = await resolveRead(request);
      const { fileId } = request.params as { fileId: string };
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

  app.get('/t/:token/zip', { schema: { params: tokenParams, hide: true } }, async (request, reply) => {
    const access = await resolveRead(request);
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
  });

  // The keys a level-3/4 reply is encrypted to in the recipient's browser (keys/replies.ts).
  app.get(
    '/api/v1/received/:token/reply-keys',
    { schema: { params: tokenParams, hide: true } },
    async (request) => {
      const access = await resolveOpen(request);
      const t = access.transfer;
      const account = request.session?.account;
      if (!t.allow_reply || t.sender_staff_id === null || t.level < 3 || account === undefined)
        throw new AppError('ERR_LINK_INVALID');
      return {
        level: t.level,
        ...(await replyKeys(deps.db, request.tenant, t.sender_staff_id, {
          kind: 'account',
          accountId: account.id,
        })),
      };
    },
  );

  // A reply is a draft like any other, composed by the recipient and addressed to the sender's
  // postbox; its files go through the same upload endpoint, authorised by the link. To a level-3/4
  // message it goes at the same level, end-to-end from the recipient's browser, or at level 2
  // (also when no level is asked for, as older clients do).
  app.post(
    '/t/:token/replies',
    {
      schema: {
        params: tokenParams,
        hide: true,
        body: {
          ...draftBody,
          required: ['subject', 'files'],
          properties: {
            ...draftBody.properties,
            recipients: { type: 'array', maxItems: 0 },
            level: { type: 'integer', enum: [1, 2, 3, 4] },
          },
        },
      },
    },
    async (request, reply) => {
      const access = await resolveOpen(request);
      const t = access.transfer;
      if (!t.allow_reply || t.sender_staff_id === null) throw new AppError('ERR_NOT_FOUND');
      const body = request.body as Partial<DraftBody> & Pick<DraftBody, 'subject' | 'files'>;
      const asked = (request.body as { level?: number }).level;
      const endToEnd = asked !== undefined && asked >= 3;
      if (endToEnd && asked !== t.level)
        throw new AppError('ERR_VALIDATION', { fields: [{ field: 'level', code: 'ERR_VALIDATION' }] });
      if (endToEnd) {
        const account = request.session?.account;
        if (account === undefined) throw new AppError('ERR_LINK_INVALID');
        await requireReplyKeys(deps.db, request.tenant, t.sender_staff_id, {
          kind: 'account',
          accountId: account.id,
        });
      }
      const input = draftInputOf({
        ...body,
        level: endToEnd ? (t.level === 4 ? 4 : 3) : t.level === 1 ? 1 : 2,
        recipients: [],
      });
      const draft = await createDraft(
        deps,
        request.tenant,
        {
          kind: 'recipient',
          recipientId: access.recipientId,
          toStaffId: t.sender_staff_id,
          threadId: t.thread_id,
          inReplyTo: t.id,
        },
        { ...input, allowReply: false, notifyOnDownload: false, expiresInDays: undefined },
      );
      return reply.status(201).send({ ...draft, uploadEndpoint: UPLOADS_PATH });
    },
  );

  // The file key of a level-3/4 reply, wrapped in the recipient's browser for the addressee,
  // for the recipient's own key and (shared department outboxes) the addressee's departments.
  app.put(
    '/t/:token/replies/:id/envelopes',
    {
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['token', 'id'],
          properties: { token: { type: 'string', maxLength: 200 }, id: { type: 'string', format: 'uuid' } },
        },
        body: {
          type: 'object',
          required: ['envelopes'],
          additionalProperties: false,
          properties: {
            envelopes: {
              type: 'array',
              minItems: 2,
              maxItems: 20,
              items: {
                type: 'object',
                required: ['holder', 'envelope'],
                additionalProperties: false,
                properties: {
                  holder: { type: 'string', enum: ['sender', 'addressee', 'department'] },
                  departmentKeyId: { type: 'string', format: 'uuid' },
                  envelope: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 400 },
                },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const access = await resolveOpen(request);
      const account = request.session?.account;
      if (account === undefined) throw new AppError('ERR_LINK_INVALID');
      const { id } = request.params as { id: string };
      const { envelopes } = request.body as { envelopes: ReplyEnvelopeInput[] };
      await storeReplyEnvelopes(
        deps,
        request.tenant,
        { recipientId: access.recipientId, owner: { kind: 'account', accountId: account.id } },
        id,
        envelopes,
      );
      return reply.status(204).send();
    },
  );

  app.post(
    '/t/:token/replies/:id/send',
    {
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['token', 'id'],
          properties: { token: { type: 'string', maxLength: 200 }, id: { type: 'string', format: 'uuid' } },
        },
      },
    },
    async (request) => {
      const access = await resolveOpen(request);
      const { id } = request.params as { id: string };
      await sendDraft(
        deps,
        request.tenant,
        { kind: 'recipient', recipientId: access.recipientId, email: access.email },
        id,
        request.ipPrefix,
      );
      return { id };
    },
  );

  // The replier reads a level-3/4 reply they sent: their own envelope and the reply's
  // ciphertext, through the link they replied by (keys/replies.ts ownReplyEnvelope).
  const replyParams = {
    type: 'object',
    required: ['token', 'id'],
    properties: { token: { type: 'string', maxLength: 200 }, id: { type: 'string', format: 'uuid' } },
  } as const;
  app.get(
    '/api/v1/received/:token/replies/:id/envelope',
    {
      schema: {
        summary: 'The replier’s own envelope of a level-3/4 reply they sent by this link',
        tags: ['transfers'],
        params: replyParams,
      },
    },
    async (request) => {
      const access = await resolveRead(request);
      const account = request.session?.account ?? request.accountToken?.account;
      if (account === undefined) throw new AppError('ERR_LINK_INVALID');
      const { id } = request.params as { id: string };
      return ownReplyEnvelope(
        deps,
        request.tenant.id,
        { recipientId: access.recipientId, accountId: account.id },
        id,
      );
    },
  );

  app.route({
    method: ['GET', 'HEAD'],
    url: '/t/:token/replies/:id/files/:fileId',
    schema: {
      hide: true,
      params: {
        type: 'object',
        required: ['token', 'id', 'fileId'],
        properties: { ...replyParams.properties, fileId: { type: 'string', format: 'uuid' } },
      },
    },
    handler: async (request, reply) => {
      const access = await resolveRead(request);
      const { id, fileId } = request.params as { id: string; fileId: string };
      const view = await loadTransferView(deps, request.tenant.id, id);
      // Only the ciphertext of an end-to-end reply sent by this link's recipient.
      if (
        view?.senderRecipientId !== access.recipientId ||
        view.status !== 'sent' ||
        view.e2e !== 'recipients'
      )
        throw new AppError('ERR_NOT_FOUND');
      const file = view.files.find((f) => f.id === fileId);
      if (file === undefined) throw new AppError('ERR_NOT_FOUND');
      return sendFile(deps, request, reply, request.tenant.id, file);
    },
  });
}

/**
 * For the upload endpoint: may this request write to a reply draft of the recipient behind the
 * link in the `Amtsbote-Link` header?
 */
export async function recipientMayUpload(
  deps: Deps,
  request: FastifyRequest,
  senderRecipientId: string,
): Promise<boolean> {
  const token = request.headers['amtsbote-link'];
  // A reply in an organisation's name: any member of the organisation may upload to it.
  if (typeof token !== 'string') return organisationMemberMayUpload(deps, request, senderRecipientId);
  const access = await resolveRecipientLink(deps, request.tenant.id, token);
  return access?.recipientId === senderRecipientId && mayOpen(request, access);
}
