import type { FileTypeId } from '@amtsbote/contracts';
import { DAY } from '../../../adapters/clock.ts';
import { hashToken } from '../../../adapters/secrets.ts';
import { sealText } from '../../../at-rest.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import { memberDepartmentIds } from '../../postbox/index.ts';
import { currentDepartmentKey } from '../../postbox/index.ts';
import { inboundPolicy } from '../../postbox/index.ts';
import type { Staff } from '../../staff/index.ts';
import { normaliseEmail } from '../../staff/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { getDepartment } from '../../tenants/index.ts';
import { uploadRequestMail } from '../mails.ts';
import { linkUrl } from '../service.ts';
import { fieldContext, insertUploadLink, keyContext } from '../store.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'logger'>;

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
  const seal = (text: string, field: 'token' | 'title' | 'note' | 'reference'): Buffer =>
    sealText(key.key, text, fieldContext(field, id));
  const expiresAt = new Date(now.getTime() + input.validDays * DAY);
  const url = linkUrl(tenant, deps, token);
  await deps.db.transaction(async (tx) => {
    await insertUploadLink(tx, {
      tenantId: tenant.id,
      id,
      departmentId: input.departmentId,
      createdBy: staff.id,
      tokenHash: hashToken(token),
      tokenKey: key.wrapped,
      tokenSealed: seal(token, 'token'),
      email: input.email === null ? null : normaliseEmail(input.email),
      locale: input.locale,
      title: seal(input.title, 'title'),
      note: input.note === '' ? null : seal(input.note, 'note'),
      reference: input.reference === '' ? null : seal(input.reference, 'reference'),
      level: input.level,
      allowedTypes: input.allowedTypes,
      maxFileSize: input.maxFileSize,
      maxUses: input.maxUses,
      expiryDays: policy.defaultExpiryDays,
      createdAt: now,
      expiresAt,
    });
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
      const department = await getDepartment(tx, tenant.id, input.departmentId);
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
