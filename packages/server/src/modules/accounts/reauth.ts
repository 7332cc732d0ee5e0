import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { passwordCheckSucceeded, sessionIfAny, takePasswordCheck } from '../auth/index.ts';
import { confirmWithPassword, recentlyAuthenticated } from './service.ts';
import { accountPasswordLimits } from './signin.ts';

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
 * unless the session proved itself within the last minutes. It is a password check like the
 * sign-in's and shares its limits: the slot is taken in one atomic step before the password is
 * looked at (refused: 429, unchecked), a wrong password keeps it counted, a right one gives it back.
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
  // An empty field is the form asking for the password, not a check: it takes no slot.
  if (password === '') return { code: 'ERR_REAUTH_REQUIRED', status: 403 };
  const limits = accountPasswordLimits(request.tenant.id, account.email, request.ip);
  if (!(await takePasswordCheck(deps, limits))) return { code: 'ERR_RATE_LIMITED', status: 429 };
  const ok = await confirmWithPassword(deps, {
    tenantId: request.tenant.id,
    accountId: account.id,
    sessionHash: session.idHash,
    password,
  });
  if (!ok) return { code: 'ERR_INVALID_CREDENTIALS', status: 403 };
  await passwordCheckSucceeded(deps, limits);
  return undefined;
}

/**
 * The "confirm it is you" page's password check: marks the session freshly proven when right.
 * It shares the sign-in's limits the way {@link passwordReentryProblem} does.
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
  const limits = accountPasswordLimits(input.tenantId, input.account.email, input.ip);
  if (!(await takePasswordCheck(deps, limits))) return { code: 'ERR_RATE_LIMITED', status: 429 };
  const ok = await confirmWithPassword(deps, {
    tenantId: input.tenantId,
    accountId: input.account.id,
    sessionHash: input.sessionHash,
    password: input.password,
  });
  if (!ok) return { code: 'ERR_INVALID_CREDENTIALS', status: 401 };
  await passwordCheckSucceeded(deps, limits);
  return undefined;
}
