import { MINUTE } from '../../../adapters/clock.ts';
import type { Clock } from '../../../adapters/clock.ts';
import type { Queryable } from '../../../adapters/db/index.ts';
import { hashToken } from '../../../adapters/secrets.ts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { recordAudit } from '../../audit/index.ts';
import {
  giveBackToken,
  hasTokenShape,
  mintBearerToken,
  retryAfterSeconds,
  takeToken,
} from '../../auth/index.ts';
import type { Limit } from '../../auth/index.ts';
import { noteAccountActive } from '../../stats/index.ts';
import { lockAccount } from '../store/accounts.ts';
import {
  countAccountTokens,
  deleteAccountToken,
  insertAccountToken,
  liveAccountToken,
  noteAccountTokenUse,
} from '../store/account-tokens.ts';

/**
 * Personal API tokens of service accounts, for download tools (`amtsbote fetch --token`). They are
 * a principal of their own, never a session and never a staff token: a request carrying one may
 * only read transfers addressed to its account (the recipient routes check
 * `request.accountToken`); every other route sees an anonymous caller.
 */

// Distinct from the staff prefix `amtb_`, so a secret scanner (and a reader of a log) can tell
// which kind leaked, and the request context can route it without a second lookup.
export const ACCOUNT_TOKEN_PREFIX = 'amta_';
export const MAX_TOKENS_PER_ACCOUNT = 20;
export const MAX_TOKEN_DAYS = 365;
// Writing last_used and an audit event on every download request would turn a resumed fetch of
// many files into as many writes; once a minute says as much.
const USE_NOTED_EVERY_MS = MINUTE;

export type { AccountTokenRow } from '../store/account-tokens.ts';
export { listAccountTokens } from '../store/account-tokens.ts';

/** Who a valid account token speaks for. */
export interface AccountTokenPrincipal {
  tokenId: string;
  tenantId: string;
  account: { id: string; email: string; displayName: string | null };
}

/** Failed bearer lookups per network: the secrets are unguessable, the counter keeps it cheap. */
export function accountTokenFailureLimit(ipPrefix: string | undefined): Limit {
  return { key: `account-token:fail:${ipPrefix ?? 'unknown'}`, max: 20, windowMs: 15 * MINUTE };
}

/**
 * Creates a token for the account; the secret is returned once and only its hash is stored.
 * @throws {AppError} ERR_TOKEN_LIMIT when the account already has the maximum
 */
export async function createAccountToken(
  deps: Pick<AppDeps, 'db' | 'clock' | 'secrets'>,
  input: {
    tenantId: string;
    accountId: string;
    name: string;
    expiresInDays?: number | undefined;
    ipPrefix?: string | undefined;
  },
): Promise<{ id: string; token: string; expiresAt: Date | null }> {
  const now = deps.clock.now();
  const expiresAt =
    input.expiresInDays === undefined
      ? null
      : new Date(now.getTime() + input.expiresInDays * 24 * 60 * MINUTE);
  return deps.db.transaction(async (tx) => {
    // Serialises concurrent creates of one account, so the limit holds under a double submit.
    await lockAccount(tx, input.tenantId, input.accountId);
    const count = await countAccountTokens(tx, input.tenantId, input.accountId);
    if (count >= MAX_TOKENS_PER_ACCOUNT) throw new AppError('ERR_TOKEN_LIMIT');
    const id = deps.secrets.id();
    const { token, hash } = mintBearerToken(deps.secrets, ACCOUNT_TOKEN_PREFIX);
    await insertAccountToken(tx, {
      id,
      tokenHash: hash,
      tenantId: input.tenantId,
      accountId: input.accountId,
      name: input.name,
      at: now,
      expiresAt,
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'account', id: input.accountId },
      action: 'account.token.created',
      subject: { kind: 'account_token', id },
      ipPrefix: input.ipPrefix,
      details: { expiresInDays: input.expiresInDays ?? null },
    });
    return { id, token, expiresAt };
  });
}

/** Revokes one of the account's own tokens; false when there is none by that id (or not theirs). */
export async function revokeAccountToken(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  input: { tenantId: string; accountId: string; id: string; ipPrefix?: string | undefined },
): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    if (!(await deleteAccountToken(tx, input.tenantId, input.accountId, input.id))) return false;
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'account', id: input.accountId },
      action: 'account.token.revoked',
      subject: { kind: 'account_token', id: input.id },
      ipPrefix: input.ipPrefix,
    });
    return true;
  });
}

/** Whether a bearer value claims to be an account token (and so is decided here, not as staff). */
export function isAccountTokenShaped(token: string): boolean {
  return token.startsWith(ACCOUNT_TOKEN_PREFIX);
}

/**
 * The account behind a bearer token, or undefined for an unknown, expired or revoked one. Failed
 * attempts count against the caller's network.
 * @throws {AppError} ERR_RATE_LIMITED after too many failures from one network
 */
export async function authenticateAccountToken(
  q: Queryable,
  clock: Clock,
  token: string,
  ipPrefix: string | undefined,
): Promise<AccountTokenPrincipal | undefined> {
  const limit = accountTokenFailureLimit(ipPrefix);
  // The slot for one lookup is taken in one statement before the lookup and given back when the
  // token is good, so the bucket counts failures only and parallel guesses cannot exceed it
  // (checking first and counting after let a burst through). A limited network waits as a whole.
  if (!(await takeToken(q, clock, limit)))
    throw new AppError('ERR_RATE_LIMITED', { retryAfterSeconds: retryAfterSeconds(limit) });
  const now = clock.now();
  const row = hasTokenShape(token, ACCOUNT_TOKEN_PREFIX)
    ? await liveAccountToken(q, hashToken(token), now)
    : undefined;
  if (row === undefined) return undefined;
  await giveBackToken(q, limit);
  if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() >= USE_NOTED_EVERY_MS) {
    await noteAccountTokenUse(q, row.tokenId, now);
    await noteAccountActive(q, row.tenantId, row.account.id, now);
    await recordAudit(q, {
      tenantId: row.tenantId,
      at: now,
      actor: { kind: 'account', id: row.account.id },
      action: 'account.token.used',
      subject: { kind: 'account_token', id: row.tokenId },
      ipPrefix,
    });
  }
  return { tokenId: row.tokenId, tenantId: row.tenantId, account: row.account };
}
