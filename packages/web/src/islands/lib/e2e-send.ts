// Sending at level 3 or 4 from the compose page (islands/compose.ts): everything is encrypted
// here before a byte leaves the browser (docs/crypto.md, "Levels 3 and 4"). One random file key
// per transfer; each file becomes one encrypted stream uploaded through the usual tus endpoint;
// at level 4 the text and the file names travel as one encrypted manifest in the message field
// (the server sees placeholder names); the file key is wrapped for the sender (always), every
// recipient who has a key, and (shared department outboxes) the sender's departments. Recipients
// without a key get theirs later by re-wrap (lib/keystore.ts runRewraps).
import type { DetailedError } from 'tus-js-client';
import { Upload } from 'tus-js-client';
import {
  ciphertextLength,
  encryptBytes,
  encryptStream,
  generateFileKey,
  importPublicKey,
  toBase64Url,
  wrapFileKey,
} from '@amtsbote/crypto';
import { ApiError, asDraftAnswer, parseErrorBody, postJson } from './api.ts';
import { fetchKeyInfo, unlockedKey } from './keystore.ts';
import type { ProgressView } from './progress.ts';

const CHUNK = 8 * 1024 * 1024;

export class NoUnlockedKey extends Error {}

export interface EndToEndDraft {
  level: 3 | 4;
  recipients: string[];
  subject: string;
  message: string;
  expiresInDays?: number | undefined;
  notifyOnDownload: boolean;
  allowReply: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/**
 * What the server may see of an end-to-end draft: at level 4 the text and the file names and
 * types are sealed together under the file key and the files are declared as `1.amtb`, `2.amtb`
 * …; at level 3 the text and names stay as typed. Sizes are always the ciphertext's.
 */
export async function sealedDraftFields(
  fileKey: Uint8Array,
  level: number,
  message: string,
  files: readonly File[],
): Promise<{ message: string; files: { name: string; size: number; type: string }[] }> {
  const sealed =
    level === 4
      ? toBase64Url(
          await encryptBytes(
            fileKey,
            new TextEncoder().encode(
              JSON.stringify({ text: message, files: files.map((f) => ({ name: f.name, type: f.type })) }),
            ),
          ),
        )
      : message;
  return {
    message: sealed,
    files: files.map((f, i) => ({
      name: level === 4 ? `${String(i + 1)}.amtb` : f.name,
      size: ciphertextLength(f.size),
      type: level === 4 ? 'application/octet-stream' : f.type,
    })),
  };
}

/** One file, encrypted as a stream under the file key, uploaded with tus (also lib/password-send.ts). */
export function upload(
  endpoint: string,
  csrf: string,
  file: File,
  fileId: string,
  fileKey: Uint8Array,
  size: number,
  onBytes: (plainSent: number) => void,
  /** E.g. `Amtsbote-Link` for a recipient's reply (lib/e2e-reply.ts), authorised by the link. */
  extraHeaders: Readonly<Record<string, string>> = {},
): Promise<void> {
  const reader = file.stream().pipeThrough(encryptStream(fileKey)).getReader();
  return new Promise<void>((resolve, reject) => {
    const u = new Upload(reader, {
      endpoint,
      uploadSize: size,
      chunkSize: CHUNK,
      metadata: { fileId },
      headers: { ...extraHeaders, 'x-csrf-token': csrf },
      retryDelays: [0, 1000, 3000, 5000],
      storeFingerprintForResuming: false,
      onProgress: (sent) => {
        onBytes(Math.floor((sent / Math.max(size, 1)) * file.size));
      },
      onSuccess: () => {
        resolve();
      },
      onError: (err) => {
        const res = (err as Partial<DetailedError>).originalResponse;
        const parsed =
          res === undefined || res === null ? undefined : parseErrorBody(res.getStatus(), res.getBody());
        reject(parsed ?? err);
      },
    });
    u.start();
  });
}

/**
 * Runs the whole end-to-end send. Returns the transfer id and the recipients who have no key
 * yet (they wait for the sender's side).
 * @throws {NoUnlockedKey} when the sender's key is not unlocked in this session; {ApiError}.
 */
export async function sendEndToEnd(
  o: { endpoint: string; csrf: string; view: ProgressView | undefined },
  draft: EndToEndDraft,
  files: File[],
): Promise<{ id: string; pending: string[] }> {
  const info = await fetchKeyInfo();
  const own = info?.key == null ? undefined : await unlockedKey(info);
  if (info?.key == null || own === undefined) throw new NoUnlockedKey();
  const headers = { 'x-csrf-token': o.csrf };
  const lookup = await postJson('/api/v1/keys/lookup', { emails: draft.recipients }, headers);
  const recipients =
    isRecord(lookup) && Array.isArray(lookup.recipients) ? lookup.recipients.filter(isRecord) : [];
  const departments =
    isRecord(lookup) && Array.isArray(lookup.departments) ? lookup.departments.filter(isRecord) : [];

  const fileKey = generateFileKey();
  try {
    const { message: messageField, files: declared } = await sealedDraftFields(
      fileKey,
      draft.level,
      draft.message,
      files,
    );
    o.view?.start(files);
    const created = asDraftAnswer(
      await postJson(
        '/api/v1/transfers',
        {
          level: draft.level,
          recipients: draft.recipients,
          subject: draft.subject,
          message: messageField,
          ...(draft.expiresInDays === undefined ? {} : { expiresInDays: draft.expiresInDays }),
          notifyOnDownload: draft.notifyOnDownload,
          allowReply: draft.allowReply,
          files: declared,
        },
        headers,
      ),
    );
    if (created === undefined) throw new ApiError(500, 'ERR_INTERNAL', '');
    for (const [i, file] of files.entries()) {
      const fileId = created.files[i]?.id;
      if (fileId === undefined) throw new ApiError(500, 'ERR_INTERNAL', '');
      await upload(o.endpoint, o.csrf, file, fileId, fileKey, declared[i]?.size ?? 0, (n) => {
        o.view?.progress(i, n);
      });
      o.view?.fileDone(i, file.name);
    }
    const envelopes: { holder: string; email?: string; departmentKeyId?: string; envelope: string }[] = [
      {
        holder: 'sender',
        envelope: toBase64Url(await wrapFileKey(fileKey, await importPublicKey(info.key.publicKey))),
      },
    ];
    const pending: string[] = [];
    for (const r of recipients) {
      if (typeof r.email !== 'string') continue;
      if (typeof r.publicKey === 'string')
        envelopes.push({
          holder: 'recipient',
          email: r.email,
          envelope: toBase64Url(await wrapFileKey(fileKey, await importPublicKey(r.publicKey))),
        });
      else pending.push(r.email);
    }
    for (const d of departments) {
      if (typeof d.keyId === 'string' && typeof d.publicKey === 'string') {
        envelopes.push({
          holder: 'department',
          departmentKeyId: d.keyId,
          envelope: toBase64Url(await wrapFileKey(fileKey, await importPublicKey(d.publicKey))),
        });
      }
    }
    const put = await fetch(`/api/v1/transfers/${encodeURIComponent(created.id)}/envelopes`, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ envelopes }),
    });
    if (!put.ok)
      throw parseErrorBody(put.status, await put.text()) ?? new ApiError(put.status, 'ERR_INTERNAL', '');
    await postJson(`/api/v1/transfers/${encodeURIComponent(created.id)}/send`, {}, headers);
    return { id: created.id, pending };
  } finally {
    fileKey.fill(0);
  }
}
