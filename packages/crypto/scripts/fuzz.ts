// The long fuzz run: every case of packages/crypto/test/fuzz/ and packages/contracts/src/fuzz.ts, with a
// random seed unless one is given. The unit tests run the same cases with a fixed seed and few runs.
//   npm run fuzz                                  1000 runs per case (fewer for the costly ones)
//   npm run fuzz -- --runs 10000 --seed 42        more runs, a given base seed
//   npm run fuzz -- --only 'tree head' --seed 42  replay the cases whose name contains the text
// Each case runs ceil(runs × weight) times with the seed seedFor(seed, name), so a replay with the
// same --seed and --only regenerates the same inputs. Exits 1 when a case fails.
import { parseArgs } from 'node:util';
// A dev script, so it may reach into the contracts package: the crypto package does not depend on it.
import { contractsCases } from '../../contracts/src/fuzz.ts';
import { cryptoCases, seedFor, type FuzzCase } from '../test/fuzz/cases.ts';
import { nodeStreams } from '../test/fuzz/node-streams.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string' },
    only: { type: 'string' },
    list: { type: 'boolean', default: false },
  },
});

const runs = Number(values.runs);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: fuzz.ts [--runs N] [--seed S] [--only TEXT] [--list]');
  process.exit(2);
}

const all: FuzzCase[] = [...cryptoCases(nodeStreams), ...contractsCases()];
const only = values.only;
const cases = only === undefined ? all : all.filter((c) => c.name.includes(only));
if (values.list || cases.length === 0) {
  for (const c of all) console.log(`${c.name}  (weight ${c.weight}, ${c.ciRuns} runs in CI)`);
  process.exit(cases.length === 0 ? 2 : 0);
}

console.log(`fuzz: seed ${seed}, ${runs} runs per case of weight 1, ${cases.length} cases`);
/** fast-check's report (seed, path, counterexample) and the assertion that failed, which is its cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined ? error.message : `${error.message}\ncaused by: ${describe(error.cause)}`;
}

const failed: string[] = [];
const started = performance.now();
for (const c of cases) {
  const numRuns = Math.max(1, Math.ceil(runs * c.weight));
  const t0 = performance.now();
  try {
    await c.run({ seed: seedFor(seed, c.name), numRuns });
    console.log(
      `  ok    ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${numRuns} × ${c.name}`,
    );
  } catch (error) {
    failed.push(c.name);
    console.log(
      `  FAIL  ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${numRuns} × ${c.name}`,
    );
    console.log(describe(error));
    console.log(`  replay: npm run fuzz -- --seed ${seed} --runs ${runs} --only '${c.name}'\n`);
  }
}
const total = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `fuzz: ${cases.length - failed.length} of ${cases.length} cases passed in ${total} s (seed ${seed})`,
);
process.exit(failed.length === 0 ? 0 : 1);
