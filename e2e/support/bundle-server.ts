// A tiny HTTP server for running bundled browser code under the portal's Content Security Policy:
// GET / (an empty page loading the bundle), GET /page.js (the bundle), GET /files/NAME (streamed from
// filesDir), POST /upload/NAME (streamed into uploadDir). Used by the crypto e2e test and the benchmarks.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { build } from 'esbuild';
import { contentSecurityPolicy } from '../../packages/server/src/http/security-headers.ts';

/**
 * The portal's policy, with `'wasm-unsafe-eval'` added to script-src: hash-wasm (Argon2id) compiles
 * WebAssembly at run time, which pages that unlock keys need anyway (docs/crypto.md).
 */
export const PAGE_CSP = contentSecurityPolicy.replace(
  "script-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
);

/** Bundles a browser entry module (TypeScript, JSON imports) into one ES module. */
export async function bundle(entry: string): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return file.contents;
}

export interface BundleServer {
  /** `http://127.0.0.1:PORT/`: a secure context for Chromium, so `crypto.subtle` is available. */
  readonly url: string;
  close(): Promise<void>;
}

const safeName = (raw: string): string => path.basename(decodeURIComponent(raw));

export async function startBundleServer(options: {
  readonly script: Uint8Array;
  readonly filesDir?: string;
  readonly uploadDir?: string;
}): Promise<BundleServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('content-security-policy', PAGE_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-store');
    const fail = (status: number, message: string): void => {
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(message);
    };
    void (async () => {
      if (req.method === 'GET' && url.pathname === '/') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end(
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>amtsbote crypto</title><link rel="icon" href="data:,">' +
            '<script type="module" src="/page.js"></script></head><body></body></html>',
        );
      } else if (req.method === 'GET' && url.pathname === '/page.js') {
        res.setHeader('content-type', 'text/javascript; charset=utf-8');
        res.end(options.script);
      } else if (
        req.method === 'GET' &&
        url.pathname.startsWith('/files/') &&
        options.filesDir !== undefined
      ) {
        const file = path.join(options.filesDir, safeName(url.pathname.slice('/files/'.length)));
        const size = (await stat(file)).size;
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
        await pipeline(createReadStream(file), res);
      } else if (
        req.method === 'POST' &&
        url.pathname.startsWith('/upload/') &&
        options.uploadDir !== undefined
      ) {
        const file = path.join(options.uploadDir, safeName(url.pathname.slice('/upload/'.length)));
        await pipeline(req, createWriteStream(file));
        res.writeHead(204).end();
      } else {
        fail(404, 'not found');
      }
    })().catch((err: unknown) => {
      fail(500, String(err));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
