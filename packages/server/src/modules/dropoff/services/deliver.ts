import type { FastifyRequest } from 'fastify';
import { fromBase64Url } from '@amtsbote/crypto';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import type { InboundTarget } from '../../postbox/index.ts';
import { discardDraft, submitInbound } from '../../postbox/index.ts';
import { inboundNumber } from '../../postbox/index.ts';
import { transferE2eMode } from '../../transfers/index.ts';
import { countUse } from '../../uploadlinks/index.ts';
import { loadSession, verifiedSessionOfRequest } from '../policy.ts';
import { setSessionTransfer } from '../store.ts';
import { resolveTarget } from '../target.ts';

/** The session delivered before: this draft is not needed. */
class AlreadyDelivered extends Error {
  readonly transferId: string;
  constructor(transferId: string) {
    super('already delivered');
    this.transferId = transferId;
  }
}

/**
 * Delivers the session's draft once: the session row is locked in the delivering transaction,
 * and a session that already delivered another draft (two clicks racing, each with a draft of
 * its own) discards this one and answers with the first.
 */
export async function deliverOnce(
  deps: AppDeps,
  request: FastifyRequest,
  sessionId: string,
  target: InboundTarget,
  draftId: string,
  envelope: Uint8Array | undefined,
): Promise<{ id: string }> {
  try {
    return await submitInbound(deps, request.tenant, target, draftId, {
      envelope,
      ipPrefix: request.ipPrefix,
      inTx: async (tx) => {
        const again = await loadSession(deps, tx, request.tenant.id, sessionId, request.session?.idHash, {
          forUpdate: true,
        });
        if (again === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
        if (again.transferId !== null) throw new AlreadyDelivered(again.transferId);
        if (target.uploadLinkId !== null) await countUse(tx, deps, request.tenant.id, target.uploadLinkId);
        await setSessionTransfer(tx, request.tenant.id, sessionId, draftId);
      },
    });
  } catch (err) {
    if (!(err instanceof AlreadyDelivered)) throw err;
    if (err.transferId !== draftId) await discardDraft(deps, request.tenant.id, draftId);
    return { id: err.transferId };
  }
}

/** What the island is told after sending: the transfer, its number, and where to go. */
export interface SubmittedDraft {
  id: string;
  number: string;
  doneUrl: string;
}

/**
 * Sends the draft the island prepared (with the envelope of an end-to-end encrypted one). The
 * second click of a double submit finds the first one's transfer: same answer.
 * @throws {AppError} ERR_DROPOFF_EXPIRED, ERR_NOT_FOUND (not the session's draft), ERR_VALIDATION
 */
export async function submitDraft(
  deps: AppDeps,
  request: FastifyRequest,
  sessionId: string,
  draftId: string,
  envelopeText: string | undefined,
): Promise<SubmittedDraft> {
  const s = await verifiedSessionOfRequest(deps, request, sessionId);
  if (s.transferId !== null) {
    if (s.transferId !== draftId) throw new AppError('ERR_DROPOFF_EXPIRED');
    return { id: s.transferId, number: inboundNumber(s.transferId), doneUrl: `/inbound/${s.id}/done` };
  }
  if (s.draftId !== draftId) throw new AppError('ERR_NOT_FOUND');
  const e2e = await transferE2eMode(deps.db, request.tenant.id, draftId);
  const resolved = await resolveTarget(deps, request.tenant, s, { password: e2e === 'password' });
  if (resolved === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
  let envelope: Uint8Array | undefined;
  if (envelopeText !== undefined) {
    try {
      envelope = fromBase64Url(envelopeText);
    } catch (err) {
      throw new AppError('ERR_VALIDATION', {
        fields: [{ field: 'envelope', code: 'ERR_VALIDATION' }],
        cause: err,
      });
    }
  }
  const submitted = await deliverOnce(deps, request, s.id, resolved.target, draftId, envelope);
  return { id: submitted.id, number: inboundNumber(submitted.id), doneUrl: `/inbound/${s.id}/done` };
}
