/**
 * The whole test suite of `@amtsbote/crypto`, independent of any test runner and free of Node imports,
 * so the same cases run under node:test (crypto.test.ts) and in a browser:
 *
 * ```ts
 * import { runSuite } from '@amtsbote/crypto/test-suite';
 * runSuite((name, fn) => test(name, fn));
 * ```
 */
import { registerApi, registerStreamApi } from './cases/api.ts';
import { registerFingerprints } from './cases/fingerprint.ts';
import { registerKeyVectors } from './cases/key-vectors.ts';
import { registerLog } from './cases/log.ts';
import { registerMerkle } from './cases/merkle.ts';
import { registerProperties, registerStreamProperties } from './cases/properties.ts';
import { registerStreamVectors } from './cases/stream-vectors.ts';
import type { Register, StreamImplementation } from './helpers.ts';

export type { Register, StreamImplementation } from './helpers.ts';

/** Registers every test case with `register`; each case is an async function that throws on failure. */
export function runSuite(register: Register): void {
  registerStreamVectors(register);
  registerKeyVectors(register);
  registerProperties(register);
  registerApi(register);
  registerFingerprints(register);
  registerMerkle(register);
  registerLog(register);
}

/**
 * Registers every case of the stream functions (vectors whole, streamed and byte by byte; properties;
 * API behaviour) against another implementation of them, such as `@amtsbote/crypto/node`.
 */
export function runStreamSuite(register: Register, impl: StreamImplementation): void {
  registerStreamVectors(register, impl);
  registerStreamProperties(register, impl);
  registerStreamApi(register, impl);
}
