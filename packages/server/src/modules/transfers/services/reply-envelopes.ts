import type { Queryable } from '../../../adapters/db/index.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import {
  currentPersonalKey,
  decodeEnvelope,
  memberDepartmentKeys,
  sharesDepartmentOutboxes,
} from '../../keys/index.ts';
import { organisationPublicKey } from '../../organisations/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { deleteTransferEnvelopes, markEndToEnd } from '../store/envelopes.ts';
import {
  currentEnvelopesOf,
  insertReplyEnvelope,
  lockReplyDraft,
  ownReplyEnvelopeRow,
  replyAddressee,
} from '../store/reply-envelopes.ts';

/**
 * Replies at levels 3 and 4: a recipient answers an end-to-end message at the same level. The
 * file key is made and wrapped in the recipient's browser; the server only checks that the
 * envelopes belong to the right holders (docs/crypto.md, "Replies at levels 3 and 4"):
 * the staff member the reply goes to ('addressee'), the replying account itself ('sender', so
 * it can read its own reply) and, with shared department outboxes, every current key of the
 * addressee's departments ('department'), as an outbound level-3 transfer of theirs would be.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

export interface ReplyKeys {
  /** The addressee's current public key; null when they have none (reply at level 2 instead). */
  addressee: string | null;
  /** The replying account's own current public key; null: create a key first. */
  own: string | null;
  departments: { keyId: string; publicKey: string }[];
}

async function departmentKeysOf(
  q: Queryable,
  tenant: Tenant,
  staffId: string,
): Promise<{ keyId: string; publicKey: string }[]> {
  if (!sharesDepartmentOutboxes(tenant)) return [];
  return memberDepartmentKeys(q, tenant.id, staffId);
}

/**
 * Who replies, and so whose key the reply's own envelope is for: a citizen's account (its
 * personal key), or an organisation in whose name a member replies (the organisation's key,
 * which every member holds a share of).
 */
export type ReplyOwner =
  { kind: 'account'; accountId: string } | { kind: 'organisation'; organisationId: string };

async function ownKeyOf(
  q: Queryable,
  tenantId: string,
  owner: ReplyOwner,
): Promise<{ personalKeyId: string | null; publicKey: string } | undefined> {
  if (owner.kind === 'account') {
    const k = await currentPersonalKey(q, tenantId, { kind: 'account', id: owner.accountId });
    return k === undefined ? undefined : { personalKeyId: k.id, publicKey: k.publicKey };
  }
  const publicKey = await organisationPublicKey(q, tenantId, owner.organisationId);
  return publicKey === undefined ? undefined : { personalKeyId: null, publicKey };
}

/** The public keys a level-3/4 reply to `toStaffId` from `owner` is wrapped for. */
export async function replyKeys(
  q: Queryable,
  tenant: Tenant,
  toStaffId: string,
  owner: ReplyOwner,
): Promise<ReplyKeys> {
  const addressee = await currentPersonalKey(q, tenant.id, { kind: 'staff', id: toStaffId });
  const own = await ownKeyOf(q, tenant.id, owner);
  return {
    addressee: addressee?.publicKey ?? null,
    own: own?.publicKey ?? null,
    departments: await departmentKeysOf(q, tenant, toStaffId),
  };
}

/**
 * Before a level-3/4 reply draft is made: both ends must have a key.
 * @throws {AppError} ERR_PERSONAL_KEY_MISSING (the replying account has none), ERR_VALIDATION
 *   (the organisation has none), ERR_REPLY_KEY_MISSING (the addressee has none: reply at level 2)
 */
export async function requireReplyKeys(
  q: Queryable,
  tenant: Tenant,
  toStaffId: string,
  owner: ReplyOwner,
): Promise<void> {
  const keys = await replyKeys(q, tenant, toStaffId, owner);
  if (keys.own === null) throw noOwnKey(owner);
  if (keys.addressee === null) throw new AppError('ERR_REPLY_KEY_MISSING');
}

function noOwnKey(owner: ReplyOwner): AppError {
  return owner.kind === 'account'
    ? new AppError('ERR_PERSONAL_KEY_MISSING')
    : new AppError('ERR_VALIDATION', { fields: [{ field: 'level', code: 'ERR_VALIDATION' }] });
}

export interface ReplyEnvelopeInput {
  holder: 'sender' | 'addressee' | 'department';
  departmentKeyId?: string | undefined;
  envelope: string;
}

/**
 * Stores the envelopes of a level-3/4 reply draft (replacing earlier ones), each bound to the
 * key it was made for, as the server knows it now.
 * @throws {AppError} ERR_NOT_FOUND (no such reply draft of this recipient), ERR_KEY_FORMAT,
 *   ERR_PERSONAL_KEY_MISSING / ERR_VALIDATION (the replying account / organisation has no key),
 *   ERR_REPLY_KEY_MISSING (the addressee has none), ERR_VALIDATION (a department key that is not
 *   the addressee's, two envelopes for one holder).
 */
export async function storeReplyEnvelopes(
  deps: Deps,
  tenant: Tenant,
  by: { recipientId: string; owner: ReplyOwner },
  replyId: string,
  envelopes: ReplyEnvelopeInput[],
): Promise<void> {
  const decoded = envelopes.map((e, i) => ({
    ...e,
    bytes: decodeEnvelope(e.envelope, `envelopes.${String(i)}`),
  }));
  await deps.db.transaction(async (tx) => {
    const draft = await lockReplyDraft(tx, tenant.id, replyId, by.recipientId);
    if (draft === undefined || draft.level < 3 || draft.to_staff_id === null)
      throw new AppError('ERR_NOT_FOUND');
    const own = await ownKeyOf(tx, tenant.id, by.owner);
    if (own === undefined) throw noOwnKey(by.owner);
    const addressee = await currentPersonalKey(tx, tenant.id, { kind: 'staff', id: draft.to_staff_id });
    if (addressee === undefined) throw new AppError('ERR_REPLY_KEY_MISSING');
    const departments = await departmentKeysOf(tx, tenant, draft.to_staff_id);
    const now = deps.clock.now();
    await deleteTransferEnvelopes(tx, tenant.id, replyId);
    const seen = new Set<string>();
    for (const [i, e] of decoded.entries()) {
      // One envelope per holder: a second would be ambiguous about which one opens the reply.
      const holderKey = e.holder === 'department' ? `department:${e.departmentKeyId ?? ''}` : e.holder;
      if (seen.has(holderKey))
        throw new AppError('ERR_VALIDATION', {
          fields: [{ field: `envelopes.${String(i)}`, code: 'ERR_VALIDATION' }],
        });
      seen.add(holderKey);
      let personalKeyId: string | null = null;
      let departmentKeyId: string | null = null;
      // An organisation's own envelope has no personal key: its key is the organisation's.
      if (e.holder === 'sender') personalKeyId = own.personalKeyId;
      else if (e.holder === 'addressee') personalKeyId = addressee.id;
      else {
        departmentKeyId = departments.find((d) => d.keyId === e.departmentKeyId)?.keyId ?? null;
        if (departmentKeyId === null)
          throw new AppError('ERR_VALIDATION', {
            fields: [{ field: `envelopes.${String(i)}`, code: 'ERR_VALIDATION' }],
          });
      }
      // created_by names staff; a recipient's browser made these, so it stays empty.
      await insertReplyEnvelope(tx, {
        tenantId: tenant.id,
        id: deps.secrets.id(),
        replyId,
        holder: e.holder,
        departmentKeyId,
        personalKeyId,
        envelope: e.bytes,
        now,
      });
    }
  });
}

/**
 * Called by sendDraft inside its transaction for a level-3/4 reply: the addressee's and the
 * replying account's envelopes must be there, made for keys that are still current, and (shared
 * outboxes) one for every current key of the addressee's departments; then the reply and its
 * files are marked end-to-end ("not scanned", since the server cannot see the content).
 * @throws {AppError} ERR_REPLY_ENVELOPES_MISSING
 */
export async function sealReply(tx: Queryable, tenant: Tenant, transferId: string): Promise<void> {
  const reply = await replyAddressee(tx, tenant.id, transferId);
  if (reply === undefined || reply.to_staff_id === null) throw new AppError('ERR_REPLY_ENVELOPES_MISSING');
  const rows = await currentEnvelopesOf(tx, tenant.id, transferId);
  const departments = await departmentKeysOf(tx, tenant, reply.to_staff_id);
  const complete =
    rows.some((r) => r.holder === 'sender') &&
    rows.some((r) => r.holder === 'addressee') &&
    departments.every((d) => rows.some((r) => r.department_key_id === d.keyId));
  if (!complete) throw new AppError('ERR_REPLY_ENVELOPES_MISSING');
  await markEndToEnd(tx, tenant.id, transferId, reply.level >= 4);
}

/** What the replier's browser needs to read a level-3/4 reply it sent. */
export interface OwnReplyEnvelope {
  /**
   * `ready`: the envelope opens with the account's current key; `other-key`: it was made for a
   * key the account has since replaced, which no browser can unlock any more.
   */
  state: 'ready' | 'other-key';
  envelope: string | null;
}

/**
 * The replying account's own envelope of a sent level-3/4 reply (holder `sender`), so it can
 * read what it sent. Only through the recipient row that replied, and only for the account the
 * envelope's key belongs to; anything else looks like a missing reply.
 * @throws {AppError} ERR_NOT_FOUND
 */
export async function ownReplyEnvelope(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  by: { recipientId: string; accountId: string },
  replyId: string,
): Promise<OwnReplyEnvelope> {
  const row = await ownReplyEnvelopeRow(deps.db, tenantId, replyId, by.recipientId, deps.clock.now());
  if (row?.account_id !== by.accountId) throw new AppError('ERR_NOT_FOUND');
  return row.retired_at === null
    ? { state: 'ready', envelope: Buffer.from(row.envelope).toString('base64url') }
    : { state: 'other-key', envelope: null };
}
