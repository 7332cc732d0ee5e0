import type { FastifyRequest } from 'fastify';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import { openText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { tenantBaseUrl } from '../../http/urls.ts';
import { recordAudit } from '../audit/service.ts';
import type { Account } from '../accounts/service.ts';
import type { Tenant } from '../tenants/service.ts';
import type { DraftInput } from '../transfers/drafts.ts';
import { createDraft } from '../transfers/drafts.ts';
import { contentKeyContext, textContext } from '../transfers/keys.ts';
import type { TransferView } from '../transfers/service.ts';
import {
  effectiveStatus,
  loadTransferView,
  openAsRecipient,
  recipientAccessById,
  sendDraft,
  staffNameOf,
  threadOf,
} from '../transfers/service.ts';
import type { ReplyEnvelopeInput, ReplyKeys } from '../keys/replies.ts';
import { replyKeys, requireReplyKeys, storeReplyEnvelopes } from '../keys/replies.ts';
import type { OrganisationEnvelopeState } from './keys.ts';
import { keyState, organisationEnvelope } from './keys.ts';
import { postboxNotificationMail } from './mails.ts';
import type { Notice } from './notices.ts';
import { listNotices } from './notices.ts';
import type { OrganisationAccess } from './service.ts';
import { isMember, requireMember } from './service.ts';

/**
 * The organisation's postbox: transfers staff addressed to the organisation (by its contact
 * address), the replies members sent in its name, and notices. All members see all of it; access
 * is the membership, checked on every request, never a link.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'blobs'>;

/**
 * Inside sendDraft: tells the organisation's contact address that a message arrived (never the
 * content) and returns the postbox address for the sender's API answer.
 */
export async function notifyOrganisation(
  tx: Queryable,
  deps: Pick<Deps, 'mailer' | 'config'>,
  tenant: Tenant,
  organisationId: string,
  locale: 'de' | 'en',
): Promise<string> {
  const org = await one<{ name: string; contact_email: string }>(
    tx,
    `SELECT name, contact_email FROM organisations WHERE tenant_id = $1 AND id = $2`,
    [tenant.id, organisationId],
  );
  const link = `${tenantBaseUrl(tenant, deps.config)}/organisations/${organisationId}`;
  if (org !== undefined) {
    await tx.query(`UPDATE organisations SET last_active_at = now() WHERE tenant_id = $1 AND id = $2`, [
      tenant.id,
      organisationId,
    ]);
    await deps.mailer.send(
      postboxNotificationMail(org.contact_email, locale, {
        organisation: org.name,
        tenantName: tenant.name,
        link,
        what: 'message',
      }),
    );
  }
  return link;
}

/** For the upload endpoint: may the signed-in account write to this reply draft of its organisation? */
export async function organisationMemberMayUpload(
  deps: Pick<Deps, 'db'>,
  request: FastifyRequest,
  senderRecipientId: string,
): Promise<boolean> {
  const account = request.session?.account;
  if (account === undefined) return false;
  const row = await one<{ organisation_id: string | null }>(
    deps.db,
    `SELECT organisation_id FROM transfer_recipients WHERE tenant_id = $1 AND id = $2`,
    [request.tenant.id, senderRecipientId],
  );
  return (
    row?.organisation_id != null &&
    (await isMember(deps.db, request.tenant.id, row.organisation_id, account.id))
  );
}

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

interface Row {
  id: string;
  status: 'draft' | 'sent' | 'revoked' | 'expired';
  expires_at: Date;
  content_key: Buffer | null;
  subject: Buffer | null;
  at: Date;
  direction: 'received' | 'sent';
  sender_staff_id: string | null;
  author: string | null;
}

/** Everything in the postbox, newest first: messages in and out, and the notices the role may read. */
export async function organisationPostbox(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
  tenantId: string,
  access: OrganisationAccess,
): Promise<PostboxItem[]> {
  const orgId = access.organisation.id;
  const rows = await deps.db.query<Row>(
    `SELECT t.id, t.status, t.expires_at, t.content_key, t.subject, coalesce(t.sent_at, t.created_at) AS at, 'received' AS direction, t.sender_staff_id, NULL AS author
     FROM transfer_recipients r JOIN transfers t ON t.tenant_id = r.tenant_id AND t.id = r.transfer_id
     WHERE r.tenant_id = $1 AND r.organisation_id = $2 AND t.status <> 'draft'
     UNION ALL
     SELECT t.id, t.status, t.expires_at, t.content_key, t.subject, coalesce(t.sent_at, t.created_at) AS at, 'sent' AS direction, t.sender_staff_id,
       (SELECT coalesce(a.display_name, a.email) FROM accounts a WHERE a.tenant_id = t.tenant_id AND a.id = t.sender_account_id) AS author
     FROM transfers t JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.id = t.sender_recipient_id
     WHERE t.tenant_id = $1 AND r.organisation_id = $2 AND t.status <> 'draft'
     ORDER BY at DESC LIMIT 200`,
    [tenantId, orgId],
  );
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
async function scopeOf(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  transferId: string,
): Promise<{ recipientId: string; direction: 'received' | 'sent' } | undefined> {
  const received = await one<{ id: string }>(
    q,
    `SELECT id FROM transfer_recipients WHERE tenant_id = $1 AND transfer_id = $2 AND organisation_id = $3`,
    [tenantId, transferId, organisationId],
  );
  if (received !== undefined) return { recipientId: received.id, direction: 'received' };
  const sent = await one<{ id: string }>(
    q,
    `SELECT r.id FROM transfers t JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.id = t.sender_recipient_id
     WHERE t.tenant_id = $1 AND t.id = $2 AND r.organisation_id = $3 AND t.status <> 'draft'`,
    [tenantId, transferId, organisationId],
  );
  return sent === undefined ? undefined : { recipientId: sent.id, direction: 'sent' };
}

/**
 * One message of the postbox for a member: opening a received one counts as the organisation
 * opening it. The conversation shows only what belongs to the organisation.
 * @throws {AppError} ERR_NOT_FOUND for non-members and for transfers outside the postbox.
 */
export async function organisationTransfer(
  deps: Pick<Deps, 'db' | 'keyring' | 'clock'>,
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
  const scope = await scopeOf(deps.db, input.tenantId, input.organisationId, input.transferId);
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
    const s = await scopeOf(deps.db, input.tenantId, input.organisationId, item.id);
    if (s === undefined) continue;
    const author = await one<{ name: string }>(
      deps.db,
      `SELECT coalesce(a.display_name, a.email) AS name FROM transfers t JOIN accounts a ON a.tenant_id = t.tenant_id AND a.id = t.sender_account_id WHERE t.tenant_id = $1 AND t.id = $2`,
      [input.tenantId, item.id],
    );
    thread.push({ ...item, author: author?.name });
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
  const scope = await scopeOf(deps.db, input.tenant.id, input.organisationId, input.transferId);
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
  await deps.db.query(`UPDATE transfers SET sender_account_id = $3 WHERE tenant_id = $1 AND id = $2`, [
    input.tenant.id,
    draft.id,
    input.account.id,
  ]);
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
  const scope = await scopeOf(deps.db, input.tenant.id, input.organisationId, input.transferId);
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
  const row = await one<{ recipient_id: string }>(
    deps.db,
    `SELECT r.id AS recipient_id FROM transfers t JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.id = t.sender_recipient_id
     WHERE t.tenant_id = $1 AND t.id = $2 AND r.organisation_id = $3 AND t.status = 'draft'`,
    [input.tenant.id, input.replyId, input.organisationId],
  );
  if (row === undefined) throw new AppError('ERR_NOT_FOUND');
  await storeReplyEnvelopes(
    deps,
    input.tenant,
    { recipientId: row.recipient_id, owner: { kind: 'organisation', organisationId: input.organisationId } },
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
  const row = await one<{ recipient_id: string }>(
    deps.db,
    `SELECT r.id AS recipient_id FROM transfers t JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.id = t.sender_recipient_id
     WHERE t.tenant_id = $1 AND t.id = $2 AND r.organisation_id = $3 AND t.status = 'draft'`,
    [input.tenant.id, input.replyId, input.organisationId],
  );
  if (row === undefined) throw new AppError('ERR_NOT_FOUND');
  await sendDraft(
    deps,
    input.tenant,
    {
      kind: 'recipient',
      recipientId: row.recipient_id,
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

/**
 * The envelope a member opens a level-3/4 message of the postbox with: for a received one the
 * sender's envelope for the organisation's key (keys.ts), for a reply sent in the organisation's
 * name its own copy, also wrapped for the organisation's key (keys/replies.ts). Either way the
 * member's share of that key comes along.
 * @throws {AppError} ERR_NOT_FOUND for non-members and for what is not in the postbox.
 */
export async function postboxEnvelope(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { tenantId: string; organisationId: string; accountId: string; transferId: string },
): Promise<OrganisationEnvelopeState> {
  await requireMember(deps.db, input.tenantId, input.organisationId, input.accountId);
  const scope = await scopeOf(deps.db, input.tenantId, input.organisationId, input.transferId);
  if (scope?.direction !== 'sent') return organisationEnvelope(deps, input);
  const own = await one<{ envelope: Buffer }>(
    deps.db,
    `SELECT e.envelope FROM transfers t
       JOIN transfer_envelopes e ON e.tenant_id = t.tenant_id AND e.transfer_id = t.id
         AND e.holder = 'sender' AND e.personal_key_id IS NULL
     WHERE t.tenant_id = $1 AND t.id = $2 AND t.sender_recipient_id = $3 AND t.status = 'sent'
       AND t.e2e = 'recipients' AND t.ended_at IS NULL AND t.expires_at > $4`,
    [input.tenantId, input.transferId, scope.recipientId, deps.clock.now()],
  );
  if (own === undefined) throw new AppError('ERR_NOT_FOUND');
  const state = await keyState(deps, input);
  const personal = await one(
    deps.db,
    `SELECT 1 AS x FROM personal_keys WHERE tenant_id = $1 AND account_id = $2 AND retired_at IS NULL`,
    [input.tenantId, input.accountId],
  );
  const none = { envelope: null, organisationPublicKey: state.publicKey, wrappedOrganisationKey: null };
  if (personal === undefined) return { state: 'no-key', ...none };
  if (state.publicKey === null || state.wrappedPrivateKey === null) return { state: 'no-share', ...none };
  return {
    state: 'ready',
    envelope: Buffer.from(own.envelope).toString('base64url'),
    organisationPublicKey: state.publicKey,
    wrappedOrganisationKey: state.wrappedPrivateKey,
  };
}
