import { hashToken, looksLikeToken } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { memberDepartmentIds } from '../postbox/index.ts';
import type { Staff } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import type { UploadLink, UploadLinkWithToken } from './store.ts';
import { findUploadLink, findUploadLinkByTokenHash } from './store.ts';

type Deps = Pick<AppDeps, 'db' | 'keyring' | 'clock'>;

// Who may see which link. A caseworker sees the links of their own departments; anyone else is
// told the link does not exist. A guest holds the token, and the token alone opens the link.

/**
 * One link for a member of its department (with the token, to copy it again).
 * @throws {AppError} ERR_NOT_FOUND for anyone else.
 */
export async function linkForMember(
  deps: Deps,
  tenant: Tenant,
  staff: Staff,
  id: string,
): Promise<UploadLinkWithToken> {
  const link = await findUploadLink(deps, deps.db, tenant.id, id);
  if (
    link === undefined ||
    !(await memberDepartmentIds(deps.db, tenant.id, staff.id)).includes(link.departmentId)
  )
    throw new AppError('ERR_NOT_FOUND');
  return link;
}

/** The link behind a token, whatever its state; undefined for unknown or malformed tokens. */
export async function linkOfToken(
  deps: Deps,
  tenantId: string,
  token: string,
): Promise<UploadLink | undefined> {
  if (!looksLikeToken(token)) return undefined;
  return findUploadLinkByTokenHash(deps, deps.db, tenantId, hashToken(token));
}
