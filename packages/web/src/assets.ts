import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

/** One static file as the server sends it. */
export interface Asset {
  body: Buffer;
  contentType: string;
  /** A strong ETag (quoted), from the content. */
  etag: string;
}

/** URL prefix of every asset; app.ts serves `/assets/*` from the map. */
export const ASSETS_PREFIX = '/assets/';

const srcDir = import.meta.dirname;
const packageDir = path.dirname(srcDir);
const staticDir = path.join(srcDir, 'static');
const islandsDir = path.join(srcDir, 'islands');

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function contentTypeOf(file: string): string {
  const type = contentTypes[path.extname(file).toLowerCase()];
  if (type === undefined) throw new Error(`assets: no content type known for ${file}`);
  return type;
}

class AssetMap {
  readonly map = new Map<string, Asset>();

  add(urlPath: string, body: Buffer, contentType: string): void {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    this.map.set(urlPath, { body, contentType, etag });
  }
}

// url(…) in CSS, quoted or not.
const CSS_URL = /url\(\s*(['"]?)([^'")]*)\1\s*\)/g;

/**
 * Serves a stylesheet at `urlPath` together with every file its url()s point to. Relative
 * references are resolved against the stylesheet's file and rewritten to their absolute
 * /assets/… path, so they resolve whatever URL the CSS is served at. References outside
 * `root.dir` or to other origins are refused: the portal makes no third-party requests.
 */
async function addStylesheet(
  assets: AssetMap,
  urlPath: string,
  file: string,
  root: { dir: string; url: string },
): Promise<void> {
  const css = await readFile(file, 'utf8');
  const referenced = new Map<string, string>();
  const rewritten = css.replace(CSS_URL, (whole, _quote: string, ref: string) => {
    const target = ref.trim();
    if (target.startsWith('data:') || target.startsWith('#')) return whole;
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(target))
      throw new Error(`assets: ${file} refers to another origin: ${target}`);
    if (target.startsWith(ASSETS_PREFIX)) return whole;
    const onDisk = path.resolve(path.dirname(file), target.split(/[?#]/)[0] ?? '');
    if (!onDisk.startsWith(root.dir + path.sep))
      throw new Error(`assets: ${file} refers outside ${root.dir}: ${target}`);
    const servedAt = root.url + path.relative(root.dir, onDisk).split(path.sep).join('/');
    referenced.set(servedAt, onDisk);
    return `url("${servedAt}")`;
  });
  assets.add(urlPath, Buffer.from(rewritten, 'utf8'), contentTypeOf(file));
  for (const [servedAt, onDisk] of referenced)
    assets.add(servedAt, await readFile(onDisk), contentTypeOf(onDisk));
}

/**
 * Bundles every `src/islands/<name>.ts` (tests excluded) into `/assets/islands/<name>.js`: ES
 * modules for current browsers, shared code split into chunks. Adding an island is adding a
 * file; a page loads it with `islandScript('<name>')`.
 */
async function addIslands(assets: AssetMap): Promise<void> {
  const files = (await readdir(islandsDir)).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'),
  );
  if (files.length === 0) return;
  const outdir = path.join(packageDir, '.islands-build');
  const result = await build({
    entryPoints: Object.fromEntries(files.map((f) => [f.slice(0, -'.ts'.length), path.join(islandsDir, f)])),
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
    tsconfig: path.join(packageDir, 'tsconfig.islands.json'),
  });
  for (const out of result.outputFiles) {
    const rel = path.relative(outdir, out.path).split(path.sep).join('/');
    assets.add(`${ASSETS_PREFIX}islands/${rel}`, Buffer.from(out.contents), contentTypeOf(out.path));
  }
}

async function load(): Promise<Map<string, Asset>> {
  const assets = new AssetMap();
  const require = createRequire(import.meta.url);
  const kernDir = path.join(path.dirname(require.resolve('@kern-ux/native/package.json')), 'dist');
  const kern = { dir: kernDir, url: `${ASSETS_PREFIX}kern/` };
  await addStylesheet(assets, `${ASSETS_PREFIX}kern/kern.min.css`, path.join(kernDir, 'kern.min.css'), kern);
  await addStylesheet(
    assets,
    `${ASSETS_PREFIX}kern/fonts/fira-sans.css`,
    path.join(kernDir, 'fonts', 'fira-sans.css'),
    kern,
  );
  await addStylesheet(assets, `${ASSETS_PREFIX}amtsbote.css`, path.join(staticDir, 'amtsbote.css'), {
    dir: staticDir,
    url: ASSETS_PREFIX,
  });
  assets.add(
    `${ASSETS_PREFIX}favicon.svg`,
    await readFile(path.join(staticDir, 'favicon.svg')),
    contentTypeOf('favicon.svg'),
  );
  await addIslands(assets);
  return assets.map;
}

let loading: Promise<Map<string, Asset>> | undefined;

/**
 * Every static asset, keyed by URL path (`/assets/…`): the KERN stylesheet and the fonts it
 * needs, Amtsbote's own stylesheet, and the bundled browser islands. Built once per process
 * (every app instance shares it); the map must be treated as read-only.
 */
export function loadAssets(): Promise<Map<string, Asset>> {
  loading ??= load().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
