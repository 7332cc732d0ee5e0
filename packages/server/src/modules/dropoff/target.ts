import type { FileTypeId } from '@amtsbote/contracts';
import type { AppDeps } from '../../deps.ts';
import { getInboundDepartment } from '../postbox/index.ts';
import type { InboundTarget } from '../postbox/index.ts';
import { currentDepartmentKey } from '../postbox/index.ts';
import { inboundPolicy, typesFor } from '../postbox/index.ts';
import type { Tenant } from '../tenants/index.ts';
import type { UploadLink } from '../uploadlinks/index.ts';
import { uploadLinkById } from '../uploadlinks/index.ts';
import type { InboundSession } from './sessions.ts';

/** What the compose page says about where the message goes. */
export type TargetView =
  | { kind: 'department'; name: string; hint: string | null }
  | { kind: 'direct'; address: string }
  | { kind: 'upload'; link: UploadLink };

export interface ResolvedTarget {
  target: InboundTarget;
  view: TargetView;
  /** Drop-off may be protected with a password; upload links have their level instead. */
  passwordAllowed: boolean;
  /** Level 3/4 upload link: the department's public key to encrypt to. */
  publicKey: string | null;
  /** Level 4: the message text is end-to-end encrypted too. */
  e2eMessage: boolean;
}

/**
 * Where a session's transfer goes, with which limits. For drop-off with a password the files
 * and text are end-to-end encrypted to it (level 4); an upload link brings its own level, types
 * and size. Undefined when the department or link is gone or no longer open.
 */
export async function resolveTarget(
  deps: AppDeps,
  tenant: Tenant,
  s: InboundSession,
  opts: { password: boolean },
): Promise<ResolvedTarget | undefined> {
  const policy = inboundPolicy(tenant);
  if (s.uploadLinkId !== null) {
    const link = await uploadLinkById(deps, deps.db, tenant.id, s.uploadLinkId);
    if (link === undefined) return undefined;
    const key =
      link.level >= 3 ? await currentDepartmentKey(deps.db, tenant.id, link.departmentId) : undefined;
    if (link.level >= 3 && key === undefined) return undefined;
    return {
      target: {
        inbound: 'upload',
        departmentId: link.departmentId,
        toStaffId: null,
        uploadLinkId: link.id,
        assignTo: link.createdBy,
        allowedTypes: link.allowedTypes,
        maxFileSize: Math.min(link.maxFileSize, policy.maxFileSize),
        level: link.level >= 3 ? (link.level as 3 | 4) : 2,
        e2e: link.level >= 3 ? 'department' : null,
        departmentKeyId: key?.id ?? null,
      },
      view: { kind: 'upload', link },
      passwordAllowed: false,
      publicKey: key?.publicKey ?? null,
      e2eMessage: link.level === 4,
    };
  }
  if (s.departmentId === null) return undefined;
  const department = await getInboundDepartment(deps.db, tenant.id, s.departmentId);
  if (department === undefined) return undefined;
  const direct = s.addressedTo !== null;
  if (!direct && !department.dropoffEnabled) return undefined;
  // Addressed directly: the tenant's types, whoever it reaches, so nothing tells whether the
  // address exists.
  const types: FileTypeId[] = direct ? policy.allowedTypes : typesFor(policy, department.allowedTypes);
  return {
    target: {
      inbound: 'dropoff',
      departmentId: department.id,
      toStaffId: s.toStaffId,
      uploadLinkId: null,
      assignTo: s.toStaffId,
      allowedTypes: types,
      maxFileSize: policy.maxFileSize,
      level: opts.password ? 4 : 2,
      e2e: opts.password ? 'password' : null,
      departmentKeyId: null,
    },
    view: direct
      ? { kind: 'direct', address: s.addressedTo ?? '' }
      : { kind: 'department', name: department.name, hint: department.dropoffHint },
    passwordAllowed: true,
    publicKey: null,
    e2eMessage: opts.password,
  };
}
