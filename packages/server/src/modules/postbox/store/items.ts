import type { Queryable } from '../../../adapters/db/index.ts';

// `postbox_items`: the department's handling of each incoming transfer (state, assignee, when
// first opened and answered).

/** A transfer that has just arrived in the postbox, assigned when it was addressed to someone. */
export async function insertPostboxItem(
  q: Queryable,
  tenantId: string,
  transferId: string,
  assignedStaffId: string | null,
): Promise<void> {
  await q.query(
    `INSERT INTO postbox_items (tenant_id, transfer_id, state, assigned_staff_id) VALUES ($1, $2, 'new', $3) ON CONFLICT DO NOTHING`,
    [tenantId, transferId, assignedStaffId],
  );
}

/** The first opening by staff; false when it had been opened before. */
export async function markItemFirstOpened(
  q: Queryable,
  tenantId: string,
  transferId: string,
  at: Date,
  staffId: string,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE postbox_items SET first_opened_at = $3, first_opened_by = $4, state = CASE WHEN state = 'new' THEN 'opened' ELSE state END
     WHERE tenant_id = $1 AND transfer_id = $2 AND first_opened_at IS NULL RETURNING transfer_id`,
    [tenantId, transferId, at, staffId],
  );
  return rows.length > 0;
}

export async function assignItem(
  q: Queryable,
  tenantId: string,
  transferId: string,
  staffId: string | null,
): Promise<void> {
  await q.query(`UPDATE postbox_items SET assigned_staff_id = $3 WHERE tenant_id = $1 AND transfer_id = $2`, [
    tenantId,
    transferId,
    staffId,
  ]);
}

export async function markItemDone(
  q: Queryable,
  tenantId: string,
  transferId: string,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE postbox_items SET state = 'done', done_at = $3 WHERE tenant_id = $1 AND transfer_id = $2`,
    [tenantId, transferId, at],
  );
}

/** Back to open: answered if it was, else opened. */
export async function reopenItem(q: Queryable, tenantId: string, transferId: string): Promise<void> {
  await q.query(
    `UPDATE postbox_items SET state = CASE WHEN answered_at IS NULL THEN 'opened' ELSE 'answered' END, done_at = NULL WHERE tenant_id = $1 AND transfer_id = $2`,
    [tenantId, transferId],
  );
}

/** After an answer went out: the item counts as answered (unless already done). */
export async function markAnswered(q: Queryable, tenantId: string, id: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE postbox_items SET answered_at = $3, state = CASE WHEN state = 'done' THEN 'done' ELSE 'answered' END WHERE tenant_id = $1 AND transfer_id = $2`,
    [tenantId, id, at],
  );
}
