// amtsbote keygen / encrypt / decrypt, through run() (the CLI's entry point) with injected streams, and
// through the real binary for pipes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { identify } from '@amtsbote/crypto';
import type { CryptoIo } from '../src/commands/crypto.ts';
import { run } from '../src/main.ts';

const bin = path.resolve(import.meta.dirname, '../bin/amtsbote.js');

interface Result {
  code: number | 'running';
  out: string[];
  err: string[];
  stdout: Buffer;
}

/** Runs the CLI in-process; `stdin` feeds standard input, standard output is collected. */
async function cli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: Uint8Array; ask?: string[] } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const chunks: Buffer[] = [];
  const answers = [...(options.ask ?? [])];
  const io: CryptoIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: options.env ?? {},
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
    askPassphrase: async () => {
      const answer = answers.shift();
      if (answer === undefined) throw new Error('unexpected passphrase prompt');
      return answer;
    },
  };
  const code = await run(argv, io);
  return { code, out, err, stdout: Buffer.concat(chunks) } satisfies Result;
}

/** Runs the real binary with a piped stdin. */
function spawnCli(argv: string[], stdin: Uint8Array, env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: Buffer; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...argv], { env: { ...process.env, ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(stdin);
  });
}

/** Exactly one error line, no stack trace. */
function oneLine(r: { err: string[] }, pattern: RegExp): void {
  assert.equal(r.err.length, 1, r.err.join('\n'));
  assert.match(r.err[0] ?? '', pattern);
  assert.doesNotMatch(r.err[0] ?? '', /\n|\bat .*:\d+:\d+/);
}

const FAILED = /^amtsbote: decrypt: decryption failed: wrong key or passphrase, or the file was modified/;

describe('amtsbote keygen, encrypt, decrypt', () => {
  let dir: string;
  let alice: { file: string; pub: string };
  let bob: { file: string; pub: string };
  let plain: string;
  let data: Buffer;

  const tmp = (name: string): string => path.join(dir, name);

  async function keygen(name: string): Promise<{ file: string; pub: string }> {
    const file = tmp(name);
    const r = await cli(['keygen', '-o', file]);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.equal(r.out.length, 1);
    return { file, pub: r.out[0] ?? '' };
  }

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'amtsbote-crypto-cli-'));
    alice = await keygen('alice.key');
    bob = await keygen('bob.key');
    // Several chunks of the default 512 KiB size plus a short final one.
    data = randomBytes(3 * 512 * 1024 + 12345);
    plain = tmp('plain.bin');
    await writeFile(plain, data);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keygen prints the public key and writes a private identity file readable only by its owner', async () => {
    assert.match(alice.pub, /^amtb-pub1-[A-Za-z0-9_-]{44}$/);
    const text = await readFile(alice.file, 'utf8');
    assert.match(text, /^# amtsbote identity/);
    assert.ok(text.includes(`# public key: ${alice.pub}\n`));
    assert.match(text, /^amtb-sec1-[A-Za-z0-9_-]+$/m);
    assert.equal((await stat(alice.file)).mode & 0o777, 0o600);
  });

  it('keygen refuses to overwrite a file and needs -o', async () => {
    const before = await readFile(alice.file, 'utf8');
    const r = await cli(['keygen', '-o', alice.file]);
    assert.equal(r.code, 1);
    oneLine(r, /^amtsbote: keygen: cannot write .*alice\.key: already exists$/);
    assert.equal(await readFile(alice.file, 'utf8'), before);
    const u = await cli(['keygen']);
    assert.equal(u.code, 2);
    oneLine(u, /-o FILE is required/);
  });

  it('encrypts to a public key and decrypts with the identity, file to file', async () => {
    const enc = tmp('rt.amtb');
    const e = await cli(['encrypt', '--recipient', alice.pub, '-o', enc, plain]);
    assert.equal(e.code, 0, e.err.join('\n'));
    const out = tmp('rt.out');
    const d = await cli(['decrypt', '--identity', alice.file, '-o', out, enc]);
    assert.equal(d.code, 0, d.err.join('\n'));
    assert.deepEqual(await readFile(out), data);
    assert.equal((await stat(out)).mode & 0o777, 0o600, 'plaintext written readable only by its owner');
  });

  it('writes the container of docs/crypto.md: AMTB F 01, envelopes, then the stream', async () => {
    const enc = tmp('layout.amtb');
    assert.equal((await cli(['encrypt', '-r', alice.pub, '-r', bob.pub, '-o', enc, plain])).code, 0);
    const bytes = await readFile(enc);
    assert.deepEqual([...bytes.subarray(0, 7)], [0x41, 0x4d, 0x54, 0x42, 0x46, 0x01, 2]);
    let at = 7;
    for (let i = 0; i < 2; i++) {
      const length = bytes.readUInt16BE(at);
      assert.equal(length, 87);
      assert.equal(identify(bytes.subarray(at + 2, at + 2 + length)), 'p256Envelope');
      at += 2 + length;
    }
    assert.equal(identify(bytes.subarray(at)), 'stream');
    const chunks = Math.floor(data.length / (512 * 1024)) + 1;
    assert.equal(bytes.length - at, 55 + data.length + 16 * chunks);
  });

  it('encrypts to several recipients: each identity decrypts, a third does not', async () => {
    const enc = tmp('multi.amtb');
    const e = await cli(['encrypt', '-r', alice.pub, '-r', bob.pub, '-o', enc, plain]);
    assert.equal(e.code, 0, e.err.join('\n'));
    for (const who of [alice, bob]) {
      const d = await cli(['decrypt', '-i', who.file, enc]);
      assert.equal(d.code, 0, d.err.join('\n'));
      assert.ok(d.stdout.equals(data));
    }
    const carol = await keygen('carol.key');
    const wrong = await cli(['decrypt', '-i', carol.file, '-o', tmp('carol.out'), enc]);
    assert.equal(wrong.code, 1);
    oneLine(wrong, FAILED);
    // Several identities: the one that fits is used.
    const both = await cli(['decrypt', '-i', carol.file, '-i', bob.file, enc]);
    assert.equal(both.code, 0, both.err.join('\n'));
    assert.ok(both.stdout.equals(data));
  });

  it('a tampered byte anywhere fails with the one error line and leaves no output file', async () => {
    const enc = tmp('tamper.amtb');
    assert.equal((await cli(['encrypt', '-r', alice.pub, '-o', enc, plain])).code, 0);
    const good = await readFile(enc);
    // In the envelope, the stream's magic, its salt, the first chunk, the last chunk's tag.
    for (const offset of [40, 7 + 89 + 1, 7 + 89 + 30, 7 + 89 + 55 + 1000, good.length - 1]) {
      const bad = Buffer.from(good);
      bad[offset] = (bad[offset] ?? 0) ^ 0x01;
      await writeFile(tmp('bad.amtb'), bad);
      const out = tmp('bad.out');
      const r = await cli(['decrypt', '-i', alice.file, '-o', out, tmp('bad.amtb')]);
      assert.equal(r.code, 1, `flip at ${offset}`);
      oneLine(r, FAILED);
      await assert.rejects(stat(out), { code: 'ENOENT' });
    }
    const leftovers = (await readdir(dir)).filter((f) => f.includes('.partial'));
    assert.deepEqual(leftovers, [], 'no temporary plaintext files left behind');
  });

  it('a truncated or extended file fails the same way; a foreign file is named as such', async () => {
    const enc = tmp('trunc.amtb');
    assert.equal((await cli(['encrypt', '-r', alice.pub, '-o', enc, plain])).code, 0);
    const good = await readFile(enc);
    const streamStart = 7 + 89;
    const chunk = 512 * 1024 + 16;
    const variants = [
      good.subarray(0, good.length - 1),
      good.subarray(0, streamStart + 55 + 3 * chunk), // ends on a chunk boundary
      Buffer.concat([good, Buffer.of(0)]),
    ];
    for (const [i, bytes] of variants.entries()) {
      await writeFile(tmp('cut.amtb'), bytes);
      const r = await cli(['decrypt', '-i', alice.file, '-o', tmp('cut.out'), tmp('cut.amtb')]);
      assert.equal(r.code, 1, `variant ${i}`);
      oneLine(r, FAILED);
      await assert.rejects(stat(tmp('cut.out')), { code: 'ENOENT' });
    }
    const foreign = await cli(['decrypt', '-i', alice.file, plain]);
    assert.equal(foreign.code, 1);
    oneLine(foreign, /not a file made by amtsbote encrypt/);
  });

  it('encrypts and decrypts with a passphrase from AMTSBOTE_PASSPHRASE; a wrong one fails', async () => {
    const env = { AMTSBOTE_PASSPHRASE: 'korrekt Pferd Batterie Heftklammer' };
    const enc = tmp('pass.amtb');
    const e = await cli(['encrypt', '--passphrase', '-o', enc, plain], { env });
    assert.equal(e.code, 0, e.err.join('\n'));
    const d = await cli(['decrypt', '--passphrase', enc], { env });
    assert.equal(d.code, 0, d.err.join('\n'));
    assert.ok(d.stdout.equals(data));
    const out = tmp('pass.out');
    const wrong = await cli(['decrypt', '-p', '-o', out, enc], { env: { AMTSBOTE_PASSPHRASE: 'falsch' } });
    assert.equal(wrong.code, 1);
    oneLine(wrong, FAILED);
    await assert.rejects(stat(out), { code: 'ENOENT' });
    // The envelope types are public, so the CLI can say which key the file needs.
    const withKey = await cli(['decrypt', '-i', alice.file, enc]);
    assert.equal(withKey.code, 1);
    oneLine(withKey, /encrypted with a passphrase: use --passphrase/);
  });

  it('asks for the passphrase twice when encrypting and once when decrypting', async () => {
    const enc = tmp('asked.amtb');
    const e = await cli(['encrypt', '-p', '-o', enc, plain], { ask: ['geheim wie nie', 'geheim wie nie'] });
    assert.equal(e.code, 0, e.err.join('\n'));
    const d = await cli(['decrypt', '-p', enc], { ask: ['geheim wie nie'] });
    assert.equal(d.code, 0, d.err.join('\n'));
    assert.ok(d.stdout.equals(data));
    const mismatch = await cli(['encrypt', '-p', '-o', tmp('never.amtb'), plain], { ask: ['eins', 'zwei'] });
    assert.equal(mismatch.code, 1);
    oneLine(mismatch, /passphrases do not match/);
    await assert.rejects(stat(tmp('never.amtb')), { code: 'ENOENT' });
    const empty = await cli(['encrypt', '-p', plain], { ask: [''] });
    assert.equal(empty.code, 1);
    oneLine(empty, /must not be empty/);
  });

  it('reads standard input and writes standard output (in-process)', async () => {
    const e = await cli(['encrypt', '-r', bob.pub], { stdin: data });
    assert.equal(e.code, 0, e.err.join('\n'));
    const d = await cli(['decrypt', '-i', bob.file], { stdin: e.stdout });
    assert.equal(d.code, 0, d.err.join('\n'));
    assert.ok(d.stdout.equals(data));
    const empty = await cli(['encrypt', '-r', bob.pub], { stdin: new Uint8Array(0) });
    const back = await cli(['decrypt', '-i', bob.file], { stdin: empty.stdout });
    assert.equal(back.code, 0, back.err.join('\n'));
    assert.equal(back.stdout.length, 0);
  });

  it('works in a shell pipe: the real binary between pipes', async () => {
    const e = await spawnCli(['encrypt', '-r', alice.pub, '-r', bob.pub], data);
    assert.equal(e.code, 0, e.stderr);
    const d = await spawnCli(['decrypt', '-i', bob.file], e.stdout);
    assert.equal(d.code, 0, d.stderr);
    assert.ok(d.stdout.equals(data));
    const bad = Buffer.from(e.stdout);
    bad[bad.length - 100] = (bad[bad.length - 100] ?? 0) ^ 0x80;
    const f = await spawnCli(['decrypt', '-i', alice.file], bad);
    assert.equal(f.code, 1);
    assert.equal(f.stderr.trim().split('\n').length, 1, f.stderr);
    assert.match(f.stderr, FAILED);
  });

  it('explains usage mistakes in one line with exit code 2, and prints help', async () => {
    const cases: [string[], RegExp][] = [
      [['encrypt', plain], /at least one --recipient PUBKEY, or use --passphrase/],
      [['encrypt', '-r', 'amtb-pub1-nope', plain], /is not an amtsbote public key/],
      [['encrypt', '-r', alice.pub, '-p', plain], /cannot be combined/],
      [['decrypt', plain], /name an --identity FILE, or use --passphrase/],
      [['decrypt', '-i', alice.file, 'a', 'b'], /at most one input file/],
      [['encrypt', '--bogus'], /encrypt: Unknown option '--bogus'/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await cli(argv);
      assert.equal(r.code, 2, argv.join(' '));
      oneLine(r, pattern);
    }
    for (const [command, pattern] of [
      ['keygen', /Usage: amtsbote keygen -o FILE/],
      ['encrypt', /--passphrase/],
      ['decrypt', /must be discarded/],
    ] as const) {
      const r = await cli([command, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.out.join('\n'), pattern);
    }
    const missing = await cli(['decrypt', '-i', tmp('nope.key'), plain]);
    assert.equal(missing.code, 1);
    oneLine(missing, /cannot read identity .*nope\.key: no such file or directory/);
    const noDir = await cli(['encrypt', '-r', alice.pub, '-o', tmp('missing/out.amtb'), plain]);
    assert.equal(noDir.code, 1);
    oneLine(noDir, /cannot write .*missing\/out\.amtb: no such directory/);
    const notKey = await cli(['decrypt', '-i', plain, plain]);
    assert.equal(notKey.code, 1);
    oneLine(notKey, /is not an amtsbote identity file/);
  });
});
