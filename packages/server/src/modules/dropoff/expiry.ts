import type { InboundPolicy } from '../postbox/index.ts';

const STEPS = [1, 3, 7, 14, 30, 60, 90, 180, 365];

/** "Available for" choices: the usual steps up to the maximum, the default and the maximum. */
export function expiryChoices(policy: Pick<InboundPolicy, 'defaultExpiryDays' | 'maxExpiryDays'>): number[] {
  return [
    ...new Set([
      ...STEPS.filter((d) => d <= policy.maxExpiryDays),
      policy.defaultExpiryDays,
      policy.maxExpiryDays,
    ]),
  ].sort((a, b) => a - b);
}
