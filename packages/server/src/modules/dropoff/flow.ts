import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fromBase64Url } from '@amtsbote/crypto';
import { inboundCodePage, inboundComposePage, inboundDonePage, acceptAttribute } from '@amtsbote/web';
import { equalBytes, hashToken } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError, errorMessage } from '../../errors.ts';
import { cookieOptions, pageContext, SESSION_COOKIE } from '../../http/context.ts';
import { csrfField, formString } from '../../http/forms.ts';
import { wasmContentSecurityPolicy } from '../../http/security-headers.ts';
import { issueCode, verifyCode, codeLimits } from '../auth/codes.ts';
import { isLimited } from '../auth/rate-limit.ts';
import { createSession, SESSION_MAX_MS } from '../auth/sessions.ts';
import { recordAudit } from '../audit/service.ts';
import { FileTypeError, HEAD_BYTES, judgeHead, peekBody } from '../postbox/file-check.ts';
import type { Guest, InboundTarget } from '../postbox/inbound.ts';
import { createInboundDraft, discardDraft, submitInbound } from '../postbox/inbound.ts';
import { inboundNumber } from '../postbox/number.ts';
import { inboundPolicy } from '../postbox/policy.ts';
import { declaredFiles } from '../transfers/api.ts';
import { verificationCodeMail } from '../transfers/mails.ts';
import { uploadableFile } from '../transfers/drafts.ts';
import { loadTransferView } from '../transfers/service.ts';
import { registerUploads } from '../transfers/tus.ts';
import { countUse } from '../uploadlinks/service.ts';
import { expiryChoices } from './expiry.ts';
import type { InboundSession } from './sessions.ts';
import {
  loadSession,
  markVerified,
  maskAddress,
  sessionOfDraft,
  setSessionDraft,
  setSessionTransfer,
} from './sessions.ts';
import { resolveTarget } from './target.ts';

/** The upload endpoint for everything that comes in (tus, like the staff's own). */
export const INBOUND_UPLOADS_PATH = '/api/v1/inbound/uploads';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

/** A browser without a session gets one (the visitor kind that only keeps the language). */
export async function browserSession(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Buffer> {
  if (request.session !== undefined) return request.session.idHash;
  const sid = await createSession(deps.db, deps, {
    tenantId: request.tenant.id,
    locale: request.locale,
    userAgent: request.headers['user-agent'],
    ipPrefix: request.ipPrefix,
  });
  void reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
  return hashToken(sid);
}

/**
 * Mails a code for the session, unless the address asked too often: then nothing is sent but the
 * answer is the same, so nobody learns whether an address was used before. Too many requests
 * from one IP are refused openly (that says nothing about an address).
 * @returns the code's id, or undefined when silently held back.
 * @throws {AppError} ERR_RATE_LIMITED for the IP.
 */
export async function sendSessionCode(
  deps: AppDeps,
  request: FastifyRequest,
  s: { id: string; email: string; locale: 'de' | 'en' },
): Promise<string | undefined> {
  const [addressLimit, ipLimit] = codeLimits(request.tenant.id, s.email, request.ip);
  if (ipLimit !== undefined && (await isLimited(deps.db, deps.clock, ipLimit)))
    throw new AppError('ERR_RATE_LIMITED');
  if (addressLimit !== undefined && (await isLimited(deps.db, deps.clock, addressLimit))) return undefined;
  const { id, code } = await issueCode(deps, {
    tenantId: request.tenant.id,
    purpose: 'dropoff-sender',
    email: s.email,
    subjectId: s.id,
    ip: request.ip,
  });
  await deps.mailer.send(verificationCodeMail(s.email, s.locale, { code, tenantName: request.tenant.name }));
  return id;
}

function guestOf(s: InboundSession): Guest {
  return {
    email: s.email,
    name: `${s.contact.firstName} ${s.contact.lastName}`.trim(),
    phone: s.contact.phone === '' ? null : s.contact.phone,
    locale: s.locale,
    verified: true,
    addressedTo: s.addressedTo,
  };
}

const draftBody = {
  type: 'object',
  required: ['subject', 'files'],
  additionalProperties: false,
  properties: {
    subject: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    reference: { type: 'string', maxLength: 100 },
    // End-to-end encrypted text arrives as base64url of an encrypted stream: longer than 20 000.
    message: { type: 'string', maxLength: 40000 },
    expiresInDays: { type: 'integer', minimum: 1, maximum: 365 },
    notify: { type: 'boolean' },
    password: { type: 'boolean' },
    files: declaredFiles(1000),
  },
} as const;

interface DraftBody {
  subject: string;
  reference?: string;
  message?: string;
  expiresInDays?: number;
  notify?: boolean;
  password?: boolean;
  files: { name: string; size: number; type?: string }[];
}

/**
 * The steps every sender without an account goes through after the first form: the e-mail
 * code, the message with files, the confirmation; the JSON calls and the upload endpoint the
 * page's island uses. Shared by drop-off and upload links.
 */
export function inboundFlowRoutes(app: FastifyInstance, deps: AppDeps): void {
  const session = async (
    request: FastifyRequest,
    opts: { forUpdate?: boolean } = {},
  ): Promise<InboundSession> => {
    const { id } = request.params as { id: string };
    const s = await loadSession(deps, deps.db, request.tenant.id, id, request.session?.idHash, opts);
    if (s === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
    return s;
  };
  const verified = async (request: FastifyRequest): Promise<InboundSession> => {
    const s = await session(request);
    if (!s.verified) throw new AppError('ERR_DROPOFF_EXPIRED');
    return s;
  };

  /**
   * Delivers the session's draft once: the session row is locked in the delivering transaction,
   * and a session that already delivered another draft (two clicks racing, each with a draft of
   * its own) discards this one and answers with the first.
   */
  const deliver = async (
    request: FastifyRequest,
    sessionId: string,
    target: InboundTarget,
    draftId: string,
    envelope: Uint8Array | undefined,
  ): Promise<{ id: string }> => {
    try {
      return await submitInbound(deps, request.tenant, target, draftId, {
        envelope,
        ipPrefix: request.ipPrefix,
        inTx: async (tx) => {
          const again = await loadSession(deps, tx, request.tenant.id, sessionId, request.session?.idHash, {
            forUpdate: true,
          });
          if (again === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
          if (again.transferId !== null) throw new AlreadyDelivered(again.transferId);
          if (target.uploadLinkId !== null) await countUse(tx, deps, request.tenant.id, target.uploadLinkId);
          await setSessionTransfer(tx, request.tenant.id, sessionId, draftId);
        },
      });
    } catch (err) {
      if (!(err instanceof AlreadyDelivered)) throw err;
      if (err.transferId !== draftId) await discardDraft(deps, request.tenant.id, draftId);
      return { id: err.transferId };
    }
  };

  const codePage = (
    request: FastifyRequest,
    reply: FastifyReply,
    s: { id: string; email: string },
    extra: { error?: AppError; resent?: boolean } = {},
  ) =>
    reply.page({
      ...inboundCodePage(pageContext(request, reply), {
        sessionId: s.id,
        maskedEmail: maskAddress(s.email),
        error: extra.error === undefined ? undefined : errorMessage(extra.error.code, request.locale),
        resent: extra.resent === true,
      }),
      status: extra.error?.status ?? 200,
    });

  app.get('/inbound/:id/code', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const s = await session(request);
    if (s.verified) return reply.redirect(`/inbound/${s.id}`, 303);
    return codePage(request, reply, s, { resent: (request.query as { resent?: string }).resent === '1' });
  });

  app.post(
    '/inbound/:id/verify',
    {
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['code'],
          properties: { code: { type: 'string', maxLength: 20 }, _csrf: csrfField },
        },
      },
    },
    async (request, reply) => {
      const s = await session(request);
      if (s.verified) return reply.redirect(`/inbound/${s.id}`, 303);
      const code = formString(request.body, 'code');
      const pending = await deps.db.query<{ id: string }>(
        `SELECT id FROM email_codes WHERE tenant_id = $1 AND purpose = 'dropoff-sender' AND subject_id = $2 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1`,
        [request.tenant.id, s.id],
      );
      try {
        const codeId = pending[0]?.id;
        if (codeId === undefined) throw new AppError('ERR_CODE_INVALID');
        const v = await verifyCode(deps, {
          tenantId: request.tenant.id,
          id: codeId,
          purpose: 'dropoff-sender',
          code,
        });
        if (v.subjectId !== s.id) throw new AppError('ERR_CODE_INVALID');
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'ERR_CODE_INVALID') throw err;
        return codePage(request, reply, s, { error: err });
      }
      await markVerified(deps, request.tenant.id, s.id);
      return reply.redirect(`/inbound/${s.id}`, 303);
    },
  );

  app.post(
    '/inbound/:id/resend',
    { schema: { hide: true, params: idParams, body: { type: 'object', properties: { _csrf: csrfField } } } },
    async (request, reply) => {
      const s = await session(request);
      if (s.verified) return reply.redirect(`/inbound/${s.id}`, 303);
      try {
        await sendSessionCode(deps, request, s);
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'ERR_RATE_LIMITED') throw err;
        return codePage(request, reply, s, { error: err });
      }
      return reply.redirect(`/inbound/${s.id}/code?resent=1`, 303);
    },
  );

  const composePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    s: InboundSession,
    state: {
      values?: Record<string, string>;
      errors?: { field: string; message: string }[];
      status?: number;
    } = {},
  ) => {
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
  };

  app.get('/inbound/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const s = await session(request);
    if (!s.verified) return reply.redirect(`/inbound/${s.id}/code`, 303);
    if (s.transferId !== null) return reply.redirect(`/inbound/${s.id}/done`, 303);
    return composePage(request, reply, s);
  });

  // Without JavaScript: the message alone (files need the upload island). Sent twice, it is
  // still one transfer: the session remembers it.
  app.post(
    '/inbound/:id',
    {
      attachValidation: true,
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          properties: {
            subject: { type: 'string', maxLength: 200 },
            reference: { type: 'string', maxLength: 100 },
            message: { type: 'string', maxLength: 20000 },
            expiresInDays: { type: 'string', pattern: '^[0-9]{1,3}$' },
            notify: { type: 'string' },
            password: { type: 'string', maxLength: 1024 },
            _csrf: csrfField,
          },
        },
      },
    },
    async (request, reply) => {
      const values = {
        subject: formString(request.body, 'subject'),
        reference: formString(request.body, 'reference'),
        message: formString(request.body, 'message'),
        expiresInDays: formString(request.body, 'expiresInDays'),
        notify: formString(request.body, 'notify'),
      };
      const done = await deps.db.transaction(async (tx) => {
        const s = await loadSession(
          deps,
          tx,
          request.tenant.id,
          (request.params as { id: string }).id,
          request.session?.idHash,
          { forUpdate: true },
        );
        if (s?.verified !== true) throw new AppError('ERR_DROPOFF_EXPIRED');
        return s;
      });
      if (done.transferId !== null) return reply.redirect(`/inbound/${done.id}/done`, 303);
      const t = request.locale === 'de';
      const errors: { field: string; message: string }[] = [];
      if (request.validationError !== undefined)
        errors.push({ field: 'message', message: errorMessage('ERR_VALIDATION', request.locale) });
      if (values.subject === '')
        errors.push({
          field: 'subject',
          message: t ? 'Bitte geben Sie einen Betreff ein.' : 'Please enter a subject.',
        });
      if (formString(request.body, 'password') !== '') {
        errors.push({
          field: 'password',
          message: t
            ? 'Ein Passwort geht nur mit eingeschaltetem JavaScript: nur dann wird in Ihrem Browser verschlüsselt.'
            : 'A password needs JavaScript: only then is the encryption done in your browser.',
        });
      }
      if (errors.length > 0) return composePage(request, reply, done, { values, errors, status: 400 });
      const resolved = await resolveTarget(deps, request.tenant, done, { password: false });
      if (resolved === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
      const days = Number(values.expiresInDays);
      const draft = await createInboundDraft(
        deps,
        request.tenant,
        resolved.target,
        guestOf(done),
        {
          subject: values.subject,
          reference: values.reference,
          message: values.message,
          files: [],
          expiresInDays: Number.isInteger(days) && days > 0 ? days : undefined,
          notify: values.notify !== '',
        },
        false,
      );
      await setSessionDraft(deps.db, request.tenant.id, done.id, draft.id);
      await deliver(request, done.id, resolved.target, draft.id, undefined);
      return reply.redirect(`/inbound/${done.id}/done`, 303);
    },
  );

  app.get('/inbound/:id/done', { schema: { hide: true, params: idParams } }, async (request, reply) => {
    const s = await session(request);
    if (s.transferId === null) return reply.redirect(`/inbound/${s.id}`, 303);
    const row = await deps.db.query<{
      expires_at: Date;
      notify_on_download: boolean;
      e2e: string | null;
      department: string;
      upload: boolean;
    }>(
      `SELECT t.expires_at, t.notify_on_download, t.e2e, d.name AS department, t.upload_link_id IS NOT NULL AS upload FROM transfers t
       JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.to_department_id WHERE t.tenant_id = $1 AND t.id = $2`,
      [request.tenant.id, s.transferId],
    );
    const t = row[0];
    if (t === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
    return reply.page(
      inboundDonePage(pageContext(request, reply), {
        number: inboundNumber(s.transferId),
        expiresAt: t.expires_at,
        recipient: s.addressedTo ?? t.department,
        notify: t.notify_on_download,
        e2e: t.e2e !== null,
        password: t.e2e === 'password',
        email: s.email,
      }),
    );
  });

  // ---- JSON for the compose island ----

  app.post(
    '/api/v1/inbound/:id/drafts',
    { schema: { hide: true, params: idParams, body: draftBody } },
    async (request, reply) => {
      const s = await verified(request);
      if (s.transferId !== null) throw new AppError('ERR_DROPOFF_EXPIRED');
      const body = request.body as DraftBody;
      const resolved = await resolveTarget(deps, request.tenant, s, { password: body.password === true });
      if (resolved === undefined || (body.password === true && !resolved.passwordAllowed))
        throw new AppError('ERR_DROPOFF_EXPIRED');
      const draft = await createInboundDraft(
        deps,
        request.tenant,
        resolved.target,
        guestOf(s),
        {
          subject: body.subject.trim(),
          reference: (body.reference ?? '').trim(),
          message: body.message ?? '',
          files: body.files.map((f) => ({ name: f.name, size: f.size, type: f.type ?? '' })),
          expiresInDays: body.expiresInDays,
          notify: body.notify ?? true,
        },
        resolved.e2eMessage,
      );
      await setSessionDraft(deps.db, request.tenant.id, s.id, draft.id);
      // A draft the sender gave up on (new files chosen) goes at once.
      if (s.draftId !== null && s.draftId !== draft.id)
        await discardDraft(deps, request.tenant.id, s.draftId);
      return reply.status(201).send({ ...draft, uploadEndpoint: INBOUND_UPLOADS_PATH });
    },
  );

  const submit = async (request: FastifyRequest, draftId: string, envelopeText: string | undefined) => {
    const s = await verified(request);
    // The second click of a double submit finds the first one's transfer: same answer.
    if (s.transferId !== null) {
      if (s.transferId !== draftId) throw new AppError('ERR_DROPOFF_EXPIRED');
      return { id: s.transferId, number: inboundNumber(s.transferId), doneUrl: `/inbound/${s.id}/done` };
    }
    if (s.draftId !== draftId) throw new AppError('ERR_NOT_FOUND');
    const e2e = await deps.db.query<{ e2e: string | null }>(
      `SELECT e2e FROM transfers WHERE tenant_id = $1 AND id = $2`,
      [request.tenant.id, draftId],
    );
    const resolved = await resolveTarget(deps, request.tenant, s, { password: e2e[0]?.e2e === 'password' });
    if (resolved === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
    let envelope: Uint8Array | undefined;
    if (envelopeText !== undefined) {
      try {
        envelope = fromBase64Url(envelopeText);
      } catch (err) {
        throw new AppError('ERR_VALIDATION', {
          fields: [{ field: 'envelope', code: 'ERR_VALIDATION' }],
          cause: err,
        });
      }
    }
    const submitted = await deliver(request, s.id, resolved.target, draftId, envelope);
    return { id: submitted.id, number: inboundNumber(submitted.id), doneUrl: `/inbound/${s.id}/done` };
  };

  app.post(
    '/api/v1/inbound/:id/submit',
    {
      schema: {
        hide: true,
        params: idParams,
        body: {
          type: 'object',
          required: ['draftId'],
          additionalProperties: false,
          properties: {
            draftId: { type: 'string', format: 'uuid' },
            envelope: { type: 'string', maxLength: 200 },
          },
        },
      },
    },
    async (request) => {
      const body = request.body as { draftId: string; envelope?: string };
      return submit(request, body.draftId, body.envelope);
    },
  );
  // The same for the shared upload island, which names the draft in the path.
  app.post(
    '/api/v1/inbound/:id/drafts/:draftId/submit',
    {
      schema: {
        hide: true,
        params: {
          type: 'object',
          required: ['id', 'draftId'],
          properties: { id: { type: 'string', format: 'uuid' }, draftId: { type: 'string', format: 'uuid' } },
        },
      },
    },
    async (request) => submit(request, (request.params as { draftId: string }).draftId, undefined),
  );

  // ---- Uploads: the sender's own draft only, judged by content as the first bytes arrive ----
  registerUploads(
    app,
    deps,
    async (request, file) => {
      if (file.senderStaffId !== null || file.senderRecipientId !== null) return false;
      const info = await uploadableFile(
        deps.db,
        request.tenant.id,
        (request.params as { fileId?: string }).fileId ?? fileIdFromMetadata(request) ?? '',
      );
      if (info === undefined) return false;
      const owner = await sessionOfDraft(deps.db, request.tenant.id, info.transferId);
      const idHash = request.session?.idHash;
      if (
        owner === undefined ||
        idHash === undefined ||
        !equalBytes(owner.browserHash, idHash) ||
        !owner.verified ||
        owner.expiresAt.getTime() <= deps.clock.now().getTime()
      )
        return false;
      const offset = request.headers['upload-offset'];
      if (request.method === 'PATCH' && offset === '0' && info.size > 0)
        await checkHead(request, info.transferId, owner.id);
      return true;
    },
    INBOUND_UPLOADS_PATH,
  );

  /** The first bytes of a file decide at once: a refused type leaves nothing stored. */
  const checkHead = async (request: FastifyRequest, transferId: string, sessionId: string): Promise<void> => {
    const row = await deps.db.query<{ e2e: string | null }>(
      `SELECT e2e FROM transfers WHERE tenant_id = $1 AND id = $2`,
      [request.tenant.id, transferId],
    );
    if (row[0]?.e2e != null) return;
    const s = await loadSession(deps, deps.db, request.tenant.id, sessionId, request.session?.idHash);
    if (s === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
    const resolved = await resolveTarget(deps, request.tenant, s, { password: false });
    if (resolved === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
    const head = await peekBody(request.raw, HEAD_BYTES);
    if (head === undefined) return;
    if ((await judgeHead(head, resolved.target.allowedTypes)) === 'refused') {
      const fileId = (request.params as { fileId?: string }).fileId;
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
}

/** The session delivered before: this draft is not needed. */
class AlreadyDelivered extends Error {
  readonly transferId: string;
  constructor(transferId: string) {
    super('already delivered');
    this.transferId = transferId;
  }
}

function fileIdFromMetadata(request: FastifyRequest): string | undefined {
  const header = request.headers['upload-metadata'];
  if (typeof header !== 'string') return undefined;
  for (const pair of header.split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key === 'fileId' && value !== undefined) return Buffer.from(value, 'base64').toString('utf8');
  }
  return undefined;
}

export { idParams };
