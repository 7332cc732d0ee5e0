import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { Locale } from '@amtsbote/contracts';

/** One recipient row as a link resolves it. */
export interface RecipientRow {
  id: string;
  email: string;
  account_id: string | null;
  transfer_id: string;
}

export async function recipientByTokenHash(
  q: Queryable,
  tenantId: string,
  tokenHash: Buffer,
): Promise<RecipientRow | undefined> {
  return one<RecipientRow>(
    q,
    `SELECT id, email, account_id, transfer_id FROM transfer_recipients WHERE token_hash = $1 AND tenant_id = $2`,
    [tokenHash, tenantId],
  );
}

export async function recipientById(
  q: Queryable,
  tenantId: string,
  recipientId: string,
): Promise<RecipientRow | undefined> {
  return one<RecipientRow>(
    q,
    `SELECT id, email, account_id, transfer_id FROM transfer_recipients WHERE tenant_id = $1 AND id = $2`,
    [tenantId, recipientId],
  );
}

export interface RecipientStateRow {
  id: string;
  email: string;
  notified_at: Date | null;
  first_opened_at: Date | null;
  first_downloaded_at: Date | null;
}

export async function recipientStateRows(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<RecipientStateRow[]> {
  return q.query<RecipientStateRow>(
    `SELECT id, email, notified_at, first_opened_at, first_downloaded_at FROM transfer_recipients
     WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY email`,
    [tenantId, transferId],
  );
}

export async function downloadRows(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<{ recipient_id: string | null; file_id: string | null; at: Date }[]> {
  return q.query(
    `SELECT recipient_id, file_id, at FROM transfer_downloads WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY at`,
    [tenantId, transferId],
  );
}

/** Whom a sent transfer notifies: addresses, and the organisation an address stands for. */
export async function recipientsToNotify(
  q: Queryable,
  tenantId: string,
  transferId: string,
): Promise<{ id: string; email: string; locale: Locale; organisation_id: string | null }[]> {
  return q.query(
    `SELECT id, email, locale, organisation_id FROM transfer_recipients WHERE tenant_id = $1 AND transfer_id = $2 ORDER BY email`,
    [tenantId, transferId],
  );
}

export async function markRecipientNotified(
  q: Queryable,
  tenantId: string,
  recipientId: string,
  at: Date,
): Promise<void> {
  await q.query(`UPDATE transfer_recipients SET notified_at = $3 WHERE tenant_id = $1 AND id = $2`, [
    tenantId,
    recipientId,
    at,
  ]);
}

/** The recipient's link: only the hash of its secret is kept. */
export async function setRecipientLink(
  q: Queryable,
  tenantId: string,
  recipientId: string,
  tokenHash: Buffer,
  notifiedAt: Date,
): Promise<void> {
  await q.query(
    `UPDATE transfer_recipients SET token_hash = $3, notified_at = $4 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, recipientId, tokenHash, notifiedAt],
  );
}

export async function markRecipientOpened(
  q: Queryable,
  tenantId: string,
  recipientId: string,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE transfer_recipients SET first_opened_at = coalesce(first_opened_at, $3) WHERE tenant_id = $1 AND id = $2`,
    [tenantId, recipientId, at],
  );
}

/** Binds a recipient to the account that proved its address; an existing binding stays. */
export async function bindRecipientAccount(
  q: Queryable,
  tenantId: string,
  recipientId: string,
  accountId: string,
): Promise<void> {
  await q.query(
    `UPDATE transfer_recipients SET account_id = $3 WHERE tenant_id = $1 AND id = $2 AND account_id IS NULL`,
    [tenantId, recipientId, accountId],
  );
}

export async function recipientEmail(
  q: Queryable,
  tenantId: string,
  recipientId: string,
): Promise<string | undefined> {
  const row = await one<{ email: string }>(
    q,
    `SELECT email FROM transfer_recipients WHERE tenant_id = $1 AND id = $2`,
    [tenantId, recipientId],
  );
  return row?.email;
}
