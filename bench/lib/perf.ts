/**
 * Where the CPU time of a process goes, measured with Linux `perf` (sampling every thread, native code
 * and kernel included). A V8 CPU profile (`node --cpu-prof`) sees only the JavaScript thread, while
 * WebCrypto runs on the thread pool; `perf` sees both. Optional: without perf the caller gets undefined.
 */
import { spawn, spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';

export interface PerfSymbol {
  readonly percent: number;
  readonly kernel: boolean;
  readonly symbol: string;
}

export interface PerfSummary {
  /** As perf reports it, e.g. "1K". */
  readonly samples: string;
  readonly symbols: PerfSymbol[];
  readonly threads: { readonly name: string; readonly percent: number }[];
  readonly categories: { readonly name: string; readonly percent: number }[];
}

export function perfAvailable(): boolean {
  const r = spawnSync('perf', ['--version'], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/** Categories for a summary, first match wins. */
const CATEGORIES: [string, (s: PerfSymbol) => boolean][] = [
  [
    'AES-GCM itself (OpenSSL/BoringSSL assembly)',
    (s) => !s.kernel && /aes|gcm|ghash|gmult/i.test(s.symbol) && !/cleanse/i.test(s.symbol),
  ],
  ['kernel: zeroing fresh pages (clear_page)', (s) => s.kernel && s.symbol.includes('clear_page')],
  [
    'kernel: page faults, mapping and freeing memory',
    (s) =>
      s.kernel &&
      /fault|pte|page|folio|lru|memcg|mmap|unmap|zap|rmqueue|alloc|free|vma|charge/i.test(s.symbol),
  ],
  ['kernel: other (scheduling, futexes, syscalls)', (s) => s.kernel],
  ['zeroing buffers before they are freed (OPENSSL_cleanse)', (s) => s.symbol.includes('OPENSSL_cleanse')],
  ['copying buffers (memmove/memcpy)', (s) => /memmove|memcpy/.test(s.symbol)],
  ['filling buffers (memset)', (s) => s.symbol.includes('memset')],
  [
    'malloc/free',
    (s) => /^(malloc|free|_int_malloc|_int_free|cfree|malloc_consolidate|__libc_)/.test(s.symbol),
  ],
  [
    'V8 garbage collection',
    (s) =>
      /v8::internal::.*(Mark|Sweep|Scaveng|Evacuat|Compact|Heap|ArrayBufferSweeper|Concurrent)/.test(
        s.symbol,
      ),
  ],
  [
    'unsymbolised code: JIT-compiled JavaScript; in Chromium also its stripped binary, BoringSSL’s AES-GCM included',
    (s) => /^0x[0-9a-f]+$/i.test(s.symbol),
  ],
  ['V8, Node and other native code', () => true],
];

function parseReport(text: string): { percent: number; kernel: boolean; symbol: string }[] {
  const out: PerfSymbol[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([\d.]+)%\s+\[([k.])\]\s+(.*?)\s*$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined) {
      out.push({ percent: Number(m[1]), kernel: m[2] === 'k', symbol: m[3] });
    }
  }
  return out;
}

function report(file: string, sort: string): string {
  const r = spawnSync(
    'perf',
    [
      'report',
      '-i',
      file,
      '--no-children',
      '--sort',
      sort,
      '-g',
      'none',
      '--stdio',
      '--percent-limit',
      '0.05',
    ],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    },
  );
  return r.stdout;
}

/**
 * Samples the processes `pids` (all their threads) with `perf record` while `during` runs, and summarises
 * self time by symbol, thread and category.
 */
export async function perfWhile(
  pids: readonly number[],
  file: string,
  during: () => Promise<void>,
): Promise<PerfSummary> {
  const perf = spawn('perf', ['record', '-F', '999', '-p', pids.join(','), '-o', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  perf.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => perf.on('close', resolve));
  await new Promise((resolve) => setTimeout(resolve, 700)); // let perf attach
  try {
    await during();
  } finally {
    perf.kill('SIGINT');
    await exited;
  }
  try {
    const symbols = parseReport(report(file, 'sym'));
    const count = /^# Samples:\s*([\d.]+)([KM]?)/m.exec(report(file, 'sym'));
    const samples = `${count?.[1] ?? '?'}${count?.[2] ?? ''}`;
    const threads = report(file, 'comm')
      .split('\n')
      .map((l) => /^\s*([\d.]+)%\s+(.+?)\s*$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ name: m[2] ?? '', percent: Number(m[1]) }));
    const categories = new Map<string, number>();
    for (const s of symbols) {
      const [name] = CATEGORIES.find(([, test]) => test(s)) ?? ['other'];
      categories.set(name, (categories.get(name) ?? 0) + s.percent);
    }
    if (symbols.length === 0) throw new Error(`perf recorded nothing: ${stderr.trim()}`);
    return {
      samples,
      symbols,
      threads,
      categories: [...categories]
        .map(([name, percent]) => ({ name, percent }))
        .sort((a, b) => b.percent - a.percent),
    };
  } finally {
    await rm(file, { force: true });
  }
}

/** A Markdown summary of a profile. */
export function perfMarkdown(title: string, p: PerfSummary): string {
  const pct = (n: number): string => `${n.toFixed(1)} %`;
  return [
    title,
    '',
    '| where the CPU time goes | share of samples |',
    '| --- | ---: |',
    ...p.categories.map((c) => `| ${c.name} | ${pct(c.percent)} |`),
    '',
    `Threads: ${p.threads.map((t) => `${t.name} ${pct(t.percent)}`).join(', ')}. Top symbols: ${p.symbols
      .slice(0, 8)
      .map((s) => `\`${s.symbol.replace(/\|/g, '\\|').slice(0, 60)}\` ${pct(s.percent)}`)
      .join(', ')}.`,
  ].join('\n');
}
