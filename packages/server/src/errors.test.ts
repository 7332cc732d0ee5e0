import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { it } from 'node:test';
import { errorRegistry } from './errors.ts';

const docs = path.resolve(import.meta.dirname, '../../../docs/errors.md');

it('documents every error code in docs/errors.md, and no code that does not exist', async () => {
  const text = await readFile(docs, 'utf8');
  const documented = new Set([...text.matchAll(/^\|\s*`(ERR_[A-Z_]+)`/gm)].map((m) => m[1]));
  for (const [code, entry] of Object.entries(errorRegistry)) {
    assert.ok(documented.has(code), `${code} is missing from docs/errors.md`);
    assert.match(
      text,
      new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${entry.status}\\s*\\|`),
      `${code} must be documented with status ${entry.status}`,
    );
  }
  for (const code of documented)
    assert.ok(code !== undefined && code in errorRegistry, `docs/errors.md lists unknown code ${code}`);
});

it('has a German and an English message for every code', () => {
  for (const [code, e] of Object.entries(errorRegistry)) {
    assert.ok(e.de.length > 10 && e.en.length > 10, code);
    assert.notEqual(e.de, e.en, code);
  }
});
