/**
 * Every fuzz case of @amtsbote/crypto, and the seeds they run with. Free of Node imports: the node:crypto
 * stream implementation comes in as an argument from the Node-side runners.
 */
import { webCryptoStreams, type StreamImplementation } from '../helpers.ts';
import { envelopeCases } from './envelopes.ts';
import type { FuzzCase } from './harness.ts';
import { keyCases } from './keys.ts';
import { logCases } from './log.ts';
import { merkleCases } from './merkle.ts';
import { privateKeyCases } from './private-keys.ts';
import { streamCases } from './stream.ts';

export type { FuzzCase, RunOptions } from './harness.ts';

/** The seed of the CI run. Fixed, so that CI runs the same inputs every time and a failure replays. */
export const FIXED_SEED = 0x5eed2025;

/** A per-case seed from a base seed and the case name, so that `--only` replays a case with its seed. */
export function seedFor(base: number, name: string): number {
  let h = base >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}

/**
 * The crypto cases. The stream cases run against the WebCrypto implementation and every one of
 * `others`, which must agree with it on every input.
 */
export function cryptoCases(...others: readonly StreamImplementation[]): FuzzCase[] {
  return [
    ...streamCases([webCryptoStreams, ...others]),
    ...envelopeCases(),
    ...privateKeyCases(),
    ...keyCases(),
    ...logCases(),
    ...merkleCases(),
  ];
}
