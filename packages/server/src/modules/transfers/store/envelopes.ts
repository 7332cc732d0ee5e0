import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// The file-key envelopes of level-3/4 transfers (transfer_envelopes): the sender's, the
// recipients', the departments' (services/envelopes.ts), and marking a transfer end-to-end.

/** The account an e-mail recipient `r` is, or will be known as: bound on opening, else by address. */
export const recipientAccount = `coalesce(r.account_id, (SELECT a.id FROM accounts a WHERE a.tenant_id = r.tenant_id AND a.email = r.email))`;

/** Locks a draft of this sender for its envelopes. @returns its level, or undefined. */
export async function lockSenderDraft(
  tx: Queryable,
  tenantId: string,
  transferId: string,
  staffId: string,
): Promise<number | undefined> {
  const draft = await one<{ level: number }>(
    tx,
    `SELECT level FROM transfers WHERE tenant_id = $1 AND id = $2 AND status = 'draft' AND sender_staff_id = $3 FOR UPDATE`,
    [tenantId, transferId, staffId],
  );
  return draft?.level;
}

/** Deletes every envelope of a transfer (a draft's are replaced as a whole). */
export async function deleteTransferEnvelopes(
  tx: Queryable,
  tenantId: string,
  transferId: string,
): Promise<void> {
  await tx.query(`DELETE FROM transfer_envelopes WHERE tenant_id = $1 AND transfer_id = $2`, [
    tenantId,
    transferId,
  ]);
}

export interface NewEnvelope {
  tenantId: string;
  id: string;
  transferId: string;
  envelope: Buffer;
  now: Date;
  staffId: string;
}

export async function insertSenderEnvelope(
  tx: Queryable,
  e: NewEnvelope,
  personalKeyId: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, personal_key_id, envelope, created_at, created_by) VALUES ($1, $2, $3, 'sender', $4, $5, $6, $7)`,
    [e.tenantId, e.id, e.transferId, personalKeyId, e.envelope, e.now, e.staffId],
  );
}

/**
 * A recipient's envelope, bound to the current personal key of the account the recipient (by
 * address) is. @returns false when there is no such recipient, or it has no key.
 */
export async function insertRecipientEnvelope(
  tx: Queryable,
  e: NewEnvelope,
  email: string,
): Promise<boolean> {
  const rows = await tx.query(
    `-- reads personal_keys (owner: keys), accounts (owner: accounts): the envelope is bound to the key in the same statement that checks it
     INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, personal_key_id, envelope, created_at, created_by)
           SELECT $1, $2, $3, 'recipient', r.id, k.id, $5, $6, $7 FROM transfer_recipients r
             JOIN personal_keys k ON k.tenant_id = r.tenant_id AND k.account_id = ${recipientAccount} AND k.retired_at IS NULL
           WHERE r.tenant_id = $1 AND r.transfer_id = $3 AND r.email = $4 RETURNING id`,
    [e.tenantId, e.id, e.transferId, email, e.envelope, e.now, e.staffId],
  );
  return rows.length > 0;
}

/**
 * A department's envelope, for a current key of a department the sender belongs to.
 * @returns false when the key is no such key.
 */
export async function insertDepartmentEnvelope(
  tx: Queryable,
  e: NewEnvelope,
  departmentKeyId: string | null,
): Promise<boolean> {
  const rows = await tx.query(
    `-- reads department_keys (owner: postbox), department_members (owner: staff): transfers may not import postbox, which comes later
     INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, department_key_id, envelope, created_at, created_by)
           SELECT $1, $2, $3, 'department', k.id, $5, $6, $7 FROM department_keys k
             JOIN department_members m ON m.tenant_id = k.tenant_id AND m.department_id = k.department_id AND m.staff_id = $7
           WHERE k.tenant_id = $1 AND k.id = $4 AND k.retired_at IS NULL RETURNING id`,
    [e.tenantId, e.id, e.transferId, departmentKeyId, e.envelope, e.now, e.staffId],
  );
  return rows.length > 0;
}

export async function hasSenderEnvelope(
  tx: Queryable,
  tenantId: string,
  transferId: string,
): Promise<boolean> {
  const own = await one(
    tx,
    `SELECT 1 AS x FROM transfer_envelopes WHERE tenant_id = $1 AND transfer_id = $2 AND holder = 'sender'`,
    [tenantId, transferId],
  );
  return own !== undefined;
}

/** Marks a transfer and its files end-to-end (the files are "not scanned (end-to-end encrypted)"). */
export async function markEndToEnd(
  tx: Queryable,
  tenantId: string,
  transferId: string,
  message: boolean,
): Promise<void> {
  await tx.query(
    `UPDATE transfers SET e2e = 'recipients', e2e_message = $3 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, transferId, message],
  );
  await tx.query(`UPDATE transfer_files SET scan_status = 'e2e' WHERE tenant_id = $1 AND transfer_id = $2`, [
    tenantId,
    transferId,
  ]);
}

/** A recipient's envelope and the public key it was made for. */
export async function recipientEnvelopeRow(
  q: Queryable,
  tenantId: string,
  recipientId: string,
): Promise<{ envelope: Buffer; public_key: string | null } | undefined> {
  return one<{ envelope: Buffer; public_key: string | null }>(
    q,
    `-- reads personal_keys (owner: keys): the key the envelope was made for, with it
     SELECT e.envelope, k.public_key FROM transfer_envelopes e LEFT JOIN personal_keys k ON k.tenant_id = e.tenant_id AND k.id = e.personal_key_id
     WHERE e.tenant_id = $1 AND e.recipient_id = $2`,
    [tenantId, recipientId],
  );
}

/** The sender's own envelope of a transfer this staff member sent. */
export async function senderEnvelope(
  q: Queryable,
  tenantId: string,
  transferId: string,
  staffId: string,
): Promise<Buffer | undefined> {
  const row = await one<{ envelope: Buffer }>(
    q,
    `SELECT e.envelope FROM transfer_envelopes e JOIN transfers t ON t.tenant_id = e.tenant_id AND t.id = e.transfer_id
     WHERE e.tenant_id = $1 AND e.transfer_id = $2 AND e.holder = 'sender' AND t.sender_staff_id = $3`,
    [tenantId, transferId, staffId],
  );
  return row?.envelope;
}

/** The addressee's envelope of a level-3/4 reply addressed to this staff member. */
export async function addresseeEnvelope(
  q: Queryable,
  tenantId: string,
  transferId: string,
  staffId: string,
): Promise<Buffer | undefined> {
  const row = await one<{ envelope: Buffer }>(
    q,
    `SELECT e.envelope FROM transfer_envelopes e JOIN transfers t ON t.tenant_id = e.tenant_id AND t.id = e.transfer_id
     WHERE e.tenant_id = $1 AND e.transfer_id = $2 AND e.holder = 'addressee' AND t.to_staff_id = $3`,
    [tenantId, transferId, staffId],
  );
  return row?.envelope;
}

/**
 * A department's envelope of the transfer that this member can open: a current department key
 * of theirs, with their share of it made for their current personal key.
 */
export async function memberDepartmentEnvelope(
  q: Queryable,
  tenantId: string,
  transferId: string,
  staffId: string,
): Promise<{ envelope: Buffer; key_id: string; public_key: string; share: Buffer } | undefined> {
  return one<{ envelope: Buffer; key_id: string; public_key: string; share: Buffer }>(
    q,
    `-- reads department_keys, department_key_shares (owner: postbox), personal_keys (owner: keys), department_members (owner: staff): one envelope with the member's way to open it; transfers may not import postbox
     SELECT e.envelope, e.department_key_id AS key_id, k.public_key, s.wrapped_private_key AS share FROM transfer_envelopes e
       JOIN department_keys k ON k.tenant_id = e.tenant_id AND k.id = e.department_key_id
       JOIN department_key_shares s ON s.tenant_id = e.tenant_id AND s.key_id = e.department_key_id AND s.staff_id = $3
       JOIN personal_keys p ON p.tenant_id = s.tenant_id AND p.id = s.personal_key_id AND p.retired_at IS NULL
       JOIN department_members m ON m.tenant_id = k.tenant_id AND m.department_id = k.department_id AND m.staff_id = $3
     WHERE e.tenant_id = $1 AND e.transfer_id = $2 AND e.holder = 'department' LIMIT 1`,
    [tenantId, transferId, staffId],
  );
}
