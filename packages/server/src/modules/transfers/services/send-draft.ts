import { hashToken } from '../../../adapters/secrets.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import { sealEndToEnd } from './envelopes.ts';
import { sealReply } from './reply-envelopes.ts';
import { notifyOrganisation } from '../../organisations/index.ts';
import type { Staff } from '../../staff/index.ts';
import { getStaff } from '../../staff/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { tenantBaseUrl } from '../../tenants/index.ts';
import { replyArrivedMail, transferNotificationMail } from '../mails.ts';
import { passwordAnswerMail, sealToPassword } from '../password.ts';
import { queueForScan } from '../scan-status.ts';
import { markRecipientNotified, recipientsToNotify, setRecipientLink } from '../store/recipients.ts';
import { incompleteFileCount, lockTransferRow, markTransferSent } from '../store/transfer-rows.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'blobs' | 'scanner'>;

export interface SentRecipient {
  email: string;
  link: string;
}

/** Who sends: a staff member, or a recipient replying through their link. */
export type DraftSender =
  | { kind: 'staff'; staff: Staff }
  | { kind: 'recipient'; recipientId: string; email: string; name?: string | undefined };

/**
 * Sends a draft: every file must be complete; the expiry starts now; each recipient gets a
 * link carrying a fresh 256-bit secret (only its hash is stored) in a notification mail. All
 * of it commits together, mails included, so a refused mail leaves the draft unsent.
 * @returns the links, for the CLI and API (shown once; the server cannot show them again).
 * @throws {AppError} ERR_NOT_FOUND (no such draft of this sender), ERR_TRANSFER_INCOMPLETE.
 */
export async function sendDraft(
  deps: Deps,
  tenant: Tenant,
  sender: DraftSender,
  transferId: string,
  ipPrefix: string | undefined,
  /** For an answer to a password drop-off (postbox routes): its P envelope, made in the browser. */
  opts: { passwordEnvelope?: Uint8Array | undefined } = {},
): Promise<{ id: string; recipients: SentRecipient[] }> {
  return deps.db.transaction(async (tx) => {
    const row = await lockTransferRow(tx, tenant.id, transferId);
    const owns =
      row?.status === 'draft' &&
      (sender.kind === 'staff'
        ? row.sender_staff_id === sender.staff.id
        : row.sender_recipient_id === sender.recipientId);
    if (!owns) throw new AppError('ERR_NOT_FOUND');
    if ((await incompleteFileCount(tx, tenant.id, transferId)) > 0)
      throw new AppError('ERR_TRANSFER_INCOMPLETE');
    // Levels 3 and 4: only ciphertext and envelopes here; the sender's own envelope is a must.
    // A draft marked for a password (an answer to a password drop-off) takes its P envelope instead.
    if (row.level >= 3 && sender.kind === 'staff') {
      if (row.e2e === 'password') await sealToPassword(tx, tenant.id, transferId, opts.passwordEnvelope);
      else await sealEndToEnd(tx, tenant.id, transferId, row.level);
    }
    // A reply at level 3/4 (keys/replies.ts): its envelopes for the addressee and the replier.
    if (row.level >= 3 && sender.kind === 'recipient') await sealReply(tx, tenant, transferId);
    const now = deps.clock.now();
    const chosenMs = row.expires_at.getTime() - row.created_at.getTime();
    const expiresAt = new Date(now.getTime() + chosenMs);
    await markTransferSent(tx, tenant.id, transferId, now, expiresAt);
    const base = tenantBaseUrl(tenant, deps.config);
    const links: SentRecipient[] = [];
    if (sender.kind === 'staff') {
      const senderName = sender.staff.displayName ?? sender.staff.email;
      for (const r of await recipientsToNotify(tx, tenant.id, transferId)) {
        if (r.organisation_id !== null) {
          // An organisation's postbox: no link secret; its members open it after signing in.
          await markRecipientNotified(tx, tenant.id, r.id, now);
          links.push({
            email: r.email,
            link: await notifyOrganisation(tx, deps, tenant, r.organisation_id, r.locale),
          });
          continue;
        }
        const token = deps.secrets.token();
        await setRecipientLink(tx, tenant.id, r.id, hashToken(token), now);
        const link = `${base}/t/${token}`;
        links.push({ email: r.email, link });
        await deps.mailer.send(
          row.e2e === 'password'
            ? passwordAnswerMail(r.email, r.locale, { senderName, tenantName: tenant.name, expiresAt, link })
            : transferNotificationMail(r.email, r.locale, {
                senderName,
                tenantName: tenant.name,
                expiresAt,
                link,
                level: row.level,
              }),
        );
      }
    } else {
      await queueForScan(tx, deps, tenant.id, transferId, { e2e: row.level >= 3 });
    }
    if (sender.kind === 'recipient' && row.to_staff_id !== null) {
      const to = await getStaff(tx, tenant.id, row.to_staff_id);
      if (to?.status === 'active') {
        await deps.mailer.send(
          replyArrivedMail(to.email, tenant.settings.defaultLocale ?? 'de', {
            from: sender.name ?? sender.email,
            tenantName: tenant.name,
            link: `${base}/transfers/${transferId}`,
          }),
        );
      }
    }
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor:
        sender.kind === 'staff'
          ? { kind: 'staff', id: sender.staff.id }
          : { kind: 'guest', id: sender.recipientId },
      action: row.in_reply_to === null ? 'transfer.sent' : 'transfer.replied',
      subject: { kind: 'transfer', id: transferId },
      ipPrefix,
      details: { level: row.level, files: row.file_count, recipients: links.length },
    });
    return { id: transferId, recipients: links };
  });
}
