import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import { recipientAccount } from './envelopes.ts';

// Re-wraps for recipients who created a key after a level-3/4 transfer was sent
// (services/rewraps.ts).

export interface PendingRewrapRow {
  transfer_id: string;
  recipient_id: string;
  public_key: string;
  holder: 'sender' | 'department';
  envelope: Buffer;
  department_public_key: string | null;
  share: Buffer | null;
}

/**
 * Recipients of the caller's live level-3/4 transfers who have a key now but no envelope yet,
 * with the caller's envelope to wrap from (the sender's, or with `shared` outboxes a department's).
 */
export async function pendingRewrapRows(
  q: Queryable,
  tenantId: string,
  staffId: string,
  shared: boolean,
  now: Date,
): Promise<PendingRewrapRow[]> {
  return q.query<PendingRewrapRow>(
    `-- reads personal_keys (owner: keys), accounts (owner: accounts), department_keys, department_key_shares (owner: postbox), department_members (owner: staff): a listing of up to 100, one query instead of several per recipient; transfers may not import postbox
     SELECT DISTINCT ON (r.id) t.id AS transfer_id, r.id AS recipient_id, k.public_key, e.holder, e.envelope,
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
    [tenantId, staffId, shared, now],
  );
}

/** A recipient's address and language, with the current personal key of the account it is. */
export async function recipientWithKey(
  tx: Queryable,
  tenantId: string,
  recipientId: string,
): Promise<{ email: string; locale: 'de' | 'en'; key_id: string } | undefined> {
  return one<{ email: string; locale: 'de' | 'en'; key_id: string }>(
    tx,
    `-- reads personal_keys (owner: keys), accounts (owner: accounts): the key the re-wrap is bound to, with the recipient
     SELECT r.email, r.locale, k.id AS key_id FROM transfer_recipients r
         JOIN personal_keys k ON k.tenant_id = r.tenant_id AND k.account_id = ${recipientAccount} AND k.retired_at IS NULL
       WHERE r.tenant_id = $1 AND r.id = $2`,
    [tenantId, recipientId],
  );
}

/** Replaces a recipient's envelope with one made for its current key. */
export async function replaceRecipientEnvelope(
  tx: Queryable,
  e: {
    tenantId: string;
    id: string;
    transferId: string;
    recipientId: string;
    personalKeyId: string;
    envelope: Buffer;
    now: Date;
    staffId: string;
  },
): Promise<void> {
  await tx.query(`DELETE FROM transfer_envelopes WHERE tenant_id = $1 AND recipient_id = $2`, [
    e.tenantId,
    e.recipientId,
  ]);
  await tx.query(
    `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, personal_key_id, envelope, created_at, created_by)
       VALUES ($1, $2, $3, 'recipient', $4, $5, $6, $7, $8)`,
    [e.tenantId, e.id, e.transferId, e.recipientId, e.personalKeyId, e.envelope, e.now, e.staffId],
  );
}
