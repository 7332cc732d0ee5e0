import { createHash } from 'node:crypto';
import type { Queryable } from '../../adapters/db/index.ts';
import { isUniqueViolation, one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { isP256Envelope, organisationKeysFor } from '../organisations/index.ts';
import type { Tenant } from '../tenants/index.ts';

/**
 * Personal keys (staff and service accounts); the file-key envelopes of level-3/4 transfers are
 * the transfers module's (transfers/services/envelopes.ts).
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

export function b64(bytes: Uint8Array): string {
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
