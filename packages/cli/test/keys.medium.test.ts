import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fingerprint } from '@amtsbote/crypto';
import type { TestApp } from '@amtsbote/server/testing';
import { TestClient, createTestApp, outbox, seedTenant } from '@amtsbote/server/testing';
import { apiTokenFor } from '@amtsbote/server/operations';
import type { Io } from '../src/args.ts';
import { run } from '../src/main.ts';

// amtsbote keys show / keys lookup: the fingerprint of one's own identity file, and of the keys
// the portal's key directory answers, the same digits the key page and the notice mail show.

function capture(env: Record<string, string> = {}): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env };
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

describe('amtsbote keys', () => {
  let t: TestApp;
  let server: string;
  let token: string;
  let dir: string;
  const citizen = 'buergerin@schluessel.example';
  let citizenKey: string;

  before(async () => {
    t = await createTestApp();
    const seeded = await seedTenant(t.deps, { slug: 'musterstadt', name: 'Musterstadt' });
    token = await apiTokenFor(t.deps.db, seeded.tenant, seeded.admin.email);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    server = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-keys-'));

    // A citizen with a service account and a key (the server checks only the framing of the
    // wrapped objects, so random bytes around a real public point stand in for them).
    const c = new TestClient(t.app, '127.0.0.1');
    await c.get('/account/register');
    const asked = await c.postForm('/account/register', { email: citizen });
    const code = /\b(\d{6})\b/.exec((await outbox(t)).at(-1)?.text ?? '')?.[1] ?? '';
    const codeId = /name="codeId" value="([^"]+)"/.exec(asked.body)?.[1] ?? '';
    const verified = await c.postForm('/account/register/verify', { codeId, code, email: citizen });
    assert.equal(verified.statusCode, 303, verified.body);
    await c.get('/account');
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const point = ecdh.getPublicKey(undefined, 'compressed');
    citizenKey = `amtb-pub1-${b64(point)}`;
    const stored = await c.json('POST', '/api/v1/keys/me', {
      publicKey: citizenKey,
      wrappedWithPassphrase: b64(
        Buffer.concat([Buffer.from('AMTBK\x01', 'latin1'), randomBytes(25), point, randomBytes(48)]),
      ),
      wrappedWithRecoveryCode: b64(
        Buffer.concat([Buffer.from('AMTBR\x01', 'latin1'), randomBytes(16), point, randomBytes(48)]),
      ),
    });
    assert.equal(stored.statusCode, 201, stored.body);
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keys show prints the identity’s public key and its fingerprint for the address', async () => {
    const file = path.join(dir, 'ich.key');
    const made = capture();
    assert.equal(await run(['keygen', '-o', file], made), 0, made.errors.join('\n'));
    const publicKey = /amtb-pub1-[A-Za-z0-9_-]+/.exec(made.lines.join('\n'))?.[0] ?? '';
    const io = capture();
    assert.equal(await run(['keys', 'show', '--identity', file, '--email', 'Ich@Example.org'], io), 0);
    assert.deepEqual(io.lines, [
      `public key:  ${publicKey}`,
      `fingerprint: ${await fingerprint(publicKey, 'ich@example.org')}`,
    ]);
    const missing = capture();
    assert.equal(await run(['keys', 'show', '--identity', file], missing), 2);
    assert.match(missing.errors.join('\n'), /--email is required/);
  });

  it('keys lookup prints each answered key with its fingerprint, and who has none', async () => {
    const io = capture({ AMTSBOTE_TOKEN: token });
    const code = await run(['keys', 'lookup', citizen, 'niemand@example.org', '--server', server], io);
    assert.equal(code, 0, io.errors.join('\n'));
    assert.deepEqual(io.lines, [
      citizen,
      `  public key:  ${citizenKey}`,
      `  fingerprint: ${await fingerprint(citizenKey, citizen)}`,
      'niemand@example.org',
      '  no key',
    ]);
    const refused = capture();
    assert.equal(
      await run(['keys', 'lookup', citizen, '--server', server, '--token', 'amtb_falsch'], refused),
      1,
    );
    assert.match(refused.errors.join('\n'), /ERR_UNAUTHENTICATED/);
  });
});
