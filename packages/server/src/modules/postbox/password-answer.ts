import { fromBase64Url } from '@amtsbote/crypto';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { Staff } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import type { Draft } from '../transfers/index.ts';
import { answerE2eMode, createDraft, markAnswerToPassword } from '../transfers/index.ts';
import type { AnswerBody } from './schemas.ts';
import type { InboxItem } from './items.ts';

// The answer to an incoming transfer (docs/inbound.md, "Answering"): a transfer from the
// caseworker to the sender's address in the same thread. Levels 1 and 2 as any transfer; for a
// password drop-off also level 4 "to the same password": the caseworker's browser encrypted
// text, file names and files to the password the sender chose (islands/lib/password-send.ts),
// and the send request brings the P envelope (transfers/password.ts seals it). The sender keeps
// having no account: the link and their password open it.

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
      await markAnswerToPassword(tx, tenant.id, draft.id, item.transfer.id);
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
  const row = await answerE2eMode(deps.db, tenantId, draftId, itemId);
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
