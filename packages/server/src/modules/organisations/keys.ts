import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import { requireAdmin, requireMember } from './service.ts';

/**
 * The organisation's key pair for end-to-end encrypted transfers (levels 3 and 4). The server
 * keeps the public key (`amtb-pub1-…`) and, per confirmed member, the private key wrapped to
 * that member's personal key by a member's browser: a type-E envelope (docs/crypto.md) around the
 * 32-byte private scalar. The server can open none of it. A share belongs to a membership and is
 * deleted with it, so a revoked member has no wrap left.
 *
 * What the browser does with it (creating the pair, wrapping for members who have none yet,
 * unlocking) comes with the levels-3/4 capability; this is the storage and its API.
 */
type Deps = Pick<AppDeps, 'db' | 'clock'>;

const PUBLIC_KEY = /^amtb-pub1-[A-Za-z0-9_-]{44}$/;
const ENVELOPE_LENGTH = 87;

/** A type-E envelope: `AMTB`, `E`, version 1, 87 bytes (docs/crypto.md). */
export function isP256Envelope(bytes: Uint8Array): boolean {
  return (
    bytes.length === ENVELOPE_LENGTH &&
    bytes[0] === 0x41 &&
    bytes[1] === 0x4d &&
    bytes[2] === 0x54 &&
    bytes[3] === 0x42 &&
    bytes[4] === 0x45 &&
    bytes[5] === 0x01
  );
}

function envelopeFrom(text: string): Buffer {
  const bytes = /^[A-Za-z0-9_-]+$/.test(text) ? Buffer.from(text, 'base64url') : Buffer.alloc(0);
  if (!isP256Envelope(bytes))
    throw new AppError('ERR_KEY_FORMAT', {
      fields: [{ field: 'wrappedPrivateKey', code: 'ERR_KEY_FORMAT' }],
    });
  return bytes;
}

export interface OrganisationKeyState {
  publicKey: string | null;
  /** The caller's own wrapped private key (base64url), when there is one. */
  wrappedPrivateKey: string | null;
  /** Confirmed members who still wait for a wrap (a member who holds the key makes it). */
  membersWithoutShare: string[];
}

export async function keyState(
  deps: Deps,
  input: { tenantId: string; organisationId: string; accountId: string },
): Promise<OrganisationKeyState> {
  await requireMember(deps.db, input.tenantId, input.organisationId, input.accountId);
  const key = await one<{ public_key: string }>(
    deps.db,
    `SELECT public_key FROM organisation_keys WHERE tenant_id = $1 AND organisation_id = $2`,
    [input.tenantId, input.organisationId],
  );
  const mine = await one<{ w: Buffer }>(
    deps.db,
    `SELECT wrapped_private_key AS w FROM organisation_key_shares WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
    [input.tenantId, input.organisationId, input.accountId],
  );
  const missing =
    key === undefined
      ? []
      : await deps.db.query<{ account_id: string }>(
          `SELECT m.account_id FROM organisation_members m WHERE m.tenant_id = $1 AND m.organisation_id = $2
           AND NOT EXISTS (SELECT 1 FROM organisation_key_shares s WHERE s.tenant_id = m.tenant_id AND s.organisation_id = m.organisation_id AND s.account_id = m.account_id)
           ORDER BY m.account_id`,
          [input.tenantId, input.organisationId],
        );
  return {
    publicKey: key?.public_key ?? null,
    wrappedPrivateKey: mine === undefined ? null : Buffer.from(mine.w).toString('base64url'),
    membersWithoutShare: missing.map((m) => m.account_id),
  };
}

/**
 * Sets the organisation's key pair once (an administrator's browser made it), with the
 * administrator's own share.
 * @throws {AppError} ERR_NOT_FOUND, ERR_ORG_ADMIN_REQUIRED, ERR_KEY_FORMAT, ERR_ORG_KEY_EXISTS
 */
export async function setOrganisationKey(
  deps: Deps,
  input: {
    tenantId: string;
    organisationId: string;
    accountId: string;
    publicKey: string;
    wrappedPrivateKey: string;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  if (!PUBLIC_KEY.test(input.publicKey))
    throw new AppError('ERR_KEY_FORMAT', { fields: [{ field: 'publicKey', code: 'ERR_KEY_FORMAT' }] });
  const envelope = envelopeFrom(input.wrappedPrivateKey);
  await deps.db.transaction(async (tx) => {
    await requireAdmin(tx, input.tenantId, input.organisationId, input.accountId);
    const now = deps.clock.now();
    const inserted = await tx.query(
      `INSERT INTO organisation_keys (tenant_id, organisation_id, public_key, created_at, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING organisation_id`,
      [input.tenantId, input.organisationId, input.publicKey, now, input.accountId],
    );
    if (inserted.length === 0) throw new AppError('ERR_ORG_KEY_EXISTS');
    await tx.query(
      `INSERT INTO organisation_key_shares (tenant_id, organisation_id, account_id, wrapped_private_key, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $3)`,
      [input.tenantId, input.organisationId, input.accountId, envelope, now],
    );
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.accountId },
      action: 'organisation.key_created',
      subject: { kind: 'organisation', id: input.organisationId },
      ipPrefix: input.ipPrefix,
    });
  });
}

/**
 * Stores the wrap for a confirmed member, made by a member who holds the key. Replaces an older
 * wrap of that member (after they renewed their personal key).
 * @throws {AppError} ERR_NOT_FOUND (caller or target no member, no key yet), ERR_KEY_FORMAT
 */
export async function shareOrganisationKey(
  deps: Deps,
  input: {
    tenantId: string;
    organisationId: string;
    accountId: string;
    forAccountId: string;
    wrappedPrivateKey: string;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  const envelope = envelopeFrom(input.wrappedPrivateKey);
  await deps.db.transaction(async (tx) => {
    await requireMember(tx, input.tenantId, input.organisationId, input.accountId);
    const now = deps.clock.now();
    // The foreign keys refuse a share for a non-member or an organisation without a key.
    const target = await one(
      tx,
      `SELECT 1 AS x FROM organisation_members WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3`,
      [input.tenantId, input.organisationId, input.forAccountId],
    );
    const key = await one(
      tx,
      `SELECT 1 AS x FROM organisation_keys WHERE tenant_id = $1 AND organisation_id = $2`,
      [input.tenantId, input.organisationId],
    );
    if (target === undefined || key === undefined) throw new AppError('ERR_NOT_FOUND');
    await tx.query(
      `INSERT INTO organisation_key_shares (tenant_id, organisation_id, account_id, wrapped_private_key, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, organisation_id, account_id) DO UPDATE SET wrapped_private_key = $4, created_at = $5, created_by = $6`,
      [input.tenantId, input.organisationId, input.forAccountId, envelope, now, input.accountId],
    );
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.accountId },
      action: 'organisation.key_shared',
      subject: { kind: 'account', id: input.forAccountId },
      ipPrefix: input.ipPrefix,
      details: { organisation: input.organisationId },
    });
  });
}
