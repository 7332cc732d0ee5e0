import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toBase64Url } from '@amtsbote/crypto';
import type { FileTypeId } from '@amtsbote/web';
import {
  departmentKeyPage,
  inboxAnswerPage,
  inboxItemPage,
  inboxPage,
  inboundSettingsPage,
  isFileTypeId,
} from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { pageContext } from '../../http/context.ts';
import { csrfField, formString } from '../../http/forms.ts';
import { wasmContentSecurityPolicy } from '../../http/security-headers.ts';
import { recordAudit } from '../audit/service.ts';
import type { Staff } from '../staff/service.ts';
import { declaredFiles } from '../transfers/api.ts';
import { recordDownload, sendFile, sendZip } from '../transfers/downloads.ts';
import { transferPolicy } from '../transfers/policy.ts';
import { sendDraft } from '../transfers/service.ts';
import { UPLOADS_PATH } from '../transfers/tus.ts';
import {
  departmentStaff,
  getInboundDepartment,
  listInboundDepartments,
  memberDepartmentIds,
  updateDropoffSettings,
} from './departments.ts';
import { inboundErrorHandler } from './errors.ts';
import {
  currentDepartmentKey,
  departmentKeyMembers,
  inboxEnvelope,
  keyShareOf,
  pendingShares,
  setDepartmentKey,
  storeShare,
} from './keys.ts';
import type { AnswerBody } from './password-answer.ts';
import { answerToSend, createAnswerDraft } from './password-answer.ts';
import { inboundPolicy } from './policy.ts';
import type { ItemState } from './service.ts';
import { formatCursor, listInbox, markAnswered, openInboxItem, parseCursor, updateItem } from './service.ts';

const uuid = { type: 'string', format: 'uuid' } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const;

function staffOrLogin(request: FastifyRequest, reply: FastifyReply): Staff | undefined {
  if (request.auth !== undefined) return request.auth.staff;
  void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
  return undefined;
}

function staffOf(request: FastifyRequest): Staff {
  if (request.auth === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  return request.auth.staff;
}

/** The same filters, one page further. */
function moreHref(query: Record<string, string>, after: string): string {
  const params = new URLSearchParams();
  for (const k of ['department', 'state', 'q', 'mine'])
    if (query[k] !== undefined && query[k] !== '') params.set(k, query[k]);
  params.set('after', after);
  return `/inbox?${params.toString()}`;
}

const states: readonly string[] = ['new', 'opened', 'answered', 'done', 'open'];

/** The department postbox (staff): list, one item, assign, done, answer; settings; department keys. */
export function postboxRoutes(deps: AppDeps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.setErrorHandler(inboundErrorHandler);

    app.get(
      '/inbox',
      {
        schema: {
          hide: true,
          querystring: {
            type: 'object',
            properties: {
              department: { type: 'string', maxLength: 36 },
              state: { type: 'string', maxLength: 10 },
              q: { type: 'string', maxLength: 200 },
              mine: { type: 'string', maxLength: 3 },
              after: { type: 'string', maxLength: 80 },
            },
          },
        },
      },
      async (request, reply) => {
        const staff = staffOrLogin(request, reply);
        if (staff === undefined) return reply;
        const q = request.query as {
          department?: string;
          state?: string;
          q?: string;
          mine?: string;
          after?: string;
        };
        const filter = {
          departmentId: q.department === undefined || q.department === '' ? undefined : q.department,
          state:
            q.state !== undefined && states.includes(q.state) ? (q.state as ItemState | 'open') : undefined,
          q: q.q,
          mine: q.mine === '1',
          // A malformed cursor (hand-edited link) starts from the top rather than failing.
          after: q.after === undefined ? undefined : parseCursor(q.after),
        };
        const page = await listInbox(deps, request.tenant, staff, filter);
        const all = await listInboundDepartments(deps.db, request.tenant.id);
        const mineIds = await memberDepartmentIds(deps.db, request.tenant.id, staff.id);
        return reply.page(
          inboxPage(pageContext(request, reply), {
            entries: page.entries,
            more:
              page.next === null
                ? null
                : moreHref(request.query as Record<string, string>, formatCursor(page.next)),
            searchedUntil: page.searchedUntil,
            departments: all.filter((d) => mineIds.includes(d.id)).map((d) => ({ id: d.id, name: d.name })),
            filter: {
              department: filter.departmentId ?? '',
              state: filter.state ?? '',
              q: q.q ?? '',
              mine: filter.mine,
            },
          }),
        );
      },
    );

    app.get('/inbox/:id', { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const staff = staffOrLogin(request, reply);
      if (staff === undefined) return reply;
      const { id } = request.params as { id: string };
      const item = await openInboxItem(deps, request.tenant, staff, id, {
        record: true,
        ipPrefix: request.ipPrefix,
      });
      const colleagues =
        item.entry.departmentId === null || item.entry.direct
          ? []
          : await departmentStaff(deps.db, request.tenant.id, [item.entry.departmentId]);
      if (item.entry.e2e === 'password')
        void reply.header('content-security-policy', wasmContentSecurityPolicy);
      return reply.page(
        inboxItemPage(pageContext(request, reply), { item, colleagues, now: deps.clock.now() }),
      );
    });

    app.post(
      '/inbox/:id/state',
      {
        schema: {
          hide: true,
          params: idParams,
          body: {
            type: 'object',
            required: ['state'],
            properties: { state: { type: 'string', enum: ['done', 'opened'] }, _csrf: csrfField },
          },
        },
      },
      async (request, reply) => {
        const staff = staffOrLogin(request, reply);
        if (staff === undefined) return reply;
        const { id } = request.params as { id: string };
        const state = (request.body as { state: 'done' | 'opened' }).state;
        await updateItem(deps, request.tenant, staff, id, { state }, request.ipPrefix);
        return reply.redirect(
          `/inbox/${id}?notice=${state === 'done' ? 'inbound-done' : 'inbound-reopened'}`,
          303,
        );
      },
    );

    app.post(
      '/inbox/:id/assign',
      {
        schema: {
          hide: true,
          params: idParams,
          body: {
            type: 'object',
            properties: { assignee: { type: 'string', maxLength: 36 }, _csrf: csrfField },
          },
        },
      },
      async (request, reply) => {
        const staff = staffOrLogin(request, reply);
        if (staff === undefined) return reply;
        const { id } = request.params as { id: string };
        const assignee = formString(request.body, 'assignee');
        if (assignee !== '' && !/^[0-9a-f-]{36}$/.test(assignee)) throw new AppError('ERR_VALIDATION');
        await updateItem(
          deps,
          request.tenant,
          staff,
          id,
          { assignee: assignee === '' ? null : assignee },
          request.ipPrefix,
        );
        return reply.redirect(`/inbox/${id}?notice=inbound-assigned`, 303);
      },
    );

    const itemFile = async (request: FastifyRequest, reply: FastifyReply, zip: boolean) => {
      const staff = staffOf(request);
      const { id, fileId } = request.params as { id: string; fileId?: string };
      const item = await openInboxItem(deps, request.tenant, staff, id, { record: false });
      if (zip) {
        await recordDownload(deps, request.tenant, {
          transferId: id,
          recipientId: null,
          fileId: null,
          ipPrefix: request.ipPrefix,
          actor: { kind: 'staff', id: staff.id },
        });
        return sendZip(deps, reply, request.tenant.id, item.transfer.files, `${item.entry.number}.zip`);
      }
      const file = item.transfer.files.find((f) => f.id === fileId);
      if (file === undefined) throw new AppError('ERR_NOT_FOUND');
      if (request.method === 'GET') {
        await recordAudit(deps.db, {
          tenantId: request.tenant.id,
          at: deps.clock.now(),
          actor: { kind: 'staff', id: staff.id },
          action: 'transfer.downloaded',
          subject: { kind: 'transfer', id },
          ipPrefix: request.ipPrefix,
          details: { file: file.id },
        });
      }
      return sendFile(deps, request, reply, request.tenant.id, file);
    };
    app.route({
      method: ['GET', 'HEAD'],
      url: '/inbox/:id/files/:fileId',
      schema: {
        hide: true,
        params: { type: 'object', required: ['id', 'fileId'], properties: { id: uuid, fileId: uuid } },
      },
      handler: (rq, rp) => itemFile(rq, rp, false),
    });
    app.get('/inbox/:id/zip', { schema: { hide: true, params: idParams } }, (rq, rp) =>
      itemFile(rq, rp, true),
    );

    // ---- Answer: a transfer back to the sender's address, in the same thread ----
    app.get('/inbox/:id/answer', { schema: { hide: true, params: idParams } }, async (request, reply) => {
      const staff = staffOrLogin(request, reply);
      if (staff === undefined) return reply;
      const item = await openInboxItem(deps, request.tenant, staff, (request.params as { id: string }).id, {
        record: false,
      });
      if (item.entry.status !== 'sent' || item.guest.email === undefined) throw new AppError('ERR_NOT_FOUND');
      // Answering to the same password checks and wraps it with Argon2id (hash-wasm) here.
      if (item.entry.e2e === 'password')
        void reply.header('content-security-policy', wasmContentSecurityPolicy);
      return reply.page(
        inboxAnswerPage(pageContext(request, reply), {
          item,
          policy: transferPolicy(request.tenant),
          uploadEndpoint: UPLOADS_PATH,
        }),
      );
    });

    app.post(
      '/api/v1/inbox/:id/answers',
      {
        schema: {
          hide: true,
          params: idParams,
          body: {
            type: 'object',
            required: ['level', 'subject', 'files'],
            additionalProperties: false,
            // Level 4 (to a password drop-off's password): the text is the encrypted manifest,
            // base64url, with room for 20 000 characters and the file names.
            if: { properties: { level: { const: 4 } } },
            then: {
              properties: { message: { type: 'string', maxLength: 120000, pattern: '^[A-Za-z0-9_-]*$' } },
            },
            else: { properties: { message: { type: 'string', maxLength: 20000 } } },
            properties: {
              level: { type: 'integer', enum: [1, 2, 4] },
              subject: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
              message: { type: 'string', maxLength: 120000 },
              expiresInDays: { type: 'integer', minimum: 1, maximum: 365 },
              notifyOnDownload: { type: 'boolean' },
              allowReply: { type: 'boolean' },
              files: declaredFiles(10000),
            },
          },
        },
      },
      async (request, reply) => {
        const staff = staffOf(request);
        const { id } = request.params as { id: string };
        const item = await openInboxItem(deps, request.tenant, staff, id, { record: false });
        const draft = await createAnswerDraft(deps, request.tenant, staff, item, request.body as AnswerBody);
        return reply.status(201).send({ ...draft, uploadEndpoint: UPLOADS_PATH });
      },
    );

    app.post(
      '/api/v1/inbox/:id/answers/:draftId/send',
      {
        schema: {
          hide: true,
          params: { type: 'object', required: ['id', 'draftId'], properties: { id: uuid, draftId: uuid } },
          // An answer to the same password brings its P envelope (79 bytes: 106 characters).
          body: {
            type: 'object',
            additionalProperties: false,
            properties: { envelope: { type: 'string', maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' } },
          },
        },
      },
      async (request) => {
        const staff = staffOf(request);
        const { id, draftId } = request.params as { id: string; draftId: string };
        await openInboxItem(deps, request.tenant, staff, id, { record: false });
        // Only an answer to this item counts as its answer.
        const { passwordEnvelope } = await answerToSend(
          deps,
          request.tenant.id,
          id,
          draftId,
          (request.body as { envelope?: string } | undefined)?.envelope,
        );
        const sent = await sendDraft(
          deps,
          request.tenant,
          { kind: 'staff', staff },
          draftId,
          request.ipPrefix,
          { passwordEnvelope },
        );
        await markAnswered(deps.db, request.tenant.id, id, deps.clock.now());
        return { id: sent.id };
      },
    );

    // ---- Settings (tenant admins): which departments take drop-off, and what ----
    const adminOrLogin = (request: FastifyRequest, reply: FastifyReply): Staff | undefined => {
      const staff = staffOrLogin(request, reply);
      if (staff !== undefined && !staff.isTenantAdmin) throw new AppError('ERR_NOT_FOUND');
      return staff;
    };
    app.get('/inbox/settings', { schema: { hide: true } }, async (request, reply) => {
      if (adminOrLogin(request, reply) === undefined) return reply;
      const departments = await listInboundDepartments(deps.db, request.tenant.id);
      const keys = await Promise.all(
        departments.map(
          async (d) => (await currentDepartmentKey(deps.db, request.tenant.id, d.id)) !== undefined,
        ),
      );
      return reply.page(
        inboundSettingsPage(pageContext(request, reply), {
          departments: departments.map((d, i) => ({ ...d, hasKey: keys[i] === true })),
          policy: inboundPolicy(request.tenant),
        }),
      );
    });
    app.post(
      '/inbox/settings/:id',
      {
        schema: {
          hide: true,
          params: idParams,
          body: {
            type: 'object',
            properties: {
              dropoffEnabled: { type: 'string' },
              dropoffHint: { type: 'string', maxLength: 2000 },
              types: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
              _csrf: csrfField,
            },
          },
        },
      },
      async (request, reply) => {
        const staff = adminOrLogin(request, reply);
        if (staff === undefined) return reply;
        const { id } = request.params as { id: string };
        const body = request.body as {
          dropoffEnabled?: string;
          dropoffHint?: string;
          types?: string | string[];
        };
        const raw = body.types === undefined ? [] : Array.isArray(body.types) ? body.types : [body.types];
        const types: FileTypeId[] = raw.filter(isFileTypeId);
        const ok = await deps.db.transaction(async (tx) => {
          const changed = await updateDropoffSettings(tx, request.tenant.id, id, {
            dropoffEnabled: body.dropoffEnabled === 'on',
            dropoffHint: body.dropoffHint ?? null,
            allowedTypes: types.length === 0 ? null : types,
          });
          if (changed)
            await recordAudit(tx, {
              tenantId: request.tenant.id,
              at: deps.clock.now(),
              actor: { kind: 'staff', id: staff.id },
              action: 'department.dropoff-settings',
              subject: { kind: 'department', id },
              ipPrefix: request.ipPrefix,
            });
          return changed;
        });
        if (!ok) throw new AppError('ERR_NOT_FOUND');
        return reply.redirect('/inbox/settings?notice=inbound-settings-saved', 303);
      },
    );

    // ---- Department keys (levels 3/4): made and shared in members' browsers ----
    const mayManageKey = async (staff: Staff, tenantId: string, departmentId: string): Promise<boolean> =>
      (await getInboundDepartment(deps.db, tenantId, departmentId)) !== undefined &&
      (staff.isTenantAdmin ||
        (await memberDepartmentIds(deps.db, tenantId, staff.id)).includes(departmentId));

    app.get(
      '/inbox/departments/:id/key',
      { schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const staff = staffOrLogin(request, reply);
        if (staff === undefined) return reply;
        const { id } = request.params as { id: string };
        if (!(await mayManageKey(staff, request.tenant.id, id))) throw new AppError('ERR_NOT_FOUND');
        const department = await getInboundDepartment(deps.db, request.tenant.id, id);
        const key = await currentDepartmentKey(deps.db, request.tenant.id, id);
        const members = await departmentKeyMembers(deps.db, request.tenant.id, id);
        return reply.page(
          departmentKeyPage(pageContext(request, reply), {
            department: { id, name: department?.name ?? '' },
            key: key === undefined ? null : { publicKey: key.publicKey, createdAt: key.createdAt },
            members: members.map((m) => ({
              name: m.name,
              email: m.email,
              hasPersonalKey: m.publicKey !== null,
              hasShare: m.hasShare,
            })),
            isMember: members.some((m) => m.staffId === staff.id),
            backHref: staff.isTenantAdmin ? '/inbox/settings' : '/inbox',
          }),
        );
      },
    );

    app.get(
      '/api/v1/departments/:id/key',
      {
        schema: {
          summary:
            'The department’s current public key, and the caller’s wrapped private key if one is stored',
          tags: ['departments'],
          params: idParams,
        },
      },
      async (request) => {
        const staff = staffOf(request);
        const { id } = request.params as { id: string };
        if (!(await mayManageKey(staff, request.tenant.id, id))) throw new AppError('ERR_NOT_FOUND');
        const key = await currentDepartmentKey(deps.db, request.tenant.id, id);
        if (key === undefined) throw new AppError('ERR_NOT_FOUND');
        const share = await keyShareOf(deps.db, request.tenant.id, key.id, staff.id);
        return {
          id: key.id,
          publicKey: key.publicKey,
          createdAt: key.createdAt,
          wrappedPrivateKey: share === undefined ? null : toBase64Url(share),
        };
      },
    );

    app.get(
      '/api/v1/departments/:id/key/members',
      {
        schema: {
          summary:
            'The department’s members with their personal public key (to wrap a new department key for) and whether they hold a share',
          tags: ['departments'],
          params: idParams,
        },
      },
      async (request) => {
        const staff = staffOf(request);
        const { id } = request.params as { id: string };
        if (!(await mayManageKey(staff, request.tenant.id, id))) throw new AppError('ERR_NOT_FOUND');
        return { members: await departmentKeyMembers(deps.db, request.tenant.id, id) };
      },
    );

    app.put(
      '/api/v1/departments/:id/key',
      {
        schema: {
          summary:
            'Set a new key pair for a department: the public key and the private key wrapped per member (by their browsers)',
          tags: ['departments'],
          params: idParams,
          body: {
            type: 'object',
            required: ['publicKey', 'shares'],
            additionalProperties: false,
            properties: {
              publicKey: { type: 'string', maxLength: 100 },
              shares: {
                type: 'array',
                maxItems: 1000,
                items: {
                  type: 'object',
                  required: ['staffId', 'wrappedPrivateKey'],
                  additionalProperties: false,
                  properties: {
                    staffId: uuid,
                    wrappedPrivateKey: { type: 'string', maxLength: 200 },
                    memberPublicKey: { type: 'string', pattern: '^amtb-pub1-[A-Za-z0-9_-]{44}$' },
                  },
                },
              },
            },
          },
        },
      },
      async (request) => {
        const staff = staffOf(request);
        const { id } = request.params as { id: string };
        if (!(await mayManageKey(staff, request.tenant.id, id))) throw new AppError('ERR_NOT_FOUND');
        const body = request.body as {
          publicKey: string;
          shares: { staffId: string; wrappedPrivateKey: string; memberPublicKey?: string }[];
        };
        const key = await setDepartmentKey(deps, request.tenant.id, id, staff.id, body, request.ipPrefix);
        return { id: key.id, publicKey: key.publicKey, createdAt: key.createdAt };
      },
    );

    app.get(
      '/api/v1/department-keys/pending',
      {
        schema: {
          summary:
            'Members of the caller’s departments who still need a share of a department key the caller holds: wrap it for them',
          tags: ['departments'],
        },
      },
      async (request) => pendingShares(deps.db, request.tenant.id, staffOf(request).id),
    );

    app.post(
      '/api/v1/department-keys/shares',
      {
        schema: {
          summary: 'Store a share of a department key, wrapped by the caller’s browser for another member',
          tags: ['departments'],
          body: {
            type: 'object',
            required: ['keyId', 'staffId', 'publicKey', 'wrappedPrivateKey'],
            additionalProperties: false,
            properties: {
              keyId: uuid,
              staffId: uuid,
              publicKey: { type: 'string', pattern: '^amtb-pub1-[A-Za-z0-9_-]{44}$' },
              wrappedPrivateKey: { type: 'string', maxLength: 200 },
            },
          },
        },
      },
      async (request, reply) => {
        const body = request.body as {
          keyId: string;
          staffId: string;
          publicKey: string;
          wrappedPrivateKey: string;
        };
        await storeShare(deps, request.tenant.id, staffOf(request).id, body, request.ipPrefix);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/v1/inbox/:id/envelope',
      {
        schema: {
          summary:
            'The file key of an end-to-end inbound item (wrapped to the department key) with the caller’s share of that key',
          tags: ['departments'],
          params: idParams,
        },
      },
      async (request) => {
        const staff = staffOf(request);
        const { id } = request.params as { id: string };
        await openInboxItem(deps, request.tenant, staff, id, { record: false });
        return inboxEnvelope(deps.db, request.tenant.id, staff.id, id);
      },
    );
  };
}
