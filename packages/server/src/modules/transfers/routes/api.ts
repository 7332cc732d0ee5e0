import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { routesOf } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import { createDraft } from '../drafts.ts';
import { recordDownload, sendFile, sendZip } from '../downloads.ts';
import { recipientStatuses } from '../recipients.ts';
import { draftBody, draftInputOf } from '../schemas.ts';
import { extendTransfer, revokeTransfer } from '../services/lifecycle.ts';
import { sendDraft } from '../services/send-draft.ts';
import { UPLOADS_PATH } from '../tus.ts';
import { listPostbox, transferForStaff } from '../views.ts';
import {
  iso,
  outboxEntryJson,
  outboxEntryList,
  transferJson,
  transferWithRecipients,
} from './api-responses.ts';

const fileParams = {
  type: 'object',
  required: ['id', 'fileId'],
  properties: { id: { $ref: 'Uuid#' }, fileId: { $ref: 'Uuid#' } },
} as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

/** The transfer API for staff (browser with session + CSRF header, or CLI with a bearer token). */
export function transferApi(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.post(
    '/api/v1/transfers',
    {
      config: { access: 'staff' },
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
        draftInputOf(request.body),
      );
      return reply.status(201).send({ ...draft, uploadEndpoint: UPLOADS_PATH });
    },
  );

  app.post(
    '/api/v1/transfers/:id/send',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'Send a transfer whose files are all uploaded; returns each recipient’s link once',
        tags: ['transfers'],
        params: { $ref: 'IdParams#' },
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
      const sent = await sendDraft(
        deps,
        request.tenant,
        { kind: 'staff', staff: staffOf(request) },
        request.params.id,
        request.ipPrefix,
      );
      return { id: sent.id, recipients: sent.recipients.map((r) => ({ ...r })) };
    },
  );

  app.get(
    '/api/v1/transfers',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'The caller’s postbox: sent transfers and replies, newest first',
        tags: ['transfers'],
        querystring: {
          type: 'object',
          properties: { before: dateTime, limit: { type: 'integer', minimum: 1, maximum: 200 } },
        },
        response: { 200: outboxEntryList },
      },
    },
    async (request) => {
      const { before, limit } = request.query;
      const rows = await listPostbox(deps, request.tenant, staffOf(request), {
        ...(before === undefined ? {} : { before: new Date(before) }),
        ...(limit === undefined ? {} : { limit }),
      });
      return rows.map(outboxEntryJson);
    },
  );

  app.get(
    '/api/v1/transfers/:id',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'One transfer with the state of each recipient',
        tags: ['transfers'],
        params: { $ref: 'IdParams#' },
        response: { 200: transferWithRecipients },
      },
    },
    async (request) => {
      const { id } = request.params;
      const view = await transferForStaff(deps, request.tenant.id, staffOf(request), id);
      return transferJson(view, await recipientStatuses(deps.db, request.tenant.id, id));
    },
  );

  app.route({
    config: { access: 'staff' },
    method: ['GET', 'HEAD'],
    url: '/api/v1/transfers/:id/files/:fileId',
    schema: {
      summary: 'Download one file of one’s own transfer (Range supported)',
      tags: ['transfers'],
      params: fileParams,
    },
    handler: async (request, reply) => {
      const { id, fileId } = request.params;
      const view = await transferForStaff(deps, request.tenant.id, staffOf(request), id);
      const file = view.files.find((f) => f.id === fileId);
      if (file === undefined) throw new AppError('ERR_NOT_FOUND');
      return sendFile(deps, request, reply, request.tenant.id, file);
    },
  });

  app.get(
    '/api/v1/transfers/:id/zip',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'All files of one’s own transfer as one ZIP',
        tags: ['transfers'],
        params: { $ref: 'IdParams#' },
      },
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id } = request.params;
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
      config: { access: 'staff' },
      schema: {
        summary: 'Revoke: links stop working and the content is deleted',
        tags: ['transfers'],
        params: { $ref: 'IdParams#' },
      },
    },
    async (request, reply) => {
      await revokeTransfer(deps, request.tenant, staffOf(request), request.params.id, request.ipPrefix);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/transfers/:id/extend',
    {
      config: { access: 'staff' },
      schema: {
        summary: 'Move the expiry to N days from now (within the authority’s maximum)',
        tags: ['transfers'],
        params: { $ref: 'IdParams#' },
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
      const expiresAt = await extendTransfer(
        deps,
        request.tenant,
        staffOf(request),
        request.params.id,
        request.body.days,
        request.ipPrefix,
      );
      return { expiresAt: iso(expiresAt) };
    },
  );
}
