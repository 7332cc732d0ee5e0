/**
 * The whole test suite of `@amtsbote/crypto`, independent of any test runner and free of Node imports,
 * so the same cases run under node:test (crypto.test.ts) and in a browser:
 *
 * ```ts
 * import { runSuite } from '@amtsbote/crypto/test-suite';
 * runSuite((name, fn) => test(name, fn));
 * ```
 */
import { registerApi } from './cases/api.ts';
import { registerKeyVectors } from './cases/key-vectors.ts';
import { registerProperties } from './cases/properties.ts';
import { registerStreamVectors } from './cases/stream-vectors.ts';
import type { Register } from './helpers.ts';

export type { Register } from './helpers.ts';

/** Registers every test case with `register`; each case is an async function that throws on failure. */
export function runSuite(register: Register): void {
  registerStreamVectors(register);
  registerKeyVectors(register);
  registerProperties(register);
  registerApi(register);
}
