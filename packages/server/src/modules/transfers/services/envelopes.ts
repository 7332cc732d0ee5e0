import type { Queryable } from '../../../adapters/db/index.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { b64, currentPersonalKey, decodeEnvelope, sharesDepartmentOutboxes } from '../../keys/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import {
  addresseeEnvelope,
  deleteTransferEnvelopes,
  hasSenderEnvelope,
  insertDepartmentEnvelope,
  insertRecipientEnvelope,
  insertSenderEnvelope,
  lockSenderDraft,
  markEndToEnd,
  memberDepartmentEnvelope,
  recipientEnvelopeRow,
  senderEnvelope,
} from '../store/envelopes.ts';
import { storeOrganisationEnvelope } from './organisation-envelopes.ts';

/**
 * The file-key envelopes of level-3/4 transfers: stored for a draft (sender, recipients,
 * departments), sealed on sending, and handed to the sender and the recipients' browsers.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

export interface EnvelopeInput {
  holder: 'sender' | 'recipient' | 'department';
  email?: string | undefined;
  departmentKeyId?: string | undefined;
  envelope: string;
}

/**
 * Stores the envelopes of a level-3/4 draft, made by the sender's browser or CLI: always one for
 * the sender's own current key; one per recipient who has a key; one per current key of the
 * sender's departments where the tenant shares department outboxes. Replaces earlier ones.
 * @throws {AppError} ERR_NOT_FOUND (no such draft of this sender), ERR_KEY_FORMAT,
 *   ERR_PERSONAL_KEY_MISSING (the sender has no key), ERR_VALIDATION (an unknown holder)
 */
export async function storeDraftEnvelopes(
  deps: Deps,
  tenant: Tenant,
  staffId: string,
  transferId: string,
  envelopes: EnvelopeInput[],
): Promise<void> {
  const decoded = envelopes.map((e, i) => ({
    ...e,
    bytes: decodeEnvelope(e.envelope, `envelopes.${String(i)}`),
  }));
  await deps.db.transaction(async (tx) => {
    const level = await lockSenderDraft(tx, tenant.id, transferId, staffId);
    if (level === undefined || level < 3) throw new AppError('ERR_NOT_FOUND');
    const own = await currentPersonalKey(tx, tenant.id, { kind: 'staff', id: staffId });
    if (own === undefined) throw new AppError('ERR_PERSONAL_KEY_MISSING');
    const now = deps.clock.now();
    await deleteTransferEnvelopes(tx, tenant.id, transferId);
    for (const [i, e] of decoded.entries()) {
      const bad = new AppError('ERR_VALIDATION', {
        fields: [{ field: `envelopes.${String(i)}`, code: 'ERR_VALIDATION' }],
      });
      const base = { tenantId: tenant.id, transferId, envelope: e.bytes, now, staffId };
      if (e.holder === 'sender') {
        await insertSenderEnvelope(tx, { ...base, id: deps.secrets.id() }, own.id);
      } else if (e.holder === 'recipient') {
        const email = (e.email ?? '').trim().toLowerCase();
        const args = { ...base, id: deps.secrets.id(), email, field: `envelopes.${String(i)}` };
        if (await storeOrganisationEnvelope(tx, args)) continue;
        if (!(await insertRecipientEnvelope(tx, { ...base, id: deps.secrets.id() }, email))) throw bad;
      } else {
        if (!sharesDepartmentOutboxes(tenant)) throw bad;
        const stored = await insertDepartmentEnvelope(
          tx,
          { ...base, id: deps.secrets.id() },
          e.departmentKeyId ?? null,
        );
        if (!stored) throw bad;
      }
    }
  });
}

/**
 * Called by sendDraft inside its transaction for a level-3/4 transfer: the sender's own envelope
 * must be there (so the sender can read the outbox and complete delivery later); the transfer and
 * its files are marked end-to-end (the files are "not scanned (end-to-end encrypted)").
 * @throws {AppError} ERR_SENDER_ENVELOPE_MISSING
 */
export async function sealEndToEnd(
  tx: Queryable,
  tenantId: string,
  transferId: string,
  level: number,
): Promise<void> {
  if (!(await hasSenderEnvelope(tx, tenantId, transferId))) throw new AppError('ERR_SENDER_ENVELOPE_MISSING');
  await markEndToEnd(tx, tenantId, transferId, level >= 4);
}

/** What a recipient's browser needs to open a level-3/4 transfer. */
export interface RecipientEnvelopeState {
  /** `ready`: the envelope is there; `no-key`: create a key first; `waiting`: for the sender's side. */
  state: 'ready' | 'no-key' | 'waiting';
  envelope: string | null;
  publicKey: string | null;
}

export async function recipientEnvelope(
  q: Queryable,
  tenantId: string,
  recipientId: string,
  accountId: string,
): Promise<RecipientEnvelopeState> {
  const key = await currentPersonalKey(q, tenantId, { kind: 'account', id: accountId });
  const env = await recipientEnvelopeRow(q, tenantId, recipientId);
  if (key !== undefined && env?.public_key === key.publicKey) {
    return { state: 'ready', envelope: b64(env.envelope), publicKey: key.publicKey };
  }
  return {
    state: key === undefined ? 'no-key' : 'waiting',
    envelope: null,
    publicKey: key?.publicKey ?? null,
  };
}

/** The caller's envelope of a level-3/4 transfer, and with a department's its way to open it. */
export interface StaffEnvelope {
  holder: 'sender' | 'addressee' | 'department';
  envelope: string;
  departmentKeyId: string | null;
  departmentPublicKey: string | null;
  wrappedDepartmentKey: string | null;
}

/** The sender's own envelope (or a department's, for a member where outboxes are shared). */
export async function staffEnvelope(
  q: Queryable,
  tenant: Tenant,
  staffId: string,
  transferId: string,
): Promise<StaffEnvelope | undefined> {
  const noDepartment = { departmentKeyId: null, departmentPublicKey: null, wrappedDepartmentKey: null };
  const own = await senderEnvelope(q, tenant.id, transferId, staffId);
  if (own !== undefined) return { holder: 'sender', envelope: b64(own), ...noDepartment };
  // A level-3/4 reply from a recipient, addressed to the caller (services/reply-envelopes.ts).
  const addressed = await addresseeEnvelope(q, tenant.id, transferId, staffId);
  if (addressed !== undefined) return { holder: 'addressee', envelope: b64(addressed), ...noDepartment };
  if (!sharesDepartmentOutboxes(tenant)) return undefined;
  const dept = await memberDepartmentEnvelope(q, tenant.id, transferId, staffId);
  return dept === undefined
    ? undefined
    : {
        holder: 'department',
        envelope: b64(dept.envelope),
        departmentKeyId: dept.key_id,
        departmentPublicKey: dept.public_key,
        wrappedDepartmentKey: b64(dept.share),
      };
}
