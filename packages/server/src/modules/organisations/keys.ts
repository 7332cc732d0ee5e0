import type { Queryable } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { requireAdmin, requireMember } from './policy.ts';
import {
  currentShareOf,
  insertOrganisationKey,
  insertOwnShare,
  memberPersonalKey,
  membersWithoutShare,
  organisationPublicKey,
  shareableMembers,
  sharesHeldBy,
  upsertShare,
} from './store/keys.ts';

/**
 * The organisation's key pair for end-to-end encrypted transfers (levels 3 and 4). The server
 * keeps the public key (`amtb-pub1-…`) and, per confirmed member, the private key wrapped to
 * that member's personal key by a member's browser: a type-E envelope (docs/crypto.md) around the
 * 32-byte private scalar. The server can open none of it. A share belongs to a membership and is
 * deleted with it, so a revoked member has no wrap left.
 *
 * The browser makes the pair (islands/org-keys.ts, lib/org-keys.ts), wraps it for members who
 * have none yet (any member holding it, in the background), and unwraps it to open level-3/4
 * transfers addressed to the organisation: their file key is wrapped to the organisation's
 * public key (a `recipient` envelope without a personal key), never to one member's.
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
  /** Of those, the ones with a personal key, which a member holding the key can wrap for now. */
  shareable: { accountId: string; publicKey: string }[];
}

export async function keyState(
  deps: Pick<Deps, 'db'>,
  input: { tenantId: string; organisationId: string; accountId: string },
): Promise<OrganisationKeyState> {
  await requireMember(deps.db, input.tenantId, input.organisationId, input.accountId);
  const publicKey = await organisationPublicKey(deps.db, input.tenantId, input.organisationId);
  const mine = await currentShareOf(deps.db, input.tenantId, input.organisationId, input.accountId);
  const hasKey = publicKey !== undefined;
  return {
    publicKey: publicKey ?? null,
    wrappedPrivateKey: mine === undefined ? null : Buffer.from(mine).toString('base64url'),
    membersWithoutShare: hasKey
      ? await membersWithoutShare(deps.db, input.tenantId, input.organisationId)
      : [],
    shareable: hasKey ? await shareableMembers(deps.db, input.tenantId, input.organisationId) : [],
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
    const { tenantId, organisationId, accountId } = input;
    const fresh = await insertOrganisationKey(tx, {
      tenantId,
      organisationId,
      publicKey: input.publicKey,
      at: now,
      by: accountId,
    });
    if (!fresh) throw new AppError('ERR_ORG_KEY_EXISTS');
    await insertOwnShare(tx, { tenantId, organisationId, accountId, envelope, at: now });
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
    /** The member's personal key the wrap was made for; refused unless it is still the current one. */
    publicKey?: string | undefined;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  const envelope = envelopeFrom(input.wrappedPrivateKey);
  await deps.db.transaction(async (tx) => {
    await requireMember(tx, input.tenantId, input.organisationId, input.accountId);
    const now = deps.clock.now();
    // The foreign keys refuse a share for a non-member or an organisation without a key.
    const target = await memberPersonalKey(tx, input.tenantId, input.organisationId, input.forAccountId);
    const key = await organisationPublicKey(tx, input.tenantId, input.organisationId);
    if (target === undefined || key === undefined) throw new AppError('ERR_NOT_FOUND');
    if (input.publicKey !== undefined && input.publicKey !== target.publicKey)
      throw new AppError('ERR_VALIDATION', { fields: [{ field: 'publicKey', code: 'ERR_VALIDATION' }] });
    await upsertShare(tx, {
      tenantId: input.tenantId,
      organisationId: input.organisationId,
      accountId: input.forAccountId,
      envelope,
      at: now,
      by: input.accountId,
      personalKeyId: target.keyId,
    });
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

export interface PendingOrganisationShares {
  organisationId: string;
  publicKey: string;
  /** The caller's own wrap, which the caller's browser opens to wrap the key for the others. */
  wrappedPrivateKey: string;
  members: { accountId: string; publicKey: string }[];
}

/**
 * For the background work of a member's browser (key-session.ts): in every organisation where
 * the caller holds the key, the confirmed members with a personal key and no wrap yet.
 */
export async function pendingOrganisationShares(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<PendingOrganisationShares[]> {
  const out: PendingOrganisationShares[] = [];
  for (const m of await sharesHeldBy(q, tenantId, accountId)) {
    const members = await shareableMembers(q, tenantId, m.organisationId);
    if (members.length > 0)
      out.push({
        organisationId: m.organisationId,
        publicKey: m.publicKey,
        wrappedPrivateKey: Buffer.from(m.wrap).toString('base64url'),
        members,
      });
  }
  return out;
}
