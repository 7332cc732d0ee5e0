/**
 * The shape of a fuzz case and the helpers the cases share: outcome checks against the documented error
 * codes, a mutation engine for valid inputs, and probes that make "no allocation" and "bounded work"
 * assertable (allocation and WebCrypto call counters, a microtask clock). No Node imports: the cases run
 * under node:test (test/fuzz.test.ts, fixed seeds) and under scripts/fuzz.ts (random seeds, long runs).
 */
import fc from 'fast-check';
import { isCryptoError, type CryptoErrorCode } from '../../src/errors.ts';
import { AssertionError } from '../assert.ts';

/** How a case is run: fast-check's seed and number of runs. */
export interface RunOptions {
  readonly seed: number;
  readonly numRuns: number;
}

/** One fuzz property. Structural on purpose: packages/contracts declares the same shape on its own. */
export interface FuzzCase {
  readonly name: string;
  /** Runs in the fixed-seed CI test; chosen so that the whole fuzz test stays within seconds. */
  readonly ciRuns: number;
  /** `npm run fuzz -- --runs N` runs this case `ceil(N * weight)` times (KDF-heavy cases weigh less). */
  readonly weight: number;
  readonly run: (options: RunOptions) => Promise<void>;
}

/** The result of calling a parser: its value or what it threw (or rejected with). */
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export async function outcome<T>(fn: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

export function outcomeSync<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The error code of a failed outcome, after checking it is one of `allowed`; undefined on success. */
export function failureCode<T>(
  result: Outcome<T>,
  allowed: readonly CryptoErrorCode[],
  what: string,
): CryptoErrorCode | undefined {
  if (result.ok) return undefined;
  const { error } = result;
  if (error instanceof AssertionError) throw error;
  if (!isCryptoError(error) || !allowed.includes(error.code)) {
    throw new AssertionError(`${what}: threw ${describe(error)}, allowed are only ${allowed.join(', ')}`);
  }
  return error.code;
}

/** Asserts that `result` failed with exactly `code`. */
export function expectFailure<T>(result: Outcome<T>, code: CryptoErrorCode, what: string): void {
  if (result.ok) throw new AssertionError(`${what}: accepted, expected ${code}`);
  failureCode(result, [code], what);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Bytes as a parser may get them: sometimes a view into the middle of a larger buffer, so that code
 * reading through `.buffer` without `byteOffset` is caught.
 */
export function asView(data: Uint8Array, offset: number): Uint8Array {
  if (offset === 0) return data;
  const backing = new Uint8Array(offset + data.length + 7).fill(0xa5);
  backing.set(data, offset);
  return backing.subarray(offset, offset + data.length);
}

export const viewOffset = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 13 }));

/** One edit of a byte string; positions are reduced modulo the length when applied. */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'extend'; readonly extra: Uint8Array }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'insert'; readonly at: number; readonly extra: Uint8Array }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number };

const position = fc.nat({ max: 1 << 16 });
const extra = fc.uint8Array({ minLength: 1, maxLength: 40 });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('flip'), at: position, bit: fc.nat(7) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('set'), at: position, value: fc.nat(255) }), weight: 2 },
  fc.record({ kind: fc.constant('truncate'), at: position }),
  fc.record({ kind: fc.constant('extend'), extra }),
  fc.record({ kind: fc.constant('delete'), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert'), at: position, extra }),
  fc.record({ kind: fc.constant('duplicate'), at: position, length: fc.integer({ min: 1, max: 40 }) }),
);

/** One to three edits, applied in order. */
export const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

function cat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function applyMutation(data: Uint8Array, m: Mutation): Uint8Array {
  const n = data.length;
  switch (m.kind) {
    case 'flip': {
      if (n === 0) return cat(data, Uint8Array.of(1 << m.bit));
      const out = data.slice();
      out[m.at % n] = (out[m.at % n] ?? 0) ^ (1 << m.bit);
      return out;
    }
    case 'set': {
      if (n === 0) return Uint8Array.of(m.value);
      const out = data.slice();
      out[m.at % n] = m.value;
      return out;
    }
    case 'truncate':
      return data.slice(0, n === 0 ? 0 : m.at % n);
    case 'extend':
      return cat(data, m.extra);
    case 'delete': {
      const at = n === 0 ? 0 : m.at % n;
      return cat(data.subarray(0, at), data.subarray(at + m.length));
    }
    case 'insert': {
      const at = m.at % (n + 1);
      return cat(data.subarray(0, at), m.extra, data.subarray(at));
    }
    case 'duplicate': {
      const at = n === 0 ? 0 : m.at % n;
      const end = Math.min(n, at + m.length);
      return cat(data.subarray(0, end), data.subarray(at, end), data.subarray(end));
    }
  }
}

export function applyMutations(data: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  return ms.reduce(applyMutation, data);
}

/**
 * Runs `fn` (awaiting it) while watching every `Uint8Array` and `ArrayBuffer` made through the global
 * constructors, and returns the size in bytes of the largest one. The parsers allocate through those
 * globals, so a buffer sized from a length field of the input shows up here. Views on an existing
 * buffer are not allocations and are not counted. Nothing else may run meanwhile, which holds inside
 * one file's sequential properties.
 */
export async function largestAllocation(fn: () => unknown): Promise<number> {
  const g = globalThis as unknown as Record<'Uint8Array' | 'ArrayBuffer', unknown>;
  const originals = { Uint8Array: g.Uint8Array, ArrayBuffer: g.ArrayBuffer };
  let largest = 0;
  const note = (first: unknown): void => {
    let size = 0;
    if (typeof first === 'number') size = first;
    else if (ArrayBuffer.isView(first))
      size = first.byteLength; // a copy
    else if (Array.isArray(first)) size = first.length;
    largest = Math.max(largest, size);
  };
  type Constructor = new (...args: unknown[]) => object;
  const spy = (target: Constructor): Constructor => {
    const proxy: Constructor = new Proxy(target, {
      construct(t, args: unknown[], newTarget: Constructor): object {
        note(args[0]);
        return Reflect.construct(t, args, newTarget === proxy ? t : newTarget);
      },
    });
    return proxy;
  };
  g.Uint8Array = spy(Uint8Array);
  g.ArrayBuffer = spy(ArrayBuffer);
  try {
    await fn();
  } catch {
    // Measured only; the caller checks the outcome on its own.
  } finally {
    g.Uint8Array = originals.Uint8Array;
    g.ArrayBuffer = originals.ArrayBuffer;
  }
  return largest;
}

type SubtleMethod = 'digest' | 'decrypt' | 'deriveBits' | 'sign' | 'verify' | 'importKey';

/** Runs `fn` while counting calls of `crypto.subtle[method]`: the expensive steps of the parsers. */
export async function countSubtleCalls(method: SubtleMethod, fn: () => Promise<unknown>): Promise<number> {
  const subtle = crypto.subtle as unknown as Record<SubtleMethod, (...args: unknown[]) => unknown>;
  const original = subtle[method];
  let calls = 0;
  subtle[method] = (...args: unknown[]) => {
    calls++;
    return original.apply(crypto.subtle, args);
  };
  try {
    await fn();
  } catch {
    // Measured only; the caller checks the outcome.
  } finally {
    // The counter was an own property shadowing the prototype's method; removing it restores that.
    Reflect.deleteProperty(subtle, method);
    if (subtle[method] !== original) subtle[method] = original;
  }
  return calls;
}

/**
 * Whether `promise` settles within `ticks` microtasks. WebCrypto never answers that fast (its work
 * runs off the event loop) and Argon2id in hash-wasm needs about 30, so a rejection within 10 proves the
 * parser refused before doing any cryptographic work.
 */
export async function settlesWithin(promise: Promise<unknown>, ticks = 10): Promise<boolean> {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  for (let i = 0; i < ticks && !state.settled; i++) await Promise.resolve();
  return state.settled;
}
