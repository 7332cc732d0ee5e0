// Architecture figures of the server and the web package, for the before/after report of a
// restructuring: file sizes, casts of request parts, imports that bypass a module's index.ts,
// module cycles, and SQL that sits outside the module owning its tables.
//   node scripts/architecture.ts                  this tree
//   node scripts/architecture.ts --root DIR       another checkout (e.g. a worktree of an older commit)
//   node scripts/architecture.ts --json           the figures as JSON
// The table owners always come from this tree's packages/server/src/table-owners.ts.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { tableOwners } from '../packages/server/src/table-owners.ts';
import {
  deepImports,
  httpIntoModules,
  importsOf,
  largestFiles,
  moduleCycles,
  moduleOf,
  placeOf,
  readSources,
  requestCasts,
  sqlOutsideOwners,
} from './architecture/measure.ts';
import type { Import } from './architecture/measure.ts';

const { values } = parseArgs({
  options: { root: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const root = path.resolve(values.root ?? path.join(import.meta.dirname, '..'));
const LONG_FILE = 400;

async function packageFigures(pkg: string) {
  const srcRoot = path.join(root, pkg, 'src');
  const files = await readSources(srcRoot);
  const casts = requestCasts(files);
  const figures = {
    sourceFiles: files.length,
    lines: files.reduce((n, f) => n + f.lines, 0),
    largestFiles: largestFiles(files),
    filesOver400Lines: files.filter((f) => f.lines > LONG_FILE).length,
    requestCasts: { count: casts.length, casts },
  };
  return { figures, srcRoot, files };
}

async function serverModuleFigures(srcRoot: string, files: Awaited<ReturnType<typeof readSources>>) {
  const imports = importsOf(files, srcRoot);
  const deep = deepImports(imports);
  const http = httpIntoModules(imports);
  const sql = await sqlOutsideOwners(srcRoot, tableOwners);
  return {
    modules: [...new Set(files.map((f) => moduleOf(f.rel)).filter((m) => m !== undefined))].sort(),
    crossModuleDeepImports: { count: deep.length, byPair: countBy(deep, pair), imports: deep },
    httpImportsIntoModules: { count: http.length, imports: http },
    moduleCycles: moduleCycles(imports),
    sqlOutsideOwningModule: {
      count: sql.outside.length,
      writes: sql.outside.filter((s) => s.writes.length > 0).length,
      of: sql.statements,
      byPlace: countBy(sql.outside, (s) => placeOf(s.file)),
      byOwner: countBy(
        sql.outside.flatMap((s) => s.foreign.map((t) => tableOwners[t] ?? t)),
        (o) => o,
      ),
      unownedTables: sql.unowned,
      statements: sql.outside,
    },
  };
}

function pair(i: Import): string {
  return `${moduleOf(i.from) ?? '?'} → ${moduleOf(i.to) ?? '?'}`;
}

function countBy<T>(list: readonly T[], key: (x: T) => string): Record<string, number> {
  const counts = new Map<string, number>();
  for (const x of list) counts.set(key(x), (counts.get(key(x)) ?? 0) + 1);
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

const server = await packageFigures('packages/server');
const web = (await packageFigures('packages/web')).figures;
const figures = {
  root,
  server: { ...server.figures, ...(await serverModuleFigures(server.srcRoot, server.files)) },
  web,
};

if (values.json) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  const out: string[] = [];
  const top = (counts: Record<string, number>, n = 12): string[] =>
    Object.entries(counts)
      .slice(0, n)
      .map(([k, v]) => `      ${String(v).padStart(4)}  ${k}`);
  const sizes = (name: string, p: typeof web): void => {
    out.push(`${name}/src: ${String(p.sourceFiles)} source files, ${String(p.lines)} lines`);
    out.push(`  largest files (lines; without tests, i18n catalogues, migrations):`);
    for (const f of p.largestFiles) out.push(`      ${String(f.lines).padStart(4)}  ${f.file}`);
    out.push(`  files over ${String(LONG_FILE)} lines: ${String(p.filesOver400Lines)}`);
    out.push(`  request.body|params|query casts: ${String(p.requestCasts.count)}`);
  };
  out.push(`Architecture census of ${root}`, '');
  sizes('packages/server', figures.server);
  const s = figures.server;
  out.push(`  modules: ${String(s.modules.length)} (${s.modules.join(', ')})`);
  out.push(
    `  cross-module deep imports (modules/A → modules/B/* other than index.ts): ${String(s.crossModuleDeepImports.count)}`,
  );
  out.push(...top(s.crossModuleDeepImports.byPair));
  out.push(`  imports from http/ into modules/: ${String(s.httpImportsIntoModules.count)}`);
  out.push(`  module dependency cycles (strongly connected components): ${String(s.moduleCycles.length)}`);
  for (const c of s.moduleCycles) out.push(`      ${String(c.length).padStart(4)}  ${c.join(', ')}`);
  const sql = s.sqlOutsideOwningModule;
  out.push(
    `  SQL statements naming a table another module owns: ${String(sql.count)} of ${String(sql.of)} (${String(sql.writes)} of them write one)`,
  );
  out.push(`    where they are:`, ...top(sql.byPlace));
  out.push(`    whose tables they name (owner):`, ...top(sql.byOwner));
  if (sql.unownedTables.length > 0)
    out.push(`    tables without an owner in table-owners.ts: ${sql.unownedTables.join(', ')}`);
  out.push('');
  sizes('packages/web', figures.web);
  console.log(out.join('\n'));
}
