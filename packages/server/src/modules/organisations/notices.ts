import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import { openText, sealText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { Role } from './service.ts';

/**
 * Notices in the organisation's postbox: a member left (for all members), the yearly overview
 * of access changes (for administrators). Their text names people, so it is content: sealed
 * under a data key of its own, wrapped by the master key.
 */
export type NoticeKind = 'member-left' | 'membership-report';

export interface MemberLeftBody {
  email: string;
  displayName: string | null;
  at: string;
  /** 'left' by themselves, or 'deleted' with their service account. */
  how: 'left' | 'deleted';
}

export interface MembershipReportBody {
  from: string | null;
  until: string;
  entries: { account: string; action: string; at: string; by: string | null }[];
}

export type NoticeBody =
  { kind: 'member-left'; data: MemberLeftBody } | { kind: 'membership-report'; data: MembershipReportBody };

export interface Notice {
  id: string;
  createdAt: Date;
  audience: 'members' | 'admins';
  body: NoticeBody;
}

type Deps = Pick<AppDeps, 'clock' | 'secrets' | 'keyring'>;

const ctx = (tenantId: string, id: string) => `organisation-notice:${tenantId}:${id}`;

export async function addNotice(
  q: Queryable,
  deps: Deps,
  input: { tenantId: string; organisationId: string; audience: 'members' | 'admins'; body: NoticeBody },
): Promise<string> {
  const id = deps.secrets.id();
  const key = deps.keyring.newDataKey(ctx(input.tenantId, id));
  await q.query(
    `INSERT INTO organisation_notices (tenant_id, id, organisation_id, kind, audience, data_key, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      input.tenantId,
      id,
      input.organisationId,
      input.body.kind,
      input.audience,
      key.wrapped,
      sealText(key.key, JSON.stringify(input.body.data), ctx(input.tenantId, id)),
      deps.clock.now(),
    ],
  );
  return id;
}

interface NoticeRow {
  id: string;
  kind: NoticeKind;
  audience: 'members' | 'admins';
  data_key: Buffer;
  body: Buffer;
  created_at: Date;
}

function open(deps: Pick<Deps, 'keyring'>, tenantId: string, r: NoticeRow): Notice {
  const key = deps.keyring.unwrap(r.data_key, ctx(tenantId, r.id));
  const data: unknown = JSON.parse(openText(key, r.body, ctx(tenantId, r.id)));
  return {
    id: r.id,
    createdAt: r.created_at,
    audience: r.audience,
    body: { kind: r.kind, data } as NoticeBody,
  };
}

/** The notices a member with this role may read, newest first. */
export async function listNotices(
  q: Queryable,
  deps: Pick<Deps, 'keyring'>,
  tenantId: string,
  organisationId: string,
  role: Role,
): Promise<Notice[]> {
  const rows = await q.query<NoticeRow>(
    `SELECT id, kind, audience, data_key, body, created_at FROM organisation_notices
     WHERE tenant_id = $1 AND organisation_id = $2 AND (audience = 'members' OR $3 = 'admin') ORDER BY created_at DESC LIMIT 200`,
    [tenantId, organisationId, role],
  );
  return rows.map((r) => open(deps, tenantId, r));
}

/** @throws {AppError} ERR_NOT_FOUND, also for a notice meant for administrators only. */
export async function getNotice(
  q: Queryable,
  deps: Pick<Deps, 'keyring'>,
  tenantId: string,
  organisationId: string,
  role: Role,
  id: string,
): Promise<Notice> {
  const row = await one<NoticeRow>(
    q,
    `SELECT id, kind, audience, data_key, body, created_at FROM organisation_notices
     WHERE tenant_id = $1 AND organisation_id = $2 AND id = $3 AND (audience = 'members' OR $4 = 'admin')`,
    [tenantId, organisationId, id, role],
  );
  if (row === undefined) throw new AppError('ERR_NOT_FOUND');
  return open(deps, tenantId, row);
}
