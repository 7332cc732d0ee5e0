import type { FastifyRequest } from 'fastify';
import { equalBytes } from '../../adapters/secrets.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { InboundSession } from './sessions.ts';
import { openSession } from './sessions.ts';
import { findSessionRow, sessionOfDraft } from './store.ts';

type Deps = Pick<AppDeps, 'clock' | 'keyring'>;

// A drop-off session is the sender's by the browser session that started it: the id in a URL
// opens nothing in another browser, and a session past its time opens nothing at all. Every
// refusal is the same answer, so nobody learns which of these it was.

/** The session if it is live and this browser's; undefined otherwise (one answer for all cases). */
export async function loadSession(
  deps: Deps,
  q: Queryable,
  tenantId: string,
  id: string,
  browserHash: Buffer | undefined,
  opts: { forUpdate?: boolean } = {},
): Promise<InboundSession | undefined> {
  if (browserHash === undefined || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const r = await findSessionRow(q, tenantId, id, opts);
  if (
    r === undefined ||
    !equalBytes(r.browserHash, browserHash) ||
    r.expiresAt.getTime() <= deps.clock.now().getTime()
  )
    return undefined;
  return openSession(deps, tenantId, r);
}

/**
 * The session `id` of this request's browser.
 * @throws {AppError} ERR_DROPOFF_EXPIRED when it is not (or no longer) this browser's.
 */
export async function sessionOfRequest(
  deps: Deps & Pick<AppDeps, 'db'>,
  request: FastifyRequest,
  id: string,
  opts: { q?: Queryable; forUpdate?: boolean } = {},
): Promise<InboundSession> {
  const s = await loadSession(deps, opts.q ?? deps.db, request.tenant.id, id, request.session?.idHash, {
    forUpdate: opts.forUpdate,
  });
  if (s === undefined) throw new AppError('ERR_DROPOFF_EXPIRED');
  return s;
}

/**
 * The session `id` of this request's browser, once its e-mail code was entered.
 * @throws {AppError} ERR_DROPOFF_EXPIRED otherwise.
 */
export async function verifiedSessionOfRequest(
  deps: Deps & Pick<AppDeps, 'db'>,
  request: FastifyRequest,
  id: string,
): Promise<InboundSession> {
  const s = await sessionOfRequest(deps, request, id);
  if (!s.verified) throw new AppError('ERR_DROPOFF_EXPIRED');
  return s;
}

/**
 * Whether this browser may upload into the draft: it is the draft of a live, verified session
 * of this browser.
 * @returns the session's id, or undefined when not.
 */
export async function uploaderSessionOf(
  deps: Deps & Pick<AppDeps, 'db'>,
  request: FastifyRequest,
  draftId: string,
): Promise<string | undefined> {
  const owner = await sessionOfDraft(deps.db, request.tenant.id, draftId);
  const idHash = request.session?.idHash;
  if (
    owner === undefined ||
    idHash === undefined ||
    !equalBytes(owner.browserHash, idHash) ||
    !owner.verified ||
    owner.expiresAt.getTime() <= deps.clock.now().getTime()
  )
    return undefined;
  return owner.id;
}
