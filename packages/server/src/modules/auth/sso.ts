import { checkOutboundUrl } from '../../adapters/outbound.ts';
import { openText, sealText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import type { Staff } from '../staff/index.ts';
import { activateStaff, findStaffByEmail, getStaff } from '../staff/index.ts';
import { hasIdentityAt, insertIdentity, linkedStaffId, noteIdentityLogin } from './store/staff-identities.ts';
import { deleteTenantSso, findLocalLogin, findTenantSso, upsertTenantSso } from './store/tenant-sso.ts';
import type { OidcIdentity, OidcProviderSettings } from './oidc.ts';

/**
 * A tenant's single sign-on for staff: its own OpenID provider, how a provider identity finds
 * the staff account (by e-mail once, then by subject; or by subject only, linked beforehand),
 * and whether local passwords still work.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'keyring' | 'config'>;

export interface TenantSso {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  label: string;
  matchBy: 'email' | 'subject';
  localLogin: boolean;
}

const secretContext = (tenantId: string) => `sso-client-secret:${tenantId}`;

export async function getTenantSso(
  deps: Pick<Deps, 'db' | 'keyring'>,
  tenantId: string,
): Promise<TenantSso | undefined> {
  const row = await findTenantSso(deps.db, tenantId);
  if (row === undefined) return undefined;
  const clientSecret =
    row.client_secret === null || row.secret_key === null
      ? undefined
      : openText(
          deps.keyring.unwrap(row.secret_key, secretContext(tenantId)),
          row.client_secret,
          secretContext(tenantId),
        );
  return {
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecret,
    label: row.label,
    matchBy: row.match_by,
    localLogin: row.local_login,
  };
}

/** Whether staff of this tenant may still sign in with a password or a mailed link. */
export async function localLoginAllowed(deps: Pick<Deps, 'db'>, tenantId: string): Promise<boolean> {
  return (await findLocalLogin(deps.db, tenantId)) ?? true;
}

export function ssoProvider(sso: TenantSso): OidcProviderSettings {
  return {
    issuer: sso.issuer,
    clientId: sso.clientId,
    clientSecret: sso.clientSecret,
    scopes: 'openid email profile',
  };
}

/**
 * Stores the tenant's SSO settings. An empty secret keeps the stored one. Local sign-in can only
 * be switched off together with a configured provider. An issuer in an internal network is
 * refused here already (the admin sees why), not only when someone signs in.
 * @throws {AppError} ERR_VALIDATION, ERR_OUTBOUND_REFUSED
 */
export async function saveTenantSso(
  deps: Deps,
  input: {
    tenantId: string;
    staffId: string;
    issuer: string;
    clientId: string;
    clientSecret: string;
    label: string;
    matchBy: 'email' | 'subject';
    localLogin: boolean;
    ipPrefix: string | undefined;
  },
): Promise<void> {
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(input.issuer);
  } catch {
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'issuer', code: 'ERR_VALIDATION' }] });
  }
  if (
    issuerUrl.protocol !== 'https:' &&
    !(issuerUrl.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuerUrl.hostname))
  ) {
    throw new AppError('ERR_VALIDATION', { fields: [{ field: 'issuer', code: 'ERR_VALIDATION' }] });
  }
  try {
    await checkOutboundUrl(issuerUrl, { allow: deps.config.outboundAllow });
  } catch (err) {
    if (err instanceof AppError) throw err;
    // A name that does not resolve cannot be the provider: the address is wrong.
    throw new AppError('ERR_VALIDATION', {
      fields: [{ field: 'issuer', code: 'ERR_VALIDATION' }],
      cause: err,
    });
  }
  const now = deps.clock.now();
  const sealed =
    input.clientSecret === ''
      ? undefined
      : (() => {
          const k = deps.keyring.newDataKey(secretContext(input.tenantId));
          return {
            key: k.wrapped,
            secret: sealText(k.key, input.clientSecret, secretContext(input.tenantId)),
          };
        })();
  await deps.db.transaction(async (tx) => {
    await upsertTenantSso(tx, {
      tenantId: input.tenantId,
      issuer: issuerUrl.toString().replace(/\/$/, ''),
      clientId: input.clientId,
      clientSecret: sealed?.secret ?? null,
      secretKey: sealed?.key ?? null,
      label: input.label,
      matchBy: input.matchBy,
      localLogin: input.localLogin,
      updatedAt: now,
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: now,
      actor: { kind: 'staff', id: input.staffId },
      action: 'tenant.sso_saved',
      ipPrefix: input.ipPrefix,
      details: { matchBy: input.matchBy, localLogin: input.localLogin },
    });
  });
}

export async function removeTenantSso(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { tenantId: string; staffId: string; ipPrefix: string | undefined },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await deleteTenantSso(tx, input.tenantId);
    await recordAudit(tx, {
      tenantId: input.tenantId,
      at: deps.clock.now(),
      actor: { kind: 'staff', id: input.staffId },
      action: 'tenant.sso_removed',
      ipPrefix: input.ipPrefix,
    });
  });
}

/**
 * The staff member a provider identity belongs to: the one linked to its subject, else (when
 * the tenant matches by e-mail and the provider vouches for the address) the one with that
 * address, whom the subject is then linked to for good.
 * @throws {AppError} ERR_SSO_NO_STAFF
 */
export async function staffForIdentity(
  deps: Pick<Deps, 'db' | 'clock'>,
  tenantId: string,
  sso: TenantSso,
  identity: OidcIdentity,
): Promise<Staff> {
  const now = deps.clock.now();
  const key = { tenantId, issuer: identity.issuer, subject: identity.subject };
  const linked = await linkedStaffId(deps.db, key);
  if (linked !== undefined) {
    const staff = await getStaff(deps.db, tenantId, linked);
    if (staff?.status !== 'active') throw new AppError('ERR_SSO_NO_STAFF');
    await noteIdentityLogin(deps.db, key, now);
    return staff;
  }
  if (sso.matchBy !== 'email' || identity.email === undefined || !identity.emailVerified)
    throw new AppError('ERR_SSO_NO_STAFF');
  const staff = await findStaffByEmail(deps.db, tenantId, identity.email);
  // An invited staff member who signs in through the provider is active from then on.
  if (staff === undefined || staff.status === 'disabled') throw new AppError('ERR_SSO_NO_STAFF');
  await deps.db.transaction(async (tx) => {
    // One subject per staff member and issuer: a second identity may not take over the account.
    if (await hasIdentityAt(tx, tenantId, staff.id, identity.issuer)) throw new AppError('ERR_SSO_NO_STAFF');
    await insertIdentity(tx, key, staff.id, now);
    if (staff.status === 'invited') await activateStaff(tx, tenantId, staff.id);
    await recordAudit(tx, {
      tenantId,
      at: now,
      actor: { kind: 'staff', id: staff.id },
      action: 'staff.sso_linked',
      subject: { kind: 'staff', id: staff.id },
    });
  });
  return { ...staff, status: 'active' };
}
