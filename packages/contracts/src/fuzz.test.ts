// The fuzz cases of fuzz.ts with a fixed seed and bounded runs; `npm run fuzz` runs them longer.
import { test } from 'node:test';
import { contractsCases, FIXED_SEED, seedFor } from './fuzz.ts';

for (const c of contractsCases()) {
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
