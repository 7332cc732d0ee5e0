import { importPublicKey } from '@amtsbote/crypto';
import type { Queryable } from '../../adapters/db/index.ts';
import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { currentPersonalKey } from '../keys/index.ts';
import { isP256Envelope } from '../organisations/index.ts';
import { departmentEnvelopeOf } from '../transfers/index.ts';

/**
 * Department key pairs for end-to-end encrypted inbound (levels 3/4) and, where the tenant shares
 * department outboxes, outbound transfers. The pair is made in a browser; the server keeps the
 * public key and, per member, a share: a type-E envelope (docs/crypto.md) around the 32-byte
 * private scalar, wrapped to that member's personal key. Members who get a personal key later
 * (or join later) get their share from any member whose browser holds the key unlocked. The
 * server can hand shares out, never open them. Setting a new key retires the old one; retired
 * keys stay, so what was encrypted to them can still be opened.
 */
export interface DepartmentKey {
  id: string;
  departmentId: string;
  publicKey: string;
  createdAt: Date;
}

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

export async function currentDepartmentKey(
  q: Queryable,
  tenantId: string,
  departmentId: string,
): Promise<DepartmentKey | undefined> {
  return one<DepartmentKey>(
    q,
    `SELECT id, department_id AS "departmentId", public_key AS "publicKey", created_at AS "createdAt" FROM department_keys
     WHERE tenant_id = $1 AND department_id = $2 AND retired_at IS NULL`,
    [tenantId, departmentId],
  );
}

/** A member's share of one department key, if one was made for their current personal key. */
export async function keyShareOf(
  q: Queryable,
  tenantId: string,
  keyId: string,
  staffId: string,
): Promise<Buffer | undefined> {
  const r = await one<{ wrapped_private_key: Buffer }>(
    q,
    `SELECT s.wrapped_private_key FROM department_key_shares s
       JOIN personal_keys p ON p.tenant_id = s.tenant_id AND p.id = s.personal_key_id AND p.retired_at IS NULL
       -- reads personal_keys (owner: keys): a share counts for the member's current key only, in the same query
     WHERE s.tenant_id = $1 AND s.key_id = $2 AND s.staff_id = $3`,
    [tenantId, keyId, staffId],
  );
  return r === undefined ? undefined : Buffer.from(r.wrapped_private_key);
}

/** A member as the department keys page lists them. */
export interface DepartmentKeyMember {
  staffId: string;
  name: string;
  email: string;
  /** The member's current personal key (to wrap the department key for), if they made one. */
  publicKey: string | null;
  /** Whether they hold a share of the current department key for that personal key. */
  hasShare: boolean;
}

/** The active members of a department with their personal key and share of the current key. */
export async function departmentKeyMembers(
  q: Queryable,
  tenantId: string,
  departmentId: string,
): Promise<DepartmentKeyMember[]> {
  const rows = await q.query<{
    staff_id: string;
    name: string;
    email: string;
    public_key: string | null;
    has_share: boolean;
  }>(
    `SELECT s.id AS staff_id, coalesce(s.display_name, s.email) AS name, s.email, p.public_key,
       EXISTS (SELECT 1 FROM department_key_shares x JOIN department_keys k ON k.tenant_id = x.tenant_id AND k.id = x.key_id AND k.retired_at IS NULL
               WHERE x.tenant_id = m.tenant_id AND x.staff_id = s.id AND k.department_id = m.department_id AND x.personal_key_id = p.id) AS has_share
     FROM department_members m JOIN staff s ON s.tenant_id = m.tenant_id AND s.id = m.staff_id
       LEFT JOIN personal_keys p ON p.tenant_id = s.tenant_id AND p.staff_id = s.id AND p.retired_at IS NULL
       -- reads department_members, staff (owner: staff) and personal_keys (owner: keys): the member list in one query
     WHERE m.tenant_id = $1 AND m.department_id = $2 AND s.status = 'active'
     ORDER BY lower(coalesce(s.display_name, s.email))`,
    [tenantId, departmentId],
  );
  return rows.map((r) => ({
    staffId: r.staff_id,
    name: r.name,
    email: r.email,
    publicKey: r.public_key,
    hasShare: r.has_share,
  }));
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
    await tx.query(
      `UPDATE department_keys SET retired_at = $3 WHERE tenant_id = $1 AND department_id = $2 AND retired_at IS NULL`,
      [tenantId, departmentId, now],
    );
    await tx.query(
      `INSERT INTO department_keys (tenant_id, id, department_id, public_key, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, id, departmentId, input.publicKey.trim(), now, actorStaffId],
    );
    for (const [i, s] of shares.entries()) {
      const rows = await tx.query(
        `INSERT INTO department_key_shares (tenant_id, key_id, staff_id, wrapped_private_key, created_at, personal_key_id, created_by)
         SELECT $1, $2, m.staff_id, $4, $5, p.id, $7 FROM department_members m
           JOIN personal_keys p ON p.tenant_id = m.tenant_id AND p.staff_id = m.staff_id AND p.retired_at IS NULL
           -- reads department_members (owner: staff) and personal_keys (owner: keys): a share per member with a current key, in the insert
         WHERE m.tenant_id = $1 AND m.department_id = $6 AND m.staff_id = $3 AND ($8::text IS NULL OR p.public_key = $8)
         RETURNING staff_id`,
        [tenantId, id, s.staffId, s.wrapped, now, departmentId, actorStaffId, s.memberPublicKey],
      );
      if (rows.length === 0)
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

/** A share the caller's browser can make: the caller's own share and the member to wrap for. */
export interface PendingShare {
  departmentId: string;
  keyId: string;
  /** The department key's public key (the browser checks the scalar it unwraps against it). */
  departmentPublicKey: string;
  /** The caller's share of that key. */
  wrappedPrivateKey: string;
  staffId: string;
  /** The member's current personal key. */
  publicKey: string;
}

/**
 * Members of the caller's departments who have a personal key but no share (for it) of a key of
 * that department the caller holds a share of: current and retired keys, so a late member can
 * open what came in before they joined.
 */
export async function pendingShares(
  q: Queryable,
  tenantId: string,
  staffId: string,
): Promise<PendingShare[]> {
  const rows = await q.query<{
    department_id: string;
    key_id: string;
    department_public_key: string;
    share: Buffer;
    staff_id: string;
    public_key: string;
  }>(
    `SELECT k.department_id, k.id AS key_id, k.public_key AS department_public_key, mine.wrapped_private_key AS share,
       m.staff_id, p.public_key
     FROM department_key_shares mine
       JOIN personal_keys myp ON myp.tenant_id = mine.tenant_id AND myp.id = mine.personal_key_id AND myp.retired_at IS NULL
       JOIN department_keys k ON k.tenant_id = mine.tenant_id AND k.id = mine.key_id
       JOIN department_members m ON m.tenant_id = k.tenant_id AND m.department_id = k.department_id AND m.staff_id <> $2
       JOIN staff s ON s.tenant_id = m.tenant_id AND s.id = m.staff_id AND s.status = 'active'
       JOIN personal_keys p ON p.tenant_id = m.tenant_id AND p.staff_id = m.staff_id AND p.retired_at IS NULL
       -- reads personal_keys (owner: keys), department_members and staff (owner: staff): who still lacks a share, one query not one per member
     WHERE mine.tenant_id = $1 AND mine.staff_id = $2
       AND EXISTS (SELECT 1 FROM department_members me WHERE me.tenant_id = k.tenant_id AND me.department_id = k.department_id AND me.staff_id = $2)
       AND NOT EXISTS (SELECT 1 FROM department_key_shares x WHERE x.tenant_id = k.tenant_id AND x.key_id = k.id AND x.staff_id = m.staff_id AND x.personal_key_id = p.id)
     ORDER BY k.created_at DESC, m.staff_id
     LIMIT 100`,
    [tenantId, staffId],
  );
  return rows.map((r) => ({
    departmentId: r.department_id,
    keyId: r.key_id,
    departmentPublicKey: r.department_public_key,
    wrappedPrivateKey: b64(r.share),
    staffId: r.staff_id,
    publicKey: r.public_key,
  }));
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
      const done = await one(
        tx,
        `SELECT 1 AS x FROM department_key_shares s JOIN personal_keys p ON p.tenant_id = s.tenant_id AND p.id = s.personal_key_id AND p.retired_at IS NULL
         -- reads personal_keys (owner: keys): the holder's share must be for their current key
         WHERE s.tenant_id = $1 AND s.key_id = $2 AND s.staff_id = $3 AND p.public_key = $4`,
        [tenantId, input.keyId, input.staffId, input.publicKey],
      );
      if (done !== undefined) return false;
      throw new AppError('ERR_NOT_FOUND');
    }
    if (pending.publicKey !== input.publicKey) throw new AppError('ERR_NOT_FOUND');
    const now = deps.clock.now();
    await tx.query(
      `INSERT INTO department_key_shares (tenant_id, key_id, staff_id, wrapped_private_key, created_at, personal_key_id, created_by)
       SELECT $1, $2, $3, $4, $5, p.id, $6 FROM personal_keys p WHERE p.tenant_id = $1 AND p.staff_id = $3 AND p.retired_at IS NULL
       -- reads personal_keys (owner: keys): the share is bound to the member's current key, in the insert
       ON CONFLICT (tenant_id, key_id, staff_id) DO UPDATE SET wrapped_private_key = EXCLUDED.wrapped_private_key,
         created_at = EXCLUDED.created_at, personal_key_id = EXCLUDED.personal_key_id, created_by = EXCLUDED.created_by`,
      [tenantId, input.keyId, input.staffId, wrapped, now, staffId],
    );
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

/** The public key of one department key (current or retired). */
async function departmentPublicKey(
  q: Queryable,
  tenantId: string,
  keyId: string,
): Promise<string | undefined> {
  const row = await one<{ public_key: string }>(
    q,
    `SELECT public_key FROM department_keys WHERE tenant_id = $1 AND id = $2`,
    [tenantId, keyId],
  );
  return row?.public_key;
}
