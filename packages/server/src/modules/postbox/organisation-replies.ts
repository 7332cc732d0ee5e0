import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import type { Account } from '../accounts/index.ts';
import type { ReplyEnvelopeInput, ReplyKeys } from '../transfers/index.ts';
import { replyKeys, requireReplyKeys, storeReplyEnvelopes } from '../transfers/index.ts';
import { requireMember } from '../organisations/index.ts';
import type { Tenant } from '../tenants/index.ts';
import type { DraftInput } from '../transfers/index.ts';
import {
  createDraft,
  loadTransferView,
  organisationReplyDraftRecipient,
  sendDraft,
  setSenderAccount,
} from '../transfers/index.ts';
import { postboxScopeOf } from './organisation-postbox.ts';

/**
 * Replies in the organisation's name to a message in its postbox: any member may start, fill
 * and send one (there are no finer rights). At levels 3 and 4 the member's browser wraps the
 * file key (keys module, replies) for the organisation's key.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'blobs'>;

/**
 * Starts a reply in the organisation's name to a received message; its files then go through
 * the upload endpoint, which lets any member of the organisation write to it.
 * @throws {AppError} ERR_NOT_FOUND (no member, no such message, replies not allowed); the draft's own checks.
 */
export async function startOrganisationReply(
  deps: Deps,
  input: {
    tenant: Tenant;
    organisationId: string;
    account: Account;
    transferId: string;
    draft: Omit<DraftInput, 'recipients' | 'allowReply' | 'notifyOnDownload' | 'expiresInDays'>;
  },
): Promise<{ id: string; files: { id: string; name: string; size: number }[] }> {
  await requireMember(deps.db, input.tenant.id, input.organisationId, input.account.id);
  const scope = await postboxScopeOf(deps.db, input.tenant.id, input.organisationId, input.transferId);
  if (scope?.direction !== 'received') throw new AppError('ERR_NOT_FOUND');
  const original = await loadTransferView(deps, input.tenant.id, input.transferId);
  if (original?.status !== 'sent' || !original.allowReply || original.senderStaffId === null)
    throw new AppError('ERR_NOT_FOUND');
  // To a level-3/4 message: at the same level, end-to-end from the member's browser, wrapped for
  // the organisation's key (keys/replies.ts); anything else goes at level 1 or 2 as before.
  const endToEnd = input.draft.level >= 3;
  if (endToEnd && input.draft.level !== original.level)
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'level', code: 'ERR_VALIDATION' }] });
  if (endToEnd)
    await requireReplyKeys(deps.db, input.tenant, original.senderStaffId, {
      kind: 'organisation',
      organisationId: input.organisationId,
    });
  const draft = await createDraft(
    deps,
    input.tenant,
    {
      kind: 'recipient',
      recipientId: scope.recipientId,
      toStaffId: original.senderStaffId,
      threadId: original.threadId,
      inReplyTo: original.id,
    },
    {
      ...input.draft,
      level: endToEnd ? input.draft.level : original.level === 1 ? 1 : 2,
      recipients: [],
      allowReply: false,
      notifyOnDownload: false,
      expiresInDays: undefined,
    },
  );
  await setSenderAccount(deps.db, input.tenant.id, draft.id, input.account.id);
  return draft;
}

/**
 * The keys a member's browser wraps a level-3/4 reply in the organisation's name for.
 * @throws {AppError} ERR_NOT_FOUND (no member, no such message, replies not allowed, level 1–2)
 */
export async function organisationReplyKeys(
  deps: Deps,
  input: { tenant: Tenant; organisationId: string; account: Account; transferId: string },
): Promise<ReplyKeys & { level: number }> {
  await requireMember(deps.db, input.tenant.id, input.organisationId, input.account.id);
  const scope = await postboxScopeOf(deps.db, input.tenant.id, input.organisationId, input.transferId);
  if (scope?.direction !== 'received') throw new AppError('ERR_NOT_FOUND');
  const original = await loadTransferView(deps, input.tenant.id, input.transferId);
  if (
    original?.status !== 'sent' ||
    !original.allowReply ||
    original.senderStaffId === null ||
    original.level < 3
  )
    throw new AppError('ERR_NOT_FOUND');
  const keys = await replyKeys(deps.db, input.tenant, original.senderStaffId, {
    kind: 'organisation',
    organisationId: input.organisationId,
  });
  return { level: original.level, ...keys };
}

/**
 * The envelopes of a level-3/4 reply draft of the organisation (keys/replies.ts).
 * @throws {AppError} ERR_NOT_FOUND; see storeReplyEnvelopes.
 */
export async function storeOrganisationReplyEnvelopes(
  deps: Deps,
  input: {
    tenant: Tenant;
    organisationId: string;
    account: Account;
    replyId: string;
    envelopes: ReplyEnvelopeInput[];
  },
): Promise<void> {
  await requireMember(deps.db, input.tenant.id, input.organisationId, input.account.id);
  const recipientId = await organisationReplyDraftRecipient(
    deps.db,
    input.tenant.id,
    input.replyId,
    input.organisationId,
  );
  if (recipientId === undefined) throw new AppError('ERR_NOT_FOUND');
  await storeReplyEnvelopes(
    deps,
    input.tenant,
    { recipientId, owner: { kind: 'organisation', organisationId: input.organisationId } },
    input.replyId,
    input.envelopes,
  );
}

/**
 * Sends a reply draft of the organisation (any member may: there are no finer rights).
 * @throws {AppError} ERR_NOT_FOUND, ERR_TRANSFER_INCOMPLETE
 */
export async function sendOrganisationReply(
  deps: AppDeps,
  input: {
    tenant: Tenant;
    organisationId: string;
    account: Account;
    replyId: string;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  const { organisation } = await requireMember(
    deps.db,
    input.tenant.id,
    input.organisationId,
    input.account.id,
  );
  const recipientId = await organisationReplyDraftRecipient(
    deps.db,
    input.tenant.id,
    input.replyId,
    input.organisationId,
  );
  if (recipientId === undefined) throw new AppError('ERR_NOT_FOUND');
  await sendDraft(
    deps,
    input.tenant,
    {
      kind: 'recipient',
      recipientId,
      email: organisation.contactEmail,
      name: organisation.name,
    },
    input.replyId,
    input.ipPrefix,
  );
  await recordAudit(deps.db, {
    tenantId: input.tenant.id,
    at: deps.clock.now(),
    actor: { kind: 'account', id: input.account.id },
    action: 'organisation.replied',
    subject: { kind: 'transfer', id: input.replyId },
    ipPrefix: input.ipPrefix,
    details: { organisation: input.organisationId },
  });
}
