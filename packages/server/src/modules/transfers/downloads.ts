import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { makeZip } from 'client-zip';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { getStaff } from '../staff/index.ts';
import type { Tenant } from '../tenants/index.ts';
import { tenantBaseUrl } from '../tenants/index.ts';
import { firstDownloadMail } from './mails.ts';
import type { TransferFileView } from './views.ts';
import { readFile } from './storage.ts';
import { assertServable, isServable } from './scan-status.ts';
import { insertDownload, markFirstDownload, senderToNotify } from './store/downloads.ts';

type Deps = Pick<AppDeps, 'db' | 'blobs' | 'clock' | 'secrets' | 'keyring' | 'mailer' | 'config' | 'logger'>;

/**
 * One byte range from a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`); multiple ranges
 * are answered with the whole file, which RFC 9110 allows.
 * @returns undefined for no or an ignorable header; 'unsatisfiable' for a range outside the file.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return undefined;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 8187). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Streams one file, honouring Range so a broken download resumes where it stopped. Always
 * served as an attachment of type octet-stream: a file is never rendered by the portal's origin.
 */
export async function sendFile(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  tenantId: string,
  file: TransferFileView,
): Promise<FastifyReply> {
  if (!file.complete) throw new AppError('ERR_NOT_FOUND');
  assertServable(file.scanStatus);
  const range = parseRange(request.headers.range, file.size);
  void reply
    .header('accept-ranges', 'bytes')
    .header('content-disposition', contentDisposition(file.name))
    .header('cache-control', 'private, no-store')
    .type('application/octet-stream');
  if (range === 'unsatisfiable') {
    return reply.status(416).header('content-range', `bytes */${file.size}`).send();
  }
  if (request.method === 'HEAD') {
    return reply
      .header('content-length', String(range === undefined ? file.size : range.end - range.start + 1))
      .send();
  }
  const body = await readFile(deps, tenantId, file.id, range);
  if (range === undefined) return reply.header('content-length', String(file.size)).send(body);
  return reply
    .status(206)
    .header('content-range', `bytes ${range.start}-${range.end}/${file.size}`)
    .header('content-length', String(range.end - range.start + 1))
    .send(body);
}

/** Names unique inside one ZIP: a second "scan.pdf" becomes "scan (2).pdf". */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw) => {
    const name = raw.replace(/[/\\]/g, '_');
    const n = (seen.get(name.toLowerCase()) ?? 0) + 1;
    seen.set(name.toLowerCase(), n);
    if (n === 1) return name;
    const dot = name.lastIndexOf('.');
    return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
  });
}

/** All files as one ZIP (Zip64 where needed), streamed as it is built: no temporary copy. */
export function sendZip(
  deps: Deps,
  reply: FastifyReply,
  tenantId: string,
  files: TransferFileView[],
  zipName: string,
): FastifyReply {
  const complete = files.filter((f) => f.complete && isServable(f.scanStatus));
  const names = uniqueNames(complete.map((f) => f.name));
  async function* entries() {
    for (const [i, f] of complete.entries()) {
      yield { name: names[i] ?? f.id, size: f.size, input: await readFile(deps, tenantId, f.id) };
    }
  }
  const zip = makeZip(entries()) as unknown as NodeReadableStream<Uint8Array>;
  return reply
    .header('content-disposition', contentDisposition(zipName))
    .header('cache-control', 'private, no-store')
    .type('application/zip')
    .send(Readable.fromWeb(zip));
}

/**
 * Records a download for the sender's view and the audit log; on a recipient's first download
 * the sender is told by mail if they asked to be.
 */
export async function recordDownload(
  deps: Deps,
  tenant: Tenant,
  input: {
    transferId: string;
    recipientId: string | null;
    fileId: string | null;
    ipPrefix: string | undefined;
    actor: { kind: 'staff' | 'guest' | 'account'; id: string };
  },
): Promise<void> {
  const now = deps.clock.now();
  const notify = await deps.db.transaction(async (tx) => {
    await insertDownload(tx, tenant.id, {
      transferId: input.transferId,
      recipientId: input.recipientId,
      fileId: input.fileId,
      at: now,
    });
    await recordAudit(tx, {
      tenantId: tenant.id,
      at: now,
      actor: input.actor,
      action: 'transfer.downloaded',
      subject: { kind: 'transfer', id: input.transferId },
      ipPrefix: input.ipPrefix,
      details: { file: input.fileId ?? 'zip' },
    });
    if (input.recipientId === null) return undefined;
    const recipient = await markFirstDownload(tx, tenant.id, input.recipientId, now);
    if (recipient === undefined) return undefined;
    const sender = await senderToNotify(tx, tenant.id, input.transferId);
    const to = sender === undefined ? undefined : await getStaff(tx, tenant.id, sender.staffId);
    return to?.status === 'active' ? { to: to.email, recipient } : undefined;
  });
  // The download happened whatever the mail server says; a failed notice is logged, not fatal.
  if (notify !== undefined) {
    const link = `${tenantBaseUrl(tenant, deps.config)}/transfers/${input.transferId}`;
    await deps.mailer
      .send(
        firstDownloadMail(notify.to, tenant.settings.defaultLocale ?? 'de', {
          recipient: notify.recipient,
          tenantName: tenant.name,
          link,
        }),
      )
      .catch((err: unknown) => {
        deps.logger.warn({ err, transfer: input.transferId }, 'first-download notice not sent');
      });
  }
}
