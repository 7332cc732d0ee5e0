// Browser entry of the crypto benchmark: the throughput functions of @amtsbote/crypto/bench in Chromium.
import { measureAesGcm, measureThroughput } from '../../packages/crypto/bench/throughput.ts';
import { encryptStream, generateFileKey } from '../../packages/crypto/src/index.ts';

export interface CryptoBenchPage {
  /** Stream encrypt and decrypt, bytes of plaintext per second (one run each). */
  throughput(chunkSize: number, totalBytes: number): Promise<{ encrypt: number; decrypt: number }>;
  /** Bare WebCrypto AES-256-GCM calls, `inFlight` overlapping. */
  aesGcm(chunkSize: number, totalBytes: number, inFlight: number): Promise<number>;
  /** Stream encrypt of generated input in 64 KiB slices (no setup to profile): bytes per second. */
  encryptGenerated(chunkSize: number, totalBytes: number): Promise<number>;
}

const api: CryptoBenchPage = {
  async throughput(chunkSize, totalBytes) {
    const r = await measureThroughput({ chunkSize, totalBytes, runs: 1 });
    return { encrypt: r.encryptBytesPerSecond, decrypt: r.decryptBytesPerSecond };
  },
  aesGcm: measureAesGcm,
  async encryptGenerated(chunkSize, totalBytes) {
    const slice = new Uint8Array(64 * 1024).fill(0x61);
    let sent = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= totalBytes) controller.close();
        else {
          controller.enqueue(slice);
          sent += slice.length;
        }
      },
    });
    const t0 = performance.now();
    const reader = source.pipeThrough(encryptStream(generateFileKey(), { chunkSize })).getReader();
    while (!(await reader.read()).done);
    return totalBytes / ((performance.now() - t0) / 1000);
  },
};

Object.assign(globalThis, { cryptoBench: api, cryptoBenchReady: true });
