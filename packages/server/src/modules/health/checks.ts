import { statfs } from 'node:fs/promises';
import { FilesystemBlobStore } from '../../adapters/blobstore/index.ts';
import type { AppDeps } from '../../deps.ts';

/** One dependency's state as /readyz reports it. */
export interface Check {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  /** `ok`; `degraded` (an optional dependency is down, the node still serves); `unavailable`. */
  status: 'ok' | 'degraded' | 'unavailable';
  checks: Record<string, Check>;
  /** Whether the node can serve: a load balancer should send it requests. */
  ready: boolean;
}

/** A probe that does not answer within this is as good as down (a load balancer waits longer). */
export const CHECK_TIMEOUT_MS = 2_000;

class TimeoutError extends Error {}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new TimeoutError());
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// /readyz is public: the detail says what is wrong in operator's words, never the driver's
// message (which can name internal hosts and addresses); that goes to the log.
function failure(err: unknown, what: string): Check {
  return {
    ok: false,
    detail: err instanceof TimeoutError ? `${what} did not answer in time` : `${what} is unreachable`,
  };
}

async function database(deps: Pick<AppDeps, 'db' | 'logger'>, ms: number): Promise<Check> {
  try {
    await withTimeout(deps.db.ping(), ms);
    return { ok: true, detail: 'answers' };
  } catch (err) {
    deps.logger.warn({ err }, 'readiness: database check failed');
    return failure(err, 'the database');
  }
}

async function blobStore(deps: Pick<AppDeps, 'blobs' | 'config' | 'logger'>, ms: number): Promise<Check> {
  try {
    await withTimeout(deps.blobs.ping(), ms);
  } catch (err) {
    deps.logger.warn({ err }, 'readiness: blob store check failed');
    return failure(err, 'the blob store');
  }
  const min = deps.config.readyMinFreeBytes;
  // S3 has no free space to ask for; a full bucket or quota shows as ERR_STORAGE_FULL on upload.
  if (!(deps.blobs instanceof FilesystemBlobStore) || min === 0) return { ok: true, detail: 'answers' };
  try {
    const fs = await withTimeout(statfs(deps.blobs.root), ms);
    const free = fs.bavail * fs.bsize;
    if (free < min)
      return {
        ok: false,
        detail: `free space ${String(free)} bytes is below READY_MIN_FREE_BYTES (${String(min)})`,
      };
    return { ok: true, detail: `answers, ${String(free)} bytes free` };
  } catch (err) {
    deps.logger.warn({ err }, 'readiness: blob store free space unknown');
    return failure(err, 'the blob store’s file system');
  }
}

async function scanner(deps: Pick<AppDeps, 'scanner'>, ms: number): Promise<Check> {
  if (deps.scanner.kind === 'none')
    return { ok: true, detail: 'not configured: incoming files are marked "not scanned"' };
  const answers = await withTimeout(deps.scanner.ping(), ms).catch(() => false);
  return answers
    ? { ok: true, detail: 'answers' }
    : {
        ok: false,
        detail:
          'does not answer: incoming files wait until it does; the node stays ready, since nothing unscanned is released',
      };
}

/**
 * Every dependency at once. The database and the blob store are required (no request can be
 * served without them); the scanner is not: files wait for it, so its outage degrades the node
 * but leaves it ready.
 */
export async function readiness(deps: AppDeps, ms = CHECK_TIMEOUT_MS): Promise<Readiness> {
  const [db, blobs, scan] = await Promise.all([database(deps, ms), blobStore(deps, ms), scanner(deps, ms)]);
  const ready = db.ok && blobs.ok;
  return {
    status: !ready ? 'unavailable' : scan.ok ? 'ok' : 'degraded',
    checks: { database: db, blobStore: blobs, scanner: scan },
    ready,
  };
}
