import type { Queryable } from '../../../adapters/db/index.ts';

// Added for the privacy module's data export (Art. 15/20 GDPR): a person's memberships, the
// invitations to their address or accepted by their account, and the grant-log entries about them.

export interface ExportedMembership {
  organisationId: string;
  name: string;
  role: string;
  since: Date;
}

export async function exportMembershipsOf(
  q: Queryable,
  tenantId: string,
  accountId: string,
): Promise<ExportedMembership[]> {
  return q.query<ExportedMembership>(
    `SELECT m.organisation_id AS "organisationId", o.name, m.role, m.since
     FROM organisation_members m JOIN organisations o ON o.tenant_id = m.tenant_id AND o.id = m.organisation_id
     WHERE m.tenant_id = $1 AND m.account_id = $2 ORDER BY m.since`,
    [tenantId, accountId],
  );
}

export interface ExportedInvitation {
  organisation: string;
  status: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  decidedAt: Date | null;
}

export async function exportInvitationsFor(
  q: Queryable,
  tenantId: string,
  email: string,
  accountId: string | null,
): Promise<ExportedInvitation[]> {
  return q.query<ExportedInvitation>(
    `SELECT o.name AS organisation, i.status, i.created_at AS "createdAt", i.expires_at AS "expiresAt",
       i.accepted_at AS "acceptedAt", i.decided_at AS "decidedAt"
     FROM organisation_invitations i JOIN organisations o ON o.tenant_id = i.tenant_id AND o.id = i.organisation_id
     WHERE i.tenant_id = $1 AND (i.email = $2 OR i.accepted_by = $3) ORDER BY i.created_at`,
    [tenantId, email, accountId],
  );
}

export interface ExportedGrant {
  organisation: string;
  action: string;
  at: Date;
  byEmail: string | null;
}

export async function exportGrantLogAbout(
  q: Queryable,
  tenantId: string,
  accountId: string | null,
  email: string,
): Promise<ExportedGrant[]> {
  return q.query<ExportedGrant>(
    `SELECT o.name AS organisation, g.action, g.at, g.by_email AS "byEmail"
     FROM organisation_grant_log g JOIN organisations o ON o.tenant_id = g.tenant_id AND o.id = g.organisation_id
     WHERE g.tenant_id = $1 AND (g.account_id = $2 OR g.account_email = $3) ORDER BY g.at`,
    [tenantId, accountId, email],
  );
}
