import type { Queryable } from '../../adapters/db/index.ts';
import { openText, sealText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { NoticeKind, NoticeRow } from './store/notices.ts';
import { insertNotice, noticeRow, noticeRows } from './store/notices.ts';
import type { Role } from './store/organisations.ts';

/**
 * Notices in the organisation's postbox: a member left (for all members), the yearly overview
 * of access changes (for administrators). Their text names people, so it is content: sealed
 * under a data key of its own, wrapped by the master key.
 */
export type { NoticeKind };

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
  await insertNotice(q, {
    tenantId: input.tenantId,
    id,
    organisationId: input.organisationId,
    kind: input.body.kind,
    audience: input.audience,
    dataKey: key.wrapped,
    body: sealText(key.key, JSON.stringify(input.body.data), ctx(input.tenantId, id)),
    createdAt: deps.clock.now(),
  });
  return id;
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
  const rows = await noticeRows(q, tenantId, organisationId, role);
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
  const row = await noticeRow(q, tenantId, organisationId, role, id);
  if (row === undefined) throw new AppError('ERR_NOT_FOUND');
  return open(deps, tenantId, row);
}
