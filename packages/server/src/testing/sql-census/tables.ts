// The tables a parsed statement names: every FROM / JOIN / USING item and every INSERT, UPDATE
// or DELETE target, without the names of its CTEs. Used by scripts/architecture.ts to tell SQL
// that sits outside the module owning its tables.
import { asRecord, kindOf, text } from './pg.ts';

export interface StatementTables {
  /** Every table named. */
  all: Set<string>;
  /** The tables written (INSERT, UPDATE, DELETE targets). */
  written: Set<string>;
}

const WRITES = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt']);

export function tablesOf(stmt: unknown): StatementTables {
  const named = new Set<string>();
  const written = new Set<string>();
  const ctes = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const k = kindOf(v);
    if (k?.[0] === 'RangeVar') {
      // information_schema.tables and the like are not the application's tables.
      const rel = text(k[1].relname);
      if (rel !== undefined && (k[1].schemaname === undefined || k[1].schemaname === 'public'))
        named.add(rel);
    } else if (k?.[0] === 'CommonTableExpr') {
      const name = text(k[1].ctename);
      if (name !== undefined) ctes.add(name);
    } else if (k !== undefined && WRITES.has(k[0])) {
      const rel = text(asRecord(k[1].relation).relname);
      if (rel !== undefined) {
        named.add(rel);
        written.add(rel);
      }
    }
    for (const [key, x] of Object.entries(v)) {
      // `FOR UPDATE OF f` names an alias of the FROM list, not a table.
      if (key !== 'lockingClause') visit(x);
    }
  };
  visit(stmt);
  const tables = (s: Set<string>): Set<string> => new Set([...s].filter((t) => !ctes.has(t)));
  return { all: tables(named), written: tables(written) };
}
