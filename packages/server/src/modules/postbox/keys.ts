import { importPublicKey } from '@amtsbote/crypto';
import type { Queryable } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { currentPersonalKey } from '../keys/index.ts';
import { isP256Envelope } from '../organisations/index.ts';
import { departmentEnvelopeOf } from '../transfers/index.ts';
import {
  departmentPublicKey,
  insertDepartmentKey,
  insertMemberShare,
  keyShareOf,
  pendingShares,
  retireDepartmentKeys,
  shareIsForCurrentKey,
  upsertShare,
} from './store/department-keys.ts';
import type { DepartmentKey } from './store/department-keys.ts';

export type { DepartmentKey, DepartmentKeyMember, PendingShare } from './store/department-keys.ts';
export {
  currentDepartmentKey,
  departmentKeyMembers,
  keyShareOf,
  pendingShares,
} from './store/department-keys.ts';

// Department key pairs for end-to-end encrypted inbound (levels 3/4) and, where the tenant shares
// department outboxes, outbound transfers. The pair is made in a browser; the server keeps the
// public key and, per member, a share: a type-E envelope (docs/crypto.md) around the 32-byte
// private scalar, wrapped to that member's personal key. Members who get a personal key later
// (or join later) get their share from any member whose browser holds the key unlocked. The
// server can hand shares out, never open them. Setting a new key retires the old one; retired
// keys stay, so what was encrypted to them can still be opened.

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function shareFrom(text: string, field: string): Buffer {
  const bytes = /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, 'base64url') : Buffer.alloc(0);
  if (!isP256Envelope(bytes))
    throw new AppError('ERR_KEY_FORMAT', { fields: [{ field, code: 'ERR_KEY_FORMAT' }] });
  return bytes;
}

/**
 * Stores a new key pair for a department, made in a browser: the public key (checked to be a
 * P-256 key in the `amtb-pub1-` form) and a share per member who has a personal key, each bound
 * to that member's current personal key (and, when the browser says which, only if it is still
 * that one).
 * @throws {AppError} ERR_VALIDATION (not a public key; a share for someone not in the
 *   department, without a personal key or with another one), ERR_KEY_FORMAT (not an envelope)
 */
export async function setDepartmentKey(
  deps: Deps,
  tenantId: string,
  departmentId: string,
  actorStaffId: string,
  input: {
    publicKey: string;
    shares: { staffId: string; wrappedPrivateKey: string; memberPublicKey?: string | undefined }[];
  },
  ipPrefix: string | undefined,
): Promise<DepartmentKey> {
  try {
    await importPublicKey(input.publicKey);
  } catch (err) {
    throw new AppError('ERR_VALIDATION', {
      fields: [{ field: 'publicKey', code: 'ERR_VALIDATION' }],
      cause: err,
    });
  }
  const shares = input.shares.map((s, i) => ({
    staffId: s.staffId,
    memberPublicKey: s.memberPublicKey ?? null,
    wrapped: shareFrom(s.wrappedPrivateKey, `shares.${String(i)}`),
  }));
  const id = deps.secrets.id();
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await retireDepartmentKeys(tx, tenantId, departmentId, now);
    await insertDepartmentKey(tx, tenantId, {
      id,
      departmentId,
      publicKey: input.publicKey.trim(),
      createdAt: now,
      createdBy: actorStaffId,
    });
    for (const [i, s] of shares.entries()) {
      const stored = await insertMemberShare(tx, tenantId, {
        keyId: id,
        departmentId,
        staffId: s.staffId,
        wrapped: s.wrapped,
        memberPublicKey: s.memberPublicKey,
        createdAt: now,
        createdBy: actorStaffId,
      });
      if (!stored)
        throw new AppError('ERR_VALIDATION', {
          fields: [{ field: `shares.${String(i)}`, code: 'ERR_VALIDATION' }],
        });
    }
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'staff', id: actorStaffId },
      action: 'department-key.set',
      subject: { kind: 'department', id: departmentId },
      ipPrefix,
      details: { shares: shares.length },
    });
  });
  return { id, departmentId, publicKey: input.publicKey.trim(), createdAt: now };
}

/**
 * Stores a share made by a member's browser for another member. Only what {@link pendingShares}
 * lists for the caller is accepted, bound to the personal key it was made for.
 * @returns false when that share had been stored already (another browser was quicker).
 * @throws {AppError} ERR_NOT_FOUND, ERR_KEY_FORMAT
 */
export async function storeShare(
  deps: Deps,
  tenantId: string,
  staffId: string,
  input: { keyId: string; staffId: string; publicKey: string; wrappedPrivateKey: string },
  ipPrefix: string | undefined,
): Promise<boolean> {
  const wrapped = shareFrom(input.wrappedPrivateKey, 'wrappedPrivateKey');
  return deps.db.transaction(async (tx) => {
    const pending = (await pendingShares(tx, tenantId, staffId)).find(
      (p) => p.keyId === input.keyId && p.staffId === input.staffId,
    );
    if (pending === undefined) {
      const done = await shareIsForCurrentKey(tx, tenantId, input.keyId, input.staffId, input.publicKey);
      if (done) return false;
      throw new AppError('ERR_NOT_FOUND');
    }
    if (pending.publicKey !== input.publicKey) throw new AppError('ERR_NOT_FOUND');
    const now = deps.clock.now();
    await upsertShare(tx, tenantId, {
      keyId: input.keyId,
      staffId: input.staffId,
      wrapped,
      createdAt: now,
      createdBy: staffId,
    });
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'staff', id: staffId },
      action: 'department-key.shared',
      subject: { kind: 'staff', id: input.staffId },
      ipPrefix,
      details: { department: pending.departmentId, key: input.keyId },
    });
    return true;
  });
}

/** What a caseworker's browser needs to open an end-to-end inbound item with the department key. */
export interface InboxEnvelopeState {
  /** `ready`: both are there; `no-key`: create a personal key first; `waiting`: for a member's share. */
  state: 'ready' | 'no-key' | 'waiting';
  envelope: string | null;
  departmentKeyId: string | null;
  departmentPublicKey: string | null;
  wrappedDepartmentKey: string | null;
}

/**
 * The file-key envelope of an inbound item encrypted to a department key, with the caller's share
 * of that key. The caller must have been allowed to see the item (openInboxItem) before.
 * @throws {AppError} ERR_NOT_FOUND when the item is not encrypted to a department key
 */
export async function inboxEnvelope(
  q: Queryable,
  tenantId: string,
  staffId: string,
  transferId: string,
): Promise<InboxEnvelopeState> {
  const t = await departmentEnvelopeOf(q, tenantId, transferId);
  const publicKey = t?.keyId == null ? undefined : await departmentPublicKey(q, tenantId, t.keyId);
  if (t?.envelope == null || t.keyId === null || publicKey === undefined) throw new AppError('ERR_NOT_FOUND');
  const own = await currentPersonalKey(q, tenantId, { kind: 'staff', id: staffId });
  const share = own === undefined ? undefined : await keyShareOf(q, tenantId, t.keyId, staffId);
  return {
    state: own === undefined ? 'no-key' : share === undefined ? 'waiting' : 'ready',
    envelope: share === undefined ? null : b64(t.envelope),
    departmentKeyId: t.keyId,
    departmentPublicKey: publicKey,
    wrappedDepartmentKey: share === undefined ? null : b64(share),
  };
}
