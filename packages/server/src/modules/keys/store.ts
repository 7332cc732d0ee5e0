import type { Queryable } from '../../adapters/db/index.ts';

// Added while the key routes were split: the lookup route's query, out of the route file.

/** The current keys of the departments a staff member belongs to (shared level-3/4 outboxes). */
export async function memberDepartmentKeys(
  q: Queryable,
  tenantId: string,
  staffId: string,
): Promise<{ keyId: string; publicKey: string }[]> {
  return q.query<{ keyId: string; publicKey: string }>(
    `-- reads department_keys (owner: postbox), department_members (owner: tenants): the keys module may not import postbox, which comes later
     SELECT k.id AS "keyId", k.public_key AS "publicKey" FROM department_keys k
       JOIN department_members m ON m.tenant_id = k.tenant_id AND m.department_id = k.department_id
     WHERE k.tenant_id = $1 AND m.staff_id = $2 AND k.retired_at IS NULL ORDER BY k.id`,
    [tenantId, staffId],
  );
}
