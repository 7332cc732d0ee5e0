// The tenant-scoping rule of scope.ts on single statements: what counts as constraining a
// tenant-owned table's tenant_id, and what does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadParser, parseSync } from './pg.ts';
import { unscopedTables } from './scope.ts';

await loadParser();
const tenantOwned = new Set(['transfers', 'staff', 'sessions']);

/** The names (aliases) of the unconstrained tables, space-separated. */
function unscoped(sql: string, exempt: readonly string[] = []): string {
  return (parseSync(sql).stmts ?? [])
    .flatMap((s) => unscopedTables(s.stmt, tenantOwned, new Set(exempt)))
    .map((u) => u.name)
    .join(' ');
}

const cases: [sql: string, unconstrained: string][] = [
  ['SELECT * FROM transfers t WHERE t.id = $1', 't'],
  ['SELECT * FROM transfers WHERE tenant_id = $1 AND id = $2', ''],
  ['SELECT * FROM transfers WHERE (tenant_id, id) = ($1, $2)', ''],
  ['SELECT 1 FROM transfers WHERE tenant_id = ANY($1::uuid[])', ''],
  ["SELECT 1 FROM transfers WHERE tenant_id IN ($1, '00000000-0000-0000-0000-000000000000')", ''],
  ['SELECT * FROM transfers t WHERE t.tenant_id = t.tenant_id', 't'],
  // Joins: on tenant_id from a constrained row; an outer join's ON only constrains its nullable side.
  ['SELECT * FROM transfers t JOIN staff s ON s.id = t.staff_id WHERE t.tenant_id = $1', 's'],
  ['SELECT * FROM transfers t JOIN staff s ON s.tenant_id = t.tenant_id WHERE t.tenant_id = $1', ''],
  ['SELECT * FROM transfers t, staff s WHERE t.tenant_id = $1 AND s.tenant_id = t.tenant_id', ''],
  ['SELECT * FROM transfers t JOIN staff s USING (tenant_id) WHERE s.tenant_id = $1', ''],
  ['SELECT * FROM transfers t LEFT JOIN staff s ON s.tenant_id = $1 WHERE t.id = $2', 't'],
  ['SELECT * FROM transfers t LEFT JOIN staff s ON s.tenant_id = t.tenant_id WHERE t.tenant_id = $1', ''],
  ['SELECT * FROM transfers t FULL JOIN staff s ON s.tenant_id = t.tenant_id WHERE t.tenant_id = $1', 's'],
  ['SELECT * FROM staff s JOIN tenants t ON t.id = s.tenant_id WHERE t.slug = $1', ''],
  ['SELECT * FROM staff s JOIN tenants t ON t.id = s.tenant_id WHERE t.name = $1', 's'],
  // OR constrains only when every branch does.
  ['SELECT * FROM transfers WHERE tenant_id = $1 OR id = $2', 'transfers'],
  ['SELECT * FROM transfers WHERE (tenant_id = $1 AND id = $2) OR (tenant_id = $3)', ''],
  // Subqueries are checked on their own, correlated ones through the outer row.
  ['SELECT * FROM transfers t WHERE EXISTS (SELECT 1 FROM staff s WHERE s.tenant_id = t.tenant_id)', 't s'],
  [
    'SELECT * FROM transfers t WHERE t.tenant_id = $1 AND EXISTS (SELECT 1 FROM staff s WHERE s.tenant_id = t.tenant_id)',
    '',
  ],
  [
    'SELECT (SELECT count(*) FROM staff s WHERE s.tenant_id = t.tenant_id) FROM transfers t WHERE t.tenant_id = $1',
    '',
  ],
  ['SELECT * FROM transfers WHERE tenant_id IN (SELECT tenant_id FROM staff)', 'staff'],
  ['SELECT * FROM transfers WHERE tenant_id IN (SELECT tenant_id FROM staff WHERE tenant_id = $1)', ''],
  ['SELECT * FROM transfers t WHERE t.tenant_id = $1 UNION ALL SELECT * FROM transfers', 'transfers'],
  ['WITH x AS (SELECT * FROM staff) SELECT * FROM x JOIN transfers t ON t.tenant_id = x.tenant_id', 'staff'],
  [
    'WITH x AS (SELECT * FROM staff WHERE tenant_id = $1) SELECT * FROM x JOIN transfers t ON t.tenant_id = x.tenant_id',
    '',
  ],
  // Writes.
  ['INSERT INTO transfers (id) VALUES ($1)', 'transfers'],
  ['INSERT INTO transfers (tenant_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING', ''],
  ['INSERT INTO transfers (tenant_id, id) SELECT tenant_id, $2 FROM staff WHERE id = $1', 'staff'],
  ['UPDATE transfers SET subject = NULL WHERE tenant_id = $1', ''],
  ['UPDATE transfers SET subject = NULL WHERE id = $1', 'transfers'],
  ['UPDATE transfers SET x = (SELECT 1 FROM staff WHERE id = $2) WHERE tenant_id = $1', 'staff'],
  ['DELETE FROM transfers t USING staff s WHERE t.tenant_id = s.tenant_id AND s.id = $1', 't s'],
  ['DELETE FROM transfers t USING staff s WHERE t.tenant_id = s.tenant_id AND s.tenant_id = $1', ''],
  // A table named at run time may be tenant-owned.
  ['DELETE FROM "${opts.table}" WHERE id = $1', '${opts.table}'],
  ['DELETE FROM "${opts.table}" WHERE tenant_id = $1', ''],
];

for (const [sql, want] of cases) {
  test(`${want === '' ? 'scoped' : `unscoped (${want})`}: ${sql}`, () => {
    assert.equal(unscoped(sql), want);
  });
}

test('an exempt table counts as constrained, and so do the rows joined to it on tenant_id', () => {
  const sql = 'SELECT * FROM sessions x JOIN staff s ON s.tenant_id = x.tenant_id WHERE x.id_hash = $1';
  assert.equal(unscoped(sql), 'x s');
  assert.equal(unscoped(sql, ['sessions']), '');
});
