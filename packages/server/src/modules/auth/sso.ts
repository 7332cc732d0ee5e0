import { one } from '../../adapters/db/index.ts';
import { openText, sealText } from '../../at-rest.ts';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import type { Staff } from '../staff/service.ts';
import { findStaffByEmail, getStaff } from '../staff/service.ts';
import type { OidcIdentity, OidcProviderSettings } from './oidc.ts';

/**
 * A tenant's single sign-on for staff: its own OpenID provider, how a provider identity finds
 * the staff account (by e-mail once, then by subject; or by subject only, linked beforehand),
 * and whether local passwords still work.
 */
type Deps = Pick<AppDeps, 'db' | 'clock' | 'keyring'>;

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
  const row = await one<{
    issuer: string;
    client_id: string;
    client_secret: Buffer | null;
    secret_key: Buffer | null;
    label: string;
    match_by: 'email' | 'subject';
    local_login: boolean;
  }>(
    deps.db,
    `SELECT issuer, client_id, client_secret, secret_key, label, match_by, local_login FROM tenant_sso WHERE tenant_id = $1`,
    [tenantId],
  );
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
  const row = await one<{ local_login: boolean }>(
    deps.db,
    `SELECT local_login FROM tenant_sso WHERE tenant_id = $1`,
    [tenantId],
  );
  return row?.local_login ?? true;
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
 * be switched off together with a configured provider.
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
    await tx.query(
      `INSERT INTO tenant_sso (tenant_id, issuer, client_id, client_secret, secret_key, label, match_by, local_login, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id) DO UPDATE SET issuer = $2, client_id = $3,
         client_secret = CASE WHEN $4::bytea IS NULL THEN tenant_sso.client_secret ELSE $4 END,
         secret_key = CASE WHEN $5::bytea IS NULL THEN tenant_sso.secret_key ELSE $5 END,
         label = $6, match_by = $7, local_login = $8, updated_at = $9`,
      [
        input.tenantId,
        issuerUrl.toString().replace(/\/$/, ''),
        input.clientId,
        sealed?.secret ?? null,
        sealed?.key ?? null,
        input.label,
        input.matchBy,
        input.localLogin,
        now,
      ],
    );
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
    await tx.query(`DELETE FROM tenant_sso WHERE tenant_id = $1`, [input.tenantId]);
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
  const linked = await one<{ staff_id: string }>(
    deps.db,
    `SELECT staff_id FROM staff_identities WHERE tenant_id = $1 AND issuer = $2 AND subject = $3`,
    [tenantId, identity.issuer, identity.subject],
  );
  if (linked !== undefined) {
    const staff = await getStaff(deps.db, tenantId, linked.staff_id);
    if (staff?.status !== 'active') throw new AppError('ERR_SSO_NO_STAFF');
    await deps.db.query(
      `UPDATE staff_identities SET last_login_at = $4 WHERE tenant_id = $1 AND issuer = $2 AND subject = $3`,
      [tenantId, identity.issuer, identity.subject, now],
    );
    return staff;
  }
  if (sso.matchBy !== 'email' || identity.email === undefined || !identity.emailVerified)
    throw new AppError('ERR_SSO_NO_STAFF');
  const staff = await findStaffByEmail(deps.db, tenantId, identity.email);
  // An invited staff member who signs in through the provider is active from then on.
  if (staff === undefined || staff.status === 'disabled') throw new AppError('ERR_SSO_NO_STAFF');
  await deps.db.transaction(async (tx) => {
    // One subject per staff member and issuer: a second identity may not take over the account.
    const other = await one(
      tx,
      `SELECT 1 AS x FROM staff_identities WHERE tenant_id = $1 AND staff_id = $2 AND issuer = $3`,
      [tenantId, staff.id, identity.issuer],
    );
    if (other !== undefined) throw new AppError('ERR_SSO_NO_STAFF');
    await tx.query(
      `INSERT INTO staff_identities (tenant_id, staff_id, issuer, subject, linked_at, last_login_at) VALUES ($1, $2, $3, $4, $5, $5)`,
      [tenantId, staff.id, identity.issuer, identity.subject, now],
    );
    if (staff.status === 'invited')
      await tx.query(`UPDATE staff SET status = 'active' WHERE tenant_id = $1 AND id = $2`, [
        tenantId,
        staff.id,
      ]);
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
