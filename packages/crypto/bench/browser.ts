// Runs the same throughput measurement (throughput.ts) in headless Chromium, where senders encrypt and
// recipients decrypt. Uses the workspace's esbuild (packages/web) and playwright-core (e2e).
//   node_modules/.bin/node packages/crypto/bench/browser.ts [totalMiB]   (CHROMIUM=/path overrides)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const totalMiB = Number(process.argv[2] ?? 128);
const entry = `
import { measureAesGcm, measureThroughput } from ${JSON.stringify(path.join(import.meta.dirname, 'throughput.ts'))};
globalThis.runBench = async (total, sizes) => {
  const rows = [];
  for (const chunkSize of sizes) {
    const r = await measureThroughput({ chunkSize, totalBytes: total });
    let one = 0, two = 0;
    for (let i = 0; i < 3; i++) {
      one = Math.max(one, await measureAesGcm(chunkSize, total, 1));
      two = Math.max(two, await measureAesGcm(chunkSize, total, 2));
    }
    rows.push([chunkSize, r.encryptBytesPerSecond, r.decryptBytesPerSecond, one, two]);
  }
  return rows;
};
window.benchReady = true;
`;
const bundle = await build({
  stdin: { contents: entry, resolveDir: import.meta.dirname, loader: 'js' },
  bundle: true,
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const code = bundle.outputFiles[0]?.contents ?? new Uint8Array(0);
const server = createServer((req, res) => {
  const isScript = req.url === '/bench.js';
  res.setHeader('content-type', isScript ? 'text/javascript' : 'text/html');
  res.end(isScript ? code : '<!doctype html><script type="module" src="/bench.js"></script>');
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage();
  // localhost is a secure context, so crypto.subtle is available.
  await page.goto(`http://localhost:${String((server.address() as AddressInfo).port)}/`);
  await page.waitForFunction(() => 'benchReady' in window);
  const sizes = (process.env.SIZES ?? '64,256,512,1024,4096').split(',').map((k) => Number(k) * 1024);
  const rows = await page.evaluate(
    async ([total, chunkSizes]) => {
      const run = (globalThis as unknown as { runBench: (t: number, s: number[]) => Promise<number[][]> })
        .runBench;
      return run(total, chunkSizes);
    },
    [totalMiB * 2 ** 20, sizes] as [number, number[]],
  );
  console.log(`${browser.version()}: ${totalMiB} MiB of plaintext, best of 3 runs, GB/s\n`);
  console.log(
    '| chunk | stream encrypt | stream decrypt | AES-GCM, 1 call at a time | AES-GCM, 2 in flight |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const [chunkSize = 0, ...rates] of rows) {
    console.log(`| ${chunkSize / 1024} KiB | ${rates.map((r) => (r / 1e9).toFixed(2)).join(' | ')} |`);
  }
} finally {
  await browser.close();
  server.close();
}
