import type { Queryable } from '../../../adapters/db/index.ts';

// Used by the privacy module's erasure of a service account, inside its transaction.

/** The account's reply drafts never sent. */
export async function unsentDraftsOf(q: Queryable, tenantId: string, accountId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT id FROM transfers WHERE tenant_id = $1 AND sender_account_id = $2 AND status = 'draft'`,
    [tenantId, accountId],
  );
  return rows.map((r) => r.id);
}

/** A transfer row, once its content has ended (its files and recipients go by cascade). */
export async function deleteTransferRow(q: Queryable, tenantId: string, transferId: string): Promise<void> {
  await q.query(`DELETE FROM transfers WHERE tenant_id = $1 AND id = $2`, [tenantId, transferId]);
}
