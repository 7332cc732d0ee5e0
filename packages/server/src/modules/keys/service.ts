import { createHash } from 'node:crypto';
import type { Queryable } from '../../adapters/db/index.ts';
import { isUniqueViolation, one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import {
  isP256Envelope,
  organisationKeysFor,
  pendingOrganisationRewraps,
  storeOrganisationEnvelope,
  storeOrganisationRewrap,
} from '../organisations/keys.ts';
import type { Tenant } from '../tenants/service.ts';

/**
 * Personal keys (staff and service accounts) and the file-key envelopes of level-3/4 transfers.
 * The server stores public keys and wrapped objects only (docs/crypto.md, types K, R and E); it
 * can check their framing and that they belong together, never open them.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

export type KeyOwner = { kind: 'staff'; id: string } | { kind: 'account'; id: string };

const PUBLIC_KEY = /^amtb-pub1-[A-Za-z0-9_-]{44}$/;
const K_LENGTH = 112;
const R_LENGTH = 103;

export interface PersonalKeyRecord {
  id: string;
  publicKey: string;
  wrappedWithPassphrase: Buffer;
  wrappedWithRecoveryCode: Buffer;
  createdAt: Date;
  updatedAt: Date;
}

function ownerColumn(owner: KeyOwner): 'staff_id' | 'account_id' {
  return owner.kind === 'staff' ? 'staff_id' : 'account_id';
}

export async function currentPersonalKey(
  q: Queryable,
  tenantId: string,
  owner: KeyOwner,
): Promise<PersonalKeyRecord | undefined> {
  const row = await one<PersonalKeyRecord>(
    q,
    `SELECT id, public_key AS "publicKey", wrapped_passphrase AS "wrappedWithPassphrase", wrapped_recovery AS "wrappedWithRecoveryCode",
       created_at AS "createdAt", updated_at AS "updatedAt"
     FROM personal_keys WHERE tenant_id = $1 AND ${ownerColumn(owner)} = $2 AND retired_at IS NULL`,
    [tenantId, owner.id],
  );
  // Drivers hand bytea out as Buffer (pg) or Uint8Array (PGlite).
  return row === undefined
    ? undefined
    : {
        ...row,
        wrappedWithPassphrase: Buffer.from(row.wrappedWithPassphrase),
        wrappedWithRecoveryCode: Buffer.from(row.wrappedWithRecoveryCode),
      };
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** The public key text `amtb-pub1-…` for the compressed point stored inside a K or R object. */
function publicKeyIn(wrapped: Buffer, type: 'K' | 'R'): string {
  const offset = type === 'K' ? 31 : 22;
  return `amtb-pub1-${wrapped.subarray(offset, offset + 33).toString('base64url')}`;
}

function decodeWrapped(text: string, type: 'K' | 'R', field: string): Buffer {
  const bytes = /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, 'base64url') : Buffer.alloc(0);
  const ok =
    bytes.length === (type === 'K' ? K_LENGTH : R_LENGTH) &&
    bytes.subarray(0, 4).toString('latin1') === 'AMTB' &&
    bytes[4] === type.charCodeAt(0) &&
    bytes[5] === 0x01;
  if (!ok) throw new AppError('ERR_KEY_FORMAT', { fields: [{ field, code: 'ERR_KEY_FORMAT' }] });
  return bytes;
}

export function decodeEnvelope(text: string, field = 'envelope'): Buffer {
  const bytes = /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, 'base64url') : Buffer.alloc(0);
  if (!isP256Envelope(bytes))
    throw new AppError('ERR_KEY_FORMAT', { fields: [{ field, code: 'ERR_KEY_FORMAT' }] });
  return bytes;
}

/**
 * Stores a personal key made in the owner's browser. Both wrapped objects must carry the given
 * public key (they authenticate it), so the three belong together. `replace` retires the current
 * key (the owner lost passphrase and recovery code): what was encrypted to it stays unreadable.
 * @throws {AppError} ERR_KEY_FORMAT, ERR_PERSONAL_KEY_EXISTS
 */
export async function storePersonalKey(
  deps: Deps,
  tenantId: string,
  owner: KeyOwner,
  input: {
    publicKey: string;
    wrappedWithPassphrase: string;
    wrappedWithRecoveryCode: string;
    replace?: boolean | undefined;
  },
  ipPrefix: string | undefined,
): Promise<PersonalKeyRecord> {
  const k = decodeWrapped(input.wrappedWithPassphrase, 'K', 'wrappedWithPassphrase');
  const r = decodeWrapped(input.wrappedWithRecoveryCode, 'R', 'wrappedWithRecoveryCode');
  if (
    !PUBLIC_KEY.test(input.publicKey) ||
    publicKeyIn(k, 'K') !== input.publicKey ||
    publicKeyIn(r, 'R') !== input.publicKey
  ) {
    throw new AppError('ERR_KEY_FORMAT', { fields: [{ field: 'publicKey', code: 'ERR_KEY_FORMAT' }] });
  }
  const id = deps.secrets.id();
  const now = deps.clock.now();
  try {
    await deps.db.transaction(async (tx) => {
      if (input.replace === true) {
        await tx.query(
          `UPDATE personal_keys SET retired_at = $3 WHERE tenant_id = $1 AND ${ownerColumn(owner)} = $2 AND retired_at IS NULL`,
          [tenantId, owner.id, now],
        );
      }
      await tx.query(
        `INSERT INTO personal_keys (tenant_id, id, staff_id, account_id, public_key, wrapped_passphrase, wrapped_recovery, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
        [
          tenantId,
          id,
          owner.kind === 'staff' ? owner.id : null,
          owner.kind === 'account' ? owner.id : null,
          input.publicKey,
          k,
          r,
          now,
        ],
      );
      await recordAudit(tx, {
        tenantId,
        at: now,
        actor: owner.kind === 'staff' ? { kind: 'staff', id: owner.id } : { kind: 'account', id: owner.id },
        action: input.replace === true ? 'personal-key.replaced' : 'personal-key.created',
        subject: { kind: owner.kind, id: owner.id },
        ipPrefix,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('ERR_PERSONAL_KEY_EXISTS', { cause: err });
    throw err;
  }
  return {
    id,
    publicKey: input.publicKey,
    wrappedWithPassphrase: k,
    wrappedWithRecoveryCode: r,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Replaces the wrapped copies of the current key (a new passphrase, a new recovery code). They
 * must hold the same public key: re-wrapping never changes the key itself.
 * @throws {AppError} ERR_NOT_FOUND (no key), ERR_KEY_FORMAT
 */
export async function rewrapPersonalKey(
  deps: Deps,
  tenantId: string,
  owner: KeyOwner,
  input: { wrappedWithPassphrase?: string | undefined; wrappedWithRecoveryCode?: string | undefined },
  ipPrefix: string | undefined,
): Promise<void> {
  const current = await currentPersonalKey(deps.db, tenantId, owner);
  if (current === undefined) throw new AppError('ERR_NOT_FOUND');
  const k =
    input.wrappedWithPassphrase === undefined
      ? current.wrappedWithPassphrase
      : decodeWrapped(input.wrappedWithPassphrase, 'K', 'wrappedWithPassphrase');
  const r =
    input.wrappedWithRecoveryCode === undefined
      ? current.wrappedWithRecoveryCode
      : decodeWrapped(input.wrappedWithRecoveryCode, 'R', 'wrappedWithRecoveryCode');
  if (publicKeyIn(k, 'K') !== current.publicKey || publicKeyIn(r, 'R') !== current.publicKey) {
    throw new AppError('ERR_KEY_FORMAT', { fields: [{ field: 'publicKey', code: 'ERR_KEY_FORMAT' }] });
  }
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE personal_keys SET wrapped_passphrase = $3, wrapped_recovery = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2`,
      [tenantId, current.id, k, r, now],
    );
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: owner.kind === 'staff' ? { kind: 'staff', id: owner.id } : { kind: 'account', id: owner.id },
      action: 'personal-key.rewrapped',
      subject: { kind: owner.kind, id: owner.id },
      ipPrefix,
      details: {
        passphrase: input.wrappedWithPassphrase !== undefined,
        recovery: input.wrappedWithRecoveryCode !== undefined,
      },
    });
  });
}

/**
 * Where a browser keeps the unlocked key for this session (docs/crypto.md, "Unlocking"): a name
 * derived from the session, so a new session (after logout, on another account) never finds the
 * old key and clears it.
 */
export function keySlot(sessionIdHash: Buffer | undefined, owner: KeyOwner): string {
  return createHash('sha256')
    .update('amtsbote key slot v1\0')
    .update(sessionIdHash ?? Buffer.alloc(0))
    .update(`\0${owner.kind}:${owner.id}`)
    .digest('base64url')
    .slice(0, 32);
}

/** The account an e-mail recipient is, or will be known as: bound on opening, else by address. */
const recipientAccount = `coalesce(r.account_id, (SELECT a.id FROM accounts a WHERE a.tenant_id = r.tenant_id AND a.email = r.email))`;

/** Public keys for addresses (service accounts with a current key), for encrypting to them. */
export async function publicKeysFor(
  q: Queryable,
  tenantId: string,
  emails: string[],
): Promise<{ email: string; publicKey: string | null }[]> {
  const wanted = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
  if (wanted.length === 0) return [];
  const rows = await q.query<{ email: string; public_key: string }>(
    `SELECT a.email, k.public_key FROM accounts a JOIN personal_keys k ON k.tenant_id = a.tenant_id AND k.account_id = a.id AND k.retired_at IS NULL
     WHERE a.tenant_id = $1 AND a.email = ANY($2::text[])`,
    [tenantId, wanted],
  );
  // An organisation's contact address is its postbox: its key, never the personal one.
  const orgs = await organisationKeysFor(q, tenantId, wanted);
  return wanted.map((email) => ({
    email,
    publicKey: orgs.has(email)
      ? (orgs.get(email) ?? null)
      : (rows.find((r) => r.email === email)?.public_key ?? null),
  }));
}

/** Whether the tenant lets department members complete and read each other's level-3/4 outbox. */
export function sharesDepartmentOutboxes(tenant: Tenant): boolean {
  return tenant.settings.sharedDepartmentOutboxes === true;
}

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
    const draft = await one<{ level: number }>(
      tx,
      `SELECT level FROM transfers WHERE tenant_id = $1 AND id = $2 AND status = 'draft' AND sender_staff_id = $3 FOR UPDATE`,
      [tenant.id, transferId, staffId],
    );
    if (draft === undefined || draft.level < 3) throw new AppError('ERR_NOT_FOUND');
    const own = await currentPersonalKey(tx, tenant.id, { kind: 'staff', id: staffId });
    if (own === undefined) throw new AppError('ERR_PERSONAL_KEY_MISSING');
    const now = deps.clock.now();
    await tx.query(`DELETE FROM transfer_envelopes WHERE tenant_id = $1 AND transfer_id = $2`, [
      tenant.id,
      transferId,
    ]);
    for (const [i, e] of decoded.entries()) {
      const bad = new AppError('ERR_VALIDATION', {
        fields: [{ field: `envelopes.${String(i)}`, code: 'ERR_VALIDATION' }],
      });
      if (e.holder === 'sender') {
        await tx.query(
          `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, personal_key_id, envelope, created_at, created_by) VALUES ($1, $2, $3, 'sender', $4, $5, $6, $7)`,
          [tenant.id, deps.secrets.id(), transferId, own.id, e.bytes, now, staffId],
        );
      } else if (e.holder === 'recipient') {
        const email = (e.email ?? '').trim().toLowerCase();
        const args = {
          tenantId: tenant.id,
          id: deps.secrets.id(),
          transferId,
          email,
          envelope: e.bytes,
          now,
          staffId,
          field: `envelopes.${String(i)}`,
        };
        if (await storeOrganisationEnvelope(tx, args)) continue;
        const rows = await tx.query(
          `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, personal_key_id, envelope, created_at, created_by)
           SELECT $1, $2, $3, 'recipient', r.id, k.id, $5, $6, $7 FROM transfer_recipients r
             JOIN personal_keys k ON k.tenant_id = r.tenant_id AND k.account_id = ${recipientAccount} AND k.retired_at IS NULL
           WHERE r.tenant_id = $1 AND r.transfer_id = $3 AND r.email = $4 RETURNING id`,
          [
            tenant.id,
            deps.secrets.id(),
            transferId,
            (e.email ?? '').trim().toLowerCase(),
            e.bytes,
            now,
            staffId,
          ],
        );
        if (rows.length === 0) throw bad;
      } else {
        if (!sharesDepartmentOutboxes(tenant)) throw bad;
        const rows = await tx.query(
          `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, department_key_id, envelope, created_at, created_by)
           SELECT $1, $2, $3, 'department', k.id, $5, $6, $7 FROM department_keys k
             JOIN department_members m ON m.tenant_id = k.tenant_id AND m.department_id = k.department_id AND m.staff_id = $7
           WHERE k.tenant_id = $1 AND k.id = $4 AND k.retired_at IS NULL RETURNING id`,
          [tenant.id, deps.secrets.id(), transferId, e.departmentKeyId ?? null, e.bytes, now, staffId],
        );
        if (rows.length === 0) throw bad;
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
  const own = await one(
    tx,
    `SELECT 1 AS x FROM transfer_envelopes WHERE tenant_id = $1 AND transfer_id = $2 AND holder = 'sender'`,
    [tenantId, transferId],
  );
  if (own === undefined) throw new AppError('ERR_SENDER_ENVELOPE_MISSING');
  await tx.query(
    `UPDATE transfers SET e2e = 'recipients', e2e_message = $3 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, transferId, level >= 4],
  );
  await tx.query(`UPDATE transfer_files SET scan_status = 'e2e' WHERE tenant_id = $1 AND transfer_id = $2`, [
    tenantId,
    transferId,
  ]);
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
  const env = await one<{ envelope: Buffer; public_key: string | null }>(
    q,
    `SELECT e.envelope, k.public_key FROM transfer_envelopes e LEFT JOIN personal_keys k ON k.tenant_id = e.tenant_id AND k.id = e.personal_key_id
     WHERE e.tenant_id = $1 AND e.recipient_id = $2`,
    [tenantId, recipientId],
  );
  if (key !== undefined && env?.public_key === key.publicKey) {
    return { state: 'ready', envelope: b64(env.envelope), publicKey: key.publicKey };
  }
  return {
    state: key === undefined ? 'no-key' : 'waiting',
    envelope: null,
    publicKey: key?.publicKey ?? null,
  };
}

/** The sender's own envelope (or a department's, for a member where outboxes are shared). */
export async function staffEnvelope(
  q: Queryable,
  tenant: Tenant,
  staffId: string,
  transferId: string,
): Promise<
  | {
      holder: 'sender' | 'addressee' | 'department';
      envelope: string;
      departmentKeyId: string | null;
      departmentPublicKey: string | null;
      wrappedDepartmentKey: string | null;
    }
  | undefined
> {
  const own = await one<{ envelope: Buffer }>(
    q,
    `SELECT e.envelope FROM transfer_envelopes e JOIN transfers t ON t.tenant_id = e.tenant_id AND t.id = e.transfer_id
     WHERE e.tenant_id = $1 AND e.transfer_id = $2 AND e.holder = 'sender' AND t.sender_staff_id = $3`,
    [tenant.id, transferId, staffId],
  );
  if (own !== undefined)
    return {
      holder: 'sender',
      envelope: b64(own.envelope),
      departmentKeyId: null,
      departmentPublicKey: null,
      wrappedDepartmentKey: null,
    };
  // A level-3/4 reply from a recipient, addressed to the caller (keys/replies.ts).
  const addressed = await one<{ envelope: Buffer }>(
    q,
    `SELECT e.envelope FROM transfer_envelopes e JOIN transfers t ON t.tenant_id = e.tenant_id AND t.id = e.transfer_id
     WHERE e.tenant_id = $1 AND e.transfer_id = $2 AND e.holder = 'addressee' AND t.to_staff_id = $3`,
    [tenant.id, transferId, staffId],
  );
  if (addressed !== undefined)
    return {
      holder: 'addressee',
      envelope: b64(addressed.envelope),
      departmentKeyId: null,
      departmentPublicKey: null,
      wrappedDepartmentKey: null,
    };
  if (!sharesDepartmentOutboxes(tenant)) return undefined;
  const dept = await one<{ envelope: Buffer; key_id: string; public_key: string; share: Buffer }>(
    q,
    `SELECT e.envelope, e.department_key_id AS key_id, k.public_key, s.wrapped_private_key AS share FROM transfer_envelopes e
       JOIN department_keys k ON k.tenant_id = e.tenant_id AND k.id = e.department_key_id
       JOIN department_key_shares s ON s.tenant_id = e.tenant_id AND s.key_id = e.department_key_id AND s.staff_id = $3
       JOIN personal_keys p ON p.tenant_id = s.tenant_id AND p.id = s.personal_key_id AND p.retired_at IS NULL
       JOIN department_members m ON m.tenant_id = k.tenant_id AND m.department_id = k.department_id AND m.staff_id = $3
     WHERE e.tenant_id = $1 AND e.transfer_id = $2 AND e.holder = 'department' LIMIT 1`,
    [tenant.id, transferId, staffId],
  );
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

export interface PendingRewrap {
  transferId: string;
  recipientId: string;
  /** The recipient's public key, to wrap the file key for. */
  publicKey: string;
  /** The caller's envelope of the file key (sender's, or a department's with its wrapped key). */
  holder: 'sender' | 'department';
  envelope: string;
  /** With a department's envelope: that key's public key and the caller's share of it. */
  departmentPublicKey: string | null;
  wrappedDepartmentKey: string | null;
}

/**
 * Recipients of the caller's live level-3/4 transfers who have a key now but no envelope yet:
 * the caller's browser wraps the file key for them (the server never sees it). With shared
 * department outboxes also those of transfers wrapped to a department key the caller holds.
 */
export async function pendingRewraps(
  q: Queryable,
  tenant: Tenant,
  staffId: string,
  now: Date,
): Promise<PendingRewrap[]> {
  const shared = sharesDepartmentOutboxes(tenant);
  const rows = await q.query<{
    transfer_id: string;
    recipient_id: string;
    public_key: string;
    holder: 'sender' | 'department';
    envelope: Buffer;
    department_public_key: string | null;
    share: Buffer | null;
  }>(
    `SELECT DISTINCT ON (r.id) t.id AS transfer_id, r.id AS recipient_id, k.public_key, e.holder, e.envelope,
       dk.public_key AS department_public_key, s.wrapped_private_key AS share
     FROM transfers t
       JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.transfer_id = t.id
       JOIN personal_keys k ON k.tenant_id = r.tenant_id AND k.account_id = ${recipientAccount} AND k.retired_at IS NULL
       JOIN transfer_envelopes e ON e.tenant_id = t.tenant_id AND e.transfer_id = t.id
         AND ((e.holder = 'sender' AND t.sender_staff_id = $2) OR ($3 AND e.holder = 'department'))
       LEFT JOIN department_keys dk ON dk.tenant_id = e.tenant_id AND dk.id = e.department_key_id
       LEFT JOIN department_key_shares s ON s.tenant_id = e.tenant_id AND s.key_id = e.department_key_id AND s.staff_id = $2
         AND EXISTS (SELECT 1 FROM personal_keys sp WHERE sp.tenant_id = s.tenant_id AND sp.id = s.personal_key_id AND sp.retired_at IS NULL)
         AND EXISTS (SELECT 1 FROM department_members dm WHERE dm.tenant_id = dk.tenant_id AND dm.department_id = dk.department_id AND dm.staff_id = $2)
     WHERE t.tenant_id = $1 AND t.e2e = 'recipients' AND t.status = 'sent' AND t.ended_at IS NULL AND t.expires_at > $4
       AND (e.holder = 'sender' OR s.staff_id IS NOT NULL)
       AND r.organisation_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM transfer_envelopes x WHERE x.tenant_id = r.tenant_id AND x.recipient_id = r.id AND x.personal_key_id = k.id)
     ORDER BY r.id, (e.holder = 'sender') DESC
     LIMIT 100`,
    [tenant.id, staffId, shared, now],
  );
  const personal: PendingRewrap[] = rows.map((r) => ({
    transferId: r.transfer_id,
    recipientId: r.recipient_id,
    publicKey: r.public_key,
    holder: r.holder,
    envelope: b64(r.envelope),
    departmentPublicKey: r.department_public_key,
    wrappedDepartmentKey: r.share === null ? null : b64(r.share),
  }));
  // Organisations that created their key after the message came: wrapped to that key.
  return [...personal, ...(await pendingOrganisationRewraps(q, tenant.id, staffId, now))];
}

/**
 * Stores a re-wrapped envelope for a recipient who created a key after the transfer was sent.
 * The caller must be one who could see the pending item; the envelope is bound to the key the
 * recipient has now.
 * @returns the recipient's address and language for the "ready" notification, or undefined when
 *   it had been stored already (another browser was quicker).
 * @throws {AppError} ERR_NOT_FOUND, ERR_KEY_FORMAT
 */
export async function storeRewrap(
  deps: Deps,
  tenant: Tenant,
  staffId: string,
  input: { transferId: string; recipientId: string; envelope: string },
  ipPrefix: string | undefined,
): Promise<{ email: string; locale: 'de' | 'en' } | undefined> {
  const bytes = decodeEnvelope(input.envelope);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const org = await storeOrganisationRewrap(tx, {
      tenantId: tenant.id,
      id: deps.secrets.id(),
      staffId,
      ...input,
      envelope: bytes,
      now,
      ipPrefix,
    });
    if (org !== false) return org;
    const pending = (await pendingRewraps(tx, tenant, staffId, now)).find(
      (p) => p.transferId === input.transferId && p.recipientId === input.recipientId,
    );
    if (pending === undefined) {
      const done = await one(
        tx,
        `SELECT 1 AS x FROM transfer_envelopes WHERE tenant_id = $1 AND recipient_id = $2`,
        [tenant.id, input.recipientId],
      );
      if (done !== undefined) return undefined;
      throw new AppError('ERR_NOT_FOUND');
    }
    const r = await one<{ email: string; locale: 'de' | 'en'; key_id: string }>(
      tx,
      `SELECT r.email, r.locale, k.id AS key_id FROM transfer_recipients r
         JOIN personal_keys k ON k.tenant_id = r.tenant_id AND k.account_id = ${recipientAccount} AND k.retired_at IS NULL
       WHERE r.tenant_id = $1 AND r.id = $2`,
      [tenant.id, input.recipientId],
    );
    if (r === undefined) throw new AppError('ERR_NOT_FOUND');
    await tx.query(`DELETE FROM transfer_envelopes WHERE tenant_id = $1 AND recipient_id = $2`, [
      tenant.id,
      input.recipientId,
    ]);
    await tx.query(
      `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, personal_key_id, envelope, created_at, created_by)
       VALUES ($1, $2, $3, 'recipient', $4, $5, $6, $7, $8)`,
      [tenant.id, deps.secrets.id(), input.transferId, input.recipientId, r.key_id, bytes, now, staffId],
    );
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor: { kind: 'staff', id: staffId },
      action: 'transfer.key_rewrapped',
      subject: { kind: 'transfer', id: input.transferId },
      ipPrefix,
      details: { recipient: input.recipientId, via: pending.holder },
    });
    return { email: r.email, locale: r.locale };
  });
}
