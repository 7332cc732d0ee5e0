import { randomInt } from 'node:crypto';
import { HOUR, MINUTE } from '../../adapters/clock.ts';
import type { AppDeps } from '../../deps.ts';
import { equalBytes } from '../../adapters/secrets.ts';
import { AppError } from '../../errors.ts';
import { ipLimitKey } from '../../http/ip.ts';
import { normaliseEmail } from '../staff/index.ts';
import { countCodeAttempt, replaceCode, useCode } from './store/email-codes.ts';
import type { Limit } from './store/rate-limits.ts';
import { takeTokens } from './store/rate-limits.ts';

/**
 * Six-digit codes mailed to prove control of an address (level-2 recipients now, guest
 * drop-off later). A code lives 15 minutes, 5 wrong tries burn it, and an address and an IP
 * each get only a few codes per hour. Only a keyed hash is stored: six digits are too few to
 * survive a plain hash of a leaked table.
 */
export const CODE_LIFETIME_MS = 15 * MINUTE;
export const CODE_MAX_ATTEMPTS = 5;
const CODES_PER_ADDRESS_PER_HOUR = 5;
const CODES_PER_IP_PER_HOUR = 20;

type Deps = Pick<AppDeps, 'db' | 'clock' | 'secrets' | 'keyring'>;

export type CodePurpose =
  | 'transfer-recipient'
  | 'dropoff-sender'
  | 'account-register'
  | 'account-email-change'
  | 'account-oidc-email';

function codeHash(deps: Pick<Deps, 'keyring'>, id: string, code: string): Buffer {
  return deps.keyring.mac('email-code', `${id}:${code}`);
}

export function codeLimits(tenantId: string, email: string, ip: string): Limit[] {
  return [
    {
      key: `code:address:${tenantId}:${normaliseEmail(email)}`,
      max: CODES_PER_ADDRESS_PER_HOUR,
      windowMs: HOUR,
    },
    { key: `code:ip:${ipLimitKey(ip)}`, max: CODES_PER_IP_PER_HOUR, windowMs: HOUR },
  ];
}

/**
 * Issues a fresh code for `email` and `subjectId`; earlier unused codes for the same subject
 * stop working.
 * @returns the code to mail, and the id the verifying form carries.
 * @throws {AppError} ERR_RATE_LIMITED when the address or IP asked too often.
 */
export async function issueCode(
  deps: Deps,
  input: { tenantId: string; purpose: CodePurpose; email: string; subjectId: string | null; ip: string },
): Promise<{ id: string; code: string }> {
  // Checked and counted in one step per limit, all or none: parallel requests cannot exceed it.
  if (!(await takeTokens(deps.db, deps.clock, codeLimits(input.tenantId, input.email, input.ip))))
    throw new AppError('ERR_RATE_LIMITED');
  const id = deps.secrets.id();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = deps.clock.now();
  await replaceCode(deps.db, {
    tenantId: input.tenantId,
    id,
    purpose: input.purpose,
    email: normaliseEmail(input.email),
    subjectId: input.subjectId,
    codeHash: codeHash(deps, id, code),
    now,
    expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS),
  });
  return { id, code };
}

/**
 * Checks a code once. Every try counts before the comparison (atomically, so parallel guesses
 * cannot exceed the limit); the fifth wrong one burns the code. A right code is used up.
 * @returns the verified address and subject.
 * @throws {AppError} ERR_CODE_INVALID for wrong, expired, used, burned and unknown codes alike.
 */
export async function verifyCode(
  deps: Pick<Deps, 'db' | 'clock' | 'keyring'>,
  input: { tenantId: string; id: string; purpose: CodePurpose; code: string },
): Promise<{ email: string; subjectId: string | null }> {
  const now = deps.clock.now();
  const candidate = input.code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(candidate)) throw new AppError('ERR_CODE_INVALID');
  const row = await countCodeAttempt(deps.db, {
    tenantId: input.tenantId,
    id: input.id,
    purpose: input.purpose,
    now,
    maxAttempts: CODE_MAX_ATTEMPTS,
  });
  if (row === undefined || !equalBytes(row.code_hash, codeHash(deps, input.id, candidate)))
    throw new AppError('ERR_CODE_INVALID');
  if (!(await useCode(deps.db, input.tenantId, input.id, now))) throw new AppError('ERR_CODE_INVALID');
  return { email: row.email, subjectId: row.subject_id };
}
