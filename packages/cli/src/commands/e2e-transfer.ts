// Levels 3 and 4 for `amtsbote send` and `amtsbote fetch` (docs/crypto.md, "Levels 3 and 4"):
// files are encrypted here before upload, with one random file key wrapped for the sender's own
// portal key and each recipient's key; fetch unwraps with an identity file and decrypts each file
// to a temporary file that is renamed only after the stream's last chunk verified.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import {
  ciphertextLength,
  exportPublicKey,
  fromBase64Url,
  generateFileKey,
  importPublicKey,
  isCryptoError,
  toBase64Url,
  unwrapFileKey,
  wrapFileKey,
} from '@amtsbote/crypto';
// The CLI runs only in Node: the node:crypto implementation of the same format is 1.5–2× faster.
import { decryptBytes, decryptStream, encryptBytes, encryptStream } from '@amtsbote/crypto/node';
import { CommandError } from '../args.ts';
import { discardFile } from '../files.ts';
import { parseIdentity } from './crypto.ts';

/** The same message for every authentication failure, as `amtsbote decrypt` prints it. */
export const DECRYPTION_FAILED =
  'decryption failed: wrong key, or the data was modified, truncated or extended';

export async function loadIdentityFile(file: string): Promise<CryptoKeyPair> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new CommandError(`cannot read identity ${file}`);
  });
  const pair = await parseIdentity(text);
  if (pair === undefined)
    throw new CommandError(`${file} is not an amtsbote identity file (amtsbote keygen)`);
  return pair;
}

/** A Node stream as the web stream the crypto library transforms. */
function webOf(input: Readable): ReadableStream<Uint8Array> {
  return Readable.toWeb(input) as unknown as ReadableStream<Uint8Array>;
}

type Api = <T>(url: URL, init: RequestInit) => Promise<T>;

export interface E2eSendPlan {
  fileKey: Uint8Array;
  /** The draft's message field: plaintext at level 3, the encrypted manifest at level 4. */
  message: string;
  files: { name: string; size: number; type?: string }[];
  /** Called after the draft exists and its files are uploaded: stores the envelopes. */
  envelopes(draftId: string): Promise<{ pending: string[] }>;
  /** The encrypted stream of one local file, for the upload. */
  open(filePath: string): Readable;
}

/**
 * Prepares a level-3/4 send: the sender's portal key (and, when given, the identity file must be
 * that key) and the recipients' keys from the API; a fresh file key.
 */
export async function planEndToEnd(
  api: Api,
  server: URL,
  input: {
    level: 3 | 4;
    recipients: string[];
    message: string;
    files: { path: string; name: string; size: number }[];
    identity: string | undefined;
  },
): Promise<E2eSendPlan> {
  const me = await api<{ key: { publicKey: string } | null }>(new URL('/api/v1/keys/me', server), {
    method: 'GET',
  });
  if (me.key === null)
    throw new CommandError(
      'levels 3 and 4 need your personal key: create it in the portal under "Key" first',
    );
  const ownKey = me.key.publicKey;
  if (input.identity !== undefined) {
    const id = await loadIdentityFile(input.identity);
    if ((await exportPublicKey(id.publicKey)) !== ownKey)
      throw new CommandError(`${input.identity} is not your portal key (${ownKey})`);
  }
  const lookup = await api<{
    recipients: { email: string; publicKey: string | null }[];
    departments: { keyId: string; publicKey: string }[];
  }>(new URL('/api/v1/keys/lookup', server), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ emails: input.recipients }),
  });
  const fileKey = generateFileKey();
  const message =
    input.level === 4
      ? toBase64Url(
          await encryptBytes(
            fileKey,
            new TextEncoder().encode(
              JSON.stringify({
                text: input.message,
                files: input.files.map((f) => ({ name: f.name, type: '' })),
              }),
            ),
          ),
        )
      : input.message;
  return {
    fileKey,
    message,
    files: input.files.map((f, i) => ({
      name: input.level === 4 ? `${String(i + 1)}.amtb` : f.name,
      size: ciphertextLength(f.size),
    })),
    open: (filePath) =>
      Readable.fromWeb(
        webOf(createReadStream(filePath)).pipeThrough(
          encryptStream(fileKey),
        ) as unknown as NodeReadableStream<Uint8Array>,
      ),
    async envelopes(draftId) {
      const list: { holder: string; email?: string; departmentKeyId?: string; envelope: string }[] = [
        {
          holder: 'sender',
          envelope: toBase64Url(await wrapFileKey(fileKey, await importPublicKey(ownKey))),
        },
      ];
      const pending: string[] = [];
      for (const r of lookup.recipients) {
        if (r.publicKey === null) pending.push(r.email);
        else
          list.push({
            holder: 'recipient',
            email: r.email,
            envelope: toBase64Url(await wrapFileKey(fileKey, await importPublicKey(r.publicKey))),
          });
      }
      for (const d of lookup.departments) {
        list.push({
          holder: 'department',
          departmentKeyId: d.keyId,
          envelope: toBase64Url(await wrapFileKey(fileKey, await importPublicKey(d.publicKey))),
        });
      }
      await api(new URL(`/api/v1/transfers/${draftId}/envelopes`, server), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ envelopes: list }),
      });
      return { pending };
    },
  };
}

interface Received {
  level: number;
  message: string | null;
  files: { id: string; name: string; size: number; url: string }[];
}

/**
 * Fetches a level-3/4 transfer: envelope → file key (identity), then per file the ciphertext to
 * `<name>.amtb.part` (resumable; ciphertext is harmless on disk), then decryption to a hidden
 * temporary file beside the target, renamed only once the whole stream verified. On any failure
 * the temporary plaintext is removed.
 */
export async function fetchEndToEnd(
  link: URL,
  token: string,
  manifest: Received,
  headers: Record<string, string>,
  identity: CryptoKeyPair,
  dir: string,
  safeName: (name: string) => string,
  log: (line: string) => void,
): Promise<number> {
  const res = await fetch(new URL(`/api/v1/received/${token}/envelope`, link), {
    headers: { accept: 'application/json', ...headers },
  });
  if (!res.ok) throw new CommandError(`the server answered HTTP ${String(res.status)} for the envelope`);
  const env = (await res.json()) as { state: string; envelope: string | null };
  if (env.state === 'no-key')
    throw new CommandError('this account has no personal key yet: create it in the portal');
  if (env.state !== 'ready' || env.envelope === null)
    throw new CommandError('waiting for the sender’s side: the message is not released for your key yet');
  let fileKey: Uint8Array;
  try {
    fileKey = await unwrapFileKey(fromBase64Url(env.envelope), identity);
  } catch (err) {
    if (isCryptoError(err)) throw new CommandError(DECRYPTION_FAILED);
    throw err;
  }
  let names = manifest.files.map((f) => f.name);
  if (manifest.level >= 4) {
    try {
      const m = JSON.parse(
        new TextDecoder().decode(await decryptBytes(fileKey, fromBase64Url(manifest.message ?? ''))),
      ) as { text?: string; files?: { name?: string }[] };
      names = manifest.files.map((f, i) => m.files?.[i]?.name ?? f.name);
      if (typeof m.text === 'string' && m.text !== '') log(m.text);
    } catch (err) {
      if (isCryptoError(err)) throw new CommandError(DECRYPTION_FAILED);
      throw err;
    }
  }
  for (const [i, f] of manifest.files.entries()) {
    const target = path.join(dir, safeName(names[i] ?? f.name));
    const cipherPart = `${target}.amtb.part`;
    const have = (await stat(cipherPart).catch(() => undefined))?.size ?? 0;
    if (have < f.size) {
      const r = await fetch(new URL(f.url, link), {
        headers: { ...headers, ...(have > 0 ? { range: `bytes=${String(have)}-` } : {}) },
      });
      if (!(r.status === 200 || r.status === 206) || r.body === null)
        throw new CommandError(`download of ${f.name} failed: HTTP ${String(r.status)}`);
      const append = r.status === 206 && have > 0;
      await pipeline(
        Readable.fromWeb(r.body as NodeReadableStream<Uint8Array>),
        createWriteStream(cipherPart, { flags: append ? 'a' : 'w' }),
      );
    }
    const got = (await stat(cipherPart)).size;
    if (got !== f.size)
      throw new CommandError(
        `download of ${f.name} is incomplete (${String(got)} of ${String(f.size)} bytes): run fetch again to resume`,
      );
    const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.partial`);
    const sink = createWriteStream(temp, { mode: 0o600 });
    try {
      const plain = webOf(createReadStream(cipherPart)).pipeThrough(decryptStream(fileKey));
      await pipeline(Readable.fromWeb(plain as unknown as NodeReadableStream<Uint8Array>), sink);
      await rename(temp, target);
    } catch (err) {
      await discardFile(sink, temp);
      // A ciphertext that does not verify is useless: fetch it afresh next time.
      if (isCryptoError(err)) {
        await rm(cipherPart, { force: true });
        throw new CommandError(DECRYPTION_FAILED);
      }
      throw err;
    }
    await rm(cipherPart, { force: true });
    log(`saved ${target}`);
  }
  fileKey.fill(0);
  return manifest.files.length;
}
