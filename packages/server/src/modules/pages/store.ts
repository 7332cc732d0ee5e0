import type { Queryable } from '../../adapters/db/index.ts';

/** One message from the accessibility page's feedback form; empty optional fields are stored as NULL. */
export interface AccessibilityFeedback {
  tenantId: string;
  id: string;
  name: string;
  email: string;
  message: string;
  page: string;
  createdAt: Date;
}

export async function insertAccessibilityFeedback(q: Queryable, f: AccessibilityFeedback): Promise<void> {
  await q.query(
    `INSERT INTO accessibility_feedback (tenant_id, id, name, email, message, page, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [f.tenantId, f.id, f.name || null, f.email || null, f.message, f.page || null, f.createdAt],
  );
}
