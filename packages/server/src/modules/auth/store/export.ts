import type { Queryable } from '../../../adapters/db/index.ts';

// Added for the privacy module's data export (Art. 15/20 GDPR): an account's sessions, without
// their secret (the id hash stays out).

export interface ExportedSession {
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ipPrefix: string | null;
  authMethod: string | null;
  locale: string | null;
}

/** Every session row of the account (expired ones too, until the sweep removes them). */
export async function exportSessionsOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<ExportedSession[]> {
  return q.query<ExportedSession>(
    `SELECT created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt", user_agent AS "userAgent",
       ip_prefix AS "ipPrefix", auth_method AS "authMethod", locale
     FROM sessions WHERE tenant_id = $1 AND account_id = $2 ORDER BY created_at`,
    [tenantId, accountId],
  );
}
