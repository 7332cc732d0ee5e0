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
