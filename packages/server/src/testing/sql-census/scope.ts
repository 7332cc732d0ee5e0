// Which tenant-owned tables a parsed statement reads or writes without constraining their
// `tenant_id`. The rule (also stated at the top of tenant-scope.test.ts):
//
// - Every query level (a SELECT, each side of a UNION, every CTE, every subquery; an INSERT,
//   UPDATE or DELETE) is checked on its own. Its FROM items are tables, or "derived" items
//   (subqueries, CTE references, set-returning functions) whose own contents are checked where
//   they are defined, and whose output therefore counts as constrained.
// - A table is constrained by a condition that must hold for each of its rows: a top-level AND
//   term of WHERE, of an inner join's ON, or of an outer join's ON for its nullable side (an OR
//   counts when every branch constrains). The condition is `x.tenant_id = V`, `x.tenant_id IN
//   (V, …)`, `x.tenant_id = ANY(V)`, `(x.tenant_id, …) = (V, …)`, or `x.tenant_id IN (SELECT
//   tenant_id …)`, where V is a parameter, a constant, a scalar subquery, or the `tenant_id` of a
//   FROM item (of this level or an enclosing one) that is itself constrained — so a chain of
//   joins on tenant_id from one constrained table constrains them all. `JOIN … USING
//   (tenant_id, …)` is a join on tenant_id. A `tenants` row pinned by `id` or `slug` counts as
//   constrained too, and its `id` as a V.
// - INSERT constrains its table by naming `tenant_id` in its column list (the values are
//   checked as their own query level); UPDATE and DELETE by WHERE, with the FROM / USING items
//   joined like a SELECT's.
import { asList, asRecord, kindOf, names, text } from './pg.ts';
import type { PgNode } from './pg.ts';

export interface Unscoped {
  /** The table, or `${…}` for a table name the source builds at run time. */
  table: string;
  /** How the statement names it (alias or table name). */
  name: string;
}

interface Entry {
  name: string;
  /** The table read or written; undefined for a derived item. */
  table: string | undefined;
  constrained: boolean;
}

interface Scope {
  entries: Entry[];
  outer: Scope | undefined;
}

interface Fact {
  expr: unknown;
  /** The entries the condition may constrain (an outer join's ON does not constrain its preserved side). */
  applies: ReadonlySet<Entry>;
}

const DML = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);

/** A table name the source builds at run time (see collect.ts `fillHoles`): it may be tenant-owned. */
export function isDynamicTable(name: string): boolean {
  return name.startsWith('${');
}

/**
 * The tenant-owned tables `stmt` (one parsed statement) reads or writes unconstrained. Tables in
 * `exempt` (allowlisted for this statement) count as constrained, so what is joined to them on
 * tenant_id is constrained too.
 */
export function unscopedTables(
  stmt: unknown,
  tenantOwned: ReadonlySet<string>,
  exempt: ReadonlySet<string> = new Set(),
): Unscoped[] {
  const out: Unscoped[] = [];
  const isTenantOwned = (t: string | undefined): boolean =>
    t !== undefined && (tenantOwned.has(t) || isDynamicTable(t));

  const analyseNode = (node: unknown, outer: Scope | undefined, ctes: ReadonlySet<string>): void => {
    const k = kindOf(node);
    if (k !== undefined && DML.has(k[0])) analyse(k[0], k[1], outer, ctes);
    else walk(node, outer, ctes);
  };

  /** Finds the statements nested anywhere in `v` (subqueries, CTE bodies) and checks each. */
  const walk = (v: unknown, scope: Scope | undefined, ctes: ReadonlySet<string>): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, scope, ctes);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const k = kindOf(v);
    if (k !== undefined && DML.has(k[0])) {
      analyse(k[0], k[1], scope, ctes);
      return;
    }
    for (const x of Object.values(v)) walk(x, scope, ctes);
  };

  const analyse = (
    kind: string,
    s: PgNode,
    outer: Scope | undefined,
    outerCtes: ReadonlySet<string>,
  ): void => {
    const withClause = asRecord(s.withClause);
    const ctes = new Set(outerCtes);
    const cteList = asList(withClause.ctes).map((c) => asRecord(asRecord(c).CommonTableExpr));
    for (const c of cteList) {
      const n = text(c.ctename);
      if (n !== undefined) ctes.add(n);
    }
    for (const c of cteList) analyseNode(c.ctequery, outer, ctes);

    if (kind === 'SelectStmt' && s.op !== undefined && s.op !== 'SETOP_NONE') {
      analyse('SelectStmt', asRecord(s.larg), outer, ctes);
      analyse('SelectStmt', asRecord(s.rarg), outer, ctes);
      return;
    }

    const scope: Scope = { entries: [], outer };
    const facts: Fact[] = [];
    const all = new Set<Entry>();
    const addItem = (item: unknown): Set<Entry> => {
      const added = fromItem(item, ctes, scope, facts, all);
      for (const e of added) if (e.table !== undefined && exempt.has(e.table)) e.constrained = true;
      return added;
    };

    if (kind === 'SelectStmt') {
      for (const item of asList(s.fromClause)) addItem(item);
    } else {
      const target = addItem({ RangeVar: s.relation });
      if (kind === 'InsertStmt') {
        const cols = asList(s.cols).map((c) => text(asRecord(asRecord(c).ResTarget).name));
        if (cols.includes('tenant_id')) for (const e of target) e.constrained = true;
      }
      for (const item of asList(kind === 'DeleteStmt' ? s.usingClause : s.fromClause)) addItem(item);
    }
    for (const term of conjuncts(s.whereClause)) facts.push({ expr: term, applies: all });
    settle(scope, facts);

    for (const e of scope.entries) {
      if (!e.constrained && isTenantOwned(e.table)) out.push({ table: e.table ?? '', name: e.name });
    }
    // Everything else may hold nested statements; they see this level's items as outer.
    for (const [key, value] of Object.entries(s)) {
      if (key === 'withClause' || key === 'larg' || key === 'rarg' || key === 'relation') continue;
      walk(value, scope, ctes);
    }
  };

  analyseNode(stmt, undefined, new Set());
  return out;
}

/** Adds a FROM item's entries to the scope and its join conditions to the facts; returns its entries. */
function fromItem(
  item: unknown,
  ctes: ReadonlySet<string>,
  scope: Scope,
  facts: Fact[],
  all: Set<Entry>,
): Set<Entry> {
  const k = kindOf(item);
  if (k === undefined) return new Set();
  const [kind, n] = k;
  if (kind === 'JoinExpr') {
    const left = fromItem(n.larg, ctes, scope, facts, all);
    const right = fromItem(n.rarg, ctes, scope, facts, all);
    const both = new Set([...left, ...right]);
    const applies =
      n.jointype === 'JOIN_LEFT'
        ? right
        : n.jointype === 'JOIN_RIGHT'
          ? left
          : n.jointype === 'JOIN_FULL'
            ? new Set<Entry>()
            : both;
    for (const term of conjuncts(n.quals)) facts.push({ expr: term, applies });
    if (names(n.usingClause).includes('tenant_id')) {
      // USING (tenant_id): the same as `l.tenant_id = r.tenant_id` for each pair.
      for (const l of left)
        for (const r of right) facts.push({ expr: tenantEquality(l.name, r.name), applies });
    }
    return both;
  }
  let entry: Entry;
  if (kind === 'RangeVar') {
    const rel = text(n.relname) ?? '';
    const alias = text(asRecord(n.alias).aliasname) ?? rel;
    const isCte = n.schemaname === undefined && ctes.has(rel);
    entry = { name: alias, table: isCte ? undefined : rel, constrained: isCte };
  } else {
    // RangeSubselect, RangeFunction, …: checked where they are defined.
    entry = { name: text(asRecord(n.alias).aliasname) ?? '', table: undefined, constrained: true };
  }
  scope.entries.push(entry);
  all.add(entry);
  return new Set([entry]);
}

function tenantEquality(left: string, right: string): unknown {
  const col = (alias: string): unknown => ({
    ColumnRef: { fields: [{ String: { sval: alias } }, { String: { sval: 'tenant_id' } }] },
  });
  return {
    A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '=' } }], lexpr: col(left), rexpr: col(right) },
  };
}

/** The top-level AND terms of a condition. */
function conjuncts(expr: unknown): unknown[] {
  if (expr === undefined) return [];
  const k = kindOf(expr);
  if (k?.[0] === 'BoolExpr' && k[1].boolop === 'AND_EXPR') return asList(k[1].args).flatMap(conjuncts);
  return [expr];
}

/** Marks entries constrained until nothing changes (a join chain constrains one table after another). */
function settle(scope: Scope, facts: readonly Fact[]): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const e of scope.entries) {
      if (e.constrained) continue;
      if (facts.some((f) => f.applies.has(e) && constrains(e, f.expr, scope))) {
        e.constrained = true;
        changed = true;
      }
    }
  }
}

function constrains(e: Entry, expr: unknown, scope: Scope): boolean {
  const k = kindOf(expr);
  if (k === undefined) return false;
  const [kind, n] = k;
  if (kind === 'BoolExpr') {
    const args = asList(n.args);
    if (n.boolop === 'AND_EXPR') return args.some((a) => constrains(e, a, scope));
    if (n.boolop === 'OR_EXPR') return args.length > 0 && args.every((a) => constrains(e, a, scope));
    return false;
  }
  if (kind === 'A_Expr' && names(n.name).join('.') === '=') {
    if (n.kind === 'AEXPR_OP') return pairs(n.lexpr, n.rexpr).some(([a, b]) => tenantPair(e, a, b, scope));
    if (n.kind === 'AEXPR_OP_ANY')
      return isTenantColumnOf(e, n.lexpr, scope) && isTenantValue(n.rexpr, scope);
    if (n.kind === 'AEXPR_IN') {
      const list = asList(asRecord(asRecord(n.rexpr).List).items);
      return (
        isTenantColumnOf(e, n.lexpr, scope) && list.length > 0 && list.every((v) => isTenantValue(v, scope))
      );
    }
    return false;
  }
  if (kind === 'SubLink' && n.subLinkType === 'ANY_SUBLINK') {
    const tested = rowItems(n.testexpr);
    const i = tested.findIndex((t) => isTenantColumnOf(e, t, scope));
    return i >= 0 && selectsTenantId(n.subselect, i);
  }
  return false;
}

function tenantPair(e: Entry, a: unknown, b: unknown, scope: Scope): boolean {
  return (
    (isTenantColumnOf(e, a, scope) && isTenantValue(b, scope)) ||
    (isTenantColumnOf(e, b, scope) && isTenantValue(a, scope))
  );
}

/** `(a, b) = (c, d)` as the pairs [a, c], [b, d]; `a = b` as [a, b]. */
function pairs(l: unknown, r: unknown): [unknown, unknown][] {
  const ls = rowItems(l);
  const rs = rowItems(r);
  if (ls.length !== rs.length) return [];
  return ls.map((x, i) => [x, rs[i]]);
}

function rowItems(expr: unknown): unknown[] {
  const k = kindOf(expr);
  return k?.[0] === 'RowExpr' ? asList(k[1].args) : [expr];
}

/** Whether output column `i` of a subquery is a `tenant_id` column (or a parameter). */
function selectsTenantId(subselect: unknown, i: number): boolean {
  let s = asRecord(asRecord(subselect).SelectStmt);
  while (s.op !== undefined && s.op !== 'SETOP_NONE') s = asRecord(s.larg);
  const target = asRecord(asRecord(asList(s.targetList)[i]).ResTarget).val;
  const k = kindOf(target);
  if (k?.[0] === 'ParamRef') return true;
  return k?.[0] === 'ColumnRef' && names(k[1].fields).at(-1) === 'tenant_id';
}

/** The entry a column reference belongs to, searching this level and then the enclosing ones. */
function resolve(expr: unknown, scope: Scope): { entry: Entry; column: string } | undefined {
  const k = kindOf(expr);
  if (k?.[0] !== 'ColumnRef') return undefined;
  const parts = names(k[1].fields);
  for (let s: Scope | undefined = scope; s !== undefined; s = s.outer) {
    if (parts.length === 2) {
      const [alias, column] = parts;
      const entry = s.entries.find((x) => x.name === alias);
      if (entry !== undefined && column !== undefined) return { entry, column };
    } else if (parts.length === 1 && parts[0] !== undefined) {
      // Unqualified: PostgreSQL accepts it only when one item of the level has the column.
      const tables = s.entries.filter((x) => x.table !== undefined);
      const only = tables.length === 1 ? tables[0] : s.entries.length === 1 ? s.entries[0] : undefined;
      if (only !== undefined) return { entry: only, column: parts[0] };
      if (s.entries.length > 0) return undefined;
    }
  }
  return undefined;
}

/**
 * The columns that name a row's tenant: `tenant_id`, and for a row of `tenants` itself its `id`
 * and (unique) `slug`, so `JOIN tenants t ON t.id = x.tenant_id WHERE t.slug = $1` constrains x.
 */
function tenantColumns(e: Entry): readonly string[] {
  return e.table === 'tenants' ? ['id', 'slug'] : ['tenant_id'];
}

function isTenantColumnOf(e: Entry, expr: unknown, scope: Scope): boolean {
  const r = resolve(expr, scope);
  return r?.entry === e && tenantColumns(e).includes(r.column);
}

/** A value that names one tenant: a parameter, a constant, a scalar subquery, a constrained tenant_id. */
function isTenantValue(expr: unknown, scope: Scope): boolean {
  const k = kindOf(expr);
  if (k === undefined) return false;
  const [kind, n] = k;
  switch (kind) {
    case 'ParamRef':
    case 'A_Const':
      return true;
    case 'TypeCast':
      return isTenantValue(n.arg, scope);
    case 'SubLink':
      return n.subLinkType === 'EXPR_SUBLINK' || n.subLinkType === 'ARRAY_SUBLINK';
    case 'A_ArrayExpr':
      return asList(n.elements).every((x) => isTenantValue(x, scope));
    case 'ColumnRef': {
      const r = resolve(expr, scope);
      return (
        r !== undefined &&
        r.entry.constrained &&
        (r.column === 'tenant_id' || (r.entry.table === 'tenants' && r.column === 'id'))
      );
    }
    default:
      return false;
  }
}
