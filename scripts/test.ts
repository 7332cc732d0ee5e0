// Runs the test tiers with node's own test runner in one process tree, so CI reads one summary.
//   node scripts/test.ts            every tier
//   node scripts/test.ts unit       fast tests, no I/O beyond temp files
//   node scripts/test.ts medium     against PGlite, or real PostgreSQL when TEST_DATABASE_URL is set
//   node scripts/test.ts e2e        Chromium through playwright-core
// Extra arguments after the tier are passed to node --test (e.g. --test-name-pattern=login).
import { spawnSync } from 'node:child_process';
import { glob } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tiers = {
  unit: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
  medium: ['packages/*/src/**/*.medium.test.ts', 'packages/*/test/**/*.medium.test.ts'],
  e2e: ['e2e/**/*.e2e.test.ts'],
} as const;
type Tier = keyof typeof tiers;
const isTier = (s: string | undefined): s is Tier => s !== undefined && s in tiers;

const [first, ...rest] = process.argv.slice(2);
const chosen: Tier[] = isTier(first) ? [first] : ['unit', 'medium', 'e2e'];
const passThrough = isTier(first) ? rest : process.argv.slice(2);

async function filesOf(tier: Tier): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of tiers[tier]) {
    for await (const f of glob(pattern, { cwd: root, exclude: (p) => p.includes('node_modules') })) {
      const isMedium = f.endsWith('.medium.test.ts');
      if (tier === 'unit' && isMedium) continue;
      found.add(f);
    }
  }
  return [...found].sort();
}

const files: string[] = [];
for (const tier of chosen) files.push(...(await filesOf(tier)));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// With a real PostgreSQL server, migrate once into a template; each test file clones it.
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
let dropTemplate: (() => Promise<void>) | undefined;
const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl !== undefined && pgUrl !== '' && chosen.some((t) => t !== 'unit')) {
  const { createTemplateDatabase } = await import('@amtsbote/server/testing');
  const template = await createTemplateDatabase(pgUrl);
  env.AMTSBOTE_TEST_TEMPLATE_DB = template.name;
  dropTemplate = () => template.drop();
  console.log(`medium tests on PostgreSQL (${new URL(pgUrl).host}), template ${template.name}`);
} else if (chosen.includes('medium')) {
  console.log('medium tests on embedded PGlite (set TEST_DATABASE_URL for PostgreSQL)');
}

const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=300000', ...passThrough, ...files],
  { cwd: root, stdio: 'inherit', env },
);
await dropTemplate?.();
process.exit(result.status ?? 1);
