import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { currentPersonalKey } from '../keys/index.ts';
import { keyState, requireMember } from '../organisations/index.ts';
import { organisationReceivedEnvelope, organisationReplyEnvelope } from '../transfers/index.ts';
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
  const r = await organisationReceivedEnvelope(
    deps.db,
    input.tenantId,
    input.organisationId,
    input.transferId,
  );
  if (r === undefined) throw new AppError('ERR_NOT_FOUND');
  const state = await keyState(deps, input);
  const personal = await currentPersonalKey(deps.db, input.tenantId, {
    kind: 'account',
    id: input.accountId,
  });
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
 * name its own copy, also wrapped for the organisation's key (transfers/services/reply-envelopes.ts). Either way the
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
  const own = await organisationReplyEnvelope(
    deps.db,
    input.tenantId,
    input.transferId,
    scope.recipientId,
    deps.clock.now(),
  );
  if (own === undefined) throw new AppError('ERR_NOT_FOUND');
  const state = await keyState(deps, input);
  const personal = await currentPersonalKey(deps.db, input.tenantId, {
    kind: 'account',
    id: input.accountId,
  });
  const none = { envelope: null, organisationPublicKey: state.publicKey, wrappedOrganisationKey: null };
  if (personal === undefined) return { state: 'no-key', ...none };
  if (state.publicKey === null || state.wrappedPrivateKey === null) return { state: 'no-share', ...none };
  return {
    state: 'ready',
    envelope: Buffer.from(own).toString('base64url'),
    organisationPublicKey: state.publicKey,
    wrappedOrganisationKey: state.wrappedPrivateKey,
  };
}
