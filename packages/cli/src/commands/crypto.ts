// amtsbote keygen / encrypt / decrypt: end-to-end encryption of local files and pipes with
// @amtsbote/crypto. File formats (identity file, encrypted file container): docs/crypto.md, "CLI files".
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, openSync, unlinkSync } from 'node:fs';
import { rename, rm, stat, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ReadStream, WriteStream } from 'node:tty';
import {
  DecryptionFailedError,
  exportPublicKey,
  fromBase64Url,
  generateFileKey,
  generateKeyPair,
  identify,
  importPublicKey,
  isCryptoError,
  toBase64Url,
  unwrapFileKey,
  unwrapFileKeyWithPassphrase,
  wrapFileKey,
  wrapFileKeyWithPassphrase,
} from '@amtsbote/crypto';
// The CLI runs only in Node: the node:crypto implementation of the same format is 1.5–2× faster.
import { decryptStream, encryptStream } from '@amtsbote/crypto/node';
import type { Io } from '../args.ts';
import { CommandError, parse, UsageError } from '../args.ts';
import { discardFile } from '../files.ts';

/**
 * What the crypto commands need beyond {@link Io}: binary standard streams and a way to ask for a
 * passphrase. Every field defaults to the real process (stdin, stdout, the terminal), so `run()` passes its
 * plain `Io`; tests inject their own.
 */
export interface CryptoIo extends Io {
  /** Input when no IN is named. Default `process.stdin`. */
  readonly stdin?: Readable;
  /** Output when no `-o` is given. Default `process.stdout`. */
  readonly stdout?: Writable & { readonly isTTY?: boolean };
  /** Asks for a passphrase without echo. Default: on the controlling terminal (`/dev/tty`). */
  readonly askPassphrase?: (prompt: string) => Promise<string>;
}

export const keygenHelp = `Usage: amtsbote keygen -o FILE

Creates a P-256 key pair for end-to-end encryption. Writes the private key to FILE,
readable only by you (an existing FILE is never overwritten), and prints the public
key (amtb-pub1-…) on standard output: give it to whoever encrypts files for you.
Keep FILE secret and backed up: without it, files encrypted to the public key cannot
be opened by anyone.`;

export const encryptHelp = `Usage: amtsbote encrypt --recipient PUBKEY [--recipient PUBKEY]... [-o OUT] [IN]
       amtsbote encrypt --passphrase [-o OUT] [IN]

Encrypts IN (default: standard input) to OUT (default: standard output) for every
--recipient public key (amtb-pub1-…, printed by amtsbote keygen), or for a passphrase.
Files of any size are encrypted as a stream (AES-256-GCM, docs/crypto.md); nothing is
held whole in memory.

  -r, --recipient PUBKEY  a recipient's public key (repeat for several recipients)
  -p, --passphrase        encrypt for a passphrase instead: asked twice on the terminal,
                          or taken from the environment variable AMTSBOTE_PASSPHRASE
  -o, --output OUT        write to OUT (replaced only once encryption has completed)`;

export const decryptHelp = `Usage: amtsbote decrypt --identity FILE [--identity FILE]... [-o OUT] [IN]
       amtsbote decrypt --passphrase [-o OUT] [IN]

Decrypts IN (default: standard input), made by amtsbote encrypt, to OUT (default:
standard output). Exits with status 1 and one line on standard error when the key or
passphrase is wrong or the file was modified, truncated or extended.

  -i, --identity FILE     a private key file from amtsbote keygen (repeatable)
  -p, --passphrase        the file was encrypted with --passphrase: asked on the
                          terminal, or taken from the environment variable AMTSBOTE_PASSPHRASE
  -o, --output OUT        write to OUT. OUT appears only after the whole file was decrypted
                          and authenticated; on failure nothing is left behind.

Without -o, plaintext goes to standard output as it is authenticated, chunk by chunk:
if decrypt then fails (exit status not 0), the output is incomplete and everything
already written must be discarded.`;

// ---------------------------------------------------------------------------------------------------
// The encrypted file container (docs/crypto.md, "CLI files"): AMTB F 01, n, n × (uint16be length,
// envelope), then the encrypted stream to the end.

const CONTAINER_PREFIX = Uint8Array.of(0x41, 0x4d, 0x54, 0x42, 0x46, 0x01);
/** Bytes before the first entry: prefix and envelope count. */
const CONTAINER_FIXED = CONTAINER_PREFIX.length + 1;
const MAX_ENTRIES = 255;
/** Entry lengths a reader accepts (6-byte object prefix … 1 KiB), so later envelope types fit. */
const MIN_ENTRY = 6;
const MAX_ENTRY = 1024;

const DECRYPTION_FAILED =
  'decryption failed: wrong key or passphrase, or the file was modified, truncated or extended';

/** The bytes that precede the stream: prefix, count and the envelopes. */
export function containerHeader(envelopes: readonly Uint8Array[]): Uint8Array {
  if (envelopes.length < 1 || envelopes.length > MAX_ENTRIES) {
    throw new UsageError(`encrypt: between 1 and ${MAX_ENTRIES} recipients are possible`);
  }
  const size = envelopes.reduce((n, e) => n + 2 + e.length, CONTAINER_FIXED);
  const out = new Uint8Array(size);
  out.set(CONTAINER_PREFIX, 0);
  out[CONTAINER_PREFIX.length] = envelopes.length;
  let at = CONTAINER_FIXED;
  for (const e of envelopes) {
    out[at] = e.length >>> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/** Reads exact byte counts from the front of a Node stream, then hands over the rest. */
class FrontReader {
  readonly #source: AsyncIterator<Uint8Array>;
  #buffer: Uint8Array = new Uint8Array(0);

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  /** The next `n` bytes, or undefined when the input ends before. */
  async read(n: number): Promise<Uint8Array | undefined> {
    while (this.#buffer.length < n) {
      const next = await this.#source.next();
      if (next.done === true) return undefined;
      const joined = new Uint8Array(this.#buffer.length + next.value.length);
      joined.set(this.#buffer, 0);
      joined.set(next.value, this.#buffer.length);
      this.#buffer = joined;
    }
    const out = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }

  /** Everything after what was read, as a web stream. */
  rest(): ReadableStream<Uint8Array> {
    const source = this.#source;
    let first: Uint8Array | undefined = this.#buffer.length > 0 ? this.#buffer : undefined;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (first !== undefined) {
          controller.enqueue(first);
          first = undefined;
          return;
        }
        const next = await source.next();
        if (next.done === true) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await source.return?.();
      },
    });
  }
}

interface Envelopes {
  readonly p256: Uint8Array[];
  readonly passphrase: Uint8Array[];
}

const NOT_A_FILE = 'decrypt: the input is not a file made by amtsbote encrypt';

/** Parses prefix, count and entries; leaves the reader at the first byte of the stream. */
async function readContainer(reader: FrontReader): Promise<Envelopes> {
  const fixed = await reader.read(CONTAINER_FIXED);
  if (fixed === undefined || !CONTAINER_PREFIX.subarray(0, 5).every((b, i) => fixed[i] === b)) {
    throw new CommandError(NOT_A_FILE);
  }
  if (fixed[5] !== CONTAINER_PREFIX[5]) {
    throw new CommandError(
      'decrypt: this file was made by a newer version of amtsbote (unsupported version)',
    );
  }
  const count = fixed[6] ?? 0;
  if (count === 0) throw new CommandError(`${NOT_A_FILE} (no envelopes)`);
  const envelopes: Envelopes = { p256: [], passphrase: [] };
  for (let i = 0; i < count; i++) {
    const lengthBytes = await reader.read(2);
    const length = lengthBytes === undefined ? 0 : ((lengthBytes[0] ?? 0) << 8) | (lengthBytes[1] ?? 0);
    if (length < MIN_ENTRY || length > MAX_ENTRY) throw new CommandError(`${NOT_A_FILE} (damaged header)`);
    const entry = await reader.read(length);
    if (entry === undefined) throw new CommandError(`${NOT_A_FILE} (damaged header)`);
    let kind: string;
    try {
      kind = identify(entry);
    } catch {
      continue; // a recipient type of a later version: not for this reader
    }
    if (kind === 'p256Envelope') envelopes.p256.push(entry.slice());
    else if (kind === 'passphraseEnvelope') envelopes.passphrase.push(entry.slice());
  }
  if (envelopes.passphrase.length > 0 && count !== 1) {
    throw new CommandError(`${NOT_A_FILE} (a passphrase envelope must be the only one)`);
  }
  return envelopes;
}

// ---------------------------------------------------------------------------------------------------
// Identity files: comment lines, then one line amtb-sec1-<base64url(PKCS#8)>.

const SECRET_PREFIX = 'amtb-sec1-';

/** The text of an identity file for an extractable key pair. */
export async function identityFileText(keyPair: CryptoKeyPair, created: Date): Promise<string> {
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keyPair.privateKey));
  const publicKey = await exportPublicKey(keyPair.publicKey);
  return [
    '# amtsbote identity: a P-256 private key (amtsbote decrypt --identity FILE). Keep it secret.',
    `# created: ${created.toISOString()}`,
    `# public key: ${publicKey}`,
    `${SECRET_PREFIX}${toBase64Url(pkcs8)}`,
    '',
  ].join('\n');
}

/** Parses an identity file's text into a key pair (private key non-extractable). */
export async function parseIdentity(text: string): Promise<CryptoKeyPair | undefined> {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const [line, ...others] = lines;
  if (line === undefined || others.length > 0 || !line.startsWith(SECRET_PREFIX)) return undefined;
  const algorithm = { name: 'ECDH', namedCurve: 'P-256' } as const;
  try {
    const pkcs8 = fromBase64Url(line.slice(SECRET_PREFIX.length));
    const extractable = await crypto.subtle.importKey('pkcs8', pkcs8, algorithm, true, ['deriveBits']);
    const { x, y } = await crypto.subtle.exportKey('jwk', extractable);
    if (x === undefined || y === undefined) return undefined;
    const publicKey = await crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x, y },
      algorithm,
      true,
      [],
    );
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['deriveBits']);
    return { privateKey, publicKey };
  } catch {
    return undefined;
  }
}

async function loadIdentity(file: string): Promise<CryptoKeyPair> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CommandError(`decrypt: cannot read identity ${file}: ${fsReason(err)}`);
  }
  const pair = await parseIdentity(text);
  if (pair === undefined)
    throw new CommandError(`decrypt: ${file} is not an amtsbote identity file (amtsbote keygen)`);
  return pair;
}

// ---------------------------------------------------------------------------------------------------
// Passphrases

/** Reads a line from the controlling terminal without echo. */
function askOnTerminal(prompt: string): Promise<string> {
  let inFd: number;
  let outFd: number;
  try {
    inFd = openSync('/dev/tty', 'r');
    outFd = openSync('/dev/tty', 'w');
  } catch {
    return Promise.reject(
      new CommandError(
        'no terminal to ask for the passphrase: set the environment variable AMTSBOTE_PASSPHRASE',
      ),
    );
  }
  const input = new ReadStream(inFd);
  const output = new WriteStream(outFd);
  return new Promise<string>((resolve, reject) => {
    const typed: string[] = [];
    const finish = (error?: Error): void => {
      input.setRawMode(false);
      input.removeListener('data', onData);
      input.destroy();
      output.end('\n');
      if (error === undefined) resolve(typed.join(''));
      else reject(error);
    };
    const onData = (data: string): void => {
      for (const c of data) {
        if (c === '\r' || c === '\n') {
          finish();
          return;
        }
        if (c === '\u0003' || c === '\u0004') {
          finish(new CommandError('cancelled'));
          return;
        }
        if (c === '\u007f' || c === '\b') typed.pop();
        else if (c >= ' ') typed.push(c);
      }
    };
    output.write(prompt);
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.on('data', onData);
  });
}

async function passphraseFor(io: CryptoIo, command: 'encrypt' | 'decrypt'): Promise<string> {
  const fromEnv = io.env.AMTSBOTE_PASSPHRASE;
  if (fromEnv !== undefined) {
    if (fromEnv === '') throw new CommandError(`${command}: AMTSBOTE_PASSPHRASE is empty`);
    return fromEnv;
  }
  const ask = io.askPassphrase ?? askOnTerminal;
  const first = await ask('Passphrase: ');
  if (first === '') throw new CommandError(`${command}: the passphrase must not be empty`);
  if (command === 'encrypt') {
    const second = await ask('Passphrase (again): ');
    if (second !== first) throw new CommandError('encrypt: the passphrases do not match');
  }
  return first;
}

// ---------------------------------------------------------------------------------------------------
// Input and output

function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'EEXIST':
      return 'already exists';
    default:
      return (err as Error).message;
  }
}

async function openInput(command: string, file: string | undefined, io: CryptoIo): Promise<Readable> {
  if (file === undefined || file === '-') return io.stdin ?? process.stdin;
  const s = await stat(file).catch((err: unknown) => {
    throw new CommandError(`${command}: cannot read ${file}: ${fsReason(err)}`);
  });
  if (s.isDirectory()) throw new CommandError(`${command}: cannot read ${file}: is a directory`);
  return createReadStream(file, { highWaterMark: 1024 * 1024 });
}

/** Where output goes: a temporary file beside OUT that becomes OUT only on success, or stdout. */
interface Sink {
  readonly stream: Writable;
  readonly end: boolean;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Fails early, before any prompt or work, when OUT cannot be written. */
async function checkOutput(command: string, file: string | undefined): Promise<void> {
  if (file === undefined || file === '-') return;
  const target = await stat(file).catch(() => undefined);
  if (target?.isDirectory() === true)
    throw new CommandError(`${command}: cannot write ${file}: is a directory`);
  if ((await stat(path.dirname(file)).catch(() => undefined))?.isDirectory() !== true) {
    throw new CommandError(`${command}: cannot write ${file}: no such directory`);
  }
}

async function openSink(command: string, file: string | undefined, io: CryptoIo): Promise<Sink> {
  if (file === undefined || file === '-') {
    const stream = io.stdout ?? process.stdout;
    // process.stdout must never be ended by a pipeline; an injected stream is a plain writable.
    return {
      stream,
      end: stream !== process.stdout,
      commit: async () => undefined,
      abort: async () => undefined,
    };
  }
  await checkOutput(command, file);
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  const stream = createWriteStream(temp, { flags: 'wx', mode: 0o600 });
  let settled = false;
  const cleanup = (signal: NodeJS.Signals): void => {
    // A signal while writing: remove the partial file, then end at once (status 128 + signal number).
    try {
      unlinkSync(temp);
    } catch {
      // not created yet, or already gone
    }
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  };
  process.once('SIGINT', cleanup);
  process.once('SIGTERM', cleanup);
  const done = (): void => {
    settled = true;
    process.removeListener('SIGINT', cleanup);
    process.removeListener('SIGTERM', cleanup);
  };
  return {
    stream,
    end: true,
    async commit() {
      if (settled) return;
      done();
      try {
        await rename(temp, file);
      } catch (err) {
        await rm(temp, { force: true });
        throw new CommandError(`${command}: cannot write ${file}: ${fsReason(err)}`);
      }
    },
    async abort() {
      if (settled) return;
      done();
      await discardFile(stream, temp);
    },
  };
}

/** Streams `body` into the sink; commits on success, removes everything on failure. */
async function writeAll(command: string, sink: Sink, body: AsyncIterable<Uint8Array>): Promise<void> {
  try {
    await pipeline(body, sink.stream, { end: sink.end });
  } catch (err) {
    await sink.abort();
    throw translate(command, err);
  }
  await sink.commit();
}

function translate(command: string, err: unknown): unknown {
  if (err instanceof CommandError || err instanceof UsageError) return err;
  if (err instanceof DecryptionFailedError) return new CommandError(`${command}: ${DECRYPTION_FAILED}`);
  if (isCryptoError(err)) {
    switch (err.code) {
      case 'ERR_CRYPTO_INVALID_FORMAT':
        // After the container was read, a malformed stream is a modified or truncated one.
        return new CommandError(`${command}: ${DECRYPTION_FAILED}`);
      case 'ERR_CRYPTO_UNSUPPORTED_VERSION':
        return new CommandError(
          `${command}: this file was made by a newer version of amtsbote (unsupported version)`,
        );
      default:
        return new CommandError(`${command}: ${err.message}`);
    }
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new CommandError(`${command}: the output was closed before all data was written`);
  }
  if (typeof code === 'string' && code.startsWith('E'))
    return new CommandError(`${command}: ${fsReason(err)}`);
  return err;
}

// ---------------------------------------------------------------------------------------------------
// Commands

export async function keygenCommand(argv: string[], io: CryptoIo): Promise<number> {
  const { values, positionals } = parse('keygen', argv, { output: { type: 'string', short: 'o' } });
  if (values.help === true) {
    io.out(keygenHelp);
    return 0;
  }
  if (positionals.length > 0)
    throw new UsageError(`keygen: unexpected argument "${positionals[0] ?? ''}" (see --help)`);
  const file = values.output;
  if (file === undefined || file === '') throw new UsageError('keygen: -o FILE is required (see --help)');
  const keyPair = await generateKeyPair({ extractable: true });
  const text = await identityFileText(keyPair, new Date());
  try {
    await writeFile(file, text, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    throw new CommandError(`keygen: cannot write ${file}: ${fsReason(err)}`);
  }
  io.out(await exportPublicKey(keyPair.publicKey));
  return 0;
}

export async function encryptCommand(argv: string[], io: CryptoIo): Promise<number> {
  const { values, positionals } = parse('encrypt', argv, {
    recipient: { type: 'string', short: 'r', multiple: true },
    passphrase: { type: 'boolean', short: 'p' },
    output: { type: 'string', short: 'o' },
  });
  if (values.help === true) {
    io.out(encryptHelp);
    return 0;
  }
  const recipients = values.recipient ?? [];
  const withPassphrase = values.passphrase === true;
  if (recipients.length === 0 && !withPassphrase) {
    throw new UsageError('encrypt: name at least one --recipient PUBKEY, or use --passphrase (see --help)');
  }
  if (recipients.length > 0 && withPassphrase) {
    throw new UsageError('encrypt: --recipient and --passphrase cannot be combined');
  }
  if (positionals.length > 1) throw new UsageError('encrypt: at most one input file (see --help)');
  const keys = await Promise.all(
    [...new Set(recipients.map((r) => r.trim()))].map(async (r) => {
      try {
        return await importPublicKey(r);
      } catch {
        throw new UsageError(`encrypt: --recipient "${r}" is not an amtsbote public key (amtb-pub1-…)`);
      }
    }),
  );
  const stdout = io.stdout ?? process.stdout;
  if ((values.output === undefined || values.output === '-') && stdout.isTTY === true) {
    throw new UsageError('encrypt: refusing to write encrypted data to a terminal: use -o OUT or redirect');
  }
  await checkOutput('encrypt', values.output);
  const input = await openInput('encrypt', positionals[0], io);
  const fileKey = generateFileKey();
  const envelopes = withPassphrase
    ? [await wrapFileKeyWithPassphrase(fileKey, await passphraseFor(io, 'encrypt'))]
    : await Promise.all(keys.map((k) => wrapFileKey(fileKey, k)));
  const header = containerHeader(envelopes);
  const encrypted = webStreamOf(input).pipeThrough(encryptStream(fileKey));
  const sink = await openSink('encrypt', values.output, io);
  await writeAll('encrypt', sink, prepend(header, encrypted));
  return 0;
}

export async function decryptCommand(argv: string[], io: CryptoIo): Promise<number> {
  const { values, positionals } = parse('decrypt', argv, {
    identity: { type: 'string', short: 'i', multiple: true },
    passphrase: { type: 'boolean', short: 'p' },
    output: { type: 'string', short: 'o' },
  });
  if (values.help === true) {
    io.out(decryptHelp);
    return 0;
  }
  const identityFiles = values.identity ?? [];
  const withPassphrase = values.passphrase === true;
  if (identityFiles.length === 0 && !withPassphrase) {
    throw new UsageError('decrypt: name an --identity FILE, or use --passphrase (see --help)');
  }
  if (identityFiles.length > 0 && withPassphrase) {
    throw new UsageError('decrypt: --identity and --passphrase cannot be combined');
  }
  if (positionals.length > 1) throw new UsageError('decrypt: at most one input file (see --help)');
  const identities = await Promise.all(identityFiles.map(loadIdentity));
  await checkOutput('decrypt', values.output);
  const input = await openInput('decrypt', positionals[0], io);
  const reader = new FrontReader(input);
  let fileKey: Uint8Array | undefined;
  try {
    const envelopes = await readContainer(reader);
    if (withPassphrase) {
      const [envelope] = envelopes.passphrase;
      if (envelope === undefined) {
        throw new CommandError('decrypt: this file is encrypted to public keys: use --identity FILE');
      }
      fileKey = await unwrapFileKeyWithPassphrase(envelope, await passphraseFor(io, 'decrypt'));
    } else {
      if (envelopes.p256.length === 0 && envelopes.passphrase.length > 0) {
        throw new CommandError('decrypt: this file is encrypted with a passphrase: use --passphrase');
      }
      fileKey = await openWithIdentities(envelopes.p256, identities);
    }
  } catch (err) {
    input.destroy();
    throw translate('decrypt', err);
  }
  const plaintext = reader.rest().pipeThrough(decryptStream(fileKey));
  const sink = await openSink('decrypt', values.output, io);
  await writeAll('decrypt', sink, chunksOf(plaintext));
  return 0;
}

/** The file key from the first envelope that one of the identities opens. */
async function openWithIdentities(envelopes: Uint8Array[], identities: CryptoKeyPair[]): Promise<Uint8Array> {
  for (const envelope of envelopes) {
    for (const identity of identities) {
      try {
        return await unwrapFileKey(envelope, identity);
      } catch (err) {
        if (!(err instanceof DecryptionFailedError)) throw err;
      }
    }
  }
  throw new DecryptionFailedError();
}

/** A Node stream as a web stream of Uint8Arrays, pulled one read at a time (backpressure intact). */
function webStreamOf(input: Readable): ReadableStream<Uint8Array> {
  return new FrontReader(input).rest();
}

/** Reads a web stream as an async iterable (the DOM typings lack its async iterator). */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopped early (an error downstream): cancel, so the input is closed too.
    await reader.cancel().catch(() => undefined);
  }
}

async function* prepend(first: Uint8Array, rest: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  yield* chunksOf(rest);
}
