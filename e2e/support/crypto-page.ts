// Browser entry bundled by crypto.e2e.test.ts: the whole @amtsbote/crypto test suite, plus encrypting and
// decrypting files in the CLI's container format (docs/crypto.md, "CLI files"), written here again from
// the spec with the library, so that interop with the CLI is tested against a second writer and reader.
// No Node imports: this runs in Chromium.
import * as amtb from '../../packages/crypto/src/index.ts';
import { runSuite } from '../../packages/crypto/test/suite.ts';

export type CaseResult = { ok: true; ms: number } | { ok: false; error: string };

export interface CryptoPage {
  /** The suite's case names, in registration order. */
  caseNames(): string[];
  runCase(index: number): Promise<CaseResult>;
  /** Fetches `source`, encrypts it as a stream into the container, uploads the result to `target`. */
  encryptFile(
    source: string,
    target: string,
    to: { recipients: string[] } | { passphrase: string },
  ): Promise<void>;
  /** Fetches a container from `source`, decrypts it with an identity file's text, uploads the plaintext. */
  decryptFile(source: string, target: string, identityText: string): Promise<void>;
}

const cases: { name: string; fn: () => Promise<void> }[] = [];
runSuite((name, fn) => {
  cases.push({ name, fn });
});

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const PREFIX = [0x41, 0x4d, 0x54, 0x42, 0x46, 0x01];

function containerHeader(envelopes: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(envelopes.reduce((n, e) => n + 2 + e.length, 7));
  out.set(PREFIX, 0);
  out[6] = envelopes.length;
  let at = 7;
  for (const e of envelopes) {
    new DataView(out.buffer).setUint16(at, e.length);
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

async function importIdentity(text: string): Promise<CryptoKeyPair> {
  const line = text.split('\n').find((l) => l.startsWith('amtb-sec1-'));
  if (line === undefined) throw new Error('no amtb-sec1- line in the identity');
  const pkcs8 = amtb.fromBase64Url(line.slice('amtb-sec1-'.length).trim());
  const exportable = await crypto.subtle.importKey('pkcs8', pkcs8, ECDH, true, ['deriveBits']);
  const { x, y } = await crypto.subtle.exportKey('jwk', exportable);
  if (x === undefined || y === undefined) throw new Error('identity without public key');
  const publicKey = await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x, y }, ECDH, true, []);
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, ECDH, false, ['deriveBits']);
  return { publicKey, privateKey };
}

/** Reads exact byte counts from the front of a web stream, then returns the rest as a stream. */
class Front {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffer = new Uint8Array(0);

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  async read(n: number): Promise<Uint8Array> {
    while (this.#buffer.length < n) {
      const { done, value } = await this.#reader.read();
      if (done) throw new Error('the container ended early');
      const joined = new Uint8Array(this.#buffer.length + value.length);
      joined.set(this.#buffer);
      joined.set(value, this.#buffer.length);
      this.#buffer = joined;
    }
    const out = this.#buffer.slice(0, n);
    this.#buffer = this.#buffer.slice(n);
    return out;
  }

  rest(): ReadableStream<Uint8Array> {
    const reader = this.#reader;
    let first: Uint8Array | undefined = this.#buffer;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (first !== undefined) {
          const f = first;
          first = undefined;
          if (f.length > 0) {
            controller.enqueue(f);
            return;
          }
        }
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
    });
  }
}

async function body(url: string): Promise<ReadableStream<Uint8Array>> {
  const res = await fetch(url);
  if (!res.ok || res.body === null) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.body;
}

async function upload(target: string, stream: ReadableStream<Uint8Array>): Promise<void> {
  // Collected into a Blob (Chromium keeps large blobs on disk): streaming request bodies need HTTP/2.
  const blob = await new Response(stream).blob();
  const res = await fetch(target, { method: 'POST', body: blob });
  if (!res.ok) throw new Error(`POST ${target}: HTTP ${res.status}`);
}

const api: CryptoPage = {
  caseNames: () => cases.map((c) => c.name),

  async runCase(index) {
    const c = cases[index];
    if (c === undefined) return { ok: false, error: `no case ${index}` };
    const t0 = performance.now();
    try {
      await c.fn();
      return { ok: true, ms: performance.now() - t0 };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
  },

  async encryptFile(source, target, to) {
    const fileKey = amtb.generateFileKey();
    const envelopes =
      'passphrase' in to
        ? [await amtb.wrapFileKeyWithPassphrase(fileKey, to.passphrase)]
        : await Promise.all(
            to.recipients.map(async (r) => amtb.wrapFileKey(fileKey, await amtb.importPublicKey(r))),
          );
    const header = containerHeader(envelopes);
    const encrypted = (await body(source)).pipeThrough(amtb.encryptStream(fileKey));
    const reader = encrypted.getReader();
    let headerSent = false;
    await upload(
      target,
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!headerSent) {
            headerSent = true;
            controller.enqueue(header);
            return;
          }
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
      }),
    );
  },

  async decryptFile(source, target, identityText) {
    const identity = await importIdentity(identityText);
    const front = new Front(await body(source));
    const fixed = await front.read(7);
    if (!PREFIX.every((b, i) => fixed[i] === b)) throw new Error('not an amtsbote container');
    let fileKey: Uint8Array | undefined;
    for (let i = 0; i < (fixed[6] ?? 0); i++) {
      const lengthBytes = await front.read(2);
      const entry = await front.read(new DataView(lengthBytes.buffer).getUint16(0));
      if (fileKey === undefined && amtb.identify(entry) === 'p256Envelope') {
        fileKey = await amtb.unwrapFileKey(entry, identity).catch(() => undefined);
      }
    }
    if (fileKey === undefined) throw new Error('no envelope opens with this identity');
    await upload(target, front.rest().pipeThrough(amtb.decryptStream(fileKey)));
  },
};

Object.assign(globalThis, { cryptoPage: api, cryptoPageReady: true });
