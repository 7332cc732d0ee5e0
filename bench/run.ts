// The benchmark runner (issue 8). Never part of `npm test`.
//   npm run bench                      every benchmark (bench/*.bench.ts), then docs/benchmarks.md
//   npm run bench -- crypto limits     the named ones
//   npm run bench -- --rounds 5 NAME   more rounds (default 3, also BENCH_ROUNDS)
//   npm run bench -- --list            names and descriptions
//   npm run bench -- --report          regenerate docs/benchmarks.md from bench/results/*.json only
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createLimits } from './lib/limits.ts';
import { describeMachine } from './lib/machine.ts';
import type { StoredResult } from './lib/report.ts';
import { terminalTable, writeReport } from './lib/report.ts';
import type { Benchmark } from './lib/types.ts';

const root = path.resolve(import.meta.dirname, '..');
const benchDir = import.meta.dirname;
const resultsDir = path.join(benchDir, 'results');

function isBenchmark(value: unknown): value is Benchmark {
  const b = value as Partial<Benchmark> | undefined;
  return typeof b?.name === 'string' && typeof b.description === 'string' && typeof b.run === 'function';
}

/** Every bench/NAME.bench.ts, by name. */
async function discover(): Promise<Benchmark[]> {
  const files = (await readdir(benchDir)).filter((f) => f.endsWith('.bench.ts')).sort();
  const found: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(benchDir, file)).href)) as { default?: unknown };
    if (!isBenchmark(mod.default))
      throw new Error(`${file}: the default export must be a Benchmark (bench/README.md)`);
    if (`${mod.default.name}.bench.ts` !== file)
      throw new Error(`${file}: name must be "${file.replace('.bench.ts', '')}"`);
    found.push(mod.default);
  }
  return found;
}

const { values, positionals } = parseArgs({
  options: {
    rounds: { type: 'string' },
    list: { type: 'boolean' },
    report: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  allowPositionals: true,
});

if (values.help === true) {
  console.log('Usage: npm run bench [-- [--rounds N] [NAME...]] | -- --list | -- --report');
  process.exit(0);
}

const all = await discover();
if (values.list === true) {
  for (const b of all) console.log(`${b.name.padEnd(12)} ${b.description}`);
  process.exit(0);
}

const rounds = Math.max(3, Number(values.rounds ?? process.env.BENCH_ROUNDS ?? 3) || 3);
const unknown = positionals.filter((n) => !all.some((b) => b.name === n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const chosen =
  values.report === true
    ? []
    : positionals.length > 0
      ? all.filter((b) => positionals.includes(b.name))
      : all;

await mkdir(resultsDir, { recursive: true });
let failed = 0;
for (const bench of chosen) {
  const started = new Date();
  const t0 = performance.now();
  const tmpDir = await mkdtemp(path.join(resultsDir, `.scratch-${bench.name}-`));
  const log = (line: string): void => {
    process.stderr.write(
      `[${bench.name} ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`,
    );
  };
  const machine = describeMachine();
  log(`starting, ${rounds} rounds (load average ${machine.loadAverage})`);
  try {
    const result = await bench.run({ rounds, tmpDir, root, limits: createLimits(tmpDir), log });
    const stored: StoredResult = {
      name: bench.name,
      description: bench.description,
      date: started.toISOString(),
      durationSeconds: (performance.now() - t0) / 1000,
      rounds,
      machine,
      loadAverageEnd: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
      ...result,
    };
    await writeFile(path.join(resultsDir, `${bench.name}.json`), `${JSON.stringify(stored, null, 2)}\n`);
    console.log(`\n${terminalTable(stored)}\n`);
  } catch (err) {
    failed++;
    log(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}

await writeReport({ root, resultsDir, benchmarks: all });
console.log(`docs/benchmarks.md regenerated from ${path.relative(root, resultsDir)}/*.json`);
process.exitCode = failed > 0 ? 1 : 0;
