import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashToken } from '../../../adapters/secrets.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { cookieOptions } from '../../../http/context.ts';
import {
  codeLimits,
  createSession,
  giveBackToken,
  issueCode,
  latestPendingCodeId,
  SESSION_COOKIE,
  SESSION_MAX_MS,
  takeToken,
  verifyCode,
} from '../../auth/index.ts';
import { verificationCodeMail } from '../../transfers/index.ts';

/** A browser without a session gets one (the visitor kind that only keeps the language). */
export async function browserSession(
  deps: AppDeps,
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

/**
 * Mails a code for the session, unless the address asked too often: then nothing is sent but the
 * answer is the same, so nobody learns whether an address was used before. Too many requests
 * from one IP are refused openly (that says nothing about an address).
 * @returns the code's id, or undefined when silently held back.
 * @throws {AppError} ERR_RATE_LIMITED for the IP.
 */
export async function sendSessionCode(
  deps: AppDeps,
  request: FastifyRequest,
  s: { id: string; email: string; locale: 'de' | 'en' },
): Promise<string | undefined> {
  let issued: { id: string; code: string };
  try {
    // issueCode decides and counts both limits (the address's, the source's by ipLimitKey) in
    // one atomic step each, all or none; a check before it would let parallel requests through.
    issued = await issueCode(deps, {
      tenantId: request.tenant.id,
      purpose: 'dropoff-sender',
      email: s.email,
      subjectId: s.id,
      ip: request.ip,
    });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'ERR_RATE_LIMITED')) throw err;
    // Which limit said no: a token the source's bucket still has (taken and given straight back,
    // so nothing is counted) means it was the address's, which is answered silently.
    const ipLimit = codeLimits(request.tenant.id, s.email, request.ip)[1];
    if (ipLimit === undefined || !(await takeToken(deps.db, deps.clock, ipLimit))) throw err;
    await giveBackToken(deps.db, ipLimit);
    return undefined;
  }
  const { id, code } = issued;
  await deps.mailer.send(verificationCodeMail(s.email, s.locale, { code, tenantName: request.tenant.name }));
  return id;
}

/**
 * Checks the code the sender typed against the newest one mailed for the session.
 * @throws {AppError} ERR_CODE_INVALID (wrong, used up, expired, or none was sent)
 */
export async function checkSessionCode(
  deps: AppDeps,
  tenantId: string,
  sessionId: string,
  code: string,
): Promise<void> {
  const codeId = await latestPendingCodeId(deps.db, tenantId, 'dropoff-sender', sessionId);
  if (codeId === undefined) throw new AppError('ERR_CODE_INVALID');
  const v = await verifyCode(deps, { tenantId, id: codeId, purpose: 'dropoff-sender', code });
  if (v.subjectId !== sessionId) throw new AppError('ERR_CODE_INVALID');
}
