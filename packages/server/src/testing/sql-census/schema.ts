// The tables the migrations create, and which of them are tenant-owned (carry a `tenant_id`
// column), read with the PostgreSQL parser rather than by pattern so a comment or a column
// named like a table cannot mislead it.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { asList, asRecord, loadParser, names, parseSync, text } from './pg.ts';

export interface Schema {
  /** Every table the migrations leave behind. */
  tables: Set<string>;
  /** The tables with a `tenant_id` column. */
  tenantOwned: Set<string>;
}

/** Reads the migrations `dir/NNN_*.sql` in order. */
export async function readSchema(dir: string): Promise<Schema> {
  await loadParser();
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const columns = new Map<string, Set<string>>();
  for (const f of files) {
    const parsed = parseSync(await readFile(path.join(dir, f), 'utf8'));
    for (const raw of parsed.stmts ?? []) applyStatement(columns, asRecord(raw.stmt));
  }
  const tenantOwned = new Set([...columns].filter(([, cols]) => cols.has('tenant_id')).map(([t]) => t));
  return { tables: new Set(columns.keys()), tenantOwned };
}

function applyStatement(columns: Map<string, Set<string>>, stmt: Record<string, unknown>): void {
  const create = asRecord(stmt.CreateStmt);
  const createdName = text(asRecord(create.relation).relname);
  if (createdName !== undefined) {
    const cols = columns.get(createdName) ?? new Set<string>();
    for (const el of asList(create.tableElts)) {
      const name = text(asRecord(asRecord(el).ColumnDef).colname);
      if (name !== undefined) cols.add(name);
    }
    columns.set(createdName, cols);
    return;
  }
  const alter = asRecord(stmt.AlterTableStmt);
  const alteredName = text(asRecord(alter.relation).relname);
  if (alteredName !== undefined) {
    const cols = columns.get(alteredName) ?? new Set<string>();
    for (const c of asList(alter.cmds)) {
      const cmd = asRecord(asRecord(c).AlterTableCmd);
      const name = text(asRecord(asRecord(cmd.def).ColumnDef).colname);
      if (cmd.subtype === 'AT_AddColumn' && name !== undefined) cols.add(name);
      if (cmd.subtype === 'AT_DropColumn' && typeof cmd.name === 'string') cols.delete(cmd.name);
    }
    columns.set(alteredName, cols);
    return;
  }
  const drop = asRecord(stmt.DropStmt);
  if (drop.removeType === 'OBJECT_TABLE') {
    for (const obj of asList(drop.objects)) {
      const name = names(asRecord(asRecord(obj).List).items).at(-1);
      if (name !== undefined) columns.delete(name);
    }
  }
}
