import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// The `recipient` envelopes of transfers to an organisation's postbox: wrapped to the
// organisation's key (organisations/keys.ts), never to one member's personal key
// (services/organisation-envelopes.ts).

/** The organisation recipient of a transfer by address, and whether its organisation has a key. */
export async function organisationRecipientByEmail(
  tx: Queryable,
  tenantId: string,
  transferId: string,
  email: string,
): Promise<{ id: string; has_key: boolean } | undefined> {
  return one<{ id: string; has_key: boolean }>(
    tx,
    `-- reads organisation_keys (owner: organisations): whether the recipient can be encrypted to, with the recipient
     SELECT r.id, EXISTS (SELECT 1 FROM organisation_keys k WHERE k.tenant_id = r.tenant_id AND k.organisation_id = r.organisation_id) AS has_key
     FROM transfer_recipients r WHERE r.tenant_id = $1 AND r.transfer_id = $2 AND r.email = $3 AND r.organisation_id IS NOT NULL`,
    [tenantId, transferId, email],
  );
}

/** A `recipient` envelope wrapped to an organisation's key (no personal key). */
export async function insertOrganisationEnvelope(
  tx: Queryable,
  e: {
    tenantId: string;
    id: string;
    transferId: string;
    recipientId: string;
    envelope: Buffer;
    now: Date;
    staffId: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, envelope, created_at, created_by) VALUES ($1, $2, $3, 'recipient', $4, $5, $6, $7)`,
    [e.tenantId, e.id, e.transferId, e.recipientId, e.envelope, e.now, e.staffId],
  );
}

/**
 * The caller's live level-3/4 transfers to organisations that have a key now and no envelope
 * yet, with the sender's own envelope.
 */
export async function pendingOrganisationRewrapRows(
  q: Queryable,
  tenantId: string,
  staffId: string,
  now: Date,
): Promise<{ transfer_id: string; recipient_id: string; public_key: string; envelope: Buffer }[]> {
  return q.query<{
    transfer_id: string;
    recipient_id: string;
    public_key: string;
    envelope: Buffer;
  }>(
    `-- reads organisation_keys (owner: organisations): a listing of up to 100, one query instead of one per transfer
     SELECT t.id AS transfer_id, r.id AS recipient_id, k.public_key, e.envelope
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
}

/** An organisation recipient of this transfer: its contact address and language. */
export async function organisationRecipientContact(
  tx: Queryable,
  tenantId: string,
  recipientId: string,
  transferId: string,
): Promise<{ email: string; locale: 'de' | 'en' } | undefined> {
  return one<{ email: string; locale: 'de' | 'en' }>(
    tx,
    `-- reads organisations (owner: organisations): the contact address with the recipient row
     SELECT o.contact_email AS email, r.locale FROM transfer_recipients r JOIN organisations o ON o.tenant_id = r.tenant_id AND o.id = r.organisation_id
     WHERE r.tenant_id = $1 AND r.id = $2 AND r.transfer_id = $3`,
    [tenantId, recipientId, transferId],
  );
}

/** Whether a recipient has an envelope already (another browser was quicker). */
export async function recipientHasEnvelope(
  tx: Queryable,
  tenantId: string,
  recipientId: string,
): Promise<boolean> {
  const done = await one(
    tx,
    `SELECT 1 AS x FROM transfer_envelopes WHERE tenant_id = $1 AND recipient_id = $2`,
    [tenantId, recipientId],
  );
  return done !== undefined;
}
