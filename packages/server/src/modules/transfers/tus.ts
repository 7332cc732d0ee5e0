import { AsyncLocalStorage } from 'node:async_hooks';
import type { Readable } from 'node:stream';
import { Server } from '@tus/server';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { routesOf } from '../../http/schemas.ts';
import { uploadableFile } from './drafts.ts';
import { appendToFile } from './storage.ts';

/** Where uploads live: `POST /api/v1/uploads`, then `PATCH|HEAD /api/v1/uploads/<file id>`. */
export const UPLOADS_PATH = '/api/v1/uploads';

interface UploadContext {
  tenantId: string;
}

// tus calls the store without our request; the route runs it inside this context, so every
// store query is scoped to the tenant the route already authorised.
const uploadContext = new AsyncLocalStorage<UploadContext>();

/** tus answers a thrown `{status_code, body}`; as an Error it keeps a stack and satisfies lint. */
class TusProtocolError extends Error {
  readonly status_code: number;
  readonly body: string;
  constructor(e: { status_code: number; body: string }) {
    super(e.body.trim());
    this.status_code = e.status_code;
    this.body = e.body;
  }
}

function tenantOfCall(): string {
  const ctx = uploadContext.getStore();
  if (ctx === undefined) throw new Error('tus store called outside an upload request');
  return ctx.tenantId;
}

/**
 * The tus store: an upload is one declared file of a draft transfer. Creating an upload does
 * not create anything (the file row exists since the draft); writing appends encrypted segments;
 * the offset is the database's, so any app node can answer HEAD and continue a PATCH.
 */
class TransferFileStore extends DataStore {
  readonly #deps: AppDeps;
  readonly #stop: AbortSignal;
  readonly #writes = new Set<Promise<number>>();
  constructor(deps: AppDeps, stop: AbortSignal) {
    super();
    this.#deps = deps;
    this.#stop = stop;
    this.extensions = ['creation', 'creation-with-upload', 'termination'];
  }

  override async create(upload: Upload): Promise<Upload> {
    const file = await uploadableFile(this.#deps.db, tenantOfCall(), upload.id);
    if (file === undefined) throw new TusProtocolError(ERRORS.FILE_NOT_FOUND);
    if (upload.size !== file.size)
      throw new TusProtocolError({
        status_code: 400,
        body: 'Upload-Length must equal the declared file size\n',
      });
    return new Upload({
      id: upload.id,
      size: file.size,
      offset: file.received,
      ...(upload.metadata === undefined ? {} : { metadata: upload.metadata }),
    });
  }

  override async getUpload(id: string): Promise<Upload> {
    const file = await uploadableFile(this.#deps.db, tenantOfCall(), id);
    if (file === undefined) throw new TusProtocolError(ERRORS.FILE_NOT_FOUND);
    return new Upload({ id, size: file.size, offset: file.received });
  }

  /** Resolves when every write in progress has committed what it had (after a stop). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#writes]);
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const writing = appendToFile(this.#deps, tenantOfCall(), id, offset, stream, this.#stop);
    this.#writes.add(writing);
    try {
      return await writing;
    } catch (err) {
      if (err instanceof AppError && err.code === 'ERR_UPLOAD_CONFLICT')
        throw new TusProtocolError(ERRORS.INVALID_OFFSET);
      if (err instanceof AppError && err.code === 'ERR_NOT_FOUND')
        throw new TusProtocolError(ERRORS.FILE_NOT_FOUND);
      throw err;
    } finally {
      this.#writes.delete(writing);
    }
  }

  // Terminating an upload keeps the declared file; the draft itself is what gets discarded.
  override async remove(): Promise<void> {
    await Promise.resolve();
  }
}

/** Who may write to an upload: the draft's composer (staff by session/token, recipient by secret). */
export type UploadAuthoriser = (
  request: FastifyRequest,
  file: { senderStaffId: string | null; senderRecipientId: string | null },
) => Promise<boolean> | boolean;

/**
 * Mounts the tus endpoint. Authorisation is decided here, per file, before tus sees the request;
 * a file the caller may not write to is "not found", like a file that does not exist.
 */
export function registerUploads(
  app: FastifyInstance,
  deps: AppDeps,
  mayWrite: UploadAuthoriser,
  path: string = UPLOADS_PATH,
): void {
  const shutdown = new AbortController();
  const store = new TransferFileStore(deps, shutdown.signal);
  const tus = new Server({
    path,
    datastore: store,
    // The upload id is the declared file's id, named by the client in the metadata.
    namingFunction: (_req, metadata) => {
      const fileId = metadata?.fileId;
      if (typeof fileId !== 'string')
        throw new TusProtocolError({ status_code: 400, body: 'Upload-Metadata must name fileId\n' });
      return fileId;
    },
    relativeLocation: true,
    maxSize: Number.MAX_SAFE_INTEGER,
  });

  // tus reads the raw body itself; Fastify must leave the stream alone.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => {
    done(null);
  });

  // One write per file on this node. A client that resumes while its old connection still hangs
  // (the server has not noticed it died) replaces the old write, which commits what it had first,
  // as tus's own locker does; across nodes the database's offset check decides.
  const writers = new Map<string, { stop: AbortController; done: Promise<unknown> }>();

  /**
   * PATCH, the one request that carries file content, is answered here rather than by @tus/server:
   * tus turns the request into a web stream, back into a Node stream, through a PassThrough and a
   * size limiter — four hops and a promise or more per 64 KiB — which cost the upload about half its
   * speed (bench/transfer.notes.md). The protocol part is small: check the headers, append at the
   * offset, answer 204 with the new offset.
   */
  const patch = async (
    request: FastifyRequest,
    reply: FastifyReply,
    fileId: string,
    file: { size: number },
  ) => {
    if (request.headers['tus-resumable'] !== '1.0.0') throw new AppError('ERR_VALIDATION');
    if (request.headers['content-type'] !== 'application/offset+octet-stream')
      throw new AppError('ERR_UNSUPPORTED_MEDIA_TYPE');
    const offsetHeader = request.headers['upload-offset'];
    if (typeof offsetHeader !== 'string' || !/^\d{1,15}$/.test(offsetHeader))
      throw new AppError('ERR_VALIDATION');
    const offset = Number(offsetHeader);
    const length = Number(request.headers['content-length'] ?? 0);
    if (Number.isFinite(length) && offset + length > file.size) throw new AppError('ERR_BODY_TOO_LARGE');
    const previous = writers.get(fileId);
    if (previous !== undefined) {
      previous.stop.abort();
      await previous.done;
    }
    const stop = new AbortController();
    const writing = appendToFile(
      deps,
      request.tenant.id,
      fileId,
      offset,
      request.raw,
      AbortSignal.any([shutdown.signal, stop.signal]),
    );
    const entry = { stop, done: writing.catch(() => undefined) };
    writers.set(fileId, entry);
    const tracked = { request: request.raw, handling: entry.done.then(() => undefined) };
    inFlight.add(tracked);
    let reached: number;
    try {
      reached = await writing;
    } finally {
      if (writers.get(fileId) === entry) writers.delete(fileId);
      inFlight.delete(tracked);
    }
    // The client vanished mid-body: what arrived is committed; there is no one left to answer.
    if (reply.raw.destroyed) return reply.hijack();
    return reply
      .code(204)
      .header('tus-resumable', '1.0.0')
      .header('upload-offset', String(reached))
      .header('cache-control', 'no-store')
      .send();
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply, fileId: string | undefined) => {
    if (fileId === undefined) throw new AppError('ERR_NOT_FOUND');
    const file = await uploadableFile(deps.db, request.tenant.id, fileId);
    if (file === undefined || !(await mayWrite(request, file))) throw new AppError('ERR_NOT_FOUND');
    if (request.method === 'PATCH') return patch(request, reply, fileId, file);
    reply.hijack();
    const handling = uploadContext.run({ tenantId: request.tenant.id }, () =>
      tus.handle(request.raw, reply.raw),
    );
    const entry = { request: request.raw, handling };
    inFlight.add(entry);
    try {
      await handling;
    } finally {
      inFlight.delete(entry);
    }
  };

  // On shutdown an upload must not hold the process for hours, nor lose what has arrived: the
  // store stops reading, commits what it has and answers with that offset; only then may the
  // database close. The client resumes from there on any node.
  const inFlight = new Set<{ request: FastifyRequest['raw']; handling: Promise<void> }>();
  app.addHook('preClose', async () => {
    shutdown.abort();
    await Promise.all([store.drain(), ...[...writers.values()].map((w) => w.done)]);
    // The client may still be sending the body we stopped reading: close those connections
    // (it asks for the offset and resumes), or the server would wait for them forever.
    const pending = [...inFlight];
    for (const u of pending) u.request.destroy();
    // What arrived is committed by now; tus may still wait on a body stream that never ends
    // after its socket died, which must not hold up the shutdown.
    await Promise.race([
      Promise.allSettled(pending.map((u) => u.handling)),
      new Promise((resolve) => setTimeout(resolve, 2000).unref()),
    ]);
  });
  // Public: who may write is decided per file (mayWrite: the draft's composer by session, token,
  // link or drop-off session), and a refusal looks like a missing file.
  const schema = { hide: true } as const;
  app.post(path, { config: { access: 'public' }, schema }, async (request, reply) =>
    handler(request, reply, metadataFileId(request)),
  );
  routesOf(app).route({
    config: { access: 'public' },
    method: ['HEAD', 'PATCH', 'DELETE'],
    url: `${path}/:fileId`,
    schema: {
      ...schema,
      params: { type: 'object', properties: { fileId: { type: 'string', format: 'uuid' } } },
    },
    handler: async (request, reply) => handler(request, reply, request.params.fileId),
  });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** On creation, the file id from the tus metadata header (`fileId <base64>`). */
function metadataFileId(request: FastifyRequest): string | undefined {
  const header = request.headers['upload-metadata'];
  if (typeof header !== 'string') return undefined;
  for (const pair of header.split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key === 'fileId' && value !== undefined) {
      const id = Buffer.from(value, 'base64').toString('utf8');
      return uuidPattern.test(id) ? id : undefined;
    }
  }
  return undefined;
}
