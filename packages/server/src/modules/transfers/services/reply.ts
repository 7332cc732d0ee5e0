import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { requireReplyKeys } from './reply-envelopes.ts';
import type { Tenant } from '../../tenants/index.ts';
import type { Draft } from '../drafts.ts';
import { createDraft } from '../drafts.ts';
import type { RecipientAccess } from '../recipients.ts';
import type { ReplyBody } from '../schemas.ts';
import { draftInputOf } from '../schemas.ts';

/**
 * Starts a reply draft to the transfer behind a link, addressed to its sender's postbox. To a
 * level-3/4 message an end-to-end reply goes at the same level (the replying account needs a
 * key, the addressee too); otherwise at level 2, or 1 to a level-1 message.
 * @throws {AppError} ERR_NOT_FOUND (no replies allowed), ERR_VALIDATION (field `level`),
 *   ERR_LINK_INVALID (end-to-end without a signed-in account), and see createDraft.
 */
export async function startReply(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>,
  tenant: Tenant,
  access: RecipientAccess,
  account: { id: string } | undefined,
  body: ReplyBody,
): Promise<Draft> {
  const t = access.transfer;
  if (!t.allow_reply || t.sender_staff_id === null) throw new AppError('ERR_NOT_FOUND');
  const asked = body.level;
  const endToEnd = asked !== undefined && asked >= 3;
  if (endToEnd && asked !== t.level)
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'level', code: 'ERR_VALIDATION' }] });
  if (endToEnd) {
    if (account === undefined) throw new AppError('ERR_LINK_INVALID');
    await requireReplyKeys(deps.db, tenant, t.sender_staff_id, { kind: 'account', accountId: account.id });
  }
  const input = draftInputOf({
    ...body,
    level: endToEnd ? (t.level === 4 ? 4 : 3) : t.level === 1 ? 1 : 2,
    recipients: [],
  });
  return createDraft(
    deps,
    tenant,
    {
      kind: 'recipient',
      recipientId: access.recipientId,
      toStaffId: t.sender_staff_id,
      threadId: t.thread_id,
      inReplyTo: t.id,
    },
    { ...input, allowReply: false, notifyOnDownload: false, expiresInDays: undefined },
  );
}
