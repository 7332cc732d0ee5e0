import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// The envelopes of level-3/4 replies from recipients (services/reply-envelopes.ts).

/** Locks a reply draft of this recipient for its envelopes. */
export async function lockReplyDraft(
  tx: Queryable,
  tenantId: string,
  replyId: string,
  recipientId: string,
): Promise<{ level: number; to_staff_id: string | null } | undefined> {
  return one<{ level: number; to_staff_id: string | null }>(
    tx,
    `SELECT level, to_staff_id FROM transfers WHERE tenant_id = $1 AND id = $2 AND status = 'draft' AND sender_recipient_id = $3 FOR UPDATE`,
    [tenantId, replyId, recipientId],
  );
}

/** A reply's level and the staff member it goes to. */
export async function replyAddressee(
  tx: Queryable,
  tenantId: string,
  transferId: string,
): Promise<{ level: number; to_staff_id: string | null } | undefined> {
  return one<{ level: number; to_staff_id: string | null }>(
    tx,
    `SELECT level, to_staff_id FROM transfers WHERE tenant_id = $1 AND id = $2`,
    [tenantId, transferId],
  );
}

/** A reply's envelope; created_by names staff, and a recipient's browser made it, so it stays empty. */
export async function insertReplyEnvelope(
  tx: Queryable,
  e: {
    tenantId: string;
    id: string;
    replyId: string;
    holder: string;
    departmentKeyId: string | null;
    personalKeyId: string | null;
    envelope: Buffer;
    now: Date;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, department_key_id, personal_key_id, envelope, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [e.tenantId, e.id, e.replyId, e.holder, e.departmentKeyId, e.personalKeyId, e.envelope, e.now],
  );
}

/** The envelopes of a transfer made for keys that are still current. */
export async function currentEnvelopesOf(
  tx: Queryable,
  tenantId: string,
  transferId: string,
): Promise<{ holder: string; department_key_id: string | null }[]> {
  return tx.query<{ holder: string; department_key_id: string | null }>(
    `-- reads personal_keys (owner: keys), department_keys (owner: postbox): whether each envelope's key is current, in one query; transfers may not import postbox
     SELECT e.holder, e.department_key_id FROM transfer_envelopes e
       LEFT JOIN personal_keys k ON k.tenant_id = e.tenant_id AND k.id = e.personal_key_id
       LEFT JOIN department_keys d ON d.tenant_id = e.tenant_id AND d.id = e.department_key_id
     WHERE e.tenant_id = $1 AND e.transfer_id = $2 AND coalesce(k.retired_at, d.retired_at) IS NULL`,
    [tenantId, transferId],
  );
}

/** The replier's own envelope of a live sent reply, with the key it was made for. */
export async function ownReplyEnvelopeRow(
  q: Queryable,
  tenantId: string,
  replyId: string,
  recipientId: string,
  now: Date,
): Promise<{ envelope: Buffer; account_id: string | null; retired_at: Date | null } | undefined> {
  return one<{ envelope: Buffer; account_id: string | null; retired_at: Date | null }>(
    q,
    `-- reads personal_keys (owner: keys): whose key the envelope was made for, with it
     SELECT e.envelope, k.account_id, k.retired_at FROM transfers t
       JOIN transfer_envelopes e ON e.tenant_id = t.tenant_id AND e.transfer_id = t.id AND e.holder = 'sender'
       JOIN personal_keys k ON k.tenant_id = e.tenant_id AND k.id = e.personal_key_id
     WHERE t.tenant_id = $1 AND t.id = $2 AND t.sender_recipient_id = $3 AND t.status = 'sent'
       AND t.e2e = 'recipients' AND t.ended_at IS NULL AND t.expires_at > $4`,
    [tenantId, replyId, recipientId, now],
  );
}
