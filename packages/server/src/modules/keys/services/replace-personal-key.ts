import { fingerprint } from '@amtsbote/crypto';
import type { Locale } from '@amtsbote/contracts';
import type { AppDeps } from '../../../deps.ts';
import { AppError } from '../../../errors.ts';
import { accountLocale } from '../../accounts/index.ts';
import type { Tenant } from '../../tenants/index.ts';
import { tenantBaseUrl } from '../../tenants/index.ts';
import { keyReplacedMail } from '../mails.ts';
import type { KeyOwner, PersonalKeyRecord } from '../service.ts';
import { currentPersonalKey, storePersonalKey } from '../service.ts';

// Storing a personal key, and replacing one: a guarded act. Others encrypt to this key from the
// moment it is stored, so someone holding nothing but a stolen session cookie must not be able
// to put their own key in its place: a replacement needs a fresh proof of who is there, and the
// owner hears of it (with the new key's fingerprint) on the address the key belongs to.

/** The person whose key it is, as the notice needs them. */
export interface KeyHolder {
  owner: KeyOwner;
  /** The address the key belongs to: the notice goes there, and the fingerprint binds it. */
  email: string;
  /** Whether the session proved who is there within the last minutes (accounts/reauth.ts). */
  recentlyProven: boolean;
}

/**
 * Stores a new personal key; with `replace`, retires the current one first. Replacing an
 * existing key needs a recent proof (ERR_REAUTH_REQUIRED otherwise, the key unchanged), writes
 * the audit record `personal-key.replaced` and mails the owner the new key's fingerprint.
 * @throws {AppError} ERR_REAUTH_REQUIRED, ERR_KEY_FORMAT, ERR_PERSONAL_KEY_EXISTS
 */
export async function savePersonalKey(
  deps: AppDeps,
  input: {
    tenant: Tenant;
    holder: KeyHolder;
    key: {
      publicKey: string;
      wrappedWithPassphrase: string;
      wrappedWithRecoveryCode: string;
      replace?: boolean | undefined;
    };
    locale: Locale;
    ipPrefix: string | undefined;
  },
): Promise<PersonalKeyRecord> {
  const { tenant, holder } = input;
  const replacing =
    input.key.replace === true && (await currentPersonalKey(deps.db, tenant.id, holder.owner)) !== undefined;
  if (replacing && !holder.recentlyProven) throw new AppError('ERR_REAUTH_REQUIRED');
  // The audit record is written in the same transaction as the key (storePersonalKey).
  const stored = await storePersonalKey(deps, tenant.id, holder.owner, input.key, input.ipPrefix);
  if (replacing) {
    const lang =
      holder.owner.kind === 'account'
        ? ((await accountLocale(deps.db, tenant.id, holder.owner.id)) ?? input.locale)
        : input.locale;
    await deps.mailer.send(
      keyReplacedMail(holder.email, lang, {
        tenantName: tenant.name,
        fingerprint: await fingerprintOrUndefined(stored.publicKey, holder.email),
        link: `${tenantBaseUrl(tenant, deps.config)}/keys`,
      }),
    );
  }
  return stored;
}

/**
 * The fingerprint of a stored key for the owner's address. The server checks a key's framing,
 * not that it is a point on the curve; a key that is not has no fingerprint (and nobody can
 * encrypt to it), so the page and the notice then go without one.
 */
export async function fingerprintOrUndefined(publicKey: string, email: string): Promise<string | undefined> {
  try {
    return await fingerprint(publicKey, email);
  } catch {
    return undefined;
  }
}
