import type { Queryable } from '../../../adapters/db/index.ts';

// Added for the keys module's lookup of recipients' public keys (keys/service.ts, publicKeysFor).

/**
 * Which of these addresses are an organisation's contact address, and so its postbox (exactly
 * one organisation, as drafts resolve it): the organisation's public key, or null while it has
 * none. A sender encrypts to that key, never to the personal key of whoever owns the address.
 */
export async function organisationKeysFor(
  q: Queryable,
  tenantId: string,
  emails: readonly string[],
): Promise<Map<string, string | null>> {
  if (emails.length === 0) return new Map();
  const rows = await q.query<{ email: string; public_key: string | null }>(
    `SELECT o.contact_email AS email, k.public_key FROM organisations o
       LEFT JOIN organisation_keys k ON k.tenant_id = o.tenant_id AND k.organisation_id = o.id
     WHERE o.tenant_id = $1 AND o.contact_email = ANY($2::text[])
       AND NOT EXISTS (SELECT 1 FROM organisations x WHERE x.tenant_id = o.tenant_id AND x.contact_email = o.contact_email AND x.id <> o.id)`,
    [tenantId, [...emails]],
  );
  return new Map(rows.map((r) => [r.email, r.public_key]));
}
