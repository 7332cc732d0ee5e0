/**
 * Helpers shared by the test cases: stream plumbing, input slicing, a seeded PRNG. No Node imports.
 */
import * as webCrypto from '../src/stream.ts';
import type { RandomSource } from '../src/webcrypto.ts';

/** Registers one test case; node:test's `test` and a browser runner both fit. */
export type Register = (name: string, fn: () => Promise<void>) => void;

/**
 * One implementation of the stream functions. The types are those of the isomorphic WebCrypto functions,
 * so another implementation (stream.node.ts) only fits when its signatures are the same.
 */
export interface StreamImplementation {
  /** Prepended to the names of the cases run against it; empty for the isomorphic one. */
  readonly prefix: string;
  readonly encryptStream: typeof webCrypto.encryptStream;
  readonly encryptStreamWith: typeof webCrypto.encryptStreamWith;
  readonly decryptStream: typeof webCrypto.decryptStream;
  readonly encryptBytes: typeof webCrypto.encryptBytes;
  readonly encryptBytesWith: typeof webCrypto.encryptBytesWith;
  readonly decryptBytes: typeof webCrypto.decryptBytes;
  readonly openStream: typeof webCrypto.openStream;
  readonly decryptChunk: typeof webCrypto.decryptChunk;
}

/** The isomorphic implementation on WebCrypto (`@amtsbote/crypto`), the one browsers run. */
export const webCryptoStreams: StreamImplementation = {
  prefix: '',
  encryptStream: webCrypto.encryptStream,
  encryptStreamWith: webCrypto.encryptStreamWith,
  decryptStream: webCrypto.decryptStream,
  encryptBytes: webCrypto.encryptBytes,
  encryptBytesWith: webCrypto.encryptBytesWith,
  decryptBytes: webCrypto.decryptBytes,
  openStream: webCrypto.openStream,
  decryptChunk: webCrypto.decryptChunk,
};

/** mulberry32: a tiny seeded PRNG for reproducible slicing (not for cryptography). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts `data` into slices whose sizes are given by `sizes` (cycled), e.g. `[1]` for byte by byte. */
export function sliceBy(data: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  let i = 0;
  while (at < data.length) {
    const n = Math.max(1, sizes[i++ % sizes.length] ?? 1);
    out.push(data.slice(at, at + n));
    at += n;
  }
  return out;
}

/** Cuts `data` into random slices of 1 .. `max` bytes (and sometimes empty ones). */
export function randomSlices(data: Uint8Array, seed: number, max: number): Uint8Array[] {
  const next = prng(seed);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < data.length) {
    if (next() < 0.05) out.push(new Uint8Array(0));
    const n = 1 + Math.floor(next() * max);
    out.push(data.slice(at, at + n));
    at += n;
  }
  return out;
}

/** The three ways every vector is fed to a stream: whole, random slices, byte by byte. */
export function slicings(data: Uint8Array, seed: number, chunkSize: number): [string, Uint8Array[]][] {
  return [
    ['whole', [data]],
    ['random slices', randomSlices(data, seed, 2 * chunkSize + 40)],
    ['byte by byte', sliceBy(data, [1])],
  ];
}

export function concatAll(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Writes `slices` through `transform` and collects what comes out, plus the error the readable side
 * ended with (undefined when it closed normally).
 */
export async function pipe(
  transform: TransformStream<Uint8Array, Uint8Array>,
  slices: readonly Uint8Array[],
): Promise<{ output: Uint8Array; error: unknown }> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const s of slices) controller.enqueue(s);
      controller.close();
    },
  });
  const reader = source.pipeThrough(transform).getReader();
  const parts: Uint8Array[] = [];
  let error: unknown = undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
  } catch (e) {
    error = e;
  }
  return { output: concatAll(parts), error };
}

/** A random source that returns exactly `data` once (for re-encrypting vectors). */
export function fixedRandom(...draws: Uint8Array[]): RandomSource {
  const queue = [...draws];
  return (length) => {
    const next = queue.shift();
    if (next?.length !== length) throw new Error('unexpected random draw');
    return new Uint8Array(next);
  };
}

/** Deterministic pseudo-random bytes for properties (not for cryptography). */
export function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const next = prng(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
  return out;
}
