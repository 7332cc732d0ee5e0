import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadConfig, serve } from '@amtsbote/server';
import type { RunningPortal } from '@amtsbote/server';

const exec = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/amtsbote.js');

async function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env, DATABASE_URL: env.DATABASE_URL ?? '' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * A GET to the running portal as a visitor of its PUBLIC_URL (http://localhost:18080): the
 * portal listens on another port and refuses a Host it does not know, and fetch() cannot send one.
 */
function getAsPublicUrl(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host: 'localhost:18080', ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('amtsbote CLI beside a running portal on the embedded database', () => {
  let dataDir: string;
  let portal: RunningPortal;
  let env: Record<string, string>;
  const banner: string[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'amtsbote-cli-'));
    env = { DATA_DIR: dataDir, PUBLIC_URL: 'http://localhost:18080', LOG_LEVEL: 'silent' };
    portal = await serve(loadConfig({ ...env, PORT: '0' }), (l) => banner.push(l));
  });
  after(async () => {
    await portal.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the first start printed a one-time login link for the demo admin', () => {
    assert.ok(
      banner.some((l) => /\/login\/link\/[A-Za-z0-9_-]{40,}/.test(l)),
      banner.join('\n'),
    );
  });

  it('creates a tenant and a user, prints a login link and a token while the portal serves', async () => {
    const t = await cli(
      [
        'admin',
        'create-tenant',
        '--slug',
        'kreis-x',
        '--name',
        'Landkreis X',
        '--host',
        'kreis-x.localhost',
        '--department',
        'Bauamt',
      ],
      env,
    );
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /created authority kreis-x/);

    const u = await cli(
      [
        'admin',
        'create-user',
        '--tenant',
        'kreis-x',
        '--email',
        'IT@kreis-x.example',
        '--admin',
        '--department',
        'Bauamt',
      ],
      env,
    );
    assert.equal(u.code, 0, u.stderr);

    const link = await cli(
      ['admin', 'login-link', '--tenant', 'kreis-x', '--email', 'it@kreis-x.example'],
      env,
    );
    assert.equal(link.code, 0, link.stderr);
    assert.match(link.stdout.trim(), /^http:\/\/kreis-x\.localhost:18080\/login\/link\/[A-Za-z0-9_-]{40,}$/);

    const tok = await cli(
      ['token', 'create', '--tenant', 'kreis-x', '--email', 'it@kreis-x.example', '--json'],
      env,
    );
    assert.equal(tok.code, 0, tok.stderr);
    const { token } = JSON.parse(tok.stdout) as { token: string };
    const me = await getAsPublicUrl(`${portal.url}/api/v1/me`, { authorization: `Bearer ${token}` });
    assert.equal(me.status, 200);
    assert.equal((JSON.parse(me.body) as { email: string }).email, 'it@kreis-x.example');

    // The portal kept answering while the CLI used its database.
    assert.equal((await fetch(`${portal.url}/readyz`)).status, 200);
  });

  it('says what is wrong in one line, with a non-zero exit and no stack trace', async () => {
    const cases: [string[], number, RegExp][] = [
      [
        ['admin', 'login-link', '--tenant', 'kreis-x', '--email', 'nobody@kreis-x.example'],
        1,
        /ERR_NOT_FOUND/,
      ],
      [['admin', 'login-link'], 2, /--email is required/],
      [['admin', 'create-tenant', '--slug', 'kreis-x', '--name', 'Doppelt'], 1, /ERR_TENANT_EXISTS/],
      [['token', 'create', '--email', 'it@kreis-x.example'], 1, /name one with --tenant/],
      [['frobnicate'], 2, /unknown command/],
      [['admin', 'create-user', '--bogus'], 2, /Unknown option/i],
    ];
    for (const [args, code, pattern] of cases) {
      const r = await cli(args, env);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('has --help for every command', async () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['migrate', '--help'],
      ['admin', '--help'],
      ['token', '--help'],
      ['admin', 'create-user', '--help'],
    ]) {
      const r = await cli(args, env);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /Usage: amtsbote/);
    }
  });
});

describe('amtsbote CLI on its own', () => {
  it('opens the embedded database directly when no portal runs', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'amtsbote-cli-'));
    try {
      const env = { DATA_DIR: dataDir, SEED_DEMO: 'false' };
      const r = await cli(['admin', 'create-tenant', '--slug', 'solo', '--name', 'Solo'], env);
      assert.equal(r.code, 0, r.stderr);
      const s = await cli(['migrate', '--status'], env);
      assert.match(s.stdout, /pending: none/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('reports a bad configuration in one line', async () => {
    const r = await cli(['migrate'], { PORT: 'eighty' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /PORT must be a whole number/);
  });
});
