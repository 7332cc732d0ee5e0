import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

// Added for the privacy module's data export (Art. 15/20 GDPR): what an account holds, never a
// secret (no password hash, TOTP key, token hash or passkey public key).

/** The account's profile and the state of its sign-in methods. */
export interface ExportedProfile {
  id: string;
  email: string;
  displayName: string | null;
  locale: string | null;
  createdAt: Date;
  lastActiveAt: Date;
  passwordSet: boolean;
  passwordChangedAt: Date | null;
  /** Only while an authenticator app is set up. */
  totpEnabledAt: Date | null;
  recoveryCodesLeft: number;
}

export async function exportProfile(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<ExportedProfile | undefined> {
  return one<ExportedProfile>(
    q,
    `SELECT a.id, a.email, a.display_name AS "displayName", a.locale, a.created_at AS "createdAt", a.last_active_at AS "lastActiveAt",
       a.password_hash IS NOT NULL AS "passwordSet", a.password_changed_at AS "passwordChangedAt",
       CASE WHEN a.totp_key IS NULL THEN NULL ELSE a.totp_enabled_at END AS "totpEnabledAt",
       (SELECT count(*)::int FROM account_recovery_codes r WHERE r.tenant_id = a.tenant_id AND r.account_id = a.id AND r.used_at IS NULL) AS "recoveryCodesLeft"
     FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2`,
    [tenantId, accountId],
  );
}

export interface ExportedPasskey {
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  deviceType: string | null;
  backedUp: boolean;
}

export async function exportPasskeys(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<ExportedPasskey[]> {
  return q.query<ExportedPasskey>(
    `SELECT name, created_at AS "createdAt", last_used_at AS "lastUsedAt", device_type AS "deviceType", backed_up AS "backedUp"
     FROM account_passkeys WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at`,
    [tenantId, accountId],
  );
}

export interface ExportedAccessToken {
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

export async function exportAccessTokens(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<ExportedAccessToken[]> {
  return q.query<ExportedAccessToken>(
    `SELECT name, created_at AS "createdAt", last_used_at AS "lastUsedAt", expires_at AS "expiresAt"
     FROM account_tokens WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at`,
    [tenantId, accountId],
  );
}

export interface ExportedIdentity {
  issuer: string;
  subject: string;
  acr: string | null;
  linkedAt: Date;
  lastLoginAt: Date | null;
}

export async function exportIdentities(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<ExportedIdentity[]> {
  return q.query<ExportedIdentity>(
    `SELECT issuer, subject, acr, linked_at AS "linkedAt", last_login_at AS "lastLoginAt"
     FROM account_identities WHERE tenant_id = $1 AND account_id = $2 ORDER BY linked_at`,
    [tenantId, accountId],
  );
}
