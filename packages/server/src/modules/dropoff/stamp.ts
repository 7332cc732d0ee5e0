import { MINUTE } from '../../adapters/clock.ts';
import { equalBytes } from '../../adapters/secrets.ts';
import type { AppDeps } from '../../deps.ts';

type Deps = Pick<AppDeps, 'keyring' | 'clock'>;

/** A person needs longer than this to fill in the contact form; a bot does not. */
export const MIN_FILL_MS = 3_000;
const MAX_FILL_MS = 2 * 60 * MINUTE;

/** `<time>.<mac>`: when the form was shown, signed so it cannot be made up. */
export function formStamp(deps: Deps): string {
  const at = String(deps.clock.now().getTime());
  return `${at}.${deps.keyring.mac('dropoff-form', at).toString('base64url')}`;
}

/** Whether the stamp is ours and old enough (and not ancient). */
export function stampOk(deps: Deps, stamp: string): boolean {
  const [at, mac] = stamp.split('.');
  if (at === undefined || mac === undefined || !/^\d{10,16}$/.test(at)) return false;
  if (!equalBytes(Buffer.from(mac, 'base64url'), deps.keyring.mac('dropoff-form', at))) return false;
  const age = deps.clock.now().getTime() - Number(at);
  return age >= MIN_FILL_MS && age <= MAX_FILL_MS;
}
