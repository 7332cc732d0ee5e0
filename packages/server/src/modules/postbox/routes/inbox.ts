import type { FastifyInstance } from 'fastify';
import { inboxItemPage, inboxPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { formBody, routesOf } from '../../../http/schemas.ts';
import { wasmContentSecurityPolicy } from '../../../http/security-headers.ts';
import { staffOf } from '../../auth/index.ts';
import { sendFile, sendZip } from '../../transfers/index.ts';
import { departmentStaff, listInboundDepartments, memberDepartmentIds } from '../departments.ts';
import type { InboxQuery } from '../schemas.ts';
import { inboxQuery } from '../schemas.ts';
import type { ItemState } from '../service.ts';
import { openInboxItem, updateItem } from '../items.ts';
import { formatCursor, listInbox, parseCursor } from '../service.ts';
import { itemFileForDownload, itemForZip } from '../services/item-files.ts';

const fileParams = {
  type: 'object',
  required: ['id', 'fileId'],
  properties: { id: { $ref: 'Uuid#' }, fileId: { $ref: 'Uuid#' } },
} as const;

/** The same filters, one page further. */
function moreHref(query: InboxQuery, after: string): string {
  const params = new URLSearchParams();
  for (const k of ['department', 'state', 'q', 'mine'] as const) {
    const v = query[k];
    if (v !== undefined && v !== '') params.set(k, v);
  }
  params.set('after', after);
  return `/inbox?${params.toString()}`;
}

const stateFilters: readonly string[] = ['new', 'opened', 'answered', 'done', 'open'];

function isStateFilter(s: string | undefined): s is ItemState | 'open' {
  return s !== undefined && stateFilters.includes(s);
}

/** The department postbox for staff: the list, one item, its state and assignee, its files. */
export function inboxRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  app.get(
    '/inbox',
    { config: { access: 'staff' }, schema: { hide: true, querystring: inboxQuery } },
    async (request, reply) => {
      const staff = staffOf(request);
      const q = request.query;
      const filter = {
        departmentId: q.department === undefined || q.department === '' ? undefined : q.department,
        state: isStateFilter(q.state) ? q.state : undefined,
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
          more: page.next === null ? null : moreHref(q, formatCursor(page.next)),
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

  app.get(
    '/inbox/:id',
    { config: { access: 'staff' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const item = await openInboxItem(deps, request.tenant, staffOf(request), request.params.id, {
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
    },
  );

  app.post(
    '/inbox/:id/state',
    {
      config: { access: 'staff' },
      schema: {
        hide: true,
        params: { $ref: 'IdParams#' },
        body: formBody({ state: { type: 'string', enum: ['done', 'opened'] } }, ['state']),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { state } = request.body;
      await updateItem(deps, request.tenant, staffOf(request), id, { state }, request.ipPrefix);
      return reply.redirect(
        `/inbox/${id}?notice=${state === 'done' ? 'inbound-done' : 'inbound-reopened'}`,
        303,
      );
    },
  );

  app.post(
    '/inbox/:id/assign',
    {
      config: { access: 'staff' },
      schema: {
        hide: true,
        params: { $ref: 'IdParams#' },
        body: formBody({ assignee: { type: 'string', maxLength: 36 } }),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const assignee = (request.body.assignee ?? '').trim();
      if (assignee !== '' && !/^[0-9a-f-]{36}$/.test(assignee)) throw new AppError('ERR_VALIDATION');
      await updateItem(
        deps,
        request.tenant,
        staffOf(request),
        id,
        { assignee: assignee === '' ? null : assignee },
        request.ipPrefix,
      );
      return reply.redirect(`/inbox/${id}?notice=inbound-assigned`, 303);
    },
  );

  app.route({
    config: { access: 'staff' },
    method: ['GET', 'HEAD'],
    url: '/inbox/:id/files/:fileId',
    schema: { hide: true, params: fileParams },
    handler: async (request, reply) => {
      const { id, fileId } = request.params;
      const file = await itemFileForDownload(deps, request.tenant, staffOf(request), id, fileId, {
        audited: request.method === 'GET',
        ipPrefix: request.ipPrefix,
      });
      return sendFile(deps, request, reply, request.tenant.id, file);
    },
  });

  app.get(
    '/inbox/:id/zip',
    { config: { access: 'staff' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const item = await itemForZip(
        deps,
        request.tenant,
        staffOf(request),
        request.params.id,
        request.ipPrefix,
      );
      return sendZip(deps, reply, request.tenant.id, item.transfer.files, `${item.entry.number}.zip`);
    },
  );
}
