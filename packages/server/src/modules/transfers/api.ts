import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { Staff } from '../staff/service.ts';
import { createDraft } from './drafts.ts';
import type { DraftInput } from './drafts.ts';
import { recordDownload, sendFile, sendZip } from './downloads.ts';
import {
  extendTransfer,
  listPostbox,
  recipientStatuses,
  revokeTransfer,
  sendDraft,
  transferForStaff,
} from './service.ts';
import { UPLOADS_PATH } from './tus.ts';

const uuid = { type: 'string', format: 'uuid' } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const;
const fileParams = {
  type: 'object',
  required: ['id', 'fileId'],
  properties: { id: uuid, fileId: uuid },
} as const;

/** Files announced before their upload (name, size, type), at most `maxItems` of them. */
export function declaredFiles(maxItems: number) {
  return {
    type: 'array',
    maxItems,
    items: {
      type: 'object',
      required: ['name', 'size'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 255 },
        size: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        type: { type: 'string', maxLength: 255 },
      },
    },
  } as const;
}

/** The JSON shape of a new transfer; the compose page and the CLI send exactly this. */
export const draftBody = {
  type: 'object',
  required: ['level', 'recipients', 'subject', 'files'],
  additionalProperties: false,
  if: { properties: { level: { type: 'integer', maximum: 3 } } },
  then: { properties: { message: { type: 'string', maxLength: 20000 } } },
  properties: {
    // 3 and 4: end-to-end; the files (and at 4 the text, which then is ciphertext) come encrypted.
    level: { type: 'integer', enum: [1, 2, 3, 4] },
    recipients: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'string', format: 'email', maxLength: 254 },
    },
    subject: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
    // At level 4 the text is base64url ciphertext with the file names: room for 20 000 characters.
    message: { type: 'string', maxLength: 120000 },
    expiresInDays: { type: 'integer', minimum: 1, maximum: 365 },
    notifyOnDownload: { type: 'boolean' },
    allowReply: { type: 'boolean' },
    files: declaredFiles(10000),
  },
} as const;

export interface DraftBody {
  level: 1 | 2 | 3 | 4;
  recipients: string[];
  subject: string;
  message?: string;
  expiresInDays?: number;
  notifyOnDownload?: boolean;
  allowReply?: boolean;
  files: { name: string; size: number; type?: string }[];
}

export function draftInputOf(body: DraftBody): DraftInput {
  return {
    level: body.level,
    recipients: body.recipients,
    subject: body.subject.trim(),
    message: body.message ?? '',
    expiresInDays: body.expiresInDays,
    notifyOnDownload: body.notifyOnDownload ?? true,
    allowReply: body.allowReply ?? false,
    files: body.files.map((f) => ({ name: f.name, size: f.size, type: f.type ?? '' })),
  };
}

const dateTime = { type: 'string', format: 'date-time' } as const;
const fileSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string' },
    size: { type: 'integer' },
    complete: { type: 'boolean' },
  },
} as const;

/** Staff only: everything here is about the caller's own postbox. */
function staffOf(request: FastifyRequest): Staff {
  if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  return request.auth.staff;
}

/** The transfer API for staff (browser with session + CSRF header, or CLI with a bearer token). */
export function transferApi(app: FastifyInstance, deps: AppDeps): void {
  app.post(
    '/api/v1/transfers',
    {
      schema: {
        summary:
          'Start a transfer: declare recipients, text and files (limits are checked here, before any upload)',
        tags: ['transfers'],
        body: draftBody,
        response: {
          201: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              uploadEndpoint: { type: 'string' },
              files: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { id: { type: 'string' }, name: { type: 'string' }, size: { type: 'integer' } },
                },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const draft = await createDraft(
        deps,
        request.tenant,
        { kind: 'staff', staffId: staff.id },
        draftInputOf(request.body as DraftBody),
      );
      return reply.status(201).send({ ...draft, uploadEndpoint: UPLOADS_PATH });
    },
  );

  app.post(
    '/api/v1/transfers/:id/send',
    {
      schema: {
        summary: 'Send a transfer whose files are all uploaded; returns each recipient’s link once',
        tags: ['transfers'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              recipients: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { email: { type: 'string' }, link: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      return sendDraft(
        deps,
        request.tenant,
        { kind: 'staff', staff },
        (request.params as { id: string }).id,
        request.ipPrefix,
      );
    },
  );

  app.get(
    '/api/v1/transfers',
    {
      schema: {
        summary: 'The caller’s postbox: sent transfers and replies, newest first',
        tags: ['transfers'],
        querystring: {
          type: 'object',
          properties: { before: dateTime, limit: { type: 'integer', minimum: 1, maximum: 200 } },
        },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                level: { type: 'integer' },
                status: { type: 'string' },
                subject: { type: ['string', 'null'] },
                direction: { type: 'string' },
                counterpart: { type: 'string' },
                fileCount: { type: 'integer' },
                totalSize: { type: 'integer' },
                createdAt: dateTime,
                expiresAt: dateTime,
                opened: { type: 'integer' },
                downloaded: { type: 'integer' },
                recipients: { type: 'integer' },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const q = request.query as { before?: string; limit?: number };
      const rows = await listPostbox(deps, request.tenant, staffOf(request), {
        ...(q.before === undefined ? {} : { before: new Date(q.before) }),
        ...(q.limit === undefined ? {} : { limit: q.limit }),
      });
      return rows.map((r) => ({ ...r, subject: r.subject ?? null }));
    },
  );

  app.get(
    '/api/v1/transfers/:id',
    {
      schema: {
        summary: 'One transfer with the state of each recipient',
        tags: ['transfers'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              level: { type: 'integer' },
              status: { type: 'string' },
              subject: { type: ['string', 'null'] },
              message: { type: ['string', 'null'] },
              files: { type: 'array', items: fileSchema },
              expiresAt: dateTime,
              sentAt: { type: ['string', 'null'], format: 'date-time' },
              recipients: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    email: { type: 'string' },
                    notifiedAt: { type: ['string', 'null'], format: 'date-time' },
                    firstOpenedAt: { type: ['string', 'null'], format: 'date-time' },
                    firstDownloadedAt: { type: ['string', 'null'], format: 'date-time' },
                    downloads: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: { fileId: { type: ['string', 'null'] }, at: dateTime },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const view = await transferForStaff(deps, request.tenant.id, staffOf(request), id);
      return {
        ...view,
        subject: view.subject ?? null,
        message: view.message ?? null,
        recipients: await recipientStatuses(deps.db, request.tenant.id, id),
      };
    },
  );

  app.route({
    method: ['GET', 'HEAD'],
    url: '/api/v1/transfers/:id/files/:fileId',
    schema: {
      summary: 'Download one file of one’s own transfer (Range supported)',
      tags: ['transfers'],
      params: fileParams,
    },
    handler: async (request, reply) => {
      const { id, fileId } = request.params as { id: string; fileId: string };
      const view = await transferForStaff(deps, request.tenant.id, staffOf(request), id);
      const file = view.files.find((f) => f.id === fileId);
      if (file === undefined) throw new AppError('ERR_NOT_FOUND');
      return sendFile(deps, request, reply, request.tenant.id, file);
    },
  });

  app.get(
    '/api/v1/transfers/:id/zip',
    {
      schema: {
        summary: 'All files of one’s own transfer as one ZIP',
        tags: ['transfers'],
        params: idParams,
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id } = request.params as { id: string };
      const view = await transferForStaff(deps, request.tenant.id, staff, id);
      if (view.files.length === 0) throw new AppError('ERR_NOT_FOUND');
      await recordDownload(deps, request.tenant, {
        transferId: id,
        recipientId: null,
        fileId: null,
        ipPrefix: request.ipPrefix,
        actor: { kind: 'staff', id: staff.id },
      });
      return sendZip(deps, reply, request.tenant.id, view.files, `${view.subject ?? 'transfer'}.zip`);
    },
  );

  app.post(
    '/api/v1/transfers/:id/revoke',
    {
      schema: {
        summary: 'Revoke: links stop working and the content is deleted',
        tags: ['transfers'],
        params: idParams,
      },
    },
    async (request, reply) => {
      await revokeTransfer(
        deps,
        request.tenant,
        staffOf(request),
        (request.params as { id: string }).id,
        request.ipPrefix,
      );
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/transfers/:id/extend',
    {
      schema: {
        summary: 'Move the expiry to N days from now (within the authority’s maximum)',
        tags: ['transfers'],
        params: idParams,
        body: {
          type: 'object',
          required: ['days'],
          additionalProperties: false,
          properties: { days: { type: 'integer', minimum: 1, maximum: 365 } },
        },
        response: { 200: { type: 'object', properties: { expiresAt: dateTime } } },
      },
    },
    async (request) => {
      const { days } = request.body as { days: number };
      const expiresAt = await extendTransfer(
        deps,
        request.tenant,
        staffOf(request),
        (request.params as { id: string }).id,
        days,
        request.ipPrefix,
      );
      return { expiresAt };
    },
  );
}
