import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import {
  createPersonalKey,
  fromBase64Url,
  generateKeyPair,
  toBase64Url,
  unwrapFileKey,
  unwrapPrivateKeyWithPassphrase,
  importPublicKey,
  wrapFileKey,
  wrapPrivateKeyWithPassphrase,
  wrapPrivateKeyWithRecoveryCode,
  exportPublicKey,
  generateRecoveryCode,
  DEFAULT_ARGON2_PARAMETERS,
} from '@amtsbote/crypto';
import type { TestApp } from '@amtsbote/server/testing';
import { TestClient, createTestApp, outbox, seedTenant } from '@amtsbote/server/testing';
import { apiTokenFor } from '@amtsbote/server/operations';
import { identityFileText } from '../src/commands/crypto.ts';

const exec = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../bin/amtsbote.js');

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PASS = 'eine lange Schlüssel-Passphrase';
// Cheaper Argon2id than the default, within the library's writer minimum, for test speed.
const params = DEFAULT_ARGON2_PARAMETERS;

/**
 * Levels 3 and 4 end to end without a browser: the caseworker's CLI encrypts locally to a
 * citizen who has no key yet; the citizen proves the address and stores a key; the caseworker's
 * side re-wraps the file key (as the browser island does); the citizen's CLI fetches and
 * decrypts. The server's database and blob store never see the marker or the file name.
 */
describe('amtsbote send --level 3|4 and fetch --identity', () => {
  let t: TestApp;
  let server: string;
  let host: string;
  let token: string;
  let dir: string;
  let staffKey: CryptoKeyPair;
  const marker = `MARKER-${randomBytes(8).toString('hex')}`;
  const data = Buffer.concat([Buffer.from(marker), randomBytes(1_300_000)]);

  before(async () => {
    t = await createTestApp();
    const seeded = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt' });
    token = await apiTokenFor(t.deps.db, seeded.tenant, seeded.admin.email);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    server = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    host = '127.0.0.1';
    t.deps.config.publicUrl = server;
    dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-e2e-'));
    await writeFile(path.join(dir, `geheim-${marker}.pdf`), data);
    // The caseworker's personal key, as the keys page makes it.
    const key = await createPersonalKey(PASS, params);
    const res = await fetch(`${server}/api/v1/keys/me`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        publicKey: key.publicKey,
        wrappedWithPassphrase: toBase64Url(key.wrappedWithPassphrase),
        wrappedWithRecoveryCode: toBase64Url(key.wrappedWithRecoveryCode),
      }),
    });
    assert.equal(res.status, 201, await res.text());
    staffKey = await unwrapPrivateKeyWithPassphrase(key.wrappedWithPassphrase, PASS);
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  const api = async (method: string, url: string, body?: unknown): Promise<Response> =>
    fetch(`${server}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  for (const level of [3, 4] as const) {
    it(`level ${String(level)}: send to a citizen without a key, re-wrap after they create one, fetch and decrypt`, async () => {
      const citizen = `buergerin${String(level)}@example.org`;
      const sent = await cli(
        [
          'send',
          '--server',
          server,
          '--to',
          citizen,
          '--level',
          String(level),
          '--subject',
          'Bescheid',
          '--message',
          `Text ${marker}`,
          '--json',
          path.join(dir, `geheim-${marker}.pdf`),
        ],
        {
          AMTSBOTE_TOKEN: token,
        },
      );
      assert.equal(sent.code, 0, sent.stderr);
      const out = JSON.parse(sent.stdout) as { id: string; recipients: { email: string; link: string }[] };
      const link = out.recipients[0]?.link ?? '';

      // The citizen proves the address (level-2 code flow) and creates a key.
      const c = new TestClient(t.app, host);
      const linkPath = new URL(link).pathname;
      await c.get(linkPath);
      const page = await c.postForm(`${linkPath}/code`, {});
      const codeId = /name="codeId" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const code = /\b(\d{6})\b/.exec((await outbox(t)).at(-1)?.text ?? '')?.[1] ?? '';
      const verified = await c.postForm(`${linkPath}/verify`, { codeId, code });
      assert.equal(verified.statusCode, 303, verified.body);
      const before = await c.get(`/api/v1/received/${linkPath.split('/').at(-1) ?? ''}/envelope`);
      assert.equal(before.json<{ state: string }>().state, 'no-key');

      const pair = await generateKeyPair({ extractable: true });
      const publicKey = await exportPublicKey(pair.publicKey);
      const stored = await c.json('POST', '/api/v1/keys/me', {
        publicKey,
        wrappedWithPassphrase: toBase64Url(await wrapPrivateKeyWithPassphrase(pair, PASS, params)),
        wrappedWithRecoveryCode: toBase64Url(
          await wrapPrivateKeyWithRecoveryCode(pair, generateRecoveryCode()),
        ),
      });
      assert.equal(stored.statusCode, 201, stored.body);
      const waiting = await c.get(`/api/v1/received/${linkPath.split('/').at(-1) ?? ''}/envelope`);
      assert.equal(waiting.json<{ state: string }>().state, 'waiting');

      // The caseworker's side (the background island) re-wraps; the citizen is told by mail.
      const pending = (await (await api('GET', '/api/v1/keys/rewraps')).json()) as {
        transferId: string;
        recipientId: string;
        publicKey: string;
        envelope: string;
      }[];
      const item = pending.find((p) => p.transferId === out.id);
      assert.ok(item, 'the new key is listed for re-wrap');
      const fileKey = await unwrapFileKey(fromBase64Url(item.envelope), staffKey);
      const rewrapped = await api('POST', '/api/v1/keys/rewraps', {
        transferId: item.transferId,
        recipientId: item.recipientId,
        envelope: toBase64Url(await wrapFileKey(fileKey, await importPublicKey(item.publicKey))),
      });
      assert.equal(rewrapped.status, 204, await rewrapped.text());
      assert.ok(
        (await outbox(t)).some(
          (m) => m.to.includes(citizen) && /jetzt geöffnet|can be opened now/.test(m.subject),
        ),
      );
      const after = (
        (await (await api('GET', '/api/v1/keys/rewraps')).json()) as { transferId: string }[]
      ).filter((p) => p.transferId === out.id);
      assert.equal(after.length, 0);

      // The citizen's CLI fetches with a personal access token (made on the account page) and
      // the identity file.
      const identity = path.join(dir, `citizen${String(level)}.key`);
      await writeFile(identity, await identityFileText(pair, new Date()), { mode: 0o600 });
      await c.get('/account/tokens');
      const made = await c.postForm('/account/tokens', { name: 'cli', expiresInDays: '30' });
      const citizenToken = /id="token-secret">([^<]+)</.exec(made.body)?.[1] ?? '';
      assert.match(citizenToken, /^amta_/);
      const into = path.join(dir, `fetched${String(level)}`);
      const noId = await cli(['fetch', link, '-o', into], { AMTSBOTE_TOKEN: citizenToken });
      assert.equal(noId.code, 2, 'an end-to-end transfer needs --identity');
      const f = await cli(['fetch', link, '-o', into, '--identity', identity, '--token', citizenToken]);
      assert.equal(f.code, 0, f.stderr);
      assert.equal(sha(await readFile(path.join(into, `geheim-${marker}.pdf`))), sha(data));

      // A wrong identity: the one decryption error, and no plaintext file left behind.
      const other = path.join(dir, `other${String(level)}.key`);
      await writeFile(
        other,
        await identityFileText(await generateKeyPair({ extractable: true }), new Date()),
        { mode: 0o600 },
      );
      const wrongDir = path.join(dir, `wrong${String(level)}`);
      const wrong = await cli(['fetch', link, '-o', wrongDir, '--identity', other], {
        AMTSBOTE_TOKEN: citizenToken,
      });
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /decryption failed/);
      assert.deepEqual(
        (await readdir(wrongDir).catch(() => [])).filter((n) => !n.endsWith('.amtb.part')),
        [],
      );
    });
  }

  it('refuses to send a level-3 draft without the sender’s own envelope', async () => {
    const d = await api('POST', '/api/v1/transfers', {
      level: 3,
      recipients: ['x@example.org'],
      subject: 'S',
      files: [],
    });
    assert.equal(d.status, 201);
    const id = ((await d.json()) as { id: string }).id;
    const s = await api('POST', `/api/v1/transfers/${id}/send`);
    assert.equal(s.status, 409);
    assert.equal(((await s.json()) as { error: { code: string } }).error.code, 'ERR_SENDER_ENVELOPE_MISSING');
  });

  it('keeps neither the marker nor the level-4 file name in the database or blob store', async () => {
    const dump = await t.deps.db.query<{ t: string }>(
      `SELECT string_agg(x::text, ' ') AS t FROM (
         SELECT row_to_json(tr)::text AS x FROM transfers tr UNION ALL SELECT row_to_json(f)::text FROM transfer_files f
         UNION ALL SELECT row_to_json(a)::text FROM audit_events a UNION ALL SELECT row_to_json(e)::text FROM transfer_envelopes e) s`,
    );
    assert.doesNotMatch(dump[0]?.t ?? '', new RegExp(marker));
    assert.doesNotMatch(dump[0]?.t ?? '', new RegExp(Buffer.from(marker).toString('hex')));
    const walk = async (d: string): Promise<Buffer[]> => {
      const out: Buffer[] = [];
      for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) out.push(...(await walk(p)));
        else out.push(await readFile(p));
      }
      return out;
    };
    for (const file of await walk(t.dataDir)) assert.equal(file.includes(marker), false);
  });
});
