import { one } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { keyState, requireMember } from '../organisations/index.ts';
import { postboxScopeOf } from './organisation-postbox.ts';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

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

/**
 * The envelope a member opens a level-3/4 message of the postbox with: for a received one the
 * sender's envelope for the organisation's key (keys.ts), for a reply sent in the organisation's
 * name its own copy, also wrapped for the organisation's key (keys/replies.ts). Either way the
 * member's share of that key comes along.
 * @throws {AppError} ERR_NOT_FOUND for non-members and for what is not in the postbox.
 */
export async function postboxEnvelope(
  deps: Deps,
  input: { tenantId: string; organisationId: string; accountId: string; transferId: string },
): Promise<OrganisationEnvelopeState> {
  await requireMember(deps.db, input.tenantId, input.organisationId, input.accountId);
  const scope = await postboxScopeOf(deps.db, input.tenantId, input.organisationId, input.transferId);
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
