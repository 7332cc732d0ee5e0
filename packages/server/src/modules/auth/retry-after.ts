import type { DelayLimit, Limit } from './store/rate-limits.ts';

/**
 * The longest a refused caller waits before one of these limits gives a slot again, for
 * `Retry-After`: a bucket has its next token within one token's spacing (`windowMs / max`), a
 * progressive delay is never longer than its cap. An upper bound, not the exact wait, so that
 * refusing stays one statement that returns no more than yes or no.
 */
export function retryAfterSeconds(...limits: readonly (Limit | DelayLimit)[]): number {
  let ms = 0;
  for (const l of limits) ms = Math.max(ms, 'max' in l ? l.windowMs / Math.max(l.max, 1) : l.maxDelayMs);
  return Math.max(1, Math.ceil(ms / 1000));
}
