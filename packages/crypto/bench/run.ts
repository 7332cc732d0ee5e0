// Prints encrypt/decrypt throughput of the stream format (input written in 64 KiB slices), and of raw
// WebCrypto AES-256-GCM, for several chunk sizes.
//   node_modules/.bin/node packages/crypto/bench/run.ts [totalMiB]
import { measureAesGcm, measureThroughput } from './throughput.ts';

const totalMiB = Number(process.argv[2] ?? 256);
const total = totalMiB * 2 ** 20;
const gbps = (bytesPerSecond: number): string => (bytesPerSecond / 1e9).toFixed(2);

async function best(run: () => Promise<number>): Promise<number> {
  let top = 0;
  for (let i = 0; i < 3; i++) top = Math.max(top, await run());
  return top;
}

console.log(`${totalMiB} MiB of plaintext, best of 3 runs, GB/s (10^9 bytes/s)\n`);
console.log('| chunk | stream encrypt | stream decrypt | AES-GCM, 1 call at a time | AES-GCM, 2 in flight |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const chunkSize of [64 * 1024, 256 * 1024, 512 * 1024, 1024 * 1024, 4 * 1024 * 1024]) {
  const r = await measureThroughput({ chunkSize, totalBytes: total });
  const one = await best(() => measureAesGcm(chunkSize, total, 1));
  const two = await best(() => measureAesGcm(chunkSize, total, 2));
  const cells = [gbps(r.encryptBytesPerSecond), gbps(r.decryptBytesPerSecond), gbps(one), gbps(two)];
  console.log(`| ${chunkSize / 1024} KiB | ${cells.join(' | ')} |`);
}
