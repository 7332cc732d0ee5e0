// Finds the SQL statements in TypeScript source: every string or template literal whose text
// (with const fragments inlined, see evaluate.ts) starts with SELECT, INSERT, UPDATE, DELETE or
// WITH. Shared by the tenant-scoping census (tenant-scope.test.ts) and the architecture figures
// (scripts/architecture.ts).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { Evaluator, HOLE_CLOSE, HOLE_OPEN } from './evaluate.ts';

export interface SqlStatement {
  /** Path relative to the scanned root, with forward slashes. */
  file: string;
  line: number;
  /**
   * The statement's possible texts (one per combination of ternary branches), holes filled with
   * placeholders a PostgreSQL parser accepts.
   */
  variants: string[];
  /** The first variant with whitespace collapsed and holes shown as `${source}`: what the allowlist matches. */
  text: string;
  /** Every variant normalised like {@link text}. */
  texts: string[];
}

// Leading `-- …` lines are allowed: statements that read another module's table say so there.
const STATEMENT_START = /^(?:\s*--[^\n]*\n)*[\s(]*(SELECT|INSERT|UPDATE|DELETE|WITH)\s/;

/** Directories whose code is not application SQL: test support, fixtures, the migrations. */
const SKIPPED_DIRS = new Set(['testing', 'fixtures', 'node_modules']);

/**
 * The application source under `root`: `*.ts` without tests, test support (`testing/`), fixtures,
 * `adapters/migrations/` and the census's own allowlists (`*.allowlist.ts`, which quote SQL).
 */
export async function sourceFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (e.isDirectory()) {
        if (SKIPPED_DIRS.has(e.name) || rel === 'adapters/migrations') continue;
        await walk(full);
      } else if (e.name.endsWith('.ts') && !/\.(test|d|allowlist)\.ts$/.test(e.name)) {
        out.push(full);
      }
    }
  };
  await walk(root);
  return out.sort();
}

export async function parseFiles(files: readonly string[]): Promise<Map<string, ts.SourceFile>> {
  const parsed = new Map<string, ts.SourceFile>();
  for (const f of files) {
    const text = await readFile(f, 'utf8');
    parsed.set(path.resolve(f), ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS));
  }
  return parsed;
}

/** The SQL statements in `files`; paths in the result are relative to `root`. */
export async function collectSql(root: string, files: readonly string[]): Promise<SqlStatement[]> {
  const parsed = await parseFiles(files);
  const evaluator = new Evaluator({ files: parsed });
  const found: { node: ts.Node; file: ts.SourceFile; raw: string[] }[] = [];
  const fragments = new Set<ts.Node>();

  for (const file of parsed.values()) {
    const visit = (node: ts.Node): void => {
      if (
        ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateExpression(node)
      ) {
        const { variants, inlined } = evaluator.evaluate(node);
        if (variants.some((v) => STATEMENT_START.test(v))) {
          found.push({ node, file, raw: variants });
          for (const n of inlined) fragments.add(n);
          return; // what is inside belongs to this statement
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  return found
    .filter((f) => !isFragment(f.node, fragments))
    .map(({ node, file, raw }) => {
      const texts = raw.map(display);
      return {
        file: path.relative(root, file.fileName).split(path.sep).join('/'),
        line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1,
        variants: raw.map(fillHoles),
        text: texts[0] ?? '',
        texts,
      };
    });
}

/** A literal that is (the whole initialiser of) a const inlined into other SQL: checked there. */
function isFragment(node: ts.Node, fragments: ReadonlySet<ts.Node>): boolean {
  for (let n: ts.Node = node; ; n = n.parent) {
    if (fragments.has(n)) return true;
    const p = n.parent;
    if (!(ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p)))
      return false;
  }
}

const HOLE = new RegExp(`${HOLE_OPEN}([^${HOLE_CLOSE}]*)${HOLE_CLOSE}`, 'g');

export function normaliseWhitespace(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}

function display(raw: string): string {
  return normaliseWhitespace(raw.replace(HOLE, (_m, src: string) => `\${${src}}`));
}

/**
 * Fills each hole with SQL the parser accepts in its place: after `$` a parameter number; as the
 * whole body of `AS (…)`, `IN (…)` or `EXISTS (…)` a subquery; elsewhere a quoted identifier
 * named after the source (a table, a column list, a condition: all parse as a name), so the
 * census can tell a dynamic table by its `${…}` name.
 */
export function fillHoles(raw: string): string {
  return raw.replace(HOLE, (_m, src: string, offset: number, whole: string) => {
    const before = whole.slice(0, offset);
    const after = whole.slice(offset + _m.length);
    if (before.endsWith('$')) return '99';
    if (/\b(AS|IN|EXISTS)\s*\(\s*$/i.test(before) && /^\s*\)/.test(after)) return 'SELECT NULL';
    return `"\${${src.replace(/"/g, '').slice(0, 56)}}"`;
  });
}
