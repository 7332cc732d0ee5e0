// The tenant-scoping census: every SQL statement of the given files, parsed with PostgreSQL's
// own parser and checked by the rule in scope.ts, against an allowlist of justified exceptions.
import { collectSql } from './collect.ts';
import type { SqlStatement } from './collect.ts';
import { loadParser, parseSync } from './pg.ts';
import { unscopedTables } from './scope.ts';

export interface AllowlistEntry {
  /** The table the statement leaves unconstrained (`${…}` for one named at run time). */
  table: string;
  /** A distinctive substring of the whitespace-normalised statement (holes shown as `${source}`). */
  match: string;
  reason: string;
}

export interface Finding {
  file: string;
  line: number;
  /** The unconstrained tenant-owned tables. */
  tables: string[];
  text: string;
}

export interface CensusResult {
  /** How many statements were parsed and checked. */
  checked: number;
  /** Statements with unconstrained tables that allowlist entries cover. */
  allowlisted: Finding[];
  /** Statements with unconstrained tables that no allowlist entry covers. */
  failures: Finding[];
  /**
   * Allowlist entries that cover nothing: the statement changed, moved out or was fixed, or the
   * table is constrained anyway through another entry of the same statement.
   */
  unused: AllowlistEntry[];
  /**
   * Allowlist entries that cover different statements (so could hide a new one): where several
   * entries fit a statement, the most specific (longest `match`) covers it.
   */
  ambiguous: { entry: AllowlistEntry; statements: string[] }[];
  /** Statements the parser refused (after filling the holes). */
  unparsed: (Finding & { error: string })[];
}

export async function runCensus(opts: {
  root: string;
  files: readonly string[];
  tenantOwned: ReadonlySet<string>;
  allowlist: readonly AllowlistEntry[];
}): Promise<CensusResult> {
  await loadParser();
  const statements = await collectSql(opts.root, opts.files);
  const result: CensusResult = {
    checked: 0,
    allowlisted: [],
    failures: [],
    unused: [],
    ambiguous: [],
    unparsed: [],
  };
  /** The distinct statement texts each entry is needed for. */
  const covers = new Map<AllowlistEntry, Set<string>>();

  for (const st of statements) {
    let parsed: unknown[];
    try {
      parsed = st.variants.flatMap((v) => (parseSync(v).stmts ?? []).map((raw) => raw.stmt));
    } catch (err) {
      result.unparsed.push({ ...at(st, []), error: err instanceof Error ? err.message : String(err) });
      continue;
    }
    result.checked++;
    const unscoped = (exempt: ReadonlySet<string>): Set<string> =>
      new Set(parsed.flatMap((p) => unscopedTables(p, opts.tenantOwned, exempt).map((u) => u.table)));

    const bare = unscoped(new Set());
    if (bare.size === 0) continue;
    // Per table the most specific entry (longest match) that fits the statement.
    const chosen = [...bare].flatMap((table) => {
      const fitting = opts.allowlist.filter(
        (a) => a.table === table && st.texts.some((t) => t.includes(a.match)),
      );
      const best = fitting.sort((a, b) => b.match.length - a.match.length)[0];
      return best === undefined ? [] : [best];
    });
    const exempt = new Set(chosen.map((a) => a.table));
    const left = unscoped(exempt);
    // An entry counts only if its table would be unconstrained without it.
    for (const a of chosen) {
      const others = new Set([...exempt].filter((t) => t !== a.table));
      if (!unscoped(others).has(a.table)) continue;
      const texts = covers.get(a) ?? new Set();
      texts.add(st.text);
      covers.set(a, texts);
    }
    if (left.size > 0) result.failures.push(at(st, [...left]));
    if (chosen.length > 0)
      result.allowlisted.push(
        at(
          st,
          [...bare].filter((t) => !left.has(t)),
        ),
      );
  }

  for (const entry of opts.allowlist) {
    const texts = covers.get(entry);
    if (texts === undefined) result.unused.push(entry);
    // The same statement written in two places is one justification; different ones are not.
    else if (texts.size > 1) result.ambiguous.push({ entry, statements: [...texts] });
  }
  return result;
}

function at(st: SqlStatement, tables: string[]): Finding {
  return { file: st.file, line: st.line, tables, text: st.text };
}
