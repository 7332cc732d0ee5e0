import type { Queryable } from '../../adapters/db/index.ts';

export type ActorKind = 'staff' | 'account' | 'guest' | 'system';

export interface AuditEvent {
  tenantId: string;
  at: Date;
  actor: { kind: ActorKind; id?: string | undefined };
  action: string;
  subject?: { kind: string; id?: string | undefined };
  /** Already truncated (http/ip.ts); never a full address. */
  ipPrefix?: string | undefined;
  /** No content, no secrets, no personal data beyond ids. */
  details?: Record<string, string | number | boolean | null>;
}

/** Records one event in the same transaction as the change it describes. */
export async function recordAudit(q: Queryable, e: AuditEvent): Promise<void> {
  await q.query(
    `INSERT INTO audit_events (tenant_id, at, actor_kind, actor_id, action, subject_kind, subject_id, ip_prefix, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      e.tenantId,
      e.at,
      e.actor.kind,
      e.actor.id ?? null,
      e.action,
      e.subject?.kind ?? null,
      e.subject?.id ?? null,
      e.ipPrefix ?? null,
      JSON.stringify(e.details ?? {}),
    ],
  );
}

export interface AuditRow {
  at: Date;
  actor_kind: ActorKind;
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
}

export async function listAudit(q: Queryable, tenantId: string, limit = 100): Promise<AuditRow[]> {
  return q.query<AuditRow>(
    `SELECT at, actor_kind, actor_id, action, subject_kind, subject_id FROM audit_events
     WHERE tenant_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
    [tenantId, limit],
  );
}

// --- added for the privacy module's data export and the retention module's audit rule ----------

/** An event about a person, as their data export lists it (IP addresses only as the stored prefix). */
export interface ExportedAuditEvent {
  at: Date;
  action: string;
  actorKind: ActorKind;
  subjectKind: string | null;
  subjectId: string | null;
  ipPrefix: string | null;
  details: NonNullable<AuditEvent['details']>;
}

/**
 * What the account did, what was done to it, and what its recipient links did (as guests), in
 * the order it happened.
 */
export async function exportAuditEventsAbout(
  q: Queryable,
  tenantId: string,
  accountId: string | null,
  recipientIds: readonly string[],
): Promise<ExportedAuditEvent[]> {
  return q.query<ExportedAuditEvent>(
    `SELECT at, action, actor_kind AS "actorKind", subject_kind AS "subjectKind", subject_id AS "subjectId", ip_prefix AS "ipPrefix", details
     FROM audit_events
     WHERE tenant_id = $1 AND ((actor_kind = 'account' AND actor_id = $2) OR (subject_kind = 'account' AND subject_id = $2) OR (actor_kind = 'guest' AND actor_id = ANY($3::uuid[])))
     ORDER BY at, id`,
    [tenantId, accountId, recipientIds],
  );
}

/** Deletes the tenant's events at or before `cutoff`; returns how many went. */
export async function deleteAuditEventsBefore(q: Queryable, tenantId: string, cutoff: Date): Promise<number> {
  const rows = await q.query(`DELETE FROM audit_events WHERE tenant_id = $1 AND at <= $2 RETURNING 1`, [
    tenantId,
    cutoff,
  ]);
  return rows.length;
}
