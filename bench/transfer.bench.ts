/**
 * Benchmark `transfer` (issues 3 and 8): upload then download of one file through the portal on loopback,
 * with encryption at rest, 64 MiB to 4 GiB, as a ratio of the same-run limit (a minimal node:http server
 * streaming the same bytes to and from a file on the same disk), on PostgreSQL and on the embedded default
 * (PGlite), and the server's peak RSS per size. The client sends like tus-js-client in a browser: a creation
 * request, then one PATCH with the whole file. Level 3 (end to end) is measured with the client encrypting
 * the stream format while uploading and decrypting while downloading, through the same server path.
 */
import { Readable } from 'node:stream';
import { request } from 'node:http';
import path from 'node:path';
import {
  ciphertextLength,
  decryptStream,
  DEFAULT_CHUNK_SIZE,
  encryptStream,
  generateFileKey,
} from '../packages/crypto/src/index.ts';
import { LIMIT_METHODS } from './lib/limits.ts';
import { perfAvailable, perfMarkdown, perfWhile } from './lib/perf.ts';
import type { BenchServer, BodySource, DbKind, MemoryReply, ServerInfo } from './lib/server.ts';
import {
  ask,
  createTransfer,
  download,
  patternSource,
  revoke,
  sampler,
  startServer,
  tusUpload,
} from './lib/server.ts';
import { median } from './lib/stats.ts';
import type { Benchmark, BenchContext, BenchResult, Figure, Goal, LimitSeries, Plot } from './lib/types.ts';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const GB = 1e9;
/** Sizes in MiB; BENCH_TRANSFER_SIZES=64,256 for a dry run. */
const SIZES = (process.env.BENCH_TRANSFER_SIZES ?? '64,256,1024,4096').split(',').map((s) => Number(s) * MiB);
const LARGEST = Math.max(...SIZES);
/** Level 3 is measured at the smallest-but-one and the largest size (the goal's). */
const L3_SIZES = [...new Set([SIZES[1] ?? LARGEST, LARGEST])];
const PROFILE_BYTES = Math.min(GiB, LARGEST);

const ISSUE3 = 'issue 3';
const ratioGoal: Goal = { kind: 'ratio-at-least', value: 0.8, source: ISSUE3 };
const rssGoal: Goal = { kind: 'at-most', value: 128, source: ISSUE3 };

const sizeText = (b: number): string => (b >= GiB ? `${b / GiB} GiB` : `${b / MiB} MiB`);
const key = (b: number): string => String(b / MiB);

type System = 'pg' | 'pglite' | 'l3';
const SYSTEM_LABEL: Record<System, string> = {
  pg: 'portal on PostgreSQL, level 1',
  pglite: 'portal on PGlite (embedded default), level 1',
  l3: 'portal on PostgreSQL, level 3 emulated (client encrypts/decrypts)',
};

/** Level 3: the plaintext stream encrypted in the stream format as it is uploaded. */
function encryptedSource(plainBytes: number, fileKey: Uint8Array): BodySource {
  return async (write) => {
    const slice = new Uint8Array(MiB).fill(0x5a);
    let sent = 0;
    const plain = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= plainBytes) {
          controller.close();
          return;
        }
        const n = Math.min(slice.length, plainBytes - sent);
        controller.enqueue(n === slice.length ? slice : slice.subarray(0, n));
        sent += n;
      },
    });
    const reader = plain.pipeThrough(encryptStream(fileKey)).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      await write(value);
    }
  };
}

/** Level 3 download: the ciphertext decrypted as it arrives. Returns seconds and plaintext bytes. */
function decryptingDownload(
  info: ServerInfo,
  transferId: string,
  fileId: string,
  fileKey: Uint8Array,
): Promise<{ seconds: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    request(
      `${info.url}/api/v1/transfers/${transferId}/files/${fileId}`,
      { headers: { authorization: `Bearer ${info.token}` } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`download: HTTP ${String(res.statusCode)}`));
          return;
        }
        const web = Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>;
        const reader = web.pipeThrough(decryptStream(fileKey)).getReader();
        let bytes = 0;
        const pump = async (): Promise<void> => {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            bytes += value.length;
          }
        };
        pump().then(() => resolve({ seconds: (performance.now() - t0) / 1000, bytes }), reject);
      },
    )
      .on('error', reject)
      .end();
  });
}

interface Measured {
  up: number;
  down: number;
  peak: number;
  series?: [number, number][];
}

async function measure(
  server: BenchServer,
  system: System,
  size: number,
  keepSeries: boolean,
): Promise<Measured> {
  const fileKey = system === 'l3' ? generateFileKey() : undefined;
  const wireSize = fileKey === undefined ? size : ciphertextLength(size, DEFAULT_CHUNK_SIZE);
  const t = await createTransfer(server.info, wireSize);
  server.resetPeak();
  const rss = sampler(() => server.rss(), 100);
  try {
    const upSeconds = await tusUpload(
      server.info,
      t.fileId,
      wireSize,
      fileKey === undefined ? patternSource(size) : encryptedSource(size, fileKey),
    );
    const down =
      fileKey === undefined
        ? await download(server.info, t.id, t.fileId)
        : await decryptingDownload(server.info, t.id, t.fileId, fileKey);
    if (down.bytes !== size) throw new Error(`${system}: downloaded ${down.bytes} of ${size} bytes`);
    const peak = server.peakRss();
    const s = rss.stop();
    return {
      up: size / upSeconds,
      down: size / down.seconds,
      peak,
      ...(keepSeries ? { series: s.series } : {}),
    };
  } finally {
    rss.stop();
    await revoke(server.info, t.id);
  }
}

async function memoryNote(server: BenchServer, when: string, gc = false): Promise<string> {
  const m = await ask<MemoryReply>(server.child, { cmd: 'memory', gc });
  const mb = (n: number): string => `${(n / MiB).toFixed(0)} MiB`;
  const spaces = Object.entries(m.spaces)
    .filter(([, v]) => v >= MiB)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${mb(v)}`)
    .join(', ');
  return (
    `- ${server.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ${when}: RSS ${mb(m.rss)}; V8 heap ${mb(m.heapUsed)} used of ` +
    `${mb(m.heapTotal)} reserved (${spaces}); external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)}); ` +
    `the rest of the RSS (${mb(m.rss - m.heapTotal - m.external)}) is code, Node/V8 internals${server.kind === 'pglite' ? ' and PGlite’s WebAssembly memory (its PostgreSQL runs inside the portal process)' : ''}.`
  );
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const fig = (id: string, label: string, unit: string, extra: Partial<Figure> = {}): Figure => ({
    id,
    label,
    unit,
    samples: [],
    better: 'higher',
    ...extra,
  });
  const limitsUp = new Map<number, LimitSeries>();
  const limitsDown = new Map<number, LimitSeries>();
  const up = new Map<string, Figure>();
  const down = new Map<string, Figure>();
  const peak = new Map<string, Figure>();
  const baseline: Record<DbKind, Figure> = {
    postgres: fig(
      'rss-idle-pg',
      'server RSS when idle, 1 s after start, PostgreSQL (every fresh process)',
      'MiB',
      {
        better: 'lower',
        goal: rssGoal,
      },
    ),
    pglite: fig(
      'rss-idle-pglite',
      'server RSS when idle, 1 s after start, PGlite (every fresh process)',
      'MiB',
      { better: 'lower' },
    ),
  };
  const systemsFor = (size: number): System[] => [
    'pg',
    'pglite',
    ...(L3_SIZES.includes(size) ? (['l3'] as const) : []),
  ];
  for (const size of SIZES) {
    const k = key(size);
    limitsUp.set(size, {
      label: `loopback HTTP upload to a file, ${sizeText(size)}`,
      unit: 'GB/s',
      samples: [],
      method: LIMIT_METHODS.http,
    });
    limitsDown.set(size, {
      label: `loopback HTTP download from a file, ${sizeText(size)}`,
      unit: 'GB/s',
      samples: [],
      method: LIMIT_METHODS.http,
    });
    for (const s of systemsFor(size)) {
      const goal = s === 'pg' && size === LARGEST && LARGEST >= 4 * GiB ? { goal: ratioGoal } : {};
      up.set(
        `${s}-${k}`,
        fig(`up-${s}-${k}`, `upload ${sizeText(size)}, ${SYSTEM_LABEL[s]}`, 'GB/s', {
          limit: `httpUp-${k}`,
          ...goal,
        }),
      );
      down.set(
        `${s}-${k}`,
        fig(`down-${s}-${k}`, `download ${sizeText(size)}, ${SYSTEM_LABEL[s]}`, 'GB/s', {
          limit: `httpDown-${k}`,
          ...goal,
        }),
      );
      if (s !== 'l3') {
        peak.set(
          `${s}-${k}`,
          fig(
            `rss-${s}-${k}`,
            `server peak RSS, ${sizeText(size)} up + down, ${s === 'pg' ? 'PostgreSQL' : 'PGlite'}`,
            'MiB',
            {
              better: 'lower',
              ...(s === 'pg' ? { goal: rssGoal } : {}),
            },
          ),
        );
      }
    }
  }

  const notes: string[] = [];
  const memoryNotes: string[] = [];
  let lastSeries: [number, number][] | undefined;
  /**
   * Every measurement gets a fresh portal process, so every peak and idle figure starts from the same state
   * (no earlier size's heap growth or fragmentation). A 16 MiB upload warms it up (JIT, pools) first.
   */
  const fresh = async <T>(kind: DbKind, fn: (server: BenchServer) => Promise<T>): Promise<T> => {
    const server = await startServer(ctx.tmpDir, kind, {}, (l) => ctx.log(l));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      baseline[kind].samples.push(server.rss() / MiB);
      await measure(server, 'pg', 16 * MiB, false);
      return await fn(server);
    } finally {
      await server.stop();
    }
  };

  for (let round = 0; round < ctx.rounds; round++) {
    for (const size of SIZES) {
      const k = key(size);
      const steps: [string, () => Promise<void>][] = [
        [
          'limit',
          async () => {
            const r = await ctx.limits.http(size);
            limitsUp.get(size)?.samples.push(r.upload / GB);
            limitsDown.get(size)?.samples.push(r.download / GB);
          },
        ],
        ...systemsFor(size).map((s): [string, () => Promise<void>] => [
          s,
          async () => {
            const keep = s === 'pg' && size === LARGEST && round === ctx.rounds - 1;
            const r = await fresh(s === 'pglite' ? 'pglite' : 'postgres', (server) =>
              measure(server, s, size, keep),
            );
            up.get(`${s}-${k}`)?.samples.push(r.up / GB);
            down.get(`${s}-${k}`)?.samples.push(r.down / GB);
            peak.get(`${s}-${k}`)?.samples.push(r.peak / MiB);
            if (r.series !== undefined) lastSeries = r.series;
          },
        ]),
      ];
      // Rotate the order every round, so no system always runs first or right after another.
      const order = steps.map((_, i) => steps[(i + round) % steps.length]).filter((x) => x !== undefined);
      for (const [name, step] of order) {
        ctx.log(`round ${round + 1}/${ctx.rounds}, ${sizeText(size)}: ${name}`);
        await step();
      }
    }
  }

  // Memory diagnosis: where the RSS is before and after one transfer, and whether a full collection frees it.
  const DIAG = Math.min(256 * MiB, LARGEST);
  for (const kind of ['postgres', 'pglite'] as const) {
    await fresh(kind, async (server) => {
      memoryNotes.push(await memoryNote(server, 'idle after start and a 16 MiB warm-up'));
      const t = await createTransfer(server.info, DIAG);
      await tusUpload(server.info, t.fileId, DIAG, patternSource(DIAG));
      memoryNotes.push(await memoryNote(server, `after uploading ${sizeText(DIAG)}`));
      memoryNotes.push(
        await memoryNote(server, 'right after that, after a forced full garbage collection', true),
      );
      await download(server.info, t.id, t.fileId);
      await revoke(server.info, t.id);
      memoryNotes.push(
        await memoryNote(
          server,
          'after downloading it, revoking the transfer and a forced full garbage collection',
          true,
        ),
      );
    });
  }

  if (perfAvailable()) {
    ctx.log(`perf profile of the server, ${sizeText(PROFILE_BYTES)} upload and download on PostgreSQL`);
    try {
      await fresh('postgres', async (server) => {
        const t = await createTransfer(server.info, PROFILE_BYTES);
        let rateUp = 0;
        const upProfile = await perfWhile([server.pid], path.join(ctx.tmpDir, 'perf-up.data'), async () => {
          rateUp =
            PROFILE_BYTES /
            (await tusUpload(server.info, t.fileId, PROFILE_BYTES, patternSource(PROFILE_BYTES)));
        });
        let rateDown = 0;
        const downProfile = await perfWhile(
          [server.pid],
          path.join(ctx.tmpDir, 'perf-down.data'),
          async () => {
            const d = await download(server.info, t.id, t.fileId);
            rateDown = d.bytes / d.seconds;
          },
        );
        await revoke(server.info, t.id);
        notes.push(
          perfMarkdown(
            `**Profile: the portal process during a ${sizeText(PROFILE_BYTES)} upload** (PostgreSQL, perf, all threads, ${upProfile.samples} samples, ${(rateUp / GB).toFixed(2)} GB/s while profiled):`,
            upProfile,
          ),
          perfMarkdown(
            `**Profile: the portal process during a ${sizeText(PROFILE_BYTES)} download** (PostgreSQL, perf, all threads, ${downProfile.samples} samples, ${(rateDown / GB).toFixed(2)} GB/s while profiled):`,
            downProfile,
          ),
        );
      });
    } catch (err) {
      notes.push(`The perf profile failed in this run: ${(err as Error).message.split('\n')[0] ?? ''}.`);
    }
  }

  notes.unshift(
    [
      'Memory of the portal process (`process.memoryUsage()` and V8 heap spaces, asked over IPC):',
      '',
      ...memoryNotes,
    ].join('\n'),
  );
  notes.unshift(
    'How: the portal runs as `serve()` in a child process (bench/lib/server-child.ts) with a fresh DATA_DIR on the ' +
      'repository’s disk (filesystem blob store, AES-256-GCM at rest) and a fresh PostgreSQL database on 127.0.0.1:5432, or ' +
      'PGlite. Upload = tus creation request + **one PATCH** with the whole file (as tus-js-client sends with its default ' +
      'chunkSize), timed from the creation request to the PATCH’s answer; download = `GET /api/v1/transfers/:id/files/:fileId` ' +
      'with the API token. Peak RSS = the kernel’s VmHWM of the portal process, reset (`clear_refs`) before each upload and read ' +
      'after its download, so it includes the idle baseline. Every measurement runs on a **fresh portal process** (started, ' +
      'idle 1 s, warmed up with one 16 MiB transfer), so that each peak and each idle figure is that of a process ' +
      'in the same state. **Level 3**: the CLI’s `send --level 3` did not exist at this ' +
      'run and the transfer API accepts levels 1 and 2 only, so level 3 is emulated: the client encrypts the stream format ' +
      '(@amtsbote/crypto, 512 KiB chunks) while uploading and decrypts while downloading, through the same level-1 server ' +
      'path (the server still encrypts at rest on top). Sizes are plaintext; GB/s are plaintext bytes per second.',
  );

  const byKind = (m: Map<string, Figure>, s: System): (readonly [number, number])[] =>
    SIZES.map((size) => [size, median(m.get(`${s}-${key(size)}`)?.samples ?? [])] as const).filter(([, y]) =>
      Number.isFinite(y),
    );
  const limitPoints = (m: Map<number, LimitSeries>): (readonly [number, number])[] =>
    SIZES.map((size) => [size, median(m.get(size)?.samples ?? [])] as const);
  const ticks = SIZES.map((s) => [s, sizeText(s)] as const);
  const plots: Plot[] = [
    {
      id: 'upload-by-size',
      title: 'Upload through the portal by file size (median of rounds)',
      x: { label: 'file size (log scale)', log2: true, ticks },
      y: { label: 'GB/s' },
      series: [
        { label: 'limit: node:http to a file', points: limitPoints(limitsUp) },
        { label: 'portal, PostgreSQL', points: byKind(up, 'pg') },
        { label: 'portal, PGlite', points: byKind(up, 'pglite') },
        { label: 'portal, level 3 emulated', points: byKind(up, 'l3') },
      ],
    },
    {
      id: 'download-by-size',
      title: 'Download through the portal by file size (median of rounds)',
      x: { label: 'file size (log scale)', log2: true, ticks },
      y: { label: 'GB/s' },
      series: [
        { label: 'limit: node:http from a file', points: limitPoints(limitsDown) },
        { label: 'portal, PostgreSQL', points: byKind(down, 'pg') },
        { label: 'portal, PGlite', points: byKind(down, 'pglite') },
        { label: 'portal, level 3 emulated', points: byKind(down, 'l3') },
      ],
    },
    {
      id: 'memory-by-size',
      title: 'Portal peak RSS by file size, upload + download (median of rounds)',
      x: { label: 'file size (log scale)', log2: true, ticks },
      y: { label: 'MiB' },
      series: [
        { label: 'PostgreSQL', points: byKind(peak, 'pg') },
        { label: 'PGlite', points: byKind(peak, 'pglite') },
      ],
      rules: [{ label: 'goal on PostgreSQL: 128 MiB', y: 128 }],
    },
  ];
  if (lastSeries !== undefined) {
    const stride = Math.max(1, Math.ceil(lastSeries.length / 400));
    plots.push({
      id: 'memory-timeline',
      title: `Portal RSS during a ${sizeText(LARGEST)} upload then download, PostgreSQL (last round)`,
      x: { label: 'seconds' },
      y: { label: 'MiB' },
      series: [
        {
          label: 'RSS, sampled every 100 ms',
          points: lastSeries.filter((_, i) => i % stride === 0).map(([t, r]) => [t, r / MiB] as const),
        },
      ],
      rules: [{ label: 'goal: 128 MiB', y: 128 }],
    });
  }

  const limits: Record<string, LimitSeries> = {};
  for (const size of SIZES) {
    const u = limitsUp.get(size);
    const d = limitsDown.get(size);
    if (u !== undefined) limits[`httpUp-${key(size)}`] = u;
    if (d !== undefined) limits[`httpDown-${key(size)}`] = d;
  }
  const figures: Figure[] = [];
  for (const s of ['pg', 'pglite', 'l3'] as const) {
    for (const size of SIZES) {
      for (const m of [up, down]) {
        const f = m.get(`${s}-${key(size)}`);
        if (f !== undefined) figures.push(f);
      }
    }
  }
  figures.push(baseline.postgres, baseline.pglite);
  for (const s of ['pg', 'pglite'] as const) {
    for (const size of SIZES) {
      const f = peak.get(`${s}-${key(size)}`);
      if (f !== undefined) figures.push(f);
    }
  }
  return { figures, limits, plots, notes, details: { sizes: SIZES, level3Sizes: L3_SIZES } };
}

const benchmark: Benchmark = {
  name: 'transfer',
  description:
    'Upload then download through the portal on loopback (encryption at rest, one tus PATCH per file), 64 MiB to 4 GiB, on PostgreSQL and PGlite, level 1 and level 3 (emulated), against a plain node:http copy to a file; server peak RSS per size.',
  run,
};
export default benchmark;
