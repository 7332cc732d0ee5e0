import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { Role } from './organisations.ts';

/** organisation_notices: sealed notices in the organisation's postbox (opened in notices.ts). */

export type NoticeKind = 'member-left' | 'membership-report';
export type NoticeAudience = 'members' | 'admins';

export interface NoticeRow {
  id: string;
  kind: NoticeKind;
  audience: NoticeAudience;
  data_key: Buffer;
  body: Buffer;
  created_at: Date;
}

export async function insertNotice(
  q: Queryable,
  n: {
    tenantId: string;
    id: string;
    organisationId: string;
    kind: NoticeKind;
    audience: NoticeAudience;
    dataKey: Buffer;
    body: Buffer;
    createdAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO organisation_notices (tenant_id, id, organisation_id, kind, audience, data_key, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [n.tenantId, n.id, n.organisationId, n.kind, n.audience, n.dataKey, n.body, n.createdAt],
  );
}

/** The notices a member with this role may read, newest first (at most 200). */
export async function noticeRows(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  role: Role,
): Promise<NoticeRow[]> {
  return q.query<NoticeRow>(
    `SELECT id, kind, audience, data_key, body, created_at FROM organisation_notices
     WHERE tenant_id = $1 AND organisation_id = $2 AND (audience = 'members' OR $3 = 'admin') ORDER BY created_at DESC LIMIT 200`,
    [tenantId, organisationId, role],
  );
}

/** One notice, if a member with this role may read it. */
export async function noticeRow(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  role: Role,
  id: string,
): Promise<NoticeRow | undefined> {
  return one<NoticeRow>(
    q,
    `SELECT id, kind, audience, data_key, body, created_at FROM organisation_notices
     WHERE tenant_id = $1 AND organisation_id = $2 AND id = $3 AND (audience = 'members' OR $4 = 'admin')`,
    [tenantId, organisationId, id, role],
  );
}
