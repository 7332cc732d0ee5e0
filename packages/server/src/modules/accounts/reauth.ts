import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { isLimited, recordHit, sessionIfAny } from '../auth/index.ts';
import { confirmWithPassword, recentlyAuthenticated } from './service.ts';
import { accountLoginLimits } from './signin.ts';

// Re-authentication before a destructive step (deleting an account or an organisation, which
// the privacy and organisations modules offer): has the session's holder proved who they are
// just now, and if not, the password re-entry.

/**
 * Whether the session's holder has proved who they are recently enough to delete something: an
 * explicit confirmation (password, passkey, identity service) within 10 minutes; for an account
 * without a password, a sign-in within 10 minutes counts too (there is nothing to re-enter). An
 * account with a password always re-enters it (Amt24: "zusätzlich die Eingabe Ihres Passwortes").
 */
export function freshlyConfirmed(
  deps: Pick<AppDeps, 'clock'>,
  request: FastifyRequest,
  hasPassword: boolean,
): boolean {
  const s = sessionIfAny(request);
  if (s === undefined) return false;
  const now = deps.clock.now();
  return (
    recentlyAuthenticated(s.reauthAt, now) ||
    (!hasPassword && s.authMethod !== null && recentlyAuthenticated(s.createdAt, now))
  );
}

/**
 * Whether the session's holder proved who they are within the last minutes, for replacing a key
 * or the recovery codes: a confirmation (password, passkey, identity service) or the sign-in
 * itself (which asked for the password and the second factor where enrolled) within 10 minutes.
 * Staff sessions count the same way (a staff sign-in is a fresh login link or single sign-on);
 * a bearer token proves nothing about who holds it now, so it never counts.
 */
export function recentlyProven(deps: Pick<AppDeps, 'clock'>, request: FastifyRequest): boolean {
  const s = sessionIfAny(request);
  if (s === undefined) return false;
  const now = deps.clock.now();
  return (
    recentlyAuthenticated(s.reauthAt, now) ||
    (s.authMethod !== null && recentlyAuthenticated(s.createdAt, now))
  );
}

/** Why a password re-entry was refused: the code and status to show at the password field. */
export interface ReentryProblem {
  code: 'ERR_RATE_LIMITED' | 'ERR_REAUTH_REQUIRED' | 'ERR_INVALID_CREDENTIALS';
  status: 403 | 429;
}

/**
 * The password re-entry before a destructive step (deleting an account or an organisation),
 * unless the session proved itself within the last minutes. Wrong passwords count towards the
 * sign-in limit, and a limited address is refused before the password is even checked.
 * @returns undefined when confirmed, else the code and status to show at the password field.
 */
export async function passwordReentryProblem(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  request: FastifyRequest,
  account: { id: string; email: string },
  hasPassword: boolean,
  password: string,
): Promise<ReentryProblem | undefined> {
  if (freshlyConfirmed(deps, request, hasPassword)) return undefined;
  const session = sessionIfAny(request);
  if (session === undefined) throw new AppError('ERR_UNAUTHENTICATED');
  const limit = accountLoginLimits(request.tenant.id, account.email, request.ip)[0];
  const limited = limit !== undefined && (await isLimited(deps.db, deps.clock, limit));
  if (limited) return { code: 'ERR_RATE_LIMITED', status: 429 };
  if (password === '') return { code: 'ERR_REAUTH_REQUIRED', status: 403 };
  const ok = await confirmWithPassword(deps, {
    tenantId: request.tenant.id,
    accountId: account.id,
    sessionHash: session.idHash,
    password,
  });
  if (ok) return undefined;
  if (limit !== undefined) await recordHit(deps.db, deps.clock, limit);
  return { code: 'ERR_INVALID_CREDENTIALS', status: 403 };
}

/**
 * The "confirm it is you" page's password check: marks the session freshly proven when right.
 * Wrong passwords count towards the sign-in limit; a limited address is refused unchecked.
 * @returns undefined when confirmed, else the code and status to show at the password field.
 */
export async function confirmIdentityWithPassword(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  input: {
    tenantId: string;
    account: { id: string; email: string };
    sessionHash: Buffer;
    ip: string;
    password: string;
  },
): Promise<{ code: 'ERR_RATE_LIMITED' | 'ERR_INVALID_CREDENTIALS'; status: 401 | 429 } | undefined> {
  const limit = accountLoginLimits(input.tenantId, input.account.email, input.ip)[0];
  const limited = limit !== undefined && (await isLimited(deps.db, deps.clock, limit));
  const ok =
    !limited &&
    (await confirmWithPassword(deps, {
      tenantId: input.tenantId,
      accountId: input.account.id,
      sessionHash: input.sessionHash,
      password: input.password,
    }));
  if (ok) return undefined;
  if (limit !== undefined && !limited) await recordHit(deps.db, deps.clock, limit);
  return limited
    ? { code: 'ERR_RATE_LIMITED', status: 429 }
    : { code: 'ERR_INVALID_CREDENTIALS', status: 401 };
}
