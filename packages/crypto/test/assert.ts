/**
 * Minimal assertions for the test suite, without node:assert, so the suite also runs in a browser.
 */
import { toHex } from '../src/encoding.ts';
import { isCryptoError, type CryptoErrorCode } from '../src/errors.ts';

export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertEqual<T>(actual: T, expected: T, message: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message}: expected ${String(expected)}, got ${String(actual)}`);
  }
}

function shortHex(data: Uint8Array): string {
  const hex = toHex(data);
  return hex.length > 80 ? `${hex.slice(0, 80)}… (${data.length} bytes)` : hex;
}

export function assertBytes(actual: Uint8Array, expected: Uint8Array, message: string): void {
  if (actual.length !== expected.length || actual.some((b, i) => b !== expected[i])) {
    throw new AssertionError(`${message}: expected ${shortHex(expected)}, got ${shortHex(actual)}`);
  }
}

/** Asserts that `error` is one of this package's errors with `code`. */
export function assertCode(error: unknown, code: CryptoErrorCode, message: string): void {
  if (!isCryptoError(error)) throw new AssertionError(`${message}: expected ${code}, got ${String(error)}`);
  assertEqual(error.code, code, message);
}

/** Runs `fn` and asserts that it rejects (or throws) with `code`; returns the error. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  code: CryptoErrorCode,
  message: string,
): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    assertCode(error, code, message);
    return error;
  }
  throw new AssertionError(`${message}: expected ${code}, but it succeeded`);
}
