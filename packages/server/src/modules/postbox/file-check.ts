import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { fileTypeFromBuffer, fileTypeFromStream } from 'file-type';
import type { FileTypeId, Locale } from '@amtsbote/contracts';
import { FILE_TYPES, typeIdOfMime, typeList } from '@amtsbote/contracts';
import { messages } from '@amtsbote/web';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { readFile, recordDetectedType } from '../transfers/index.ts';

/** Bytes the content check looks at when a body first arrives (file-type's usual sample). */
export const HEAD_BYTES = 4100;

const ZIP_BASED: ReadonlySet<FileTypeId> = new Set(['docx', 'xlsx', 'odt', 'ods']);

/**
 * A file whose content is not one of the allowed types. Carries the allowed types (and the file's
 * name where known), so the message can name them.
 */
export class FileTypeError extends AppError {
  readonly allowed: readonly FileTypeId[];
  readonly fileName: string | undefined;
  constructor(allowed: readonly FileTypeId[], fileName?: string, field = 'files') {
    super('ERR_FILE_TYPE_NOT_ALLOWED', { fields: [{ field, code: 'ERR_FILE_TYPE_NOT_ALLOWED' }] });
    this.allowed = allowed;
    this.fileName = fileName;
  }

  /** The message with the allowed types and the file, in one language. */
  detail(locale: Locale): string {
    const types = typeList(this.allowed);
    const t = messages(locale).inbound.fileCheck;
    return this.fileName === undefined ? t.refused(types) : t.refusedNamed(this.fileName, types);
  }
}

/**
 * Judges a file by its first bytes. `maybe`: only a ZIP container was seen, which may still turn
 * out to be an allowed office format once more of it is there.
 */
export async function judgeHead(
  head: Uint8Array,
  allowed: readonly FileTypeId[],
): Promise<'ok' | 'maybe' | 'refused'> {
  const found = await fileTypeFromBuffer(head);
  const id = typeIdOfMime(found?.mime);
  if (id !== undefined && allowed.includes(id)) return 'ok';
  if (found?.mime === 'application/zip' && allowed.some((a) => ZIP_BASED.has(a))) return 'maybe';
  return 'refused';
}

/**
 * Reads the first `n` bytes of a request body that is longer than `n` without consuming them:
 * they are pushed back, so whoever reads the body next (tus) sees it whole. Only for bodies
 * longer than `n` (the stream must not end while peeking, or nothing can be pushed back);
 * shorter files are judged once stored ({@link checkStoredFile}).
 */
export async function peekBody(req: IncomingMessage, n: number): Promise<Buffer | undefined> {
  const length = Number(req.headers['content-length']);
  if (!Number.isFinite(length) || length <= n) return undefined;
  const head = await new Promise<Buffer | undefined>((resolve, reject) => {
    const finish = (value: Buffer | undefined, err?: Error) => {
      req.off('readable', onReadable);
      req.off('end', onEnd);
      req.off('error', onError);
      if (err === undefined) resolve(value);
      else reject(err);
    };
    const onReadable = () => {
      const chunk = req.read(n) as Buffer | null;
      if (chunk !== null) finish(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = (err: Error) => finish(undefined, err);
    req.on('readable', onReadable);
    req.once('end', onEnd);
    req.once('error', onError);
    onReadable();
  });
  if (head !== undefined) req.unshift(head);
  return head;
}

/**
 * The authoritative check once a file is stored: its content as file-type reads it (a stream,
 * so ZIP-based formats are told apart). Records what was found.
 * @throws {FileTypeError}
 */
export async function checkStoredFile(
  deps: Pick<AppDeps, 'db' | 'blobs' | 'clock' | 'secrets' | 'keyring'>,
  tenantId: string,
  file: { id: string; name: string; size: number },
  allowed: readonly FileTypeId[],
): Promise<FileTypeId> {
  if (file.size === 0) throw new FileTypeError(allowed, file.name);
  const stream = await readFile(deps, tenantId, file.id, undefined, { forScan: true });
  let found;
  try {
    found = await fileTypeFromStream(Readable.toWeb(stream) as WebReadableStream<Uint8Array>);
  } finally {
    stream.destroy();
  }
  const id = typeIdOfMime(found?.mime);
  if (id === undefined || !allowed.includes(id)) throw new FileTypeError(allowed, file.name);
  await recordDetectedType(deps.db, tenantId, file.id, id);
  return id;
}

/** The labels of the allowed types, for pages. */
export function allowedLabels(ids: readonly FileTypeId[]): string[] {
  return ids.map((id) => FILE_TYPES[id].label);
}
