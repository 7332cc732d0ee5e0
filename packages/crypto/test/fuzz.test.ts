// The fuzz cases of test/fuzz/ with a fixed seed and bounded runs, as part of the unit tests. The same
// cases run longer, with a random (printed) seed, under `npm run fuzz` (scripts/fuzz.ts).
import { test } from 'node:test';
import { cryptoCases, FIXED_SEED, seedFor } from './fuzz/cases.ts';
import { nodeStreams } from './fuzz/node-streams.ts';

for (const c of cryptoCases(nodeStreams)) {
  test(`fuzz: ${c.name}`, async () => {
    try {
      await c.run({ seed: seedFor(FIXED_SEED, c.name), numRuns: c.ciRuns });
    } catch (error) {
      const replay = `npm run fuzz -- --seed ${FIXED_SEED} --runs ${c.ciRuns} --only '${c.name}'`;
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nreplay: ${replay}`, {
        cause: error,
      });
    }
  });
}
