import type { Queryable } from '../../../adapters/db/index.ts';

// What the department postbox asks of `transfers` for an answer to an incoming transfer.

/**
 * Marks an answer draft as end-to-end to the password of the drop-off it answers (so only a P
 * envelope can send it), and its mail to go out in that sender's language.
 */
export async function markAnswerToPassword(
  q: Queryable,
  tenantId: string,
  draftId: string,
  answeredId: string,
): Promise<void> {
  await q.query(
    `UPDATE transfers SET e2e = 'password', e2e_message = true WHERE tenant_id = $1 AND id = $2 AND status = 'draft'`,
    [tenantId, draftId],
  );
  await q.query(
    `UPDATE transfer_recipients r SET locale = g.locale FROM transfer_guests g
     WHERE r.tenant_id = $1 AND r.transfer_id = $2 AND g.tenant_id = $1 AND g.transfer_id = $3`,
    [tenantId, draftId, answeredId],
  );
}

/**
 * How an answer to `answeredId` is end-to-end encrypted (null: not at all); undefined when
 * `draftId` is no answer to it.
 */
export async function answerE2eMode(
  q: Queryable,
  tenantId: string,
  draftId: string,
  answeredId: string,
): Promise<{ e2e: string | null } | undefined> {
  const rows = await q.query<{ e2e: string | null }>(
    `SELECT e2e FROM transfers WHERE tenant_id = $1 AND id = $2 AND in_reply_to = $3`,
    [tenantId, draftId, answeredId],
  );
  return rows[0];
}
