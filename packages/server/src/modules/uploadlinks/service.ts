import type { Queryable } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { memberDepartmentIds } from '../postbox/index.ts';
import type { Staff } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { tenantBaseUrl } from '../tenants/index.ts';
import { uploadLinkSubmissions } from '../transfers/index.ts';
import { linkForMember, linkOfToken } from './policy.ts';
import type { UploadLink } from './store.ts';
import { findUploadLink, incrementUploadLinkUses, listUploadLinksOf, markUploadLinkClosed } from './store.ts';

type Deps = Pick<AppDeps, 'db' | 'keyring' | 'clock'>;

/** The longest a link may stay open. */
export const MAX_LINK_DAYS = 90;

export function linkUrl(tenant: Tenant, deps: Pick<AppDeps, 'config'>, token: string): string {
  return `${tenantBaseUrl(tenant, deps.config)}/u/${token}`;
}

/** The link behind a token, whatever its state; undefined for unknown or malformed tokens. */
export async function resolveUploadLink(
  deps: Deps,
  tenantId: string,
  token: string,
): Promise<UploadLink | undefined> {
  return linkOfToken(deps, tenantId, token);
}

export async function uploadLinkById(
  deps: Pick<Deps, 'keyring' | 'clock'>,
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<UploadLink | undefined> {
  return findUploadLink(deps, q, tenantId, id);
}

/** The links of the caseworker's departments, newest first. */
export async function listUploadLinks(deps: Deps, tenant: Tenant, staff: Staff): Promise<UploadLink[]> {
  const departments = await memberDepartmentIds(deps.db, tenant.id, staff.id);
  if (departments.length === 0) return [];
  return listUploadLinksOf(deps, deps.db, tenant.id, departments);
}

/** Closes a link at once. @throws {AppError} ERR_NOT_FOUND */
export async function closeUploadLink(
  deps: Deps,
  tenant: Tenant,
  staff: Staff,
  id: string,
  ipPrefix: string | undefined,
): Promise<void> {
  await linkForMember(deps, tenant, staff, id);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await markUploadLinkClosed(tx, tenant.id, id, now);
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
  deps: Pick<AppDeps, 'clock'>,
  tenantId: string,
  id: string,
): Promise<void> {
  if (!(await incrementUploadLinkUses(q, tenantId, id, deps.clock.now())))
    throw new AppError('ERR_UPLOAD_LINK_CLOSED');
}

/** What arrived through a link. */
export async function submissionsOf(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<{ transferId: string; sentAt: Date | null; status: string }[]> {
  return uploadLinkSubmissions(q, tenantId, id);
}
