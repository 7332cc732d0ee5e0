// The answer to a password drop-off, encrypted to the same password (islands/inbox-answer.ts,
// docs/inbound.md). The password is first checked against the drop-off's own P envelope: a typo
// here would send an answer its recipient can never open. Then as at level 4 (lib/e2e-send.ts):
// one fresh file key; text and file names as the encrypted manifest in the message field, with
// placeholder names declared; each file one encrypted stream through tus; last the file key
// wrapped under Argon2id of the password (a new salt) goes with the send request. The password
// and the keys never leave this browser.
import {
  ciphertextLength,
  encryptBytes,
  fromBase64Url,
  generateFileKey,
  isCryptoError,
  toBase64Url,
  unwrapFileKeyWithPassphrase,
  wrapFileKeyWithPassphrase,
} from '@amtsbote/crypto';
import { ApiError, asDraftAnswer, postJson } from './api.ts';
import { upload } from './e2e-send.ts';
import type { ProgressView } from './progress.ts';

/** The password does not open the drop-off being answered. */
export class NotTheSamePassword extends Error {}

export interface PasswordAnswer {
  subject: string;
  message: string;
  expiresInDays?: number | undefined;
  notifyOnDownload: boolean;
}

/**
 * Checks the password against the drop-off's envelope, encrypts, uploads and sends the answer.
 * @throws {NotTheSamePassword}; {ApiError} from the portal; network errors.
 */
export async function sendToPassword(
  o: {
    /** `/api/v1/inbox/<id>/answers` */
    answersUrl: string;
    uploadEndpoint: string;
    csrf: string;
    view: ProgressView | undefined;
    /** The drop-off's P envelope (base64url). */
    dropoffEnvelope: string;
    onChecked?: () => void;
  },
  password: string,
  answer: PasswordAnswer,
  files: File[],
): Promise<string> {
  try {
    (await unwrapFileKeyWithPassphrase(fromBase64Url(o.dropoffEnvelope), password)).fill(0);
  } catch (err) {
    if (isCryptoError(err)) throw new NotTheSamePassword();
    throw err;
  }
  o.onChecked?.();
  const headers = { 'x-csrf-token': o.csrf };
  const fileKey = generateFileKey();
  try {
    const manifest = JSON.stringify({
      text: answer.message,
      files: files.map((f) => ({ name: f.name, type: f.type })),
    });
    const declared = files.map((f, i) => ({
      name: `${String(i + 1)}.amtb`,
      size: ciphertextLength(f.size),
      type: 'application/octet-stream',
    }));
    o.view?.start(files);
    const draft = asDraftAnswer(
      await postJson(
        o.answersUrl,
        {
          level: 4,
          subject: answer.subject,
          message: toBase64Url(await encryptBytes(fileKey, new TextEncoder().encode(manifest))),
          ...(answer.expiresInDays === undefined ? {} : { expiresInDays: answer.expiresInDays }),
          notifyOnDownload: answer.notifyOnDownload,
          files: declared,
        },
        headers,
      ),
    );
    if (draft === undefined) throw new ApiError(500, 'ERR_INTERNAL', '');
    for (const [i, file] of files.entries()) {
      const fileId = draft.files[i]?.id;
      if (fileId === undefined) throw new ApiError(500, 'ERR_INTERNAL', '');
      await upload(o.uploadEndpoint, o.csrf, file, fileId, fileKey, declared[i]?.size ?? 0, (n) => {
        o.view?.progress(i, n);
      });
      o.view?.fileDone(i, file.name);
    }
    const envelope = await wrapFileKeyWithPassphrase(fileKey, password);
    await postJson(
      `${o.answersUrl}/${encodeURIComponent(draft.id)}/send`,
      { envelope: toBase64Url(envelope) },
      headers,
    );
    return draft.id;
  } finally {
    fileKey.fill(0);
  }
}
