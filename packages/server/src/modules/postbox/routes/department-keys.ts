import type { FastifyInstance } from 'fastify';
import { toBase64Url } from '@amtsbote/crypto';
import { departmentKeyPage } from '@amtsbote/web';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { pageContext } from '../../../http/context.ts';
import { routesOf } from '../../../http/schemas.ts';
import { staffOf } from '../../auth/index.ts';
import type { Staff } from '../../staff/index.ts';
import { getInboundDepartment } from '../departments.ts';
import {
  currentDepartmentKey,
  departmentKeyMembers,
  inboxEnvelope,
  keyShareOf,
  pendingShares,
  setDepartmentKey,
  storeShare,
} from '../keys.ts';
import { mayManageDepartmentKey } from '../policy.ts';
import { departmentKeyBody, keyShareBody } from '../schemas.ts';
import { openInboxItem } from '../items.ts';

/** Department keys (levels 3/4): made and shared in members' browsers; the page and the API. */
export function departmentKeyRoutes(plain: FastifyInstance, deps: AppDeps): void {
  const app = routesOf(plain);

  /** @throws {AppError} ERR_NOT_FOUND unless the caller may manage this department's key */
  const requireKeyManager = async (staff: Staff, tenantId: string, id: string): Promise<void> => {
    if (!(await mayManageDepartmentKey(deps.db, staff, tenantId, id))) throw new AppError('ERR_NOT_FOUND');
  };

  app.get(
    '/inbox/departments/:id/key',
    { config: { access: 'staff' }, schema: { hide: true, params: { $ref: 'IdParams#' } } },
    async (request, reply) => {
      const staff = staffOf(request);
      const { id } = request.params;
      await requireKeyManager(staff, request.tenant.id, id);
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
      config: { access: 'staff' },
      schema: {
        summary: 'The department’s current public key, and the caller’s wrapped private key if one is stored',
        tags: ['departments'],
        params: { $ref: 'IdParams#' },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      const { id } = request.params;
      await requireKeyManager(staff, request.tenant.id, id);
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
      config: { access: 'staff' },
      schema: {
        summary:
          'The department’s members with their personal public key (to wrap a new department key for) and whether they hold a share',
        tags: ['departments'],
        params: { $ref: 'IdParams#' },
      },
    },
    async (request) => {
      const { id } = request.params;
      await requireKeyManager(staffOf(request), request.tenant.id, id);
      return { members: await departmentKeyMembers(deps.db, request.tenant.id, id) };
    },
  );

  app.put(
    '/api/v1/departments/:id/key',
    {
      config: { access: 'staff' },
      schema: {
        summary:
          'Set a new key pair for a department: the public key and the private key wrapped per member (by their browsers)',
        tags: ['departments'],
        params: { $ref: 'IdParams#' },
        body: departmentKeyBody,
      },
    },
    async (request) => {
      const staff = staffOf(request);
      const { id } = request.params;
      await requireKeyManager(staff, request.tenant.id, id);
      const key = await setDepartmentKey(
        deps,
        request.tenant.id,
        id,
        staff.id,
        request.body,
        request.ipPrefix,
      );
      return { id: key.id, publicKey: key.publicKey, createdAt: key.createdAt };
    },
  );

  app.get(
    '/api/v1/department-keys/pending',
    {
      config: { access: 'staff' },
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
      config: { access: 'staff' },
      schema: {
        summary: 'Store a share of a department key, wrapped by the caller’s browser for another member',
        tags: ['departments'],
        body: keyShareBody,
      },
    },
    async (request, reply) => {
      await storeShare(deps, request.tenant.id, staffOf(request).id, request.body, request.ipPrefix);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/inbox/:id/envelope',
    {
      config: { access: 'staff' },
      schema: {
        summary:
          'The file key of an end-to-end inbound item (wrapped to the department key) with the caller’s share of that key',
        tags: ['departments'],
        params: { $ref: 'IdParams#' },
      },
    },
    async (request) => {
      const staff = staffOf(request);
      const { id } = request.params;
      await openInboxItem(deps, request.tenant, staff, id, { record: false });
      return inboxEnvelope(deps.db, request.tenant.id, staff.id, id);
    },
  );
}
