import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { Upload } from 'tus-js-client';
import type { Io } from '../args.ts';
import { CommandError, parse, required, UsageError } from '../args.ts';
import { Progress } from '../progress.ts';
import { fetchEndToEnd, loadIdentityFile, planEndToEnd } from './e2e-transfer.ts';

export const sendHelp = `Usage: amtsbote send --server URL --token TOKEN --to ADDR [--to ADDR]... --level 1|2|3|4
                     --subject TEXT [--message TEXT] [--expires 30d] [--no-notify] [--allow-reply]
                     [--identity FILE] [--json] FILE...

Sends FILEs to each --to address. Every recipient gets a mail with a link; the files never
travel in the mail. Level 1: the link opens the transfer. Level 2: the recipient must confirm
the address with a code first. Levels 3 and 4: the files (at 4 also the text and file names)
are encrypted here, to each recipient's key and to your own portal key (--identity FILE, if
given, must be that key); recipients without a key get it once they created one and you are
signed in to the portal again. Uploads resume where they stopped after a broken connection.
Prints the transfer id and each recipient's link (with --json: one JSON object on stdout).
TOKEN: an API token (amtsbote token create); also read from AMTSBOTE_TOKEN.`;

export const fetchHelp = `Usage: amtsbote fetch LINK [-o DIR] [--token TOKEN] [--identity FILE]

Downloads every file of a transfer into DIR (default: the current directory). A download
that broke off resumes where it stopped when run again. Level 1: the link is enough.
Levels 2-4 open only for the recipient's service account: give --token TOKEN, a personal
access token created on the portal under "Zugangsschlüssel" (/account/tokens); also read
from AMTSBOTE_TOKEN. It only allows reading transfers addressed to that account, and is
sent only over https (or to this machine). Levels 3 and 4 are decrypted with --identity
FILE, and a file is written only once it verified completely.`;

interface DraftResponse {
  id: string;
  uploadEndpoint: string;
  files: { id: string; name: string; size: number }[];
}

function serverUrl(raw: string): URL {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    return u;
  } catch {
    throw new UsageError(`--server must be an http(s) URL, got "${raw}"`);
  }
}

/** "30d", "30" (days) or "12h" rounded up to days, as the API counts in days. */
export function parseExpiry(raw: string): number {
  const m = /^(\d{1,3})\s*(d|days?|h|hours?)?$/i.exec(raw.trim());
  if (m === null) throw new UsageError(`--expires must look like 30d, got "${raw}"`);
  const n = Number(m[1]);
  const days = m[2]?.toLowerCase().startsWith('h') === true ? Math.ceil(n / 24) : n;
  if (days < 1) throw new UsageError('--expires must be at least one day');
  return days;
}

async function api<T>(io: Io, url: URL, init: RequestInit & { token: string }): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: {
      ...(init.headers as Record<string, string> | undefined),
      authorization: `Bearer ${init.token}`,
      accept: 'application/json',
    },
  });
  const text = await res.text();
  const body = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (!res.ok) {
    const err = (
      body as
        | { error?: { code?: string; message?: string; fields?: { field: string; message: string }[] } }
        | undefined
    )?.error;
    const fields = err?.fields?.map((f) => `${f.field}: ${f.message}`).join('; ');
    throw new CommandError(
      `${err?.code ?? `HTTP ${res.status}`}: ${err?.message ?? res.statusText}${fields === undefined || fields === '' ? '' : ` (${fields})`}`,
    );
  }
  if (io.env.DEBUG !== undefined) io.err(`${init.method ?? 'GET'} ${url.pathname} → ${res.status}`);
  return body as T;
}

function uploadFile(
  server: URL,
  endpoint: string,
  token: string,
  fileId: string,
  filePath: string,
  size: number,
  onProgress: (sent: number) => void,
  source?: Readable,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const upload = new Upload(source ?? createReadStream(filePath), {
      endpoint: new URL(endpoint, server).toString(),
      uploadSize: size,
      metadata: { fileId },
      headers: { authorization: `Bearer ${token}` },
      // One PATCH per file: the server resumes from its own offset after a break.
      // (An encrypted stream is no file tus can seek in: it goes in 8 MiB requests.)
      chunkSize: source === undefined ? Number.POSITIVE_INFINITY : 8 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
      removeFingerprintOnSuccess: true,
      onProgress: (sent) => {
        onProgress(sent);
      },
      onError: (err) => {
        reject(
          new CommandError(
            `upload of ${path.basename(filePath)} failed: ${err.message.split('\n')[0] ?? ''}`,
          ),
        );
      },
      onSuccess: () => {
        resolve();
      },
    });
    upload.start();
  });
}

export async function sendCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('send', argv, {
    server: { type: 'string' },
    token: { type: 'string' },
    to: { type: 'string', multiple: true },
    level: { type: 'string' },
    subject: { type: 'string' },
    message: { type: 'string' },
    expires: { type: 'string' },
    'no-notify': { type: 'boolean' },
    'allow-reply': { type: 'boolean' },
    json: { type: 'boolean' },
    identity: { type: 'string' },
  });
  if (values.help === true) {
    io.out(sendHelp);
    return 0;
  }
  const server = serverUrl(required('send', 'server', values.server ?? io.env.AMTSBOTE_SERVER));
  const token = required('send', 'token', values.token ?? io.env.AMTSBOTE_TOKEN);
  const recipients = values.to ?? [];
  if (recipients.length === 0) throw new UsageError('send: at least one --to is required (see --help)');
  const level = Number(required('send', 'level', values.level));
  if (level !== 1 && level !== 2 && level !== 3 && level !== 4)
    throw new UsageError('send: --level must be 1, 2, 3 or 4');
  const subject = required('send', 'subject', values.subject);
  if (positionals.length === 0) throw new UsageError('send: name at least one FILE (see --help)');
  const files = await Promise.all(
    positionals.map(async (p) => {
      const s = await stat(p).catch(() => undefined);
      if (s?.isFile() !== true) throw new CommandError(`${p}: not a readable file`);
      return { path: p, name: path.basename(p), size: s.size };
    }),
  );
  const e2e =
    level >= 3
      ? await planEndToEnd((url, init) => api(io, url, { ...init, token }), server, {
          level: level === 4 ? 4 : 3,
          recipients,
          message: values.message ?? '',
          files,
          identity: values.identity,
        })
      : undefined;
  const draft = await api<DraftResponse>(io, new URL('/api/v1/transfers', server), {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      level,
      recipients,
      subject,
      message: e2e?.message ?? values.message ?? '',
      ...(values.expires === undefined ? {} : { expiresInDays: parseExpiry(values.expires) }),
      notifyOnDownload: values['no-notify'] !== true,
      allowReply: values['allow-reply'] === true,
      files: e2e?.files ?? files.map((f) => ({ name: f.name, size: f.size })),
    }),
  });
  const total = files.reduce((s, f) => s + f.size, 0);
  const progress = new Progress(total, process.stderr.isTTY && values.json !== true);
  let done = 0;
  for (const [i, f] of files.entries()) {
    const declared = draft.files[i];
    if (declared === undefined)
      throw new CommandError('the server answered with fewer files than were declared');
    await uploadFile(
      server,
      draft.uploadEndpoint,
      token,
      declared.id,
      f.path,
      e2e === undefined ? f.size : declared.size,
      (sent) => {
        progress.update(done + Math.min(sent, f.size), f.name);
      },
      e2e?.open(f.path),
    );
    done += f.size;
    progress.update(done, f.name);
  }
  progress.finish();
  const pending = e2e === undefined ? [] : (await e2e.envelopes(draft.id)).pending;
  e2e?.fileKey.fill(0);
  const sent = await api<{ id: string; recipients: { email: string; link: string }[] }>(
    io,
    new URL(`/api/v1/transfers/${draft.id}/send`, server),
    { method: 'POST', token },
  );
  if (values.json === true) {
    io.out(JSON.stringify({ id: sent.id, recipients: sent.recipients }));
  } else {
    io.out(`sent transfer ${sent.id}`);
    for (const r of sent.recipients) io.out(`  ${r.email}: ${r.link}`);
    if (pending.length > 0) io.out(`no key yet (they get it once they created one): ${pending.join(', ')}`);
  }
  return 0;
}

interface Manifest {
  id: string;
  level: number;
  message: string | null;
  files: { id: string; name: string; size: number; url: string }[];
}

/** A name from the server made safe for the local file system: no directories, no dot files. */
export function safeFileName(name: string): string {
  // Control characters and separators would let a sender pick where or how a file lands.
  let base = '';
  for (const c of name) base += c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 ? '_' : c;
  base = base.trim();
  return base === '' || base === '.' || base === '..' ? 'file' : base.replace(/^\.+/, '_');
}

/** Loopback names, where a bearer token may travel over plain http (nothing leaves the machine). */
function isLoopback(url: URL): boolean {
  return (
    url.hostname === 'localhost' ||
    url.hostname.endsWith('.localhost') ||
    url.hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname)
  );
}

/** The one-line message for a failed request of `fetch`, by status and whether a token was given. */
export function fetchFailure(status: number, withToken: boolean): string {
  if (status === 401)
    return 'the token was not accepted: it is wrong, expired or revoked (create a new one on the portal under /account/tokens)';
  if (status === 429)
    return 'too many failed attempts from this network: wait a quarter of an hour and try again';
  if (status === 404)
    return withToken
      ? 'this link opens nothing for this token: it is unknown, expired or revoked, or it was sent to another account than the token belongs to'
      : 'this link does not open a transfer: it is unknown, expired or revoked, or it is level 2 or higher and needs --token (see --help)';
  return `the server answered HTTP ${String(status)}`;
}

export async function fetchCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('fetch', argv, {
    output: { type: 'string', short: 'o' },
    identity: { type: 'string' },
    token: { type: 'string' },
  });
  if (values.help === true) {
    io.out(fetchHelp);
    return 0;
  }
  const [raw] = positionals;
  if (raw === undefined) throw new UsageError('fetch: name the LINK (see --help)');
  const link = serverUrl(raw);
  const m = /\/t\/([A-Za-z0-9_-]+)\/?$/.exec(link.pathname);
  if (m?.[1] === undefined) throw new UsageError('fetch: LINK must be a transfer link (…/t/…)');
  const token = values.token ?? io.env.AMTSBOTE_TOKEN;
  const withToken = token !== undefined && token !== '';
  // The token opens the account's transfers: it must not cross the network in the clear.
  if (withToken && link.protocol !== 'https:' && !isLoopback(link))
    throw new UsageError('fetch: a --token is sent only over https; this LINK is http');
  const dir = values.output ?? '.';
  await mkdir(dir, { recursive: true });
  // Levels 2-4 open for the recipient's account only: its personal access token says who that is.
  const auth: Record<string, string> = withToken ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(new URL(`/api/v1/received/${m[1]}`, link), {
    headers: { accept: 'application/json', ...auth },
  });
  if (!res.ok) throw new CommandError(fetchFailure(res.status, withToken));
  const manifest = (await res.json()) as Manifest;
  if (manifest.level >= 3) {
    if (values.identity === undefined)
      throw new UsageError('fetch: this transfer is end-to-end encrypted: give --identity FILE');
    const identity = await loadIdentityFile(values.identity);
    const n = await fetchEndToEnd(link, m[1], manifest, auth, identity, dir, safeFileName, (line) => {
      io.err(line);
    });
    io.out(`fetched ${String(n)} file(s) into ${dir}`);
    return 0;
  }
  const total = manifest.files.reduce((s, f) => s + f.size, 0);
  const progress = new Progress(total, process.stderr.isTTY);
  let done = 0;
  for (const f of manifest.files) {
    const target = path.join(dir, safeFileName(f.name));
    const partial = `${target}.part`;
    const have = (await stat(partial).catch(() => undefined))?.size ?? 0;
    if (have < f.size) {
      const r = await fetch(new URL(f.url, link), {
        headers: { ...auth, ...(have > 0 ? { range: `bytes=${String(have)}-` } : {}) },
      });
      if (!(r.status === 200 || r.status === 206) || r.body === null)
        throw new CommandError(`download of ${f.name} failed: ${fetchFailure(r.status, withToken)}`);
      // A server that ignored the range sends everything again: start the file over.
      const append = r.status === 206 && have > 0;
      let seen = append ? have : 0;
      const body = Readable.fromWeb(r.body as NodeReadableStream<Uint8Array>);
      body.on('data', (c: Buffer) => {
        seen += c.length;
        progress.update(done + seen, f.name);
      });
      await pipeline(body, createWriteStream(partial, { flags: append ? 'a' : 'w' }));
    }
    const got = (await stat(partial)).size;
    if (got !== f.size)
      throw new CommandError(
        `download of ${f.name} is incomplete (${got} of ${f.size} bytes): run fetch again to resume`,
      );
    await rename(partial, target);
    done += f.size;
    progress.update(done, f.name);
    if (!process.stderr.isTTY) io.err(`saved ${target}`);
  }
  progress.finish();
  io.out(`fetched ${manifest.files.length} file(s) into ${dir}`);
  return 0;
}
