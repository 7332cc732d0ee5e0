import type { FileTypeId } from '@amtsbote/contracts';
import { isFileTypeId } from '@amtsbote/contracts';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import { openText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';

// The only file with SQL on `upload_links`. Title, note, reference and the token itself are
// sealed under a data key of the link's own; the row mapper opens them.

type OpenDeps = Pick<AppDeps, 'keyring' | 'clock'>;

export type UploadLinkStatus = 'open' | 'used' | 'expired' | 'closed';

/** A caseworker's request for documents. */
export interface UploadLink {
  id: string;
  departmentId: string;
  departmentName: string;
  createdBy: string | null;
  requester: string;
  email: string | null;
  locale: 'de' | 'en';
  title: string;
  note: string;
  reference: string;
  level: 1 | 2 | 3 | 4;
  allowedTypes: FileTypeId[];
  maxFileSize: number;
  maxUses: number | null;
  uses: number;
  /** How long what is uploaded stays available, in days. */
  expiryDays: number;
  createdAt: Date;
  expiresAt: Date;
  closedAt: Date | null;
  status: UploadLinkStatus;
}

/** A link with its token in the clear: for the caseworker, to copy it again. */
export type UploadLinkWithToken = UploadLink & { token: string };

export function keyContext(tenantId: string, id: string): string {
  return `upload-link:${tenantId}:${id}`;
}

/** The context a sealed field of link `id` is bound to. */
export function fieldContext(field: 'token' | 'title' | 'note' | 'reference', id: string): string {
  return `${field}:${id}`;
}

interface Row {
  id: string;
  department_id: string;
  department_name: string;
  created_by: string | null;
  requester: string | null;
  token_key: Buffer;
  token_sealed: Buffer;
  email: string | null;
  locale: 'de' | 'en';
  title: Buffer;
  note: Buffer | null;
  reference: Buffer | null;
  level: 1 | 2 | 3 | 4;
  allowed_types: string[];
  max_file_size: number;
  max_uses: number | null;
  uses: number;
  expiry_days: number;
  created_at: Date;
  expires_at: Date;
  closed_at: Date | null;
}

const select = `SELECT l.*, d.name AS department_name, coalesce(s.display_name, s.email) AS requester
  -- reads departments (owner: tenants), staff (owner: staff): each link shows both names, one join not a query per link
  FROM upload_links l JOIN departments d ON d.tenant_id = l.tenant_id AND d.id = l.department_id
  LEFT JOIN staff s ON s.tenant_id = l.tenant_id AND s.id = l.created_by`;

export function statusOf(
  l: Pick<Row, 'closed_at' | 'expires_at' | 'max_uses' | 'uses'>,
  now: Date,
): UploadLinkStatus {
  if (l.closed_at !== null) return 'closed';
  if (l.max_uses !== null && l.uses >= l.max_uses) return 'used';
  if (l.expires_at.getTime() <= now.getTime()) return 'expired';
  return 'open';
}

function toLink(deps: OpenDeps, tenantId: string, r: Row): UploadLinkWithToken {
  const key = deps.keyring.unwrap(r.token_key, keyContext(tenantId, r.id));
  const open = (b: Buffer | null, field: 'token' | 'title' | 'note' | 'reference'): string =>
    b === null ? '' : openText(key, b, fieldContext(field, r.id));
  return {
    id: r.id,
    departmentId: r.department_id,
    departmentName: r.department_name,
    createdBy: r.created_by,
    requester: r.requester ?? r.department_name,
    email: r.email,
    locale: r.locale,
    title: open(r.title, 'title'),
    note: open(r.note, 'note'),
    reference: open(r.reference, 'reference'),
    level: r.level,
    allowedTypes: r.allowed_types.filter(isFileTypeId),
    maxFileSize: r.max_file_size,
    maxUses: r.max_uses,
    uses: r.uses,
    expiryDays: r.expiry_days,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    closedAt: r.closed_at,
    status: statusOf(r, deps.clock.now()),
    token: open(r.token_sealed, 'token'),
  };
}

/** A new link's row, its secret fields already sealed. */
export interface NewUploadLinkRow {
  tenantId: string;
  id: string;
  departmentId: string;
  createdBy: string;
  tokenHash: Buffer;
  tokenKey: Buffer;
  tokenSealed: Buffer;
  email: string | null;
  locale: 'de' | 'en';
  title: Buffer;
  note: Buffer | null;
  reference: Buffer | null;
  level: 1 | 2 | 3 | 4;
  allowedTypes: readonly FileTypeId[];
  maxFileSize: number;
  maxUses: number | null;
  expiryDays: number;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertUploadLink(q: Queryable, row: NewUploadLinkRow): Promise<void> {
  await q.query(
    `INSERT INTO upload_links (tenant_id, id, department_id, created_by, token_hash, token_key, token_sealed, email, locale, title, note, reference,
       level, allowed_types, max_file_size, max_uses, expiry_days, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    [
      row.tenantId,
      row.id,
      row.departmentId,
      row.createdBy,
      row.tokenHash,
      row.tokenKey,
      row.tokenSealed,
      row.email,
      row.locale,
      row.title,
      row.note,
      row.reference,
      row.level,
      row.allowedTypes,
      row.maxFileSize,
      row.maxUses,
      row.expiryDays,
      row.createdAt,
      row.expiresAt,
    ],
  );
}

export async function findUploadLinkByTokenHash(
  deps: OpenDeps,
  q: Queryable,
  tenantId: string,
  tokenHash: Buffer,
): Promise<UploadLinkWithToken | undefined> {
  const r = await one<Row>(q, `${select} WHERE l.tenant_id = $1 AND l.token_hash = $2`, [
    tenantId,
    tokenHash,
  ]);
  return r === undefined ? undefined : toLink(deps, tenantId, r);
}

export async function findUploadLink(
  deps: OpenDeps,
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<UploadLinkWithToken | undefined> {
  const r = await one<Row>(q, `${select} WHERE l.tenant_id = $1 AND l.id = $2`, [tenantId, id]);
  return r === undefined ? undefined : toLink(deps, tenantId, r);
}

/** The links of these departments, newest first (at most 200). */
export async function listUploadLinksOf(
  deps: OpenDeps,
  q: Queryable,
  tenantId: string,
  departmentIds: readonly string[],
): Promise<UploadLinkWithToken[]> {
  const rows = await q.query<Row>(
    `${select} WHERE l.tenant_id = $1 AND l.department_id = ANY($2::uuid[]) ORDER BY l.created_at DESC LIMIT 200`,
    [tenantId, departmentIds],
  );
  return rows.map((r) => toLink(deps, tenantId, r));
}

/** Closes a link; closing it again keeps the first time. */
export async function markUploadLinkClosed(
  q: Queryable,
  tenantId: string,
  id: string,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE upload_links SET closed_at = coalesce(closed_at, $3) WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id, at],
  );
}

/**
 * Counts one use if the link is still open at `now`.
 * @returns whether it was (false: used up, expired or closed).
 */
export async function incrementUploadLinkUses(
  q: Queryable,
  tenantId: string,
  id: string,
  now: Date,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE upload_links SET uses = uses + 1 WHERE tenant_id = $1 AND id = $2 AND closed_at IS NULL AND expires_at > $3 AND (max_uses IS NULL OR uses < max_uses) RETURNING id`,
    [tenantId, id, now],
  );
  return rows.length > 0;
}
