import { importPublicKey, fromBase64Url } from '@amtsbote/crypto';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';

/**
 * Department key pairs for end-to-end encrypted uploads (levels 3/4). The server keeps the public
 * key and, per member, the private key wrapped by that member's browser (to the member's
 * personal key): it can hand them out, never open them. Setting a new key retires the old one;
 * retired keys stay, so what was encrypted to them can still be opened.
 */
export interface DepartmentKey {
  id: string;
  departmentId: string;
  publicKey: string;
  createdAt: Date;
}

export async function currentDepartmentKey(
  q: Queryable,
  tenantId: string,
  departmentId: string,
): Promise<DepartmentKey | undefined> {
  return one<DepartmentKey>(
    q,
    `SELECT id, department_id AS "departmentId", public_key AS "publicKey", created_at AS "createdAt" FROM department_keys
     WHERE tenant_id = $1 AND department_id = $2 AND retired_at IS NULL`,
    [tenantId, departmentId],
  );
}

/** A member's wrapped private key for one department key, if one was stored for them. */
export async function keyShareOf(
  q: Queryable,
  tenantId: string,
  keyId: string,
  staffId: string,
): Promise<Buffer | undefined> {
  const r = await one<{ wrapped_private_key: Buffer }>(
    q,
    `SELECT wrapped_private_key FROM department_key_shares WHERE tenant_id = $1 AND key_id = $2 AND staff_id = $3`,
    [tenantId, keyId, staffId],
  );
  return r?.wrapped_private_key;
}

/**
 * Stores a new key pair for a department: the public key (checked to be a P-256 key in the
 * `amtb-pub1-` form) and the private key wrapped per member.
 * @throws {AppError} ERR_VALIDATION (not a public key; a share for someone not in the department)
 */
export async function setDepartmentKey(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets'>,
  tenantId: string,
  departmentId: string,
  actorStaffId: string,
  input: { publicKey: string; shares: { staffId: string; wrappedPrivateKey: string }[] },
  ipPrefix: string | undefined,
): Promise<DepartmentKey> {
  try {
    await importPublicKey(input.publicKey);
  } catch (err) {
    throw new AppError('ERR_VALIDATION', {
      fields: [{ field: 'publicKey', code: 'ERR_VALIDATION' }],
      cause: err,
    });
  }
  const shares = input.shares.map((s) => {
    try {
      return { staffId: s.staffId, wrapped: Buffer.from(fromBase64Url(s.wrappedPrivateKey)) };
    } catch (err) {
      throw new AppError('ERR_VALIDATION', {
        fields: [{ field: 'shares', code: 'ERR_VALIDATION' }],
        cause: err,
      });
    }
  });
  const id = deps.secrets.id();
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE department_keys SET retired_at = $3 WHERE tenant_id = $1 AND department_id = $2 AND retired_at IS NULL`,
      [tenantId, departmentId, now],
    );
    await tx.query(
      `INSERT INTO department_keys (tenant_id, id, department_id, public_key, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, id, departmentId, input.publicKey.trim(), now, actorStaffId],
    );
    for (const s of shares) {
      const rows = await tx.query(
        `INSERT INTO department_key_shares (tenant_id, key_id, staff_id, wrapped_private_key, created_at)
         SELECT $1, $2, m.staff_id, $4, $5 FROM department_members m WHERE m.tenant_id = $1 AND m.department_id = $6 AND m.staff_id = $3 RETURNING staff_id`,
        [tenantId, id, s.staffId, s.wrapped, now, departmentId],
      );
      if (rows.length === 0)
        throw new AppError('ERR_VALIDATION', { fields: [{ field: 'shares', code: 'ERR_VALIDATION' }] });
    }
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'staff', id: actorStaffId },
      action: 'department-key.set',
      subject: { kind: 'department', id: departmentId },
      ipPrefix,
      details: { shares: shares.length },
    });
  });
  return { id, departmentId, publicKey: input.publicKey.trim(), createdAt: now };
}
