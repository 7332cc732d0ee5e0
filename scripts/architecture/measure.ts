// The measurements behind scripts/architecture.ts, one function per figure.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import {
  collectSql,
  sourceFiles as sqlSourceFiles,
} from '../../packages/server/src/testing/sql-census/collect.ts';
import { loadParser, parseSync } from '../../packages/server/src/testing/sql-census/pg.ts';
import { tablesOf } from '../../packages/server/src/testing/sql-census/tables.ts';

export interface SourceFile {
  /** Relative to the package's src/, forward slashes. */
  rel: string;
  abs: string;
  lines: number;
  ast: ts.SourceFile;
}

const SKIPPED_DIRS = new Set(['node_modules', 'testing', 'fixtures']);

/** Not source for these figures: tests and their support, i18n catalogues, migrations. */
function skipped(rel: string): boolean {
  const name = rel.split('/').at(-1) ?? '';
  if (!name.endsWith('.ts') || /\.(test|d)\.ts$/.test(name) || name === 'test-support.ts') return true;
  if (/(^|\/)i18n\//.test(rel) && /^(.+\.)?(de|en)\.ts$/.test(name)) return true;
  return rel.startsWith('adapters/migrations/');
}

export async function readSources(srcRoot: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      const rel = path.relative(srcRoot, abs).split(path.sep).join('/');
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) await walk(abs);
      } else if (!skipped(rel)) {
        const text = await readFile(abs, 'utf8');
        const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        out.push({ rel, abs, lines, ast: ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true) });
      }
    }
  };
  await walk(srcRoot);
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}

export function largestFiles(files: readonly SourceFile[], top = 10): { file: string; lines: number }[] {
  return [...files]
    .sort((a, b) => b.lines - a.lines || a.rel.localeCompare(b.rel))
    .slice(0, top)
    .map((f) => ({ file: f.rel, lines: f.lines }));
}

/** `request.body as X`, `request.params as X`, `request.query as X` (also on `req`). */
export function requestCasts(files: readonly SourceFile[]): { file: string; line: number; text: string }[] {
  const out: { file: string; line: number; text: string }[] = [];
  for (const f of files) {
    const visit = (node: ts.Node): void => {
      if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
        let e = node.expression;
        while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
        if (
          ts.isPropertyAccessExpression(e) &&
          ['body', 'params', 'query'].includes(e.name.text) &&
          ts.isIdentifier(e.expression) &&
          ['request', 'req'].includes(e.expression.text)
        ) {
          const line = f.ast.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          out.push({ file: f.rel, line, text: node.getText().replace(/\s+/g, ' ').slice(0, 120) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(f.ast);
  }
  return out;
}

export interface Import {
  /** The importing file, relative to src/. */
  from: string;
  /** The imported file, relative to src/ (may lie outside it, then starting with `../`). */
  to: string;
}

/** Every relative import, re-export and dynamic import, resolved against src/. */
export function importsOf(files: readonly SourceFile[], srcRoot: string): Import[] {
  const out: Import[] = [];
  for (const f of files) {
    const add = (spec: string): void => {
      if (!spec.startsWith('.')) return;
      const to = path
        .relative(srcRoot, path.resolve(path.dirname(f.abs), spec))
        .split(path.sep)
        .join('/');
      out.push({ from: f.rel, to });
    };
    const visit = (node: ts.Node): void => {
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier !== undefined
      ) {
        if (ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const arg = node.arguments[0];
        if (arg !== undefined && ts.isStringLiteralLike(arg)) add(arg.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(f.ast);
  }
  return out;
}

/** `modules/<name>/…` → name. */
export function moduleOf(rel: string): string | undefined {
  return /^modules\/([^/]+)\//.exec(rel)?.[1];
}

/** A file in modules/A importing modules/B/anything but B's index.ts. */
export function deepImports(imports: readonly Import[]): Import[] {
  return imports.filter((i) => {
    const a = moduleOf(i.from);
    const b = moduleOf(i.to);
    return a !== undefined && b !== undefined && a !== b && i.to !== `modules/${b}/index.ts`;
  });
}

/** A file in http/ (framework code) importing anything under modules/. */
export function httpIntoModules(imports: readonly Import[]): Import[] {
  return imports.filter((i) => i.from.startsWith('http/') && moduleOf(i.to) !== undefined);
}

/** The strongly connected components (more than one module) of the module import graph. */
export function moduleCycles(imports: readonly Import[]): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const i of imports) {
    const a = moduleOf(i.from);
    const b = moduleOf(i.to);
    if (a === undefined || b === undefined || a === b) continue;
    const set = edges.get(a) ?? new Set();
    set.add(b);
    edges.set(a, set);
    if (!edges.has(b)) edges.set(b, new Set());
  }
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        onStack.delete(w);
        component.push(w);
        if (w === v) break;
      }
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) connect(v);
  return out.sort((a, b) => b.length - a.length || (a[0] ?? '').localeCompare(b[0] ?? ''));
}

/** Where a statement's code lives: its module, or the folder / top-level file below the modules. */
export function placeOf(rel: string): string {
  return moduleOf(rel) ?? (rel.includes('/') ? (rel.split('/')[0] ?? rel) : rel);
}

export interface SqlPlacement {
  statements: number;
  /** Statements that name a table another place owns. */
  outside: { file: string; line: number; foreign: string[]; writes: string[] }[];
  /** Tables named in SQL that the owner map does not know. */
  unowned: string[];
}

export async function sqlOutsideOwners(
  srcRoot: string,
  owners: Readonly<Record<string, string>>,
): Promise<SqlPlacement> {
  await loadParser();
  const statements = await collectSql(srcRoot, await sqlSourceFiles(srcRoot));
  const unowned = new Set<string>();
  const outside: SqlPlacement['outside'] = [];
  for (const st of statements) {
    const place = placeOf(st.file);
    const foreign = new Set<string>();
    const writes = new Set<string>();
    for (const variant of st.variants) {
      for (const raw of parseSync(variant).stmts ?? []) {
        const t = tablesOf(raw.stmt);
        for (const table of t.all) {
          const owner = owners[table];
          if (owner === undefined) {
            if (!table.startsWith('${')) unowned.add(table);
          } else if (owner !== place) {
            foreign.add(table);
            if (t.written.has(table)) writes.add(table);
          }
        }
      }
    }
    if (foreign.size > 0)
      outside.push({ file: st.file, line: st.line, foreign: [...foreign], writes: [...writes] });
  }
  return { statements: statements.length, outside, unowned: [...unowned].sort() };
}
