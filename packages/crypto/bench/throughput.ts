/**
 * Stream throughput measurement, runnable in Node and in browsers (web streams and `performance` only).
 * Exported as `@amtsbote/crypto/bench` for the repository's benchmark suite; `run.ts` prints a table.
 */
import * as isomorphic from '../src/index.ts';
import { generateFileKey } from '../src/index.ts';

/**
 * The stream functions to measure: the isomorphic ones by default, or another implementation with the
 * same signatures (`@amtsbote/crypto/node`).
 */
export interface StreamFunctions {
  readonly encryptStream: typeof isomorphic.encryptStream;
  readonly decryptStream: typeof isomorphic.decryptStream;
  readonly encryptBytes: typeof isomorphic.encryptBytes;
}

/** What to measure. */
export interface ThroughputOptions {
  /** Plaintext chunk size of the format (a power of two, 64 B .. 16 MiB). */
  readonly chunkSize: number;
  /** Plaintext bytes per run. Default 256 MiB. */
  readonly totalBytes?: number;
  /** Size of the slices written into the stream, as a file reader or network would. Default 64 KiB. */
  readonly sliceSize?: number;
  /** Runs; the best is reported. Default 3. */
  readonly runs?: number;
  /** The implementation to measure. Default: the isomorphic WebCrypto one. */
  readonly streams?: StreamFunctions;
  /**
   * Where the platform can tell: CPU-seconds the process has used so far (all threads), e.g. from
   * `process.cpuUsage()`. Makes the result include throughput per CPU-second, which is what
   * `openssl speed` reports (it divides by CPU time unless given `-elapsed`), so it compares with openssl
   * even on a loaded machine.
   */
  readonly cpuSeconds?: () => number;
}

/** Result of {@link measureThroughput}, in bytes of plaintext per second. */
export interface ThroughputResult {
  readonly chunkSize: number;
  readonly totalBytes: number;
  readonly sliceSize: number;
  readonly encryptBytesPerSecond: number;
  readonly decryptBytesPerSecond: number;
  /** With `cpuSeconds`: plaintext bytes per CPU-second of the best run. */
  readonly encryptBytesPerCpuSecond?: number;
  readonly decryptBytesPerCpuSecond?: number;
}

function source(data: Uint8Array, sliceSize: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= data.length) {
          controller.close();
          return;
        }
        controller.enqueue(data.subarray(sent, sent + sliceSize));
        sent += sliceSize;
      },
    },
    { highWaterMark: 4 },
  );
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.length;
  }
}

/**
 * Measures `encryptStream` and `decryptStream` end to end (slicing, buffering and WebCrypto) with one
 * chunk size. Decryption reads a ciphertext held in memory.
 */
export async function measureThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const { chunkSize, totalBytes = 256 * 2 ** 20, sliceSize = 64 * 1024, runs = 3 } = options;
  const { encryptBytes, encryptStream, decryptStream } = options.streams ?? isomorphic;
  const fileKey = generateFileKey();
  const plaintext = new Uint8Array(totalBytes);
  for (let i = 0; i < totalBytes; i += 4096) plaintext[i] = i >>> 12;
  const ciphertext = await encryptBytes(fileKey, plaintext, { chunkSize });
  const cpu = options.cpuSeconds ?? (() => Number.NaN);
  let encrypt = Infinity;
  let decrypt = Infinity;
  let encryptCpu = Infinity;
  let decryptCpu = Infinity;
  for (let r = 0; r < runs; r++) {
    let t0 = performance.now();
    let c0 = cpu();
    await drain(source(plaintext, sliceSize).pipeThrough(encryptStream(fileKey, { chunkSize })));
    encrypt = Math.min(encrypt, performance.now() - t0);
    encryptCpu = Math.min(encryptCpu, cpu() - c0);
    t0 = performance.now();
    c0 = cpu();
    const out = await drain(source(ciphertext, sliceSize).pipeThrough(decryptStream(fileKey)));
    decrypt = Math.min(decrypt, performance.now() - t0);
    decryptCpu = Math.min(decryptCpu, cpu() - c0);
    if (out !== totalBytes) throw new Error('benchmark round trip lost bytes');
  }
  return {
    chunkSize,
    totalBytes,
    sliceSize,
    encryptBytesPerSecond: totalBytes / (encrypt / 1000),
    decryptBytesPerSecond: totalBytes / (decrypt / 1000),
    ...(options.cpuSeconds === undefined
      ? {}
      : {
          encryptBytesPerCpuSecond: totalBytes / encryptCpu,
          decryptBytesPerCpuSecond: totalBytes / decryptCpu,
        }),
  };
}

/**
 * Raw WebCrypto AES-256-GCM throughput for one chunk size with `inFlight` calls overlapping: the ceiling
 * the stream format can reach, without its buffering.
 */
export async function measureAesGcm(
  chunkSize: number,
  totalBytes: number,
  inFlight: number,
): Promise<number> {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', generateFileKey(), 'AES-GCM', false, ['encrypt']);
  const chunk = new Uint8Array(chunkSize);
  const count = Math.max(1, Math.floor(totalBytes / chunkSize));
  const t0 = performance.now();
  const pending: Promise<ArrayBuffer>[] = [];
  for (let i = 0; i < count; i++) {
    const iv = new Uint8Array(12);
    new DataView(iv.buffer).setUint32(8, i);
    pending.push(subtle.encrypt({ name: 'AES-GCM', iv }, key, chunk));
    if (pending.length >= inFlight) await pending.shift();
  }
  await Promise.all(pending);
  return (count * chunkSize) / ((performance.now() - t0) / 1000);
}
