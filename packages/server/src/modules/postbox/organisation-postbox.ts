import type { Queryable } from '../../adapters/db/index.ts';
import { openText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { Notice, OrganisationAccess } from '../organisations/index.ts';
import { listNotices, requireMember } from '../organisations/index.ts';
import type { TransferView } from '../transfers/index.ts';
import {
  contentKeyContext,
  effectiveStatus,
  loadTransferView,
  openAsRecipient,
  organisationPostboxRows,
  organisationRecipientOf,
  organisationSentReplyRecipient,
  recipientAccessById,
  senderAccountName,
  staffNameOf,
  textContext,
  threadOf,
} from '../transfers/index.ts';

/**
 * The organisation's postbox: transfers staff addressed to the organisation (by its contact
 * address), the replies members sent in its name, and notices. All members see all of it; access
 * is the membership (organisations' policy), checked on every request, never a link.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'keyring'>;

export type PostboxItem =
  | {
      kind: 'received' | 'sent';
      id: string;
      subject: string | undefined;
      from: string;
      at: Date;
      status: string;
    }
  | { kind: 'notice'; id: string; notice: Notice; at: Date };

/** Everything in the postbox, newest first: messages in and out, and the notices the role may read. */
export async function organisationPostbox(
  deps: Deps,
  tenantId: string,
  access: OrganisationAccess,
): Promise<PostboxItem[]> {
  const orgId = access.organisation.id;
  const rows = await organisationPostboxRows(deps.db, tenantId, orgId);
  const now = deps.clock.now();
  const staffNames = new Map<string, string>();
  const items: PostboxItem[] = [];
  for (const r of rows) {
    const status = effectiveStatus(r, now);
    const key =
      r.content_key !== null && status === 'sent'
        ? deps.keyring.unwrap(r.content_key, contentKeyContext(tenantId, r.id))
        : undefined;
    let from = r.author ?? access.organisation.name;
    if (r.direction === 'received' && r.sender_staff_id !== null) {
      const name =
        staffNames.get(r.sender_staff_id) ?? (await staffNameOf(deps.db, tenantId, r.sender_staff_id)) ?? '';
      staffNames.set(r.sender_staff_id, name);
      from = name;
    }
    items.push({
      kind: r.direction,
      id: r.id,
      subject:
        key === undefined || r.subject === null
          ? undefined
          : openText(key, r.subject, textContext(r.id, 'subject')),
      from,
      at: r.at,
      status,
    });
  }
  for (const n of await listNotices(deps.db, deps, tenantId, orgId, access.role))
    items.push({ kind: 'notice', id: n.id, notice: n, at: n.createdAt });
  return items.sort((a, b) => b.at.getTime() - a.at.getTime());
}

export interface OrganisationTransfer {
  transfer: TransferView;
  /** The organisation's recipient row of the conversation (replies are sent as it). */
  recipientId: string;
  direction: 'received' | 'sent';
  thread: (TransferView & { author: string | undefined })[];
  senderName: string | undefined;
  canReply: boolean;
}

/** The organisation's recipient row for a received transfer, or the row a sent reply came from. */
export async function postboxScopeOf(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  transferId: string,
): Promise<{ recipientId: string; direction: 'received' | 'sent' } | undefined> {
  const received = await organisationRecipientOf(q, tenantId, transferId, organisationId);
  if (received !== undefined) return { recipientId: received, direction: 'received' };
  const sent = await organisationSentReplyRecipient(q, tenantId, transferId, organisationId);
  return sent === undefined ? undefined : { recipientId: sent, direction: 'sent' };
}

/**
 * One message of the postbox for a member: opening a received one counts as the organisation
 * opening it. The conversation shows only what belongs to the organisation.
 * @throws {AppError} ERR_NOT_FOUND for non-members and for transfers outside the postbox.
 */
export async function organisationTransfer(
  deps: Deps,
  input: {
    tenantId: string;
    organisationId: string;
    accountId: string;
    transferId: string;
    ipPrefix: string | undefined;
  },
): Promise<OrganisationTransfer> {
  await requireMember(deps.db, input.tenantId, input.organisationId, input.accountId);
  if (!/^[0-9a-f-]{36}$/i.test(input.transferId)) throw new AppError('ERR_NOT_FOUND');
  const scope = await postboxScopeOf(deps.db, input.tenantId, input.organisationId, input.transferId);
  if (scope === undefined) throw new AppError('ERR_NOT_FOUND');
  let transfer: TransferView | undefined;
  if (scope.direction === 'received') {
    const access = await recipientAccessById(deps, input.tenantId, scope.recipientId);
    if (access === undefined) throw new AppError('ERR_NOT_FOUND');
    transfer =
      access.transfer.status === 'draft'
        ? undefined
        : await openAsRecipient(deps, input.tenantId, access, input.ipPrefix);
  } else {
    transfer = await loadTransferView(deps, input.tenantId, input.transferId);
  }
  if (transfer === undefined) throw new AppError('ERR_NOT_FOUND');
  const thread: OrganisationTransfer['thread'] = [];
  for (const item of await threadOf(deps, input.tenantId, transfer.threadId)) {
    if (item.id === transfer.id) continue;
    const s = await postboxScopeOf(deps.db, input.tenantId, input.organisationId, item.id);
    if (s === undefined) continue;
    const author = await senderAccountName(deps.db, input.tenantId, item.id);
    thread.push({ ...item, author });
  }
  return {
    transfer,
    recipientId: scope.recipientId,
    direction: scope.direction,
    thread,
    senderName: await staffNameOf(deps.db, input.tenantId, transfer.senderStaffId),
    canReply:
      scope.direction === 'received' &&
      transfer.allowReply &&
      transfer.status === 'sent' &&
      transfer.senderStaffId !== null,
  };
}
