import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';

/** organisation_invitations: an administrator's invitation, its acceptance and decision. */

export type InvitationStatus = 'pending' | 'accepted' | 'confirmed' | 'declined' | 'withdrawn';

export interface Invitation {
  id: string;
  email: string;
  status: InvitationStatus;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedByEmail: string | null;
  acceptedByName: string | null;
}

export interface InvitationView {
  id: string;
  organisationId: string;
  organisationName: string;
  email: string;
  status: InvitationStatus;
}

/** The open invitations (pending or accepted), newest first. */
export async function listInvitations(
  q: Queryable,
  tenantId: string,
  organisationId: string,
): Promise<Invitation[]> {
  return q.query<Invitation>(
    `-- reads accounts (owner: accounts): who accepted, shown next to each invitation
     SELECT i.id, i.email, i.status, i.created_at AS "createdAt", i.expires_at AS "expiresAt", i.accepted_at AS "acceptedAt",
       a.email AS "acceptedByEmail", a.display_name AS "acceptedByName"
     FROM organisation_invitations i LEFT JOIN accounts a ON a.tenant_id = i.tenant_id AND a.id = i.accepted_by
     WHERE i.tenant_id = $1 AND i.organisation_id = $2 AND i.status IN ('pending', 'accepted') ORDER BY i.created_at DESC`,
    [tenantId, organisationId],
  );
}

/** Withdraws the open invitations to this address (a new one replaces them). */
export async function withdrawOpenInvitations(
  q: Queryable,
  i: { tenantId: string; organisationId: string; email: string; by: string; at: Date },
): Promise<void> {
  await q.query(
    `UPDATE organisation_invitations SET status = 'withdrawn', decided_by = $4, decided_at = $5 WHERE tenant_id = $1 AND organisation_id = $2 AND email = $3 AND status IN ('pending', 'accepted')`,
    [i.tenantId, i.organisationId, i.email, i.by, i.at],
  );
}

export async function insertInvitation(
  q: Queryable,
  i: {
    tenantId: string;
    id: string;
    organisationId: string;
    email: string;
    tokenHash: Buffer;
    invitedBy: string;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO organisation_invitations (tenant_id, id, organisation_id, email, token_hash, status, invited_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8)`,
    [i.tenantId, i.id, i.organisationId, i.email, i.tokenHash, i.invitedBy, i.createdAt, i.expiresAt],
  );
}

/** The invitation with this token hash, with its organisation's name. */
export async function invitationByTokenHash(
  q: Queryable,
  tenantId: string,
  tokenHash: Buffer,
): Promise<(InvitationView & { expiresAt: Date }) | undefined> {
  return one<InvitationView & { expiresAt: Date }>(
    q,
    `SELECT i.id, i.organisation_id AS "organisationId", o.name AS "organisationName", i.email, i.status, i.expires_at AS "expiresAt"
     FROM organisation_invitations i JOIN organisations o ON o.tenant_id = i.tenant_id AND o.id = i.organisation_id
     WHERE i.token_hash = $1 AND i.tenant_id = $2`,
    [tokenHash, tenantId],
  );
}

/** Marks a pending, unexpired invitation accepted. @returns false when it was not (any more). */
export async function markAccepted(
  q: Queryable,
  tenantId: string,
  invitationId: string,
  accountId: string,
  at: Date,
): Promise<boolean> {
  const updated = await q.query(
    `UPDATE organisation_invitations SET status = 'accepted', accepted_by = $3, accepted_at = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'pending' AND expires_at > $4 RETURNING id`,
    [tenantId, invitationId, accountId, at],
  );
  return updated.length > 0;
}

/** The account that accepted this invitation, locked for the decision; undefined unless accepted. */
export async function acceptedBy(
  q: Queryable,
  tenantId: string,
  organisationId: string,
  invitationId: string,
): Promise<string | undefined> {
  const inv = await one<{ accepted_by: string | null }>(
    q,
    `SELECT accepted_by FROM organisation_invitations WHERE tenant_id = $1 AND organisation_id = $2 AND id = $3 AND status = 'accepted' FOR UPDATE`,
    [tenantId, organisationId, invitationId],
  );
  return inv?.accepted_by ?? undefined;
}

export async function markConfirmed(
  q: Queryable,
  tenantId: string,
  invitationId: string,
  by: string,
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE organisation_invitations SET status = 'confirmed', decided_by = $3, decided_at = $4 WHERE tenant_id = $1 AND id = $2`,
    [tenantId, invitationId, by, at],
  );
}

/** Declines an accepted invitation or withdraws an open one. @returns false when there was none. */
export async function markClosed(
  q: Queryable,
  i: { tenantId: string; organisationId: string; invitationId: string; by: string; at: Date },
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE organisation_invitations SET status = CASE WHEN status = 'accepted' THEN 'declined' ELSE 'withdrawn' END, decided_by = $4, decided_at = $5
     WHERE tenant_id = $1 AND organisation_id = $2 AND id = $3 AND status IN ('pending', 'accepted') RETURNING id`,
    [i.tenantId, i.organisationId, i.invitationId, i.by, i.at],
  );
  return rows.length > 0;
}

/** Invitations waiting for this (normalised) address: accepted, or pending and unexpired. */
export async function invitationsForEmail(
  q: Queryable,
  tenantId: string,
  email: string,
  now: Date,
): Promise<{ organisationName: string; status: InvitationStatus }[]> {
  return q.query(
    `SELECT o.name AS "organisationName", i.status FROM organisation_invitations i JOIN organisations o ON o.tenant_id = i.tenant_id AND o.id = i.organisation_id
     WHERE i.tenant_id = $1 AND i.email = $2 AND (i.status = 'accepted' OR (i.status = 'pending' AND i.expires_at > $3)) ORDER BY i.created_at DESC`,
    [tenantId, email, now],
  );
}
