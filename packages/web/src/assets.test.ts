import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadAssets } from './assets.ts';
import { STYLESHEETS } from './layout.ts';
import { adminUser, renderAll } from './test-support.ts';

const assets = await loadAssets();

describe('loadAssets', () => {
  it('serves the KERN stylesheet and its fonts under /assets/', () => {
    const kern = assets.get('/assets/kern/kern.min.css');
    assert.ok(kern !== undefined);
    assert.equal(kern.contentType, 'text/css; charset=utf-8');
    assert.match(kern.body.toString('utf8'), /\.kern-btn/);
    const fonts = assets.get('/assets/kern/fonts/fira-sans.css');
    assert.ok(fonts !== undefined);
    assert.match(
      fonts.body.toString('utf8'),
      /url\("\/assets\/kern\/fonts\/fira-sans\/FiraSans-Regular\.woff2"\)/,
    );
    assert.equal(
      assets.get('/assets/kern/fonts/fira-sans/FiraSans-Regular.woff2')?.contentType,
      'font/woff2',
    );
    assert.ok(assets.has('/assets/amtsbote.css'));
  });

  it('every url() in every served stylesheet points at a served asset (or is inline data)', () => {
    let checked = 0;
    for (const [urlPath, asset] of assets) {
      if (!asset.contentType.startsWith('text/css')) continue;
      for (const m of asset.body.toString('utf8').matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/g)) {
        const ref = m[2] ?? '';
        if (ref.startsWith('data:')) continue;
        checked++;
        assert.ok(assets.has(ref), `${urlPath}: url(${ref}) is not served`);
      }
    }
    assert.ok(checked >= 10, 'the font files were checked');
  });

  it('every stylesheet, script and icon a page references is served', () => {
    for (const href of STYLESHEETS) assert.ok(assets.has(href), href);
    for (const [name, doc] of Object.entries(renderAll('de', { user: adminUser }))) {
      for (const m of doc.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g))
        assert.ok(assets.has(m[1] ?? ''), `${name}: ${m[1] ?? ''}`);
    }
    const withErrors = renderAll('de').loginErrors ?? '';
    assert.match(withErrors, /\/assets\/islands\/form-errors\.js/);
  });

  it('bundles every island in src/islands into /assets/islands/<name>.js', async () => {
    const islands = (await readdir(path.join(import.meta.dirname, 'islands'))).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    assert.ok(islands.length > 0);
    for (const file of islands) {
      const js = assets.get(`/assets/islands/${file.replace(/\.ts$/, '.js')}`);
      assert.ok(js !== undefined, file);
      assert.equal(js.contentType, 'text/javascript; charset=utf-8');
      assert.doesNotMatch(js.body.toString('utf8'), /\binterface\b|: HTMLElement\b/, 'types are stripped');
    }
  });

  it('gives each asset a quoted ETag from its content, and is built once', async () => {
    const etags = new Set<string>();
    for (const a of assets.values()) {
      assert.match(a.etag, /^"[A-Za-z0-9_-]{20,}"$/);
      etags.add(a.etag);
    }
    assert.equal(etags.size, assets.size);
    assert.equal(await loadAssets(), assets);
  });

  it('the islands type-check against the browser library (tsconfig.islands.json)', async () => {
    const root = path.resolve(import.meta.dirname, '../../..');
    await promisify(execFile)(
      path.join(root, 'node_modules/.bin/tsc'),
      ['-p', 'packages/web/tsconfig.islands.json'],
      { cwd: root },
    );
  });
});
