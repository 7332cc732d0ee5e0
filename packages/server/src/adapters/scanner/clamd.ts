import { once } from 'node:events';
import net from 'node:net';
import type { Readable } from 'node:stream';
import type { Scanner, ScanVerdict } from './types.ts';
import { ScannerUnavailableError, ScanRefusedError } from './types.ts';

/** Largest piece sent in one INSTREAM chunk (clamd accepts up to its StreamMaxLength per chunk). */
const CHUNK_BYTES = 64 * 1024;
const CONNECT_TIMEOUT_MS = 5_000;
/** No byte in either direction for this long: clamd is hanging, the scan counts as unavailable. */
const IDLE_TIMEOUT_MS = 120_000;

type Target = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

/** Parses `tcp://host:port` or `unix:///path`. */
export function parseClamdUrl(url: string): Target {
  const u = new URL(url);
  if (u.protocol === 'tcp:') {
    const port = Number(u.port);
    if (u.hostname === '' || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`CLAMD_URL needs a host and port, e.g. tcp://127.0.0.1:3310`);
    return { kind: 'tcp', host: u.hostname.replace(/^\[|\]$/g, ''), port };
  }
  if (u.protocol === 'unix:') {
    if (u.pathname === '' || u.pathname === '/')
      throw new Error('CLAMD_URL needs a socket path, e.g. unix:///run/clamav/clamd.ctl');
    return { kind: 'unix', path: decodeURIComponent(u.pathname) };
  }
  throw new Error(`CLAMD_URL must start with tcp:// or unix://, got "${u.protocol}//…"`);
}

/**
 * clamd over its socket with the INSTREAM command: content goes in chunks of at most 64 KiB as
 * it is read (backpressure respected), so memory stays flat whatever the file size. One
 * connection per scan, so a pool of clamd instances behind one address (or a load balancer)
 * spreads the work.
 */
export class ClamdScanner implements Scanner {
  readonly kind = 'clamd';
  readonly description: string;
  readonly #target: Target;

  constructor(url: string) {
    this.#target = parseClamdUrl(url);
    this.description =
      this.#target.kind === 'tcp'
        ? `clamd at ${this.#target.host}:${this.#target.port}`
        : `clamd at ${this.#target.path}`;
  }

  async #connect(): Promise<net.Socket> {
    const socket =
      this.#target.kind === 'tcp'
        ? net.connect({ host: this.#target.host, port: this.#target.port })
        : net.connect({ path: this.#target.path });
    socket.setNoDelay(true);
    const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
    try {
      await once(socket, 'connect');
    } catch (err) {
      socket.destroy();
      throw new ScannerUnavailableError(`${this.description} is not reachable`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy(new Error('clamd did not answer in time')));
    return socket;
  }

  /** Sends a command and reads the one NUL-terminated reply (or whatever came before close). */
  async #exchange(socket: net.Socket, send: (socket: net.Socket) => Promise<void>): Promise<string> {
    const parts: Buffer[] = [];
    const reply = new Promise<string>((resolve, reject) => {
      socket.on('data', (d: Buffer) => {
        parts.push(d);
        if (d.includes(0)) resolve(Buffer.concat(parts).toString('utf8'));
      });
      socket.on('end', () => {
        resolve(Buffer.concat(parts).toString('utf8'));
      });
      socket.on('error', (err) => {
        // An error after clamd already answered (it closes while we still write) is not one.
        if (parts.length > 0) resolve(Buffer.concat(parts).toString('utf8'));
        else reject(err);
      });
      socket.on('close', () => {
        resolve(Buffer.concat(parts).toString('utf8'));
      });
    });
    reply.catch(() => undefined);
    let sendError: unknown;
    try {
      await send(socket);
    } catch (err) {
      // clamd closes the connection once it refuses a stream (size limit): its reply tells why.
      sendError = err;
    }
    let text: string;
    try {
      text = await reply;
    } catch (err) {
      throw new ScannerUnavailableError(`${this.description} broke off`, { cause: err });
    } finally {
      socket.destroy();
    }
    if (text === '') {
      if (sendError instanceof SourceError) throw sendError.cause;
      throw new ScannerUnavailableError(`${this.description} closed the connection without an answer`, {
        cause: sendError,
      });
    }
    if (sendError instanceof SourceError) throw sendError.cause;
    return text.replace(/\0+$/, '').trim();
  }

  async scan(content: Readable): Promise<ScanVerdict> {
    let socket: net.Socket;
    try {
      socket = await this.#connect();
    } catch (err) {
      content.destroy();
      throw err;
    }
    const reply = await this.#exchange(socket, async (s) => {
      await write(s, Buffer.from('zINSTREAM\0', 'latin1'));
      try {
        for await (const part of content as AsyncIterable<Buffer>) {
          for (let at = 0; at < part.length; at += CHUNK_BYTES) {
            const piece = part.subarray(at, Math.min(part.length, at + CHUNK_BYTES));
            const len = Buffer.alloc(4);
            len.writeUInt32BE(piece.length);
            await write(s, len);
            await write(s, piece);
          }
        }
      } catch (err) {
        if (err instanceof SocketWriteError) throw err;
        s.destroy();
        throw new SourceError(err);
      }
      await write(s, Buffer.alloc(4));
    }).finally(() => content.destroy());
    return verdictOf(reply, this.description);
  }

  async ping(): Promise<boolean> {
    try {
      const socket = await this.#connect();
      const reply = await this.#exchange(socket, (s) => write(s, Buffer.from('zPING\0', 'latin1')));
      return reply === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.resolve();
  }
}

/** Reading the content failed (not the scanner): the original error is passed on. */
class SourceError extends Error {
  constructor(cause: unknown) {
    super('reading the content to scan failed', { cause });
    this.name = 'SourceError';
  }
}

class SocketWriteError extends Error {}

async function write(socket: net.Socket, data: Buffer): Promise<void> {
  if (socket.destroyed || !socket.writable) throw new SocketWriteError('socket closed');
  if (socket.write(data)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: unknown) => {
      socket.off('drain', onDrain);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (err === undefined) resolve();
      else reject(new SocketWriteError('socket closed while writing', { cause: err }));
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('closed'));
    const onError = (e: Error) => done(e);
    socket.once('drain', onDrain);
    socket.once('close', onClose);
    socket.once('error', onError);
  });
}

/** `stream: OK`, `stream: Eicar-Test-Signature FOUND`, `INSTREAM size limit exceeded. ERROR`. */
export function verdictOf(reply: string, description: string): ScanVerdict {
  const body = reply.replace(/^stream:\s*/, '');
  if (body === 'OK') return { verdict: 'clean' };
  const found = /^(.+) FOUND$/.exec(body);
  if (found?.[1] !== undefined) return { verdict: 'infected', signature: found[1].trim() };
  if (/size limit exceeded/i.test(body)) throw new ScanRefusedError('size limit');
  throw new ScannerUnavailableError(`${description} answered "${body.slice(0, 200)}"`);
}
