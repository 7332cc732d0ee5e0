import type { FileTypeId } from '@amtsbote/web';
import { isFileTypeId } from '@amtsbote/web';
import { DAY } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import { hashToken, looksLikeToken } from '../../adapters/secrets.ts';
import { openText, sealText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { tenantBaseUrl } from '../../http/urls.ts';
import { recordAudit } from '../audit/service.ts';
import { currentDepartmentKey } from '../postbox/keys.ts';
import { departmentStaffEmails, memberDepartmentIds } from '../postbox/departments.ts';
import { uploadRequestMail } from '../postbox/mails.ts';
import { inboundPolicy } from '../postbox/policy.ts';
import type { Staff } from '../staff/service.ts';
import { normaliseEmail } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'logger'>;

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

export interface UploadLinkInput {
  departmentId: string;
  email: string | null;
  title: string;
  note: string;
  reference: string;
  level: 1 | 2 | 3 | 4;
  allowedTypes: FileTypeId[];
  maxFileSize: number;
  maxUses: number | null;
  /** The link works this many days. */
  validDays: number;
  sendMail: boolean;
  locale: 'de' | 'en';
}

/** The longest a link may stay open. */
export const MAX_LINK_DAYS = 90;

function keyContext(tenantId: string, id: string): string {
  return `upload-link:${tenantId}:${id}`;
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

function toLink(
  deps: Pick<Deps, 'keyring' | 'clock'>,
  tenantId: string,
  r: Row,
): UploadLink & { token: string } {
  const key = deps.keyring.unwrap(r.token_key, keyContext(tenantId, r.id));
  const open = (b: Buffer | null, field: string): string =>
    b === null ? '' : openText(key, b, `${field}:${r.id}`);
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

export function linkUrl(tenant: Tenant, deps: Pick<Deps, 'config'>, token: string): string {
  return `${tenantBaseUrl(tenant, deps.config)}/u/${token}`;
}

/**
 * Creates an upload link for one of the caseworker's departments; mails it to the named person
 * when asked to. Level 3/4 need the department's public key.
 * @throws {AppError} ERR_NOT_FOUND (not a department of theirs), ERR_DEPARTMENT_KEY_MISSING,
 *   ERR_VALIDATION (types not accepted by the tenant, size or validity beyond the limits),
 *   ERR_MAIL_DELIVERY (nothing is stored then).
 */
export async function createUploadLink(
  deps: Deps,
  tenant: Tenant,
  staff: Staff,
  input: UploadLinkInput,
  ipPrefix: string | undefined,
): Promise<{ id: string; url: string }> {
  if (!(await memberDepartmentIds(deps.db, tenant.id, staff.id)).includes(input.departmentId))
    throw new AppError('ERR_NOT_FOUND', { fields: [{ field: 'departmentId', code: 'ERR_NOT_FOUND' }] });
  const policy = inboundPolicy(tenant);
  if (input.maxFileSize > policy.maxFileSize)
    throw new AppError('ERR_FILE_TOO_LARGE', {
      fields: [{ field: 'maxSizeMb', code: 'ERR_FILE_TOO_LARGE' }],
    });
  if (input.level >= 2 && input.email === null)
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'email', code: 'ERR_VALIDATION' }] });
  if (
    input.level >= 3 &&
    (await currentDepartmentKey(deps.db, tenant.id, input.departmentId)) === undefined
  ) {
    throw new AppError('ERR_DEPARTMENT_KEY_MISSING', {
      fields: [{ field: 'level', code: 'ERR_DEPARTMENT_KEY_MISSING' }],
    });
  }
  const id = deps.secrets.id();
  const token = deps.secrets.token();
  const now = deps.clock.now();
  const key = deps.keyring.newDataKey(keyContext(tenant.id, id));
  const seal = (text: string, field: string): Buffer => sealText(key.key, text, `${field}:${id}`);
  const expiresAt = new Date(now.getTime() + input.validDays * DAY);
  const url = linkUrl(tenant, deps, token);
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO upload_links (tenant_id, id, department_id, created_by, token_hash, token_key, token_sealed, email, locale, title, note, reference,
         level, allowed_types, max_file_size, max_uses, expiry_days, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
      [
        tenant.id,
        id,
        input.departmentId,
        staff.id,
        hashToken(token),
        key.wrapped,
        seal(token, 'token'),
        input.email === null ? null : normaliseEmail(input.email),
        input.locale,
        seal(input.title, 'title'),
        input.note === '' ? null : seal(input.note, 'note'),
        input.reference === '' ? null : seal(input.reference, 'reference'),
        input.level,
        input.allowedTypes,
        input.maxFileSize,
        input.maxUses,
        policy.defaultExpiryDays,
        now,
        expiresAt,
      ],
    );
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor: { kind: 'staff', id: staff.id },
      action: 'upload-link.created',
      subject: { kind: 'upload-link', id },
      ipPrefix,
      details: { level: input.level, named: input.email !== null },
    });
    if (input.sendMail && input.email !== null) {
      const department = await one<{ name: string }>(
        tx,
        `SELECT name FROM departments WHERE tenant_id = $1 AND id = $2`,
        [tenant.id, input.departmentId],
      );
      await deps.mailer.send(
        uploadRequestMail(input.email, input.locale, {
          department: department?.name ?? '',
          tenantName: tenant.name,
          requester: staff.displayName ?? staff.email,
          link: url,
          expiresAt,
          level: input.level,
        }),
      );
    }
  });
  return { id, url };
}

/** The link behind a token, whatever its state; undefined for unknown or malformed tokens. */
export async function resolveUploadLink(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenantId: string,
  token: string,
): Promise<UploadLink | undefined> {
  if (!looksLikeToken(token)) return undefined;
  const r = await one<Row>(deps.db, `${select} WHERE l.tenant_id = $1 AND l.token_hash = $2`, [
    tenantId,
    hashToken(token),
  ]);
  return r === undefined ? undefined : toLink(deps, tenantId, r);
}

export async function uploadLinkById(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<UploadLink | undefined> {
  const r = await one<Row>(q, `${select} WHERE l.tenant_id = $1 AND l.id = $2`, [tenantId, id]);
  return r === undefined ? undefined : toLink(deps, tenantId, r);
}

/** The links of the caseworker's departments, newest first. */
export async function listUploadLinks(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenant: Tenant,
  staff: Staff,
): Promise<UploadLink[]> {
  const departments = await memberDepartmentIds(deps.db, tenant.id, staff.id);
  if (departments.length === 0) return [];
  const rows = await deps.db.query<Row>(
    `${select} WHERE l.tenant_id = $1 AND l.department_id = ANY($2::uuid[]) ORDER BY l.created_at DESC LIMIT 200`,
    [tenant.id, departments],
  );
  return rows.map((r) => toLink(deps, tenant.id, r));
}

/**
 * One link for a member of its department (with the token, to copy it again).
 * @throws {AppError} ERR_NOT_FOUND for anyone else.
 */
export async function uploadLinkForStaff(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenant: Tenant,
  staff: Staff,
  id: string,
): Promise<UploadLink & { token: string }> {
  const r = await one<Row>(deps.db, `${select} WHERE l.tenant_id = $1 AND l.id = $2`, [tenant.id, id]);
  if (r === undefined || !(await memberDepartmentIds(deps.db, tenant.id, staff.id)).includes(r.department_id))
    throw new AppError('ERR_NOT_FOUND');
  return toLink(deps, tenant.id, r);
}

/** Closes a link at once. @throws {AppError} ERR_NOT_FOUND */
export async function closeUploadLink(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenant: Tenant,
  staff: Staff,
  id: string,
  ipPrefix: string | undefined,
): Promise<void> {
  await uploadLinkForStaff(deps, tenant, staff, id);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE upload_links SET closed_at = coalesce(closed_at, $3) WHERE tenant_id = $1 AND id = $2`,
      [tenant.id, id, now],
    );
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor: { kind: 'staff', id: staff.id },
      action: 'upload-link.closed',
      subject: { kind: 'upload-link', id },
      ipPrefix,
    });
  });
}

/**
 * Counts one use, in the transaction that delivers the upload: a link used up, expired or closed
 * in the meantime refuses, so a single-use link delivers exactly once.
 * @throws {AppError} ERR_UPLOAD_LINK_CLOSED
 */
export async function countUse(
  q: Queryable,
  deps: Pick<Deps, 'clock'>,
  tenantId: string,
  id: string,
): Promise<void> {
  const rows = await q.query(
    `UPDATE upload_links SET uses = uses + 1 WHERE tenant_id = $1 AND id = $2 AND closed_at IS NULL AND expires_at > $3 AND (max_uses IS NULL OR uses < max_uses) RETURNING id`,
    [tenantId, id, deps.clock.now()],
  );
  if (rows.length === 0) throw new AppError('ERR_UPLOAD_LINK_CLOSED');
}

/** What arrived through a link. */
export async function submissionsOf(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<{ transferId: string; sentAt: Date | null; status: string }[]> {
  return q.query(
    `SELECT id AS "transferId", sent_at AS "sentAt", status FROM transfers WHERE tenant_id = $1 AND upload_link_id = $2 AND status <> 'draft' ORDER BY sent_at`,
    [tenantId, id],
  );
}

/** Staff of the link's department, for notices. */
export async function linkStaffEmails(q: Queryable, tenantId: string, link: UploadLink): Promise<string[]> {
  return departmentStaffEmails(q, tenantId, link.departmentId);
}
