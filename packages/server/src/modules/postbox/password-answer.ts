import { fromBase64Url } from '@amtsbote/crypto';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { Staff } from '../staff/service.ts';
import type { Tenant } from '../tenants/service.ts';
import type { Draft } from '../transfers/drafts.ts';
import { createDraft } from '../transfers/drafts.ts';
import type { InboxItem } from './service.ts';

// The answer to an incoming transfer (docs/inbound.md, "Answering"): a transfer from the
// caseworker to the sender's address in the same thread. Levels 1 and 2 as any transfer; for a
// password drop-off also level 4 "to the same password": the caseworker's browser encrypted
// text, file names and files to the password the sender chose (islands/lib/password-send.ts),
// and the send request brings the P envelope (transfers/password.ts seals it). The sender keeps
// having no account: the link and their password open it.

export interface AnswerBody {
  level: 1 | 2 | 4;
  subject: string;
  message?: string;
  expiresInDays?: number;
  notifyOnDownload?: boolean;
  allowReply?: boolean;
  files: { name: string; size: number; type?: string }[];
}

/**
 * Creates the answer's draft. Level 4 only for a password drop-off; its draft is marked for a
 * password (so only a P envelope can send it), takes no replies (a reply could only be sent
 * unencrypted), and its mail goes out in the sender's language.
 * @throws {AppError} ERR_VALIDATION (level 4 to anything but a password drop-off), and those of createDraft.
 */
export async function createAnswerDraft(
  deps: AppDeps,
  tenant: Tenant,
  staff: Staff,
  item: InboxItem,
  b: AnswerBody,
): Promise<Draft> {
  const email = item.guest.email;
  if (item.entry.status !== 'sent' || email === undefined) throw new AppError('ERR_NOT_FOUND');
  const toPassword = b.level === 4;
  if (toPassword && item.entry.e2e !== 'password')
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'level', code: 'ERR_VALIDATION' }] });
  const draft = await createDraft(
    deps,
    tenant,
    { kind: 'staff', staffId: staff.id, threadId: item.transfer.threadId, inReplyTo: item.transfer.id },
    {
      level: b.level,
      recipients: [email],
      subject: b.subject.trim(),
      message: b.message ?? '',
      expiresInDays: b.expiresInDays,
      notifyOnDownload: b.notifyOnDownload ?? true,
      allowReply: toPassword ? false : (b.allowReply ?? true),
      files: b.files.map((f) => ({ name: f.name, size: f.size, type: f.type ?? '' })),
    },
  );
  if (toPassword) {
    // Should this fail, the draft stays a level-4 draft without any envelope: nothing can send
    // it, and the draft sweep removes it.
    await deps.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE transfers SET e2e = 'password', e2e_message = true WHERE tenant_id = $1 AND id = $2 AND status = 'draft'`,
        [tenant.id, draft.id],
      );
      await tx.query(
        `UPDATE transfer_recipients r SET locale = g.locale FROM transfer_guests g
         WHERE r.tenant_id = $1 AND r.transfer_id = $2 AND g.tenant_id = $1 AND g.transfer_id = $3`,
        [tenant.id, draft.id, item.transfer.id],
      );
    });
  }
  return draft;
}

/**
 * The answer draft of this item with its kind, for the send step; the envelope decoded.
 * @throws {AppError} ERR_NOT_FOUND (not an answer to this item), ERR_VALIDATION (field
 *   `envelope`: one for an answer that is not to a password, or not base64url).
 */
export async function answerToSend(
  deps: Pick<AppDeps, 'db'>,
  tenantId: string,
  itemId: string,
  draftId: string,
  envelopeText: string | undefined,
): Promise<{ passwordEnvelope: Uint8Array | undefined }> {
  const rows = await deps.db.query<{ e2e: string | null }>(
    `SELECT e2e FROM transfers WHERE tenant_id = $1 AND id = $2 AND in_reply_to = $3`,
    [tenantId, draftId, itemId],
  );
  const row = rows[0];
  if (row === undefined) throw new AppError('ERR_NOT_FOUND');
  const bad = new AppError('ERR_VALIDATION', { fields: [{ field: 'envelope', code: 'ERR_VALIDATION' }] });
  if (envelopeText === undefined) return { passwordEnvelope: undefined };
  if (row.e2e !== 'password') throw bad;
  try {
    return { passwordEnvelope: fromBase64Url(envelopeText) };
  } catch (err) {
    throw new AppError('ERR_VALIDATION', {
      fields: [{ field: 'envelope', code: 'ERR_VALIDATION' }],
      cause: err,
    });
  }
}
