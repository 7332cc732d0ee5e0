import type { Queryable } from '../../../adapters/db/index.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import {
  insertOrganisationEnvelope,
  organisationRecipientByEmail,
  organisationRecipientContact,
  pendingOrganisationRewrapRows,
  recipientHasEnvelope,
} from '../store/organisation-envelopes.ts';

// The `recipient` envelopes of transfers to an organisation's postbox: wrapped to the
// organisation's key (organisations/keys.ts), never to one member's personal key. These run
// inside the transaction of the envelope use cases (storeDraftEnvelopes, storeRewrap).

/**
 * Stores a level-3/4 draft's `recipient` envelope when that recipient is an organisation's
 * postbox: it must be wrapped to the organisation's key, so one must exist.
 * @returns false when the recipient (by address) is not an organisation; the caller goes on.
 * @throws {AppError} ERR_VALIDATION (an organisation without a key)
 */
export async function storeOrganisationEnvelope(
  tx: Queryable,
  input: {
    tenantId: string;
    id: string;
    transferId: string;
    email: string;
    envelope: Buffer;
    now: Date;
    staffId: string;
    field: string;
  },
): Promise<boolean> {
  const r = await organisationRecipientByEmail(tx, input.tenantId, input.transferId, input.email);
  if (r === undefined) return false;
  if (!r.has_key)
    throw new AppError('ERR_VALIDATION', { fields: [{ field: input.field, code: 'ERR_VALIDATION' }] });
  await insertOrganisationEnvelope(tx, { ...input, recipientId: r.id });
  return true;
}

/** A message to an organisation sent before it had a key: the sender's browser wraps it now. */
export interface PendingOrganisationRewrap {
  transferId: string;
  recipientId: string;
  /** The organisation's public key. */
  publicKey: string;
  holder: 'sender';
  /** The sender's own envelope of the file key. */
  envelope: string;
  departmentPublicKey: null;
  wrappedDepartmentKey: null;
}

/**
 * The caller's live level-3/4 transfers to organisations that have a key now and no envelope
 * yet (listed with the personal re-wraps, GET /api/v1/keys/rewraps).
 */
export async function pendingOrganisationRewraps(
  q: Queryable,
  tenantId: string,
  staffId: string,
  now: Date,
): Promise<PendingOrganisationRewrap[]> {
  const rows = await pendingOrganisationRewrapRows(q, tenantId, staffId, now);
  return rows.map((r) => ({
    transferId: r.transfer_id,
    recipientId: r.recipient_id,
    publicKey: r.public_key,
    holder: 'sender',
    envelope: Buffer.from(r.envelope).toString('base64url'),
    departmentPublicKey: null,
    wrappedDepartmentKey: null,
  }));
}

/**
 * Stores the sender's re-wrap for an organisation's postbox (inside storeRewrap's transaction).
 * @returns false when the recipient is no organisation (the caller goes on); undefined when it
 *   was stored already; else the contact address to tell that the message can be opened now.
 * @throws {AppError} ERR_NOT_FOUND when the caller may not complete this delivery.
 */
export async function storeOrganisationRewrap(
  tx: Queryable,
  input: {
    tenantId: string;
    id: string;
    staffId: string;
    transferId: string;
    recipientId: string;
    envelope: Buffer;
    now: Date;
    ipPrefix: string | undefined;
  },
): Promise<false | undefined | { email: string; locale: 'de' | 'en' }> {
  const r = await organisationRecipientContact(tx, input.tenantId, input.recipientId, input.transferId);
  if (r === undefined) return false;
  const pending = (await pendingOrganisationRewraps(tx, input.tenantId, input.staffId, input.now)).some(
    (p) => p.transferId === input.transferId && p.recipientId === input.recipientId,
  );
  if (!pending) {
    if (await recipientHasEnvelope(tx, input.tenantId, input.recipientId)) return undefined;
    throw new AppError('ERR_NOT_FOUND');
  }
  await insertOrganisationEnvelope(tx, input);
  await recordAudit(tx, {
    tenantId: input.tenantId,
    at: input.now,
    actor: { kind: 'staff', id: input.staffId },
    action: 'transfer.key_rewrapped',
    subject: { kind: 'transfer', id: input.transferId },
    ipPrefix: input.ipPrefix,
    details: { recipient: input.recipientId, via: 'sender', organisation: true },
  });
  return { email: r.email, locale: r.locale };
}
