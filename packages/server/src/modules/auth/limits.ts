import { MINUTE } from '../../adapters/clock.ts';
import type { Clock } from '../../adapters/clock.ts';
import type { Queryable } from '../../adapters/db/index.ts';
import type { DelayLimit, Limit } from './store/rate-limits.ts';
import { clearHits, giveBackToken, takeToken, takeTurn } from './store/rate-limits.ts';

/**
 * The limits of one password check. The account gets a progressive delay, not a hard limit:
 * a hard limit per account would let anyone lock a person out of their right password by
 * typing wrong ones. The source address (IPv4, or the IPv6 /64) gets a hard limit, since one
 * source trying many accounts or guessing one is what a limit is for.
 */
export interface PasswordLimits {
  account: DelayLimit;
  source: Limit;
}

/**
 * The account's delay after its free tries: 2 s, doubling with every further try, at most 5
 * minutes — long enough to make guessing slow (at most ~300 guesses a day once it is at its
 * longest), short enough that a person with the right password waits minutes, not a lockout.
 */
export const PASSWORD_DELAY = { baseDelayMs: 2_000, maxDelayMs: 5 * MINUTE } as const;

interface Ctx {
  db: Queryable;
  clock: Clock;
}

/**
 * Takes the slot for one password check before the password is looked at: a token from the
 * source's bucket, then the account's next try. Either refusal leaves nothing counted.
 * @returns false when the check must not happen (answer ERR_RATE_LIMITED).
 */
export async function takePasswordCheck(ctx: Ctx, limits: PasswordLimits): Promise<boolean> {
  // The source first: its token can be given back exactly when the account says no.
  if (!(await takeToken(ctx.db, ctx.clock, limits.source))) return false;
  if (await takeTurn(ctx.db, ctx.clock, limits.account)) return true;
  await giveBackToken(ctx.db, limits.source);
  return false;
}

/**
 * A right password gives its slot back: the source's token returns, and the account's tries in
 * a row start over (the person is in; the delay was for guessers).
 */
export async function passwordCheckSucceeded(ctx: Ctx, limits: PasswordLimits): Promise<void> {
  await clearHits(ctx.db, limits.account);
  await giveBackToken(ctx.db, limits.source);
}
