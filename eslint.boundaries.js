// @ts-check
// The house rules of packages/server, checked by the lint (docs/architecture.md):
// - a module is reached by other modules only through its index.ts;
// - http/ is framework code and imports nothing from modules/;
// - there is no import cycle (between modules, or between files of one module);
// - every import is declared by its package (npm ci --omit=dev runs the portal).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const server = 'packages/server/src';
const modulesDir = path.join(import.meta.dirname, server, 'modules');
const modules = readdirSync(modulesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** One zone per ordered pair of modules: B's files other than its index.ts are closed to A. */
const moduleZones = modules.flatMap((a) =>
  modules
    .filter((b) => b !== a)
    .map((b) => ({
      target: `./${server}/modules/${a}`,
      from: `./${server}/modules/${b}`,
      except: ['./index.ts'],
      message: `modules/${a} reaches modules/${b} only through its index.ts.`,
    })),
);

export const boundaries = [
  {
    files: [`${server}/**/*.ts`],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
      // no-cycle follows imports into other files and must parse them as TypeScript.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...moduleZones,
            {
              target: `./${server}/http`,
              from: `./${server}/modules`,
              message: 'http/ holds framework code only: it imports nothing from modules/.',
            },
          ],
        },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Every import is declared by the package it is in, so `npm ci --omit=dev` installs what the
    // portal runs; tests, fixtures, scripts and benchmarks may use devDependencies.
    files: [
      'packages/*/src/**/*.ts',
      'packages/*/test/**/*.ts',
      'packages/*/scripts/**/*.ts',
      'packages/*/bench/**/*.ts',
      'e2e/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
    ],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })] },
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          includeTypes: true,
          devDependencies: [
            '**/*.test.ts',
            '**/test/**',
            '**/testing/**',
            '**/fixtures/**',
            '**/scripts/**',
            '**/bench/**',
            '**/fuzz.ts',
            'e2e/**',
            'bench/**',
            'scripts/**',
          ],
        },
      ],
    },
  },
];
