// Child process of the crypto benchmark: every Node measurement runs in a fresh process, so that it sees
// nothing but its workload (no browser driver, no garbage of earlier measurements). IMPL is `webcrypto`
// (the isomorphic @amtsbote/crypto, the default) or `node` (@amtsbote/crypto/node on node:crypto).
//   node crypto-child.ts throughput CHUNK BYTES [IMPL]  stream encrypt/decrypt (measureThroughput); JSON
//   node crypto-child.ts bare CHUNK BYTES               bare AES-GCM: node:crypto and WebCrypto; JSON
//   node --expose-gc crypto-child.ts memory BYTES [GC_EVERY] [IMPL]
//        encrypt a generated stream of BYTES, sampling RSS; JSON on stdout
//   node crypto-child.ts profile encrypt|decrypt BYTES CHUNK [IMPL]
//        set up, print "ready", wait for a line on stdin (a profiler attaches meanwhile), run, print "done"
import { createCipheriv, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import {
  measureAesGcm,
  measureThroughput,
  type StreamFunctions,
} from '../../packages/crypto/bench/throughput.ts';
import * as webCrypto from '../../packages/crypto/src/index.ts';
import { generateFileKey } from '../../packages/crypto/src/index.ts';
import * as nodeCrypto from '../../packages/crypto/src/node/index.node.ts';

function implementation(name: string | undefined): StreamFunctions {
  if (name === undefined || name === 'webcrypto') return webCrypto;
  if (name === 'node') return nodeCrypto;
  throw new Error(`unknown implementation ${name}`);
}

const SLICE = 64 * 1024;

/** `total` bytes in 64 KiB slices (one reused buffer: the slices are copied into chunks as they arrive). */
function generated(total: number, slice = new Uint8Array(SLICE).fill(0x61)): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= total) {
          controller.close();
          return;
        }
        const n = Math.min(slice.length, total - sent);
        controller.enqueue(n === slice.length ? slice : slice.subarray(0, n));
        sent += n;
      },
    },
    { highWaterMark: 4 },
  );
}

async function drain(stream: ReadableStream<Uint8Array>, onChunk?: (n: number) => void): Promise<number> {
  const reader = stream.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.length;
    onChunk?.(n);
  }
}

const gc = (globalThis as { gc?: () => void }).gc;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `gcEvery` > 0: a forced full collection after every `gcEvery` bytes of output, a diagnostic that tells
 * garbage awaiting collection from memory the stream holds.
 */
async function memory(total: number, gcEvery: number, { encryptStream }: StreamFunctions): Promise<void> {
  const fileKey = generateFileKey();
  // Warm up WebCrypto, the thread pool and the JIT, then take the baseline.
  await drain(generated(64 * 2 ** 20).pipeThrough(encryptStream(fileKey)));
  gc?.();
  await sleep(200);
  const baseline = process.memoryUsage().rss;
  let out = 0;
  let peak = baseline;
  const samples: [number, number][] = [];
  const sample = (): void => {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    samples.push([out, rss - baseline]);
  };
  const timer = setInterval(sample, 20);
  // Where the full (mark-compact) collections happen, in bytes of output.
  const majorGcs: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } | null }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs.push(out);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const t0 = performance.now();
  out = 0;
  let nextGc = gcEvery;
  await drain(generated(total).pipeThrough(encryptStream(fileKey)), (n) => {
    out = n;
    if (gcEvery > 0 && n >= nextGc) {
      nextGc += gcEvery;
      gc?.();
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  sample();
  await sleep(50);
  observer.disconnect();
  process.stdout.write(
    `${JSON.stringify({ baseline, peak, seconds, ciphertextBytes: out, samples, majorGcs })}\n`,
  );
}

async function profile(
  mode: string,
  total: number,
  chunkSize: number,
  { encryptBytes, encryptStream, decryptStream }: StreamFunctions,
): Promise<void> {
  const fileKey = generateFileKey();
  const ciphertext =
    mode === 'decrypt' ? await encryptBytes(fileKey, new Uint8Array(total), { chunkSize }) : undefined;
  const source = (): ReadableStream<Uint8Array> => {
    if (ciphertext === undefined) return generated(total);
    let at = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= ciphertext.length) controller.close();
        else controller.enqueue(ciphertext.subarray(at, (at += SLICE)));
      },
    });
  };
  const transform = (): TransformStream<Uint8Array, Uint8Array> =>
    ciphertext === undefined ? encryptStream(fileKey, { chunkSize }) : decryptStream(fileKey);
  await drain(source().pipeThrough(transform())); // warm-up
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  await once(lines, 'line');
  lines.close();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await drain(source().pipeThrough(transform()));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    `done ${JSON.stringify({ seconds, bytesPerSecond: total / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`,
  );
}

/** AES-256-GCM through node:crypto: one context for everything, or a fresh one per chunk as WebCrypto does. */
function nodeCryptoAesGcm(chunkSize: number, totalBytes: number, contextPerChunk: boolean): number {
  const key = randomBytes(32);
  const iv = Buffer.alloc(12);
  const chunk = Buffer.alloc(chunkSize);
  const count = Math.floor(totalBytes / chunkSize);
  const t0 = performance.now();
  if (contextPerChunk) {
    for (let i = 0; i < count; i++) {
      iv.writeUInt32BE(i, 8);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.update(chunk);
      cipher.final();
      cipher.getAuthTag();
    }
  } else {
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    for (let i = 0; i < count; i++) cipher.update(chunk);
    cipher.final();
  }
  return (count * chunkSize) / ((performance.now() - t0) / 1000);
}

async function throughput(chunkSize: number, totalBytes: number, streams: StreamFunctions): Promise<void> {
  const cpuSeconds = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const r = await measureThroughput({ chunkSize, totalBytes, runs: 1, streams, cpuSeconds });
  const result = {
    encrypt: r.encryptBytesPerSecond,
    decrypt: r.decryptBytesPerSecond,
    encryptCpu: r.encryptBytesPerCpuSecond,
    decryptCpu: r.decryptBytesPerCpuSecond,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function bare(chunkSize: number, totalBytes: number): Promise<void> {
  const oneContext = nodeCryptoAesGcm(chunkSize, totalBytes, false);
  const contextPerChunk = nodeCryptoAesGcm(chunkSize, totalBytes, true);
  const webCrypto1 = await measureAesGcm(chunkSize, totalBytes, 1);
  const webCrypto2 = await measureAesGcm(chunkSize, totalBytes, 2);
  process.stdout.write(`${JSON.stringify({ oneContext, contextPerChunk, webCrypto1, webCrypto2 })}\n`);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'throughput') await throughput(Number(args[0]), Number(args[1]), implementation(args[2]));
else if (command === 'bare') await bare(Number(args[0]), Number(args[1]));
else if (command === 'memory') await memory(Number(args[0]), Number(args[1] ?? 0), implementation(args[2]));
else if (command === 'profile') {
  await profile(args[0] ?? 'encrypt', Number(args[1]), Number(args[2]), implementation(args[3]));
} else throw new Error(`unknown command ${command ?? ''}`);
