import type { Queryable } from '../../adapters/db/index.ts';
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

/**
 * A share that still opens: made for the member's current personal key (or recorded before the
 * key was, migration 011). `s` is the share, `m` the membership.
 */
const CURRENT_SHARE = `(s.personal_key_id IS NULL OR s.personal_key_id = (SELECT c.id FROM personal_keys c WHERE c.tenant_id = s.tenant_id AND c.account_id = s.account_id AND c.retired_at IS NULL))`;

/**
 * Per member (`m`): the current personal key `k` and "no share that still opens", each as a
 * subquery fenced with OFFSET 0 so it runs as a lookup on its own index per member. PGlite never
 * gathers statistics, and without them the planner joined 2 000 members to 2 000 keys (and
 * shares) by scanning all of them for each member: 2.3 s for the once-a-minute poll instead of
 * 25 ms (bench/org-keys.notes.md).
 */
const CURRENT_KEY = `LATERAL (SELECT c.id, c.public_key FROM personal_keys c WHERE c.tenant_id = m.tenant_id AND c.account_id = m.account_id AND c.retired_at IS NULL OFFSET 0) k`;
const NO_CURRENT_SHARE = `NOT EXISTS (SELECT 1 FROM organisation_key_shares s WHERE s.tenant_id = m.tenant_id AND s.organisation_id = m.organisation_id AND s.account_id = m.account_id AND (s.personal_key_id IS NULL OR s.personal_key_id = k.id) OFFSET 0)`;

/** Confirmed members without a wrap (for their current personal key) who have a key to wrap for. */
async function shareableMembers(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<{ accountId: string; publicKey: string }[]> {
  return q.query<{ accountId: string; publicKey: string }>(
    `SELECT m.account_id AS "accountId", k.public_key AS "publicKey" FROM organisation_members m CROSS JOIN ${CURRENT_KEY}
     WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND ${NO_CURRENT_SHARE}
       AND EXISTS (SELECT 1 FROM organisation_keys o WHERE o.tenant_id = $1 AND o.organisation_id = $2)
     ORDER BY m.account_id`,
    [tenantId, organisationId],
  );
}

export async function keyState(
  deps: Pick<Deps, 'db'>,
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
    `SELECT wrapped_private_key AS w FROM organisation_key_shares s WHERE tenant_id = $1 AND organisation_id = $2 AND account_id = $3 AND ${CURRENT_SHARE}`,
    [input.tenantId, input.organisationId, input.accountId],
  );
  const missing =
    key === undefined
      ? []
      : await deps.db.query<{ account_id: string }>(
          `SELECT m.account_id FROM organisation_members m LEFT JOIN ${CURRENT_KEY} ON true
           WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND ${NO_CURRENT_SHARE}
           ORDER BY m.account_id`,
          [input.tenantId, input.organisationId],
        );
  return {
    publicKey: key?.public_key ?? null,
    wrappedPrivateKey: mine === undefined ? null : Buffer.from(mine.w).toString('base64url'),
    membersWithoutShare: missing.map((m) => m.account_id),
    shareable: key === undefined ? [] : await shareableMembers(deps.db, input.tenantId, input.organisationId),
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
      `INSERT INTO organisation_key_shares (tenant_id, organisation_id, account_id, wrapped_private_key, created_at, created_by, personal_key_id)
       VALUES ($1, $2, $3, $4, $5, $3, (SELECT id FROM personal_keys WHERE tenant_id = $1 AND account_id = $3 AND retired_at IS NULL))`,
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
    const target = await one<{ key_id: string | null; public_key: string | null }>(
      tx,
      `SELECT k.id AS key_id, k.public_key FROM organisation_members m
         LEFT JOIN personal_keys k ON k.tenant_id = m.tenant_id AND k.account_id = m.account_id AND k.retired_at IS NULL
       WHERE m.tenant_id = $1 AND m.organisation_id = $2 AND m.account_id = $3`,
      [input.tenantId, input.organisationId, input.forAccountId],
    );
    const key = await one(
      tx,
      `SELECT 1 AS x FROM organisation_keys WHERE tenant_id = $1 AND organisation_id = $2`,
      [input.tenantId, input.organisationId],
    );
    if (target === undefined || key === undefined) throw new AppError('ERR_NOT_FOUND');
    if (input.publicKey !== undefined && input.publicKey !== target.public_key)
      throw new AppError('ERR_VALIDATION', { fields: [{ field: 'publicKey', code: 'ERR_VALIDATION' }] });
    await tx.query(
      `INSERT INTO organisation_key_shares (tenant_id, organisation_id, account_id, wrapped_private_key, created_at, created_by, personal_key_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, organisation_id, account_id) DO UPDATE SET wrapped_private_key = $4, created_at = $5, created_by = $6, personal_key_id = $7`,
      [
        input.tenantId,
        input.organisationId,
        input.forAccountId,
        envelope,
        now,
        input.accountId,
        target.key_id,
      ],
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
  const mine = await q.query<{ organisation_id: string; public_key: string; w: Buffer }>(
    `SELECT s.organisation_id, k.public_key, s.wrapped_private_key AS w FROM organisation_key_shares s
       JOIN organisation_keys k ON k.tenant_id = s.tenant_id AND k.organisation_id = s.organisation_id
     WHERE s.tenant_id = $1 AND s.account_id = $2 AND ${CURRENT_SHARE} ORDER BY s.organisation_id`,
    [tenantId, accountId],
  );
  const out: PendingOrganisationShares[] = [];
  for (const m of mine) {
    const members = await shareableMembers(q, tenantId, m.organisation_id);
    if (members.length > 0)
      out.push({
        organisationId: m.organisation_id,
        publicKey: m.public_key,
        wrappedPrivateKey: Buffer.from(m.w).toString('base64url'),
        members,
      });
  }
  return out;
}

/**
 * Which of these addresses are an organisation's contact address, and so its postbox (exactly
 * one organisation, as drafts resolve it): the organisation's public key, or null while it has
 * none. A sender encrypts to that key, never to the personal key of whoever owns the address.
 */
export async function organisationKeysFor(
  q: Queryable,
  tenantId: string,
  emails: readonly string[],
): Promise<Map<string, string | null>> {
  if (emails.length === 0) return new Map();
  const rows = await q.query<{ email: string; public_key: string | null }>(
    `SELECT o.contact_email AS email, k.public_key FROM organisations o
       LEFT JOIN organisation_keys k ON k.tenant_id = o.tenant_id AND k.organisation_id = o.id
     WHERE o.tenant_id = $1 AND o.contact_email = ANY($2::text[])
       AND NOT EXISTS (SELECT 1 FROM organisations x WHERE x.tenant_id = o.tenant_id AND x.contact_email = o.contact_email AND x.id <> o.id)`,
    [tenantId, [...emails]],
  );
  return new Map(rows.map((r) => [r.email, r.public_key]));
}

/**
 * Stores a level-3/4 draft's `recipient` envelope when that recipient is an organisation's
 * postbox: it must be wrapped to the organisation's key, so one must exist.
 * @returns false when the recipient (by address) is not an organisation; the caller goes on.
 * @throws {AppError} ERR_VALIDATION (an organisation without a key)
 */
export async function storeOrganisationEnvelope(
  tx: Queryable,
  input: {
    tenantId: string;
    id: string;
    transferId: string;
    email: string;
    envelope: Buffer;
    now: Date;
    staffId: string;
    field: string;
  },
): Promise<boolean> {
  const r = await one<{ id: string; has_key: boolean }>(
    tx,
    `SELECT r.id, EXISTS (SELECT 1 FROM organisation_keys k WHERE k.tenant_id = r.tenant_id AND k.organisation_id = r.organisation_id) AS has_key
     FROM transfer_recipients r WHERE r.tenant_id = $1 AND r.transfer_id = $2 AND r.email = $3 AND r.organisation_id IS NOT NULL`,
    [input.tenantId, input.transferId, input.email],
  );
  if (r === undefined) return false;
  if (!r.has_key)
    throw new AppError('ERR_VALIDATION', { fields: [{ field: input.field, code: 'ERR_VALIDATION' }] });
  await tx.query(
    `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, envelope, created_at, created_by) VALUES ($1, $2, $3, 'recipient', $4, $5, $6, $7)`,
    [input.tenantId, input.id, input.transferId, r.id, input.envelope, input.now, input.staffId],
  );
  return true;
}

/** What a member's browser needs to open a level-3/4 message in the organisation's postbox. */
export interface OrganisationEnvelopeState {
  /**
   * `ready`: everything is there; `no-key`: the member has no personal key yet; `no-share`: the
   * organisation has no key, or nobody has wrapped it for this member yet; `waiting`: the
   * message came before the organisation's key and waits for the sender's side.
   */
  state: 'ready' | 'no-key' | 'no-share' | 'waiting';
  envelope: string | null;
  organisationPublicKey: string | null;
  wrappedOrganisationKey: string | null;
}

/**
 * The envelope of a message received by the organisation, for one member: the file key wrapped
 * to the organisation's key, and the member's wrap of that key.
 * @throws {AppError} ERR_NOT_FOUND for non-members, messages outside the postbox, levels 1–2.
 */
export async function organisationEnvelope(
  deps: Pick<Deps, 'db'>,
  input: { tenantId: string; organisationId: string; accountId: string; transferId: string },
): Promise<OrganisationEnvelopeState> {
  await requireMember(deps.db, input.tenantId, input.organisationId, input.accountId);
  const r = await one<{ envelope: Buffer | null }>(
    deps.db,
    `SELECT e.envelope FROM transfer_recipients r JOIN transfers t ON t.tenant_id = r.tenant_id AND t.id = r.transfer_id
       LEFT JOIN transfer_envelopes e ON e.tenant_id = r.tenant_id AND e.recipient_id = r.id AND e.personal_key_id IS NULL
     WHERE r.tenant_id = $1 AND r.organisation_id = $2 AND r.transfer_id = $3 AND t.level >= 3 AND t.status <> 'draft'`,
    [input.tenantId, input.organisationId, input.transferId],
  );
  if (r === undefined) throw new AppError('ERR_NOT_FOUND');
  const state = await keyState(deps, input);
  const personal = await one(
    deps.db,
    `SELECT 1 AS x FROM personal_keys WHERE tenant_id = $1 AND account_id = $2 AND retired_at IS NULL`,
    [input.tenantId, input.accountId],
  );
  const none = { envelope: null, organisationPublicKey: state.publicKey, wrappedOrganisationKey: null };
  if (personal === undefined) return { state: 'no-key', ...none };
  if (state.publicKey === null || state.wrappedPrivateKey === null) return { state: 'no-share', ...none };
  if (r.envelope === null) return { state: 'waiting', ...none };
  return {
    state: 'ready',
    envelope: Buffer.from(r.envelope).toString('base64url'),
    organisationPublicKey: state.publicKey,
    wrappedOrganisationKey: state.wrappedPrivateKey,
  };
}

/** A message to an organisation sent before it had a key: the sender's browser wraps it now. */
export interface PendingOrganisationRewrap {
  transferId: string;
  recipientId: string;
  /** The organisation's public key. */
  publicKey: string;
  holder: 'sender';
  /** The sender's own envelope of the file key. */
  envelope: string;
  departmentPublicKey: null;
  wrappedDepartmentKey: null;
}

/**
 * The caller's live level-3/4 transfers to organisations that have a key now and no envelope
 * yet (listed with the personal re-wraps, GET /api/v1/keys/rewraps).
 */
export async function pendingOrganisationRewraps(
  q: Queryable,
  tenantId: string,
  staffId: string,
  now: Date,
): Promise<PendingOrganisationRewrap[]> {
  const rows = await q.query<{
    transfer_id: string;
    recipient_id: string;
    public_key: string;
    envelope: Buffer;
  }>(
    `SELECT t.id AS transfer_id, r.id AS recipient_id, k.public_key, e.envelope
     FROM transfers t
       JOIN transfer_recipients r ON r.tenant_id = t.tenant_id AND r.transfer_id = t.id AND r.organisation_id IS NOT NULL
       JOIN organisation_keys k ON k.tenant_id = r.tenant_id AND k.organisation_id = r.organisation_id
       JOIN transfer_envelopes e ON e.tenant_id = t.tenant_id AND e.transfer_id = t.id AND e.holder = 'sender'
     WHERE t.tenant_id = $1 AND t.sender_staff_id = $2 AND t.e2e = 'recipients' AND t.status = 'sent'
       AND t.ended_at IS NULL AND t.expires_at > $3
       AND NOT EXISTS (SELECT 1 FROM transfer_envelopes x WHERE x.tenant_id = r.tenant_id AND x.recipient_id = r.id)
     ORDER BY r.id LIMIT 100`,
    [tenantId, staffId, now],
  );
  return rows.map((r) => ({
    transferId: r.transfer_id,
    recipientId: r.recipient_id,
    publicKey: r.public_key,
    holder: 'sender',
    envelope: Buffer.from(r.envelope).toString('base64url'),
    departmentPublicKey: null,
    wrappedDepartmentKey: null,
  }));
}

/**
 * Stores the sender's re-wrap for an organisation's postbox (inside storeRewrap's transaction).
 * @returns false when the recipient is no organisation (the caller goes on); undefined when it
 *   was stored already; else the contact address to tell that the message can be opened now.
 * @throws {AppError} ERR_NOT_FOUND when the caller may not complete this delivery.
 */
export async function storeOrganisationRewrap(
  tx: Queryable,
  input: {
    tenantId: string;
    id: string;
    staffId: string;
    transferId: string;
    recipientId: string;
    envelope: Buffer;
    now: Date;
    ipPrefix: string | undefined;
  },
): Promise<false | undefined | { email: string; locale: 'de' | 'en' }> {
  const r = await one<{ email: string; locale: 'de' | 'en' }>(
    tx,
    `SELECT o.contact_email AS email, r.locale FROM transfer_recipients r JOIN organisations o ON o.tenant_id = r.tenant_id AND o.id = r.organisation_id
     WHERE r.tenant_id = $1 AND r.id = $2 AND r.transfer_id = $3`,
    [input.tenantId, input.recipientId, input.transferId],
  );
  if (r === undefined) return false;
  const pending = (await pendingOrganisationRewraps(tx, input.tenantId, input.staffId, input.now)).some(
    (p) => p.transferId === input.transferId && p.recipientId === input.recipientId,
  );
  if (!pending) {
    const done = await one(
      tx,
      `SELECT 1 AS x FROM transfer_envelopes WHERE tenant_id = $1 AND recipient_id = $2`,
      [input.tenantId, input.recipientId],
    );
    if (done !== undefined) return undefined;
    throw new AppError('ERR_NOT_FOUND');
  }
  await tx.query(
    `INSERT INTO transfer_envelopes (tenant_id, id, transfer_id, holder, recipient_id, envelope, created_at, created_by) VALUES ($1, $2, $3, 'recipient', $4, $5, $6, $7)`,
    [input.tenantId, input.id, input.transferId, input.recipientId, input.envelope, input.now, input.staffId],
  );
  await recordAudit(tx, {
    tenantId: input.tenantId,
    at: input.now,
    actor: { kind: 'staff', id: input.staffId },
    action: 'transfer.key_rewrapped',
    subject: { kind: 'transfer', id: input.transferId },
    ipPrefix: input.ipPrefix,
    details: { recipient: input.recipientId, via: 'sender', organisation: true },
  });
  return { email: r.email, locale: r.locale };
}
