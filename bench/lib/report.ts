/**
 * Turns stored results (bench/results/*.json) into tables for the terminal and into docs/benchmarks.md
 * with SVG plots under docs/benchmarks/.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import type { Machine } from './machine.ts';
import { fmt, ratios, summarize } from './stats.ts';
import { renderSvg } from './svg.ts';
import type { BenchResult, Figure, Goal } from './types.ts';

/** A result as written to bench/results/<name>.json. */
export interface StoredResult extends BenchResult {
  readonly name: string;
  readonly description: string;
  /** ISO time the run started. */
  readonly date: string;
  readonly durationSeconds: number;
  readonly rounds: number;
  readonly machine: Machine;
  /** 1-minute load average when the benchmark ended. */
  readonly loadAverageEnd?: number;
}

export interface FigureRow {
  readonly figure: Figure;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly limitLabel?: string;
  readonly limitMedian?: number;
  readonly ratio?: { readonly median: number; readonly min: number; readonly max: number };
  /** undefined: no goal; true/false: the median meets it or not. */
  readonly met?: boolean;
}

function meets(goal: Goal, median: number, ratio: number | undefined): boolean | undefined {
  switch (goal.kind) {
    case 'ratio-at-least':
      return ratio === undefined ? undefined : ratio >= goal.value;
    case 'at-least':
      return median >= goal.value;
    case 'at-most':
      return median <= goal.value;
  }
}

function goalText(goal: Goal, unit: string): string {
  switch (goal.kind) {
    case 'ratio-at-least':
      return `ratio ≥ ${goal.value}`;
    case 'at-least':
      return `≥ ${goal.value} ${unit}`;
    case 'at-most':
      return `≤ ${goal.value} ${unit}`;
  }
}

export function rows(result: BenchResult): FigureRow[] {
  return result.figures.map((figure) => {
    const s = summarize(figure.samples);
    const limit = figure.limit === undefined ? undefined : result.limits[figure.limit];
    if (limit === undefined) {
      const met = figure.goal === undefined ? undefined : meets(figure.goal, s.median, undefined);
      return { figure, median: s.median, min: s.min, max: s.max, ...(met === undefined ? {} : { met }) };
    }
    const r = summarize(ratios(figure.samples, limit.samples));
    const met = figure.goal === undefined ? undefined : meets(figure.goal, s.median, r.median);
    return {
      figure,
      median: s.median,
      min: s.min,
      max: s.max,
      limitLabel: limit.label,
      limitMedian: summarize(limit.samples).median,
      ratio: { median: r.median, min: r.min, max: r.max },
      ...(met === undefined ? {} : { met }),
    };
  });
}

const verdict = (met: boolean | undefined): string => (met === undefined ? '' : met ? 'met' : '**missed**');

/** A plain-text table for the terminal. */
export function terminalTable(result: StoredResult): string {
  const header = ['figure', 'median', 'min–max', 'ratio to limit', 'goal', ''];
  const body = rows(result).map((r) => [
    r.figure.label,
    `${fmt(r.median)} ${r.figure.unit}`,
    `${fmt(r.min)}–${fmt(r.max)}`,
    r.ratio === undefined ? '' : `${fmt(r.ratio.median)} (${fmt(r.ratio.min)}–${fmt(r.ratio.max)})`,
    r.figure.goal === undefined ? '' : goalText(r.figure.goal, r.figure.unit),
    r.met === undefined ? '' : r.met ? 'met' : 'MISSED',
  ]);
  const limitRows = Object.values(result.limits).map((l) => {
    const s = summarize(l.samples);
    return [`limit: ${l.label}`, `${fmt(s.median)} ${l.unit}`, `${fmt(s.min)}–${fmt(s.max)}`, '', '', ''];
  });
  const all = [header, ...limitRows, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]): string =>
    row
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `${result.name}: ${result.rounds} rounds, ${Math.round(result.durationSeconds)} s`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...[...limitRows, ...body].map(line),
  ].join('\n');
}

function machineLine(m: Machine, loadAverageEnd: number | undefined): string {
  return [
    `${m.cpuModel}, ${m.cores} cores (${m.aesFlags.join(', ') || 'no AES flags'})`,
    `${m.memoryGiB} GiB memory`,
    m.os,
    `Node ${m.node} (OpenSSL ${m.nodeOpenssl})`,
    `${m.opensslCli} for the limit`,
    `load average ${m.loadAverage} at the start${loadAverageEnd === undefined ? '' : ` and ${loadAverageEnd} at the end`} (other work on the machine)`,
  ].join('; ');
}

async function loadResults(resultsDir: string): Promise<StoredResult[]> {
  if (!existsSync(resultsDir)) return [];
  const files = (await readdir(resultsDir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (f) => JSON.parse(await readFile(path.join(resultsDir, f), 'utf8')) as StoredResult),
  );
}

/** Regenerates docs/benchmarks.md and its plots from every stored result. */
export async function writeReport(options: {
  readonly root: string;
  readonly resultsDir: string;
  readonly benchmarks: readonly { readonly name: string; readonly description: string }[];
}): Promise<string> {
  const { root, resultsDir } = options;
  const docsDir = path.join(root, 'docs');
  const plotDir = path.join(docsDir, 'benchmarks');
  const results = await loadResults(resultsDir);
  const out: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts) from bench/results/*.json: do not edit by hand. -->',
    '<!-- Hand-written analysis lives in bench/<name>.notes.md and is copied in below. -->',
    '',
    'How fast and how lean Amtsbote is, always next to the limit of the same machine measured in the same',
    'run (OpenSSL on one core, the disk, a plain loopback HTTP copy), because absolute figures from a shared',
    'machine say little. `npm run bench` runs every benchmark, `npm run bench -- NAME` one of them, and',
    '`npm run bench -- --report` only regenerates this page from the stored results; see `bench/README.md`.',
    '',
    'Each figure is the **median of its rounds**, with the spread as min–max; the systems are alternated',
    'round by round, and each **ratio** divides a figure by the limit measured in the same round. GB/s and',
    'MB are decimal (10⁹ bytes/s, 10⁶ bytes). Goals come from the issue that owns the figure and are',
    'reported, not asserted.',
    '',
    '| benchmark | what it measures | last run |',
    '| --- | --- | --- |',
  ];
  for (const b of options.benchmarks) {
    const r = results.find((x) => x.name === b.name);
    out.push(
      `| [${b.name}](#${b.name}) | ${b.description} | ${r === undefined ? 'not run yet' : r.date.slice(0, 10)} |`,
    );
  }
  await mkdir(plotDir, { recursive: true });
  for (const result of results) {
    out.push('', `## ${result.name}`, '', result.description, '');
    out.push(
      `Measured ${result.date.slice(0, 16).replace('T', ' ')} UTC in ${Math.round(result.durationSeconds)} s, ${result.rounds} rounds (\`npm run bench -- ${result.name}\`).`,
      '',
      `Machine: ${machineLine(result.machine, result.loadAverageEnd)}.`,
      '',
    );
    const limits = Object.values(result.limits);
    if (limits.length > 0) {
      out.push(
        'Limits measured in the same run:',
        '',
        '| limit | median | min–max | how |',
        '| --- | ---: | ---: | --- |',
      );
      for (const l of limits) {
        const s = summarize(l.samples);
        out.push(`| ${l.label} | ${fmt(s.median)} ${l.unit} | ${fmt(s.min)}–${fmt(s.max)} | ${l.method} |`);
      }
      out.push('');
    }
    if (result.figures.length > 0) {
      out.push(
        '| figure | median | min–max | ratio to limit (min–max) | goal | |',
        '| --- | ---: | ---: | ---: | --- | --- |',
      );
    }
    for (const r of rows(result)) {
      const ratio =
        r.ratio === undefined ? '' : `${fmt(r.ratio.median)} (${fmt(r.ratio.min)}–${fmt(r.ratio.max)})`;
      const goal =
        r.figure.goal === undefined
          ? ''
          : `${goalText(r.figure.goal, r.figure.unit)} (${r.figure.goal.source})`;
      const label =
        r.figure.note === undefined ? r.figure.label : `${r.figure.label}<br><small>${r.figure.note}</small>`;
      out.push(
        `| ${label} | ${fmt(r.median)} ${r.figure.unit} | ${fmt(r.min)}–${fmt(r.max)} | ${ratio} | ${goal} | ${verdict(r.met)} |`,
      );
    }
    const missed = rows(result).filter((r) => r.met === false);
    if (missed.length > 0) {
      out.push(
        '',
        `**Missed goals:** ${missed.map((r) => r.figure.label).join('; ')}. Why: see the measurements below.`,
      );
    }
    for (const plot of result.plots ?? []) {
      const file = `${result.name}-${plot.id}.svg`;
      await writeFile(path.join(plotDir, file), renderSvg(plot));
      out.push('', `![${plot.title}](benchmarks/${file})`);
    }
    for (const note of result.notes ?? []) out.push('', note);
    const notesFile = path.join(root, 'bench', `${result.name}.notes.md`);
    if (existsSync(notesFile)) out.push('', (await readFile(notesFile, 'utf8')).trim());
  }
  out.push('');
  // Formatted like every other Markdown file of the repository (npm run format:check).
  const target = path.join(docsDir, 'benchmarks.md');
  const text = await format(out.join('\n'), { ...(await resolveConfig(target)), filepath: target });
  await writeFile(target, text);
  return text;
}
