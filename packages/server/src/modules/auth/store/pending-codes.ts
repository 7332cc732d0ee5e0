import type { Queryable } from '../../../adapters/db/index.ts';
import { one } from '../../../adapters/db/index.ts';
import type { CodePurpose } from '../codes.ts';

// Added for drop-off, whose code page knows the session a code was mailed for, not the code's id.

/** The newest unused code mailed for `subjectId`, by its id; undefined when there is none. */
export async function latestPendingCodeId(
  q: Queryable,
  tenantId: string,
  purpose: CodePurpose,
  subjectId: string,
): Promise<string | undefined> {
  const r = await one<{ id: string }>(
    q,
    `SELECT id FROM email_codes WHERE tenant_id = $1 AND purpose = $2 AND subject_id = $3 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    [tenantId, purpose, subjectId],
  );
  return r?.id;
}
