import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';

// The `recipient` envelopes of transfers to an organisation's postbox: wrapped to the
// organisation's key (organisations/keys.ts), never to one member's personal key. These
// statements read organisations and organisation_keys (owner: organisations) and write
// transfer_envelopes (owner: transfers); they run inside the transaction of the keys module's
// use cases (storeDraftEnvelopes, storeRewrap).

/**
 * Which of these addresses are an organisation's contact address, and so its postbox (exactly
 * one organisation, as drafts resolve it): the organisation's public key, or null while it has
 * none. A sender encrypts to that key, never to the personal key of whoever owns the address.
 */
export async function organisationKeysFor(
  q: Queryable,
  tenantId: string,
  emails: readonly string[],
): Promise<Map<string, string | null>> {
  if (emails.length === 0) return new Map();
  const rows = await q.query<{ email: string; public_key: string | null }>(
    `SELECT o.contact_email AS email, k.public_key FROM organisations o
       LEFT JOIN organisation_keys k ON k.tenant_id = o.tenant_id AND k.organisation_id = o.id
     WHERE o.tenant_id = $1 AND o.contact_email = ANY($2::text[])
       AND NOT EXISTS (SELECT 1 FROM organisations x WHERE x.tenant_id = o.tenant_id AND x.contact_email = o.contact_email AND x.id <> o.id)`,
    [tenantId, [...emails]],
  );
  return new Map(rows.map((r) => [r.email, r.public_key]));
}

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
  const r = await one<{ id: string; has_key: boolean }>(
    tx,
    `SELECT r.id, EXISTS (SELECT 1 FROM organisation_keys k WHERE k.tenant_id = r.tenant_id AND k.organisation_id = r.organisation_id) AS has_key
     FROM transfer_recipients r WHERE r.tenant_id = $1 AND r.transfer_id = $2 AND r.email = $3 AND r.organisation_id IS NOT NULL`,
    [input.tenantId, input.transferId, input.email],
  );
  if (r === undefined) return false;
  if (!r.has_key)
    throw new AppError('ERR_VALIDATION', { fields: [{ field: input.field, code: 'ERR_VALIDATION' }] });
  await tx.query(
    `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, envelope, created_at, created_by) VALUES ($1, $2, $3, 'recipient', $4, $5, $6, $7)`,
    [input.tenantId, input.id, input.transferId, r.id, input.envelope, input.now, input.staffId],
  );
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
  const rows = await q.query<{
    transfer_id: string;
    recipient_id: string;
    public_key: string;
    envelope: Buffer;
  }>(
    `SELECT t.id AS transfer_id, r.id AS recipient_id, k.public_key, e.envelope
     FROM transfers t
       JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.transfer_id = t.id AND r.organisation_id IS NOT NULL
       JOIN organisation_keys k ON k.tenant_id = r.tenant_id AND k.organisation_id = r.organisation_id
       JOIN transfer_envelopes e ON e.tenant_id = t.tenant_id AND e.transfer_id = t.id AND e.holder = 'sender'
     WHERE t.tenant_id = $1 AND t.sender_staff_id = $2 AND t.e2e = 'recipients' AND t.status = 'sent'
       AND t.ended_at IS NULL AND t.expires_at > $3
       AND NOT EXISTS (SELECT 1 FROM transfer_envelopes x WHERE x.tenant_id = r.tenant_id AND x.recipient_id = r.id)
     ORDER BY r.id LIMIT 100`,
    [tenantId, staffId, now],
  );
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
  const r = await one<{ email: string; locale: 'de' | 'en' }>(
    tx,
    `SELECT o.contact_email AS email, r.locale FROM transfer_recipients r JOIN organisations o ON o.tenant_id = r.tenant_id AND o.id = r.organisation_id
     WHERE r.tenant_id = $1 AND r.id = $2 AND r.transfer_id = $3`,
    [input.tenantId, input.recipientId, input.transferId],
  );
  if (r === undefined) return false;
  const pending = (await pendingOrganisationRewraps(tx, input.tenantId, input.staffId, input.now)).some(
    (p) => p.transferId === input.transferId && p.recipientId === input.recipientId,
  );
  if (!pending) {
    const done = await one(
      tx,
      `SELECT 1 AS x FROM transfer_envelopes WHERE tenant_id = $1 AND recipient_id = $2`,
      [input.tenantId, input.recipientId],
    );
    if (done !== undefined) return undefined;
    throw new AppError('ERR_NOT_FOUND');
  }
  await tx.query(
    `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, envelope, created_at, created_by) VALUES ($1, $2, $3, 'recipient', $4, $5, $6, $7)`,
    [input.tenantId, input.id, input.transferId, input.recipientId, input.envelope, input.now, input.staffId],
  );
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
