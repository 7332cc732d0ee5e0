import type { Queryable } from '../../../adapters/db/index.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import { b64, decodeEnvelope, sharesDepartmentOutboxes } from '../../keys/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { recipientHasEnvelope } from '../store/organisation-envelopes.ts';
import { pendingRewrapRows, recipientWithKey, replaceRecipientEnvelope } from '../store/rewraps.ts';
import { pendingOrganisationRewraps, storeOrganisationRewrap } from './organisation-envelopes.ts';

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
  const rows = await pendingRewrapRows(q, tenant.id, staffId, sharesDepartmentOutboxes(tenant), now);
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
      if (await recipientHasEnvelope(tx, tenant.id, input.recipientId)) return undefined;
      throw new AppError('ERR_NOT_FOUND');
    }
    const r = await recipientWithKey(tx, tenant.id, input.recipientId);
    if (r === undefined) throw new AppError('ERR_NOT_FOUND');
    await replaceRecipientEnvelope(tx, {
      tenantId: tenant.id,
      id: deps.secrets.id(),
      transferId: input.transferId,
      recipientId: input.recipientId,
      personalKeyId: r.key_id,
      envelope: bytes,
      now,
      staffId,
    });
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
