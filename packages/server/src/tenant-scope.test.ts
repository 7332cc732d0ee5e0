// Tenant-scoping census: every SQL statement in the server's source constrains the tenant of
// every tenant-owned table it reads or writes, or is on the allowlist with a reason.
//
// What is checked: every string or template literal in packages/server/src/**/*.ts (not tests,
// `testing/`, fixtures, `adapters/migrations/`) whose text starts with SELECT, INSERT, UPDATE,
// DELETE or WITH. Substitutions that name a const (also one imported from a sibling file) are
// inlined, a ternary is checked with each branch, `list.join(' AND ')` of a const array with its
// initial elements; a const that is only a fragment of other statements is checked there. What
// remains unknown is filled with a placeholder: `$99` after `$`, a subquery inside `AS (…)`, and
// otherwise a quoted name `"${source}"` (a table named at run time counts as tenant-owned). Each
// statement is then parsed by PostgreSQL's own parser (libpg-query).
//
// Tenant-owned: every table with a `tenant_id` column after all migrations (parsed likewise).
//
// The rule, per query level (each SELECT, UNION side, CTE, subquery; INSERT, UPDATE, DELETE):
// - A tenant-owned table is constrained by a condition that holds for each of its rows — a
//   top-level AND term of WHERE, of an inner join's ON, or of an outer join's ON for its nullable
//   side (an OR counts when every branch constrains) — of the form `x.tenant_id = V`,
//   `x.tenant_id IN (V, …)`, `x.tenant_id = ANY(V)`, `(x.tenant_id, …) = (V, …)` or
//   `x.tenant_id IN (SELECT tenant_id …)`. V is a parameter, a constant, a scalar subquery, or
//   the tenant_id of a constrained FROM item of this level or an enclosing one: a chain of joins
//   on tenant_id from one constrained table constrains them all (`USING (tenant_id)` is such a
//   join; a `tenants` row pinned by id or slug counts, its `id` as V).
// - Subqueries, CTE references and functions in FROM count as constrained: their own contents
//   are checked at their own level.
// - INSERT names `tenant_id` in its column list; UPDATE and DELETE constrain their table in WHERE
//   (with FROM / USING items joined as in a SELECT).
// Exceptions: tenant-scope.allowlist.ts. An allowlisted table counts as constrained for the rest
// of that statement; an entry that covers nothing, or covers different statements, fails.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { tenantScopeAllowlist } from './tenant-scope.allowlist.ts';
import { runCensus } from './testing/sql-census/census.ts';
import type { Finding } from './testing/sql-census/census.ts';
import { sourceFiles } from './testing/sql-census/collect.ts';
import { readSchema } from './testing/sql-census/schema.ts';

const srcRoot = import.meta.dirname;
const fixtures = path.join(srcRoot, 'testing/sql-census/fixtures');
const schema = await readSchema(path.join(srcRoot, 'adapters/migrations/sql'));

const show = (f: Finding): string => `${f.file}:${String(f.line)} [${f.tables.join(', ')}] ${f.text}`;

describe('tenant-scoping census', () => {
  test('every statement constrains the tenant of each tenant-owned table it touches', async (t) => {
    const result = await runCensus({
      root: srcRoot,
      files: await sourceFiles(srcRoot),
      tenantOwned: schema.tenantOwned,
      allowlist: tenantScopeAllowlist,
    });
    t.diagnostic(
      `${String(result.checked)} SQL statements checked, ${String(result.allowlisted.length)} allowlisted`,
    );
    assert.deepEqual(
      result.unparsed.map((u) => `${u.file}:${String(u.line)} ${u.error}`),
      [],
      'statements the parser refused',
    );
    assert.deepEqual(result.failures.map(show), [], 'unconstrained tenant-owned tables (see the rule above)');
    assert.deepEqual(result.unused, [], 'allowlist entries that cover no statement: remove them');
    assert.deepEqual(
      result.ambiguous,
      [],
      'allowlist entries that cover different statements: make `match` distinctive',
    );
    // The collector must keep finding the statements, or the census proves nothing.
    assert.ok(result.checked > 300, `only ${String(result.checked)} statements found`);
  });

  test('the migrations yield the tenant-owned tables', () => {
    for (const table of ['transfers', 'staff', 'sessions', 'organisation_members', 'audit_events'])
      assert.ok(schema.tenantOwned.has(table), table);
    for (const table of ['tenants', 'jobs', 'blob_deletions', 'rate_limits']) {
      assert.ok(schema.tables.has(table), table);
      assert.ok(!schema.tenantOwned.has(table), table);
    }
  });

  test('fails on planted unscoped statements and passes on their scoped variants', async () => {
    const census = (file: string) =>
      runCensus({
        root: fixtures,
        files: [path.join(fixtures, file)],
        tenantOwned: schema.tenantOwned,
        allowlist: [],
      });

    const unscoped = await census('unscoped.ts');
    assert.equal(unscoped.checked, 3);
    assert.deepEqual(
      unscoped.failures.map((f) => [f.file, f.tables]),
      [
        // The const column list is inlined, and the join on tenant_id does not save the statement:
        // the transfer it starts from is unconstrained, so the staff row is as well.
        ['unscoped.ts', ['transfers', 'staff']],
        ['unscoped.ts', ['staff']],
        ['unscoped.ts', ['transfer_downloads']],
      ],
    );
    assert.match(
      unscoped.failures[0]?.text ?? '',
      /^SELECT t\.id, t\.subject, s\.email AS sender FROM transfers t/,
    );

    const scoped = await census('scoped.ts');
    assert.equal(scoped.checked, 3);
    assert.deepEqual(scoped.failures, []);
  });

  test('an allowlist entry covers its statement, and one that covers nothing is reported', async () => {
    const file = path.join(fixtures, 'unscoped.ts');
    const needed = {
      table: 'transfer_downloads',
      match: 'INSERT INTO transfer_downloads (transfer_id, at)',
      reason: 'x',
    };
    const stale = { table: 'transfers', match: 'SELECT nothing like this', reason: 'x' };
    const result = await runCensus({
      root: fixtures,
      files: [file],
      tenantOwned: schema.tenantOwned,
      allowlist: [needed, stale],
    });
    assert.deepEqual(
      result.failures.map((f) => f.tables),
      [['transfers', 'staff'], ['staff']],
    );
    assert.equal(result.allowlisted.length, 1);
    assert.deepEqual(result.unused, [stale]);

    // An entry for the starting table constrains what is joined to it on tenant_id.
    const root = {
      table: 'transfers',
      match: 'FROM transfers t JOIN staff s ON s.tenant_id = t.tenant_id',
      reason: 'x',
    };
    const rooted = await runCensus({
      root: fixtures,
      files: [file],
      tenantOwned: schema.tenantOwned,
      allowlist: [root],
    });
    assert.deepEqual(
      rooted.failures.map((f) => f.tables),
      [['staff'], ['transfer_downloads']],
    );
  });

  test('an allowlist entry that fits different unscoped statements is ambiguous', async () => {
    const broad = { table: 'staff', match: 'FROM transfers t JOIN staff s', reason: 'x' };
    const result = await runCensus({
      root: fixtures,
      files: [path.join(fixtures, 'unscoped.ts')],
      tenantOwned: schema.tenantOwned,
      allowlist: [broad],
    });
    assert.equal(result.ambiguous.length, 1);
    assert.equal(result.ambiguous[0]?.statements.length, 2);
  });
});
