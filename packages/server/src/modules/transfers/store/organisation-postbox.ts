import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Added for the organisation postbox (postbox/organisation-postbox.ts, organisation-envelope.ts):
// the transfers addressed to an organisation and the replies sent in its name.

export interface OrganisationPostboxRow {
  id: string;
  status: 'draft' | 'sent' | 'revoked' | 'expired';
  expires_at: Date;
  content_key: Buffer | null;
  subject: Buffer | null;
  at: Date;
  direction: 'received' | 'sent';
  sender_staff_id: string | null;
  author: string | null;
}

/** Messages in and out of an organisation's postbox, newest first (at most 200). */
export async function organisationPostboxRows(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<OrganisationPostboxRow[]> {
  return q.query<OrganisationPostboxRow>(
    `-- reads accounts (owner: accounts): a listing of up to 200, the author's name without a query per row
     SELECT t.id, t.status, t.expires_at, t.content_key, t.subject, coalesce(t.sent_at, t.created_at) AS at, 'received' AS direction, t.sender_staff_id, NULL AS author
     FROM transfer_recipients r JOIN transfers t ON t.tenant_id = r.tenant_id AND t.id = r.transfer_id
     WHERE r.tenant_id = $1 AND r.organisation_id = $2 AND t.status <> 'draft'
     UNION ALL
     SELECT t.id, t.status, t.expires_at, t.content_key, t.subject, coalesce(t.sent_at, t.created_at) AS at, 'sent' AS direction, t.sender_staff_id,
       (SELECT coalesce(a.display_name, a.email) FROM accounts a WHERE a.tenant_id = t.tenant_id AND a.id = t.sender_account_id) AS author
     FROM transfers t JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.id = t.sender_recipient_id
     WHERE t.tenant_id = $1 AND r.organisation_id = $2 AND t.status <> 'draft'
     ORDER BY at DESC LIMIT 200`,
    [tenantId, organisationId],
  );
}

/** The organisation's recipient row of a transfer addressed to it. */
export async function organisationRecipientOf(
  q: Queryable,
  tenantId: string,
  transferId: string,
  organisationId: string,
): Promise<string | undefined> {
  const row = await one<{ id: string }>(
    q,
    `SELECT id FROM transfer_recipients WHERE tenant_id = $1 AND transfer_id = $2 AND organisation_id = $3`,
    [tenantId, transferId, organisationId],
  );
  return row?.id;
}

/** The organisation's recipient row a sent (not draft) reply in its name came from. */
export async function organisationSentReplyRecipient(
  q: Queryable,
  tenantId: string,
  transferId: string,
  organisationId: string,
): Promise<string | undefined> {
  const row = await one<{ id: string }>(
    q,
    `SELECT r.id FROM transfers t JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.id = t.sender_recipient_id
     WHERE t.tenant_id = $1 AND t.id = $2 AND r.organisation_id = $3 AND t.status <> 'draft'`,
    [tenantId, transferId, organisationId],
  );
  return row?.id;
}

/** The name of the member's account that sent a transfer in an organisation's name. */
export async function senderAccountName(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<string | undefined> {
  const row = await one<{ name: string }>(
    q,
    `-- reads accounts (owner: accounts): the author's name with the transfer, for each item of a thread
     SELECT coalesce(a.display_name, a.email) AS name FROM transfers t JOIN accounts a ON a.tenant_id = t.tenant_id AND a.id = t.sender_account_id WHERE t.tenant_id = $1 AND t.id = $2`,
    [tenantId, transferId],
  );
  return row?.name;
}

/**
 * A level-3/4 message (not a draft) addressed to the organisation: undefined when there is none;
 * else its envelope for the organisation's key, null while the sender's side has not made it.
 */
export async function organisationReceivedEnvelope(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  transferId: string,
): Promise<{ envelope: Buffer | null } | undefined> {
  return one<{ envelope: Buffer | null }>(
    q,
    `SELECT e.envelope FROM transfer_recipients r JOIN transfers t ON t.tenant_id = r.tenant_id AND t.id = r.transfer_id
       LEFT JOIN transfer_envelopes e ON e.tenant_id = r.tenant_id AND e.recipient_id = r.id AND e.personal_key_id IS NULL
     WHERE r.tenant_id = $1 AND r.organisation_id = $2 AND r.transfer_id = $3 AND t.level >= 3 AND t.status <> 'draft'`,
    [tenantId, organisationId, transferId],
  );
}

/** The organisation's own envelope of a live level-3/4 reply sent in its name from `recipientId`. */
export async function organisationReplyEnvelope(
  q: Queryable,
  tenantId: string,
  transferId: string,
  recipientId: string,
  now: Date,
): Promise<Buffer | undefined> {
  const row = await one<{ envelope: Buffer }>(
    q,
    `SELECT e.envelope FROM transfers t
       JOIN transfer_envelopes e ON e.tenant_id = t.tenant_id AND e.transfer_id = t.id
         AND e.holder = 'sender' AND e.personal_key_id IS NULL
     WHERE t.tenant_id = $1 AND t.id = $2 AND t.sender_recipient_id = $3 AND t.status = 'sent'
       AND t.e2e = 'recipients' AND t.ended_at IS NULL AND t.expires_at > $4`,
    [tenantId, transferId, recipientId, now],
  );
  return row?.envelope;
}
