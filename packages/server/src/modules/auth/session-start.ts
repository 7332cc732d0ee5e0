import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Queryable } from '../../adapters/db/index.ts';
import { hashToken } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';
import { cookieOptions } from '../../http/context.ts';
import { recordAudit } from '../audit/index.ts';
import { SESSION_COOKIE } from './request.ts';
import { createSession, SESSION_MAX_MS } from './sessions.ts';
import { deleteSession } from './store/sessions.ts';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets'>;

/**
 * Signing a browser in: always a new session (one planted before means nothing after), the old
 * one deleted, the cookie set. Returns the new session's id.
 */
async function openSession(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  who: { staffId?: string; accountId?: string; authMethod?: string | undefined },
): Promise<string> {
  if (request.session !== undefined) await deleteSession(deps.db, request.session.idHash);
  const sid = await createSession(deps.db, deps, {
    tenantId: request.tenant.id,
    ...who,
    locale: request.locale,
    userAgent: request.headers['user-agent'],
    ipPrefix: request.ipPrefix,
  });
  void reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
  return sid;
}

/**
 * Signs the browser in as staff. `method` names a way other than the password or a link (single
 * sign-on): it is kept with the session and the audit record.
 */
export async function startStaffSession(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  staffId: string,
  method?: string,
): Promise<void> {
  await openSession(deps, request, reply, { staffId, authMethod: method });
  await recordAudit(deps.db, {
    tenantId: request.tenant.id,
    at: deps.clock.now(),
    actor: { kind: 'staff', id: staffId },
    action: 'staff.login',
    ipPrefix: request.ipPrefix,
    ...(method === undefined ? {} : { details: { method } }),
  });
}

/**
 * Signs the browser in as a service account. `noteSignIn` is the accounts module's own
 * bookkeeping of the sign-in (its tables are its own), run after the session is open and before
 * the audit record.
 */
export async function startAccountSession(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  input: { accountId: string; method: string; noteSignIn: (q: Queryable) => Promise<void> },
): Promise<void> {
  await openSession(deps, request, reply, { accountId: input.accountId, authMethod: input.method });
  await input.noteSignIn(deps.db);
  await recordAudit(deps.db, {
    tenantId: request.tenant.id,
    at: deps.clock.now(),
    actor: { kind: 'account', id: input.accountId },
    action: 'account.login',
    subject: { kind: 'account', id: input.accountId },
    ipPrefix: request.ipPrefix,
    details: { method: input.method },
  });
}

/**
 * The session that a challenge or an OpenID state is bound to. A visitor without one gets an
 * anonymous session (it holds nothing but this binding and the language).
 */
export async function bindingSession(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Buffer> {
  if (request.session !== undefined) return request.session.idHash;
  const sid = await createSession(deps.db, deps, {
    tenantId: request.tenant.id,
    locale: request.locale,
    userAgent: request.headers['user-agent'],
    ipPrefix: request.ipPrefix,
  });
  void reply.setCookie(SESSION_COOKIE, sid, { ...cookieOptions, maxAge: SESSION_MAX_MS / 1000 });
  return hashToken(sid);
}
