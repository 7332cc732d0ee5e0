import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Added for the organisation postbox's replies in an organisation's name
// (postbox/organisation-replies.ts).

/** Records which member's account made a reply draft in the organisation's name. */
export async function setSenderAccount(
  q: Queryable,
  tenantId: string,
  transferId: string,
  accountId: string,
): Promise<void> {
  await q.query(`UPDATE transfers SET sender_account_id = $3 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    transferId,
    accountId,
  ]);
}

/** The organisation's recipient row that a reply draft is sent from, or undefined. */
export async function organisationReplyDraftRecipient(
  q: Queryable,
  tenantId: string,
  replyId: string,
  organisationId: string,
): Promise<string | undefined> {
  const row = await one<{ recipient_id: string }>(
    q,
    `SELECT r.id AS recipient_id FROM transfers t JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.id = t.sender_recipient_id
     WHERE t.tenant_id = $1 AND t.id = $2 AND r.organisation_id = $3 AND t.status = 'draft'`,
    [tenantId, replyId, organisationId],
  );
  return row?.recipient_id;
}
