import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { pendingOrganisationRewraps, storeOrganisationRewrap } from './organisation-envelopes.ts';
import { b64, decodeEnvelope, recipientAccount, sharesDepartmentOutboxes } from './service.ts';

/**
 * Re-wraps: a recipient who created a key after a level-3/4 transfer was sent gets the file key
 * wrapped for it by the sender's browser (or a department member's, where outboxes are shared).
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

export interface PendingRewrap {
  transferId: string;
  recipientId: string;
  /** The recipient's public key, to wrap the file key for. */
  publicKey: string;
  /** The caller's envelope of the file key (sender's, or a department's with its wrapped key). */
  holder: 'sender' | 'department';
  envelope: string;
  /** With a department's envelope: that key's public key and the caller's share of it. */
  departmentPublicKey: string | null;
  wrappedDepartmentKey: string | null;
}

/**
 * Recipients of the caller's live level-3/4 transfers who have a key now but no envelope yet:
 * the caller's browser wraps the file key for them (the server never sees it). With shared
 * department outboxes also those of transfers wrapped to a department key the caller holds.
 */
export async function pendingRewraps(
  q: Queryable,
  tenant: Tenant,
  staffId: string,
  now: Date,
): Promise<PendingRewrap[]> {
  const shared = sharesDepartmentOutboxes(tenant);
  const rows = await q.query<{
    transfer_id: string;
    recipient_id: string;
    public_key: string;
    holder: 'sender' | 'department';
    envelope: Buffer;
    department_public_key: string | null;
    share: Buffer | null;
  }>(
    `SELECT DISTINCT ON (r.id) t.id AS transfer_id, r.id AS recipient_id, k.public_key, e.holder, e.envelope,
       dk.public_key AS department_public_key, s.wrapped_private_key AS share
     FROM transfers t
       JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.transfer_id = t.id
       JOIN personal_keys k ON k.tenant_id = r.tenant_id AND k.account_id = ${recipientAccount} AND k.retired_at IS NULL
       JOIN transfer_envelopes e ON e.tenant_id = t.tenant_id AND e.transfer_id = t.id
         AND ((e.holder = 'sender' AND t.sender_staff_id = $2) OR ($3 AND e.holder = 'department'))
       LEFT JOIN department_keys dk ON dk.tenant_id = e.tenant_id AND dk.id = e.department_key_id
       LEFT JOIN department_key_shares s ON s.tenant_id = e.tenant_id AND s.key_id = e.department_key_id AND s.staff_id = $2
         AND EXISTS (SELECT 1 FROM personal_keys sp WHERE sp.tenant_id = s.tenant_id AND sp.id = s.personal_key_id AND sp.retired_at IS NULL)
         AND EXISTS (SELECT 1 FROM department_members dm WHERE dm.tenant_id = dk.tenant_id AND dm.department_id = dk.department_id AND dm.staff_id = $2)
     WHERE t.tenant_id = $1 AND t.e2e = 'recipients' AND t.status = 'sent' AND t.ended_at IS NULL AND t.expires_at > $4
       AND (e.holder = 'sender' OR s.staff_id IS NOT NULL)
       AND r.organisation_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM transfer_envelopes x WHERE x.tenant_id = r.tenant_id AND x.recipient_id = r.id AND x.personal_key_id = k.id)
     ORDER BY r.id, (e.holder = 'sender') DESC
     LIMIT 100`,
    [tenant.id, staffId, shared, now],
  );
  const personal: PendingRewrap[] = rows.map((r) => ({
    transferId: r.transfer_id,
    recipientId: r.recipient_id,
    publicKey: r.public_key,
    holder: r.holder,
    envelope: b64(r.envelope),
    departmentPublicKey: r.department_public_key,
    wrappedDepartmentKey: r.share === null ? null : b64(r.share),
  }));
  // Organisations that created their key after the message came: wrapped to that key.
  return [...personal, ...(await pendingOrganisationRewraps(q, tenant.id, staffId, now))];
}

/**
 * Stores a re-wrapped envelope for a recipient who created a key after the transfer was sent.
 * The caller must be one who could see the pending item; the envelope is bound to the key the
 * recipient has now.
 * @returns the recipient's address and language for the "ready" notification, or undefined when
 *   it had been stored already (another browser was quicker).
 * @throws {AppError} ERR_NOT_FOUND, ERR_KEY_FORMAT
 */
export async function storeRewrap(
  deps: Deps,
  tenant: Tenant,
  staffId: string,
  input: { transferId: string; recipientId: string; envelope: string },
  ipPrefix: string | undefined,
): Promise<{ email: string; locale: 'de' | 'en' } | undefined> {
  const bytes = decodeEnvelope(input.envelope);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const org = await storeOrganisationRewrap(tx, {
      tenantId: tenant.id,
      id: deps.secrets.id(),
      staffId,
      ...input,
      envelope: bytes,
      now,
      ipPrefix,
    });
    if (org !== false) return org;
    const pending = (await pendingRewraps(tx, tenant, staffId, now)).find(
      (p) => p.transferId === input.transferId && p.recipientId === input.recipientId,
    );
    if (pending === undefined) {
      const done = await one(
        tx,
        `SELECT 1 AS x FROM transfer_envelopes WHERE tenant_id = $1 AND recipient_id = $2`,
        [tenant.id, input.recipientId],
      );
      if (done !== undefined) return undefined;
      throw new AppError('ERR_NOT_FOUND');
    }
    const r = await one<{ email: string; locale: 'de' | 'en'; key_id: string }>(
      tx,
      `SELECT r.email, r.locale, k.id AS key_id FROM transfer_recipients r
         JOIN personal_keys k ON k.tenant_id = r.tenant_id AND k.account_id = ${recipientAccount} AND k.retired_at IS NULL
       WHERE r.tenant_id = $1 AND r.id = $2`,
      [tenant.id, input.recipientId],
    );
    if (r === undefined) throw new AppError('ERR_NOT_FOUND');
    await tx.query(`DELETE FROM transfer_envelopes WHERE tenant_id = $1 AND recipient_id = $2`, [
      tenant.id,
      input.recipientId,
    ]);
    await tx.query(
      `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, personal_key_id, envelope, created_at, created_by)
       VALUES ($1, $2, $3, 'recipient', $4, $5, $6, $7, $8)`,
      [tenant.id, deps.secrets.id(), input.transferId, input.recipientId, r.key_id, bytes, now, staffId],
    );
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor: { kind: 'staff', id: staffId },
      action: 'transfer.key_rewrapped',
      subject: { kind: 'transfer', id: input.transferId },
      ipPrefix,
      details: { recipient: input.recipientId, via: pending.holder },
    });
    return { email: r.email, locale: r.locale };
  });
}
