/**
 * Benchmark `crypto` (issues 4 and 8): throughput of the stream format (encryptStream/decryptStream) as a
 * ratio of `openssl speed -evp aes-256-gcm` on one core in the same run — the isomorphic WebCrypto
 * implementation (@amtsbote/crypto) in Node and in headless Chromium, and the Node-only one on node:crypto
 * (@amtsbote/crypto/node) — and the memory a 4 GiB stream takes in Node with each. Diagnostics that explain
 * the ratios (bare AES-GCM through node:crypto and WebCrypto, CPU profiles with perf, a forced-GC memory
 * run) are measured in the same run.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../e2e/support/browser.ts';
import type { BundleServer } from '../e2e/support/bundle-server.ts';
import { bundle, startBundleServer } from '../e2e/support/bundle-server.ts';
import type { CryptoBenchPage } from './lib/crypto-page.ts';
import { LIMIT_METHODS } from './lib/limits.ts';
import { perfAvailable, perfMarkdown, perfWhile } from './lib/perf.ts';
import { median } from './lib/stats.ts';
import type { Benchmark, BenchContext, BenchResult, Figure, Goal, Plot } from './lib/types.ts';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
/** Chunk sizes measured; 512 KiB is the format's default (DEFAULT_CHUNK_SIZE). */
const CHUNK_SIZES = [64 * KiB, 512 * KiB, 1 * MiB, 4 * MiB];
const DEFAULT_CHUNK = 512 * KiB;
const NODE_BYTES = 1 * GiB;
/** Chromium holds plaintext and ciphertext in the page; 512 MiB keeps the renderer well inside its limits. */
const CHROMIUM_BYTES = 512 * MiB;
const MEMORY_SIZES = [256 * MiB, 1 * GiB, 4 * GiB];
/** The forced-GC diagnostic run. */
const FORCED_GC_BYTES = 512 * MiB;
const GB = 1e9;
const MB = 1e6;

const ISSUE4 = 'issue 4';
const nodeGoal: Goal = { kind: 'ratio-at-least', value: 0.5, source: ISSUE4 };
const chromiumGoal: Goal = { kind: 'ratio-at-least', value: 0.3, source: ISSUE4 };
const memoryGoal: Goal = { kind: 'at-most', value: 100, source: ISSUE4 };

const child = path.join(import.meta.dirname, 'lib/crypto-child.ts');
const sizeLabel = (bytes: number): string => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`);
const sizeText = (bytes: number): string => (bytes >= GiB ? `${bytes / GiB} GiB` : sizeLabel(bytes));

/** A figure under construction: samples are pushed round by round. */
function figure(id: string, label: string, unit: string, extra: Partial<Figure> = {}): Figure {
  return { id, label, unit, samples: [], better: 'higher', ...extra };
}

interface MemoryRun {
  baseline: number;
  peak: number;
  seconds: number;
  ciphertextBytes: number;
  samples: [number, number][];
  majorGcs: number[];
}

function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    p.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`crypto-child ${args.join(' ')} exited ${code}: ${err.trim()}`));
    });
  });
}

/** The two Node implementations of the stream format (crypto-child.ts's IMPL argument). */
type Impl = 'webcrypto' | 'node';
const IMPL_NAMES: Record<Impl, string> = {
  webcrypto: 'WebCrypto (`@amtsbote/crypto`)',
  node: 'node:crypto (`@amtsbote/crypto/node`)',
};

async function memoryRun(bytes: number, gcEvery = 0, impl: Impl = 'webcrypto'): Promise<MemoryRun> {
  return JSON.parse(await runChild(['memory', String(bytes), String(gcEvery), impl])) as MemoryRun;
}

/** A perf profile of a Node child process encrypting or decrypting `bytes`, setup excluded. */
async function profileNode(
  ctx: BenchContext,
  mode: 'encrypt' | 'decrypt',
  bytes: number,
  opensslGBps: number,
  impl: Impl,
): Promise<string> {
  const args = [child, 'profile', mode, String(bytes), String(DEFAULT_CHUNK), impl];
  const p = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffered = '';
  const waitFor = (prefix: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const line = lines.find((l) => l.startsWith(prefix));
        if (line !== undefined) resolve(line);
      };
      p.stdout.on('data', check);
      p.on('close', () => reject(new Error(`profile child ended before "${prefix}"`)));
      check();
    });
  p.stdout.setEncoding('utf8').on('data', (c: string) => {
    buffered += c;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
  });
  await waitFor('ready');
  let done = '';
  const summary = await perfWhile(
    [p.pid ?? 0],
    path.join(ctx.tmpDir, `perf-${impl}-${mode}.data`),
    async () => {
      p.stdin.write('go\n');
      done = await waitFor('done');
    },
  );
  const r = JSON.parse(done.slice('done '.length)) as {
    bytesPerSecond: number;
    cpuSeconds: number;
    seconds: number;
  };
  return perfMarkdown(
    `**Profile: Node stream ${mode}, ${IMPL_NAMES[impl]}, ${sizeText(bytes)}, ${sizeLabel(DEFAULT_CHUNK)} chunks** (perf, all threads of the process, ` +
      `${summary.samples} samples; ${(r.bytesPerSecond / GB).toFixed(2)} GB/s while profiled, ` +
      `${(r.cpuSeconds / r.seconds).toFixed(2)} cores busy on average, ${((r.cpuSeconds / bytes) * GB).toFixed(2)} CPU-seconds per GB ` +
      `where openssl needs ${(1 / opensslGBps).toFixed(2)}):`,
    summary,
  );
}

interface ChromiumSession {
  browser: Browser;
  page: Page;
  server: BundleServer;
  version: string;
}

async function openChromium(): Promise<ChromiumSession> {
  const script = await bundle(path.join(import.meta.dirname, 'lib/crypto-page.ts'));
  const server = await startBundleServer({ script });
  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => 'cryptoBenchReady' in globalThis);
  return { browser, page, server, version: browser.version() };
}

type BenchGlobals = typeof globalThis & { cryptoBench: CryptoBenchPage };

const chromiumThroughput = (page: Page, chunkSize: number, total: number) =>
  page.evaluate(([c, t]) => (globalThis as BenchGlobals).cryptoBench.throughput(c, t), [
    chunkSize,
    total,
  ] as const);

const chromiumAesGcm = (page: Page, chunkSize: number, total: number, inFlight: number) =>
  page.evaluate(([c, t, n]) => (globalThis as BenchGlobals).cryptoBench.aesGcm(c, t, n), [
    chunkSize,
    total,
    inFlight,
  ] as const);

/** The renderer process ids of the browser (where WebCrypto runs). */
async function rendererPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const info = (await cdp.send('SystemInfo.getProcessInfo')) as {
      processInfo: { type: string; id: number }[];
    };
    return info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
  } finally {
    await cdp.detach();
  }
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const openssl = {
    label: 'OpenSSL AES-256-GCM, one core',
    unit: 'GB/s',
    samples: [] as number[],
    method: LIMIT_METHODS.openssl,
  };
  const limit = 'openssl';

  const nodeEnc = new Map<number, Figure>();
  const nodeDec = new Map<number, Figure>();
  const ncEnc = new Map<number, Figure>();
  const ncDec = new Map<number, Figure>();
  const chrEnc = new Map<number, Figure>();
  const chrDec = new Map<number, Figure>();
  for (const c of CHUNK_SIZES) {
    const isDefault = c === DEFAULT_CHUNK;
    const tag = isDefault ? ' (default)' : '';
    const n = { limit, ...(isDefault ? { goal: nodeGoal } : {}) };
    const b = { limit, ...(isDefault ? { goal: chromiumGoal } : {}) };
    const wc = IMPL_NAMES.webcrypto;
    const nc = IMPL_NAMES.node;
    nodeEnc.set(
      c,
      figure(
        `node-encrypt-${c / KiB}k`,
        `Node, ${wc}, stream encrypt, ${sizeLabel(c)} chunks${tag}`,
        'GB/s',
        n,
      ),
    );
    nodeDec.set(
      c,
      figure(
        `node-decrypt-${c / KiB}k`,
        `Node, ${wc}, stream decrypt, ${sizeLabel(c)} chunks${tag}`,
        'GB/s',
        n,
      ),
    );
    ncEnc.set(
      c,
      figure(
        `node-crypto-encrypt-${c / KiB}k`,
        `Node, ${nc}, stream encrypt, ${sizeLabel(c)} chunks${tag}`,
        'GB/s',
        n,
      ),
    );
    ncDec.set(
      c,
      figure(
        `node-crypto-decrypt-${c / KiB}k`,
        `Node, ${nc}, stream decrypt, ${sizeLabel(c)} chunks${tag}`,
        'GB/s',
        n,
      ),
    );
    chrEnc.set(
      c,
      figure(
        `chromium-encrypt-${c / KiB}k`,
        `Chromium, stream encrypt, ${sizeLabel(c)} chunks${tag}`,
        'GB/s',
        b,
      ),
    );
    chrDec.set(
      c,
      figure(
        `chromium-decrypt-${c / KiB}k`,
        `Chromium, stream decrypt, ${sizeLabel(c)} chunks${tag}`,
        'GB/s',
        b,
      ),
    );
  }
  const d = sizeLabel(DEFAULT_CHUNK);
  // openssl speed divides by CPU time, so on a loaded machine only a CPU-time figure compares like with like.
  const cpuNote =
    'plaintext bytes per CPU-second of the process (all its threads), the unit `openssl speed` reports in; ' +
    'barely affected by other load on the machine';
  const perCpu = (impl: Impl, mode: 'encrypt' | 'decrypt'): Figure =>
    figure(
      `${impl === 'node' ? 'node-crypto' : 'node'}-${mode}-${DEFAULT_CHUNK / KiB}k-cpu`,
      `Node, ${IMPL_NAMES[impl]}, stream ${mode}, ${d} chunks, per CPU-second`,
      'GB/s',
      { limit, note: cpuNote },
    );
  const cpuFigures = {
    node: { encrypt: perCpu('node', 'encrypt'), decrypt: perCpu('node', 'decrypt') },
    webcrypto: { encrypt: perCpu('webcrypto', 'encrypt'), decrypt: perCpu('webcrypto', 'decrypt') },
  };
  const diag = {
    nodeOne: figure(
      'diag-node-crypto-one-context',
      `diagnostic: node:crypto AES-256-GCM, one context, ${d} updates`,
      'GB/s',
      {
        limit,
        note: `${sizeText(NODE_BYTES)}; the OpenSSL inside Node without WebCrypto`,
      },
    ),
    nodePerChunk: figure(
      'diag-node-crypto-context-per-chunk',
      `diagnostic: node:crypto AES-256-GCM, new context per ${d} chunk`,
      'GB/s',
      {
        limit,
        note: `${sizeText(NODE_BYTES)}; what each WebCrypto call does, on the JS thread`,
      },
    ),
    nodeWc1: figure(
      'diag-node-webcrypto-1',
      `diagnostic: Node WebCrypto AES-GCM, ${d}, 1 call at a time`,
      'GB/s',
      { limit },
    ),
    nodeWc2: figure(
      'diag-node-webcrypto-2',
      `diagnostic: Node WebCrypto AES-GCM, ${d}, 2 calls in flight`,
      'GB/s',
      { limit },
    ),
    chrWc1: figure(
      'diag-chromium-webcrypto-1',
      `diagnostic: Chromium WebCrypto AES-GCM, ${d}, 1 call at a time`,
      'GB/s',
      { limit },
    ),
    chrWc2: figure(
      'diag-chromium-webcrypto-2',
      `diagnostic: Chromium WebCrypto AES-GCM, ${d}, 2 calls in flight`,
      'GB/s',
      { limit },
    ),
  };
  const memPeak = new Map<number, Figure>();
  for (const size of MEMORY_SIZES) {
    memPeak.set(
      size,
      figure(
        `node-memory-${size / MiB}m`,
        `Node, ${IMPL_NAMES.webcrypto}, peak RSS over baseline, encrypting a ${sizeText(size)} stream`,
        'MB',
        {
          better: 'lower',
          ...(size === 4 * GiB ? { goal: memoryGoal } : {}),
        },
      ),
    );
  }
  const memNodeCrypto = figure(
    'node-crypto-memory-4096m',
    `Node, ${IMPL_NAMES.node}, peak RSS over baseline, encrypting a 4 GiB stream`,
    'MB',
    { better: 'lower', goal: memoryGoal },
  );
  let lastNodeCryptoRun: MemoryRun | undefined;
  const memForcedGc = figure(
    'diag-node-memory-forced-gc',
    `diagnostic: encrypting ${sizeText(FORCED_GC_BYTES)} with a forced full GC every 16 MiB`,
    'MB',
    {
      better: 'lower',
      note: 'separates garbage awaiting collection from memory the stream holds',
    },
  );
  let lastBigRun: MemoryRun | undefined;

  const withChromium = existsSync(CHROMIUM);
  let chromium: ChromiumSession | undefined;
  const notes: string[] = [
    `How: every Node figure is measured in a fresh process (\`bench/lib/crypto-child.ts\`): stream figures with ` +
      `\`measureThroughput\` of \`@amtsbote/crypto/bench\` on ${sizeText(NODE_BYTES)} of plaintext written in 64 KiB ` +
      'slices, decrypting a ciphertext held in memory, once with the isomorphic functions on WebCrypto ' +
      '(`@amtsbote/crypto`, what browsers run) and once with the Node-only ones on node:crypto ' +
      '(`@amtsbote/crypto/node`, what the server and CLI can use). ' +
      `Chromium runs the same function on ${sizeText(CHROMIUM_BYTES)} ` +
      '(plaintext and ciphertext both live in the page) in one headless page served from 127.0.0.1 under the ' +
      "portal's Content Security Policy. Memory: a generated input in 64 KiB slices, output discarded, RSS " +
      'sampled every 20 ms, baseline after a 64 MiB warm-up. Each round runs openssl, Node, Chromium and the ' +
      'memory runs, in an order rotated round by round.',
  ];
  if (withChromium) chromium = await openChromium();
  else notes.push(`Chromium was not found at ${CHROMIUM}: no browser figures in this run.`);

  try {
    const steps: [string, () => Promise<void>][] = [
      [
        'openssl',
        async () => {
          openssl.samples.push((await ctx.limits.openssl()) / GB);
        },
      ],
      [
        'node',
        async () => {
          for (const c of CHUNK_SIZES) {
            for (const [impl, enc, dec] of [
              ['webcrypto', nodeEnc, nodeDec],
              ['node', ncEnc, ncDec],
            ] as const) {
              const r = JSON.parse(
                await runChild(['throughput', String(c), String(NODE_BYTES), impl]),
              ) as Record<string, number>;
              enc.get(c)?.samples.push((r.encrypt ?? Number.NaN) / GB);
              dec.get(c)?.samples.push((r.decrypt ?? Number.NaN) / GB);
              if (c === DEFAULT_CHUNK) {
                cpuFigures[impl].encrypt.samples.push((r.encryptCpu ?? Number.NaN) / GB);
                cpuFigures[impl].decrypt.samples.push((r.decryptCpu ?? Number.NaN) / GB);
              }
            }
          }
          const bare = JSON.parse(
            await runChild(['bare', String(DEFAULT_CHUNK), String(NODE_BYTES)]),
          ) as Record<string, number>;
          diag.nodeOne.samples.push((bare.oneContext ?? Number.NaN) / GB);
          diag.nodePerChunk.samples.push((bare.contextPerChunk ?? Number.NaN) / GB);
          diag.nodeWc1.samples.push((bare.webCrypto1 ?? Number.NaN) / GB);
          diag.nodeWc2.samples.push((bare.webCrypto2 ?? Number.NaN) / GB);
        },
      ],
      [
        'chromium',
        async () => {
          if (chromium === undefined) return;
          for (const c of CHUNK_SIZES) {
            const r = await chromiumThroughput(chromium.page, c, CHROMIUM_BYTES);
            chrEnc.get(c)?.samples.push(r.encrypt / GB);
            chrDec.get(c)?.samples.push(r.decrypt / GB);
          }
          diag.chrWc1.samples.push(
            (await chromiumAesGcm(chromium.page, DEFAULT_CHUNK, CHROMIUM_BYTES, 1)) / GB,
          );
          diag.chrWc2.samples.push(
            (await chromiumAesGcm(chromium.page, DEFAULT_CHUNK, CHROMIUM_BYTES, 2)) / GB,
          );
        },
      ],
      [
        'memory',
        async () => {
          for (const size of MEMORY_SIZES) {
            const r = await memoryRun(size);
            memPeak.get(size)?.samples.push((r.peak - r.baseline) / MB);
            if (size === 4 * GiB) lastBigRun = r;
          }
          const nc = await memoryRun(4 * GiB, 0, 'node');
          memNodeCrypto.samples.push((nc.peak - nc.baseline) / MB);
          lastNodeCryptoRun = nc;
          const forced = await memoryRun(FORCED_GC_BYTES, 16 * MiB);
          memForcedGc.samples.push((forced.peak - forced.baseline) / MB);
        },
      ],
    ];
    for (let round = 0; round < ctx.rounds; round++) {
      // Rotate the order every round, so no system always runs first, or right after another.
      const order = steps.map((_, i) => steps[(i + round) % steps.length]).filter((s) => s !== undefined);
      for (const [name, step] of order) {
        ctx.log(`round ${round + 1}/${ctx.rounds}: ${name}`);
        await step();
      }
    }

    if (perfAvailable()) {
      ctx.log('perf profiles');
      try {
        for (const impl of ['webcrypto', 'node'] as const) {
          notes.push(await profileNode(ctx, 'encrypt', NODE_BYTES, median(openssl.samples), impl));
          notes.push(await profileNode(ctx, 'decrypt', NODE_BYTES, median(openssl.samples), impl));
        }
        if (chromium !== undefined) {
          const page = chromium.page;
          const pids = await rendererPids(chromium.browser);
          let rate = 0;
          const summary = await perfWhile(pids, path.join(ctx.tmpDir, 'perf-chromium.data'), async () => {
            rate = await page.evaluate(
              ([c, t]) => (globalThis as BenchGlobals).cryptoBench.encryptGenerated(c, t),
              [DEFAULT_CHUNK, 2 * CHROMIUM_BYTES] as const,
            );
          });
          notes.push(
            perfMarkdown(
              `**Profile: Chromium stream encrypt, ${sizeText(2 * CHROMIUM_BYTES)}, ${d} chunks** (perf, all threads of the renderer, ` +
                `${summary.samples} samples, ${(rate / GB).toFixed(2)} GB/s while profiled; Chromium's binary is stripped, so its own ` +
                'code, BoringSSL included, counts as unsymbolised):',
              summary,
            ),
          );
        }
      } catch (err) {
        notes.push(`The perf profile failed in this run: ${(err as Error).message.split('\n')[0] ?? ''}.`);
      }
    } else {
      notes.push('`perf` is not installed here: no CPU profiles in this run (apt-get install linux-perf).');
    }
  } finally {
    if (chromium !== undefined) {
      await chromium.browser.close();
      await chromium.server.close();
    }
  }

  const opensslMedian = median(openssl.samples);
  const gcGaps = (lastBigRun?.majorGcs ?? [])
    .slice(1)
    .map((at, i) => (at - (lastBigRun?.majorGcs[i] ?? 0)) / MB);
  if (lastNodeCryptoRun !== undefined) {
    const r = lastNodeCryptoRun;
    notes.push(
      `Memory, last round's 4 GiB run with ${IMPL_NAMES.node}: baseline RSS ${(r.baseline / MB).toFixed(0)} MB, peak ` +
        `${((r.peak - r.baseline) / MB).toFixed(0)} MB over it, ${r.majorGcs.length} full collections, at ` +
        `${(r.ciphertextBytes / r.seconds / GB).toFixed(2)} GB/s.`,
    );
  }
  if (lastBigRun !== undefined) {
    notes.push(
      `Memory, last round's 4 GiB run with ${IMPL_NAMES.webcrypto}: baseline RSS ${(lastBigRun.baseline / MB).toFixed(0)} MB (after warm-up), peak ` +
        `${((lastBigRun.peak - lastBigRun.baseline) / MB).toFixed(0)} MB over it, ${lastBigRun.majorGcs.length} full (mark-compact) ` +
        `collections, a median ${gcGaps.length > 0 ? median(gcGaps).toFixed(0) : '–'} MB of ciphertext apart, ` +
        `at ${(lastBigRun.ciphertextBytes / lastBigRun.seconds / GB).toFixed(2)} GB/s.`,
    );
  }

  const series = (label: string, m: Map<number, Figure>) => ({
    label,
    points: CHUNK_SIZES.map((c) => [c, median(m.get(c)?.samples ?? [])] as const).filter(([, y]) =>
      Number.isFinite(y),
    ),
  });
  const plots: Plot[] = [
    {
      id: 'throughput',
      title: 'Stream format throughput by chunk size (median of rounds)',
      x: {
        label: 'chunk size (log scale)',
        log2: true,
        ticks: CHUNK_SIZES.map((c) => [c, sizeLabel(c)] as const),
      },
      y: { label: 'GB/s of plaintext' },
      series: [
        series('Node node:crypto encrypt', ncEnc),
        series('Node node:crypto decrypt', ncDec),
        series('Node WebCrypto encrypt', nodeEnc),
        series('Node WebCrypto decrypt', nodeDec),
        ...(withChromium ? [series('Chromium encrypt', chrEnc), series('Chromium decrypt', chrDec)] : []),
      ],
      rules: [
        { label: `openssl, one core: ${opensslMedian.toFixed(2)}`, y: opensslMedian },
        { label: 'Node goal: 0.5 × openssl', y: 0.5 * opensslMedian },
        { label: 'Chromium goal: 0.3 × openssl', y: 0.3 * opensslMedian },
      ],
    },
    {
      id: 'memory-by-size',
      title: 'Node: peak RSS over baseline by stream size (median of rounds)',
      x: {
        label: 'plaintext size (log scale)',
        log2: true,
        ticks: MEMORY_SIZES.map((s) => [s, sizeText(s)] as const),
      },
      y: { label: 'MB over baseline' },
      series: [
        {
          label: 'peak RSS over baseline',
          points: MEMORY_SIZES.map((s) => [s, median(memPeak.get(s)?.samples ?? [])] as const),
        },
      ],
      rules: [{ label: 'goal: 100 MB', y: 100 }],
    },
  ];
  if (lastBigRun !== undefined) {
    const stride = Math.max(1, Math.ceil(lastBigRun.samples.length / 400));
    plots.push({
      id: 'memory-4gib',
      title: 'Node: RSS over baseline while encrypting 4 GiB (last round)',
      x: { label: 'GiB of ciphertext written' },
      y: { label: 'MB over baseline' },
      series: [
        {
          label: 'WebCrypto, RSS over baseline, sampled every 20 ms',
          points: lastBigRun.samples
            .filter((_, i) => i % stride === 0)
            .map(([b, r]) => [b / GiB, r / MB] as const),
        },
        ...(lastNodeCryptoRun === undefined
          ? []
          : [
              {
                label: 'node:crypto, RSS over baseline, sampled every 20 ms',
                points: lastNodeCryptoRun.samples
                  .filter(
                    (_, i) =>
                      i % Math.max(1, Math.ceil((lastNodeCryptoRun?.samples.length ?? 0) / 400)) === 0,
                  )
                  .map(([b, r]) => [b / GiB, r / MB] as const),
              },
            ]),
      ],
      rules: [{ label: 'goal: 100 MB', y: 100 }],
    });
  }

  const figures: Figure[] = [
    ...CHUNK_SIZES.flatMap((c) => [ncEnc.get(c), ncDec.get(c)]),
    ...CHUNK_SIZES.flatMap((c) => [nodeEnc.get(c), nodeDec.get(c)]),
    ...(withChromium ? CHUNK_SIZES.flatMap((c) => [chrEnc.get(c), chrDec.get(c)]) : []),
    memNodeCrypto,
    ...MEMORY_SIZES.map((s) => memPeak.get(s)),
    cpuFigures.node.encrypt,
    cpuFigures.node.decrypt,
    cpuFigures.webcrypto.encrypt,
    cpuFigures.webcrypto.decrypt,
    diag.nodeOne,
    diag.nodePerChunk,
    diag.nodeWc1,
    diag.nodeWc2,
    ...(withChromium ? [diag.chrWc1, diag.chrWc2] : []),
    memForcedGc,
  ].filter((f): f is Figure => f !== undefined);
  return {
    figures,
    limits: { openssl },
    plots,
    notes,
    details: {
      chromium: chromium?.version,
      nodeBytes: NODE_BYTES,
      chromiumBytes: CHROMIUM_BYTES,
      chunkSizes: CHUNK_SIZES,
    },
  };
}

const benchmark: Benchmark = {
  name: 'crypto',
  description:
    'Stream format encrypt/decrypt throughput against openssl’s AES-256-GCM: WebCrypto in Node and headless Chromium, node:crypto (@amtsbote/crypto/node) in Node; Node’s memory for a 4 GiB stream.',
  run,
};
export default benchmark;
