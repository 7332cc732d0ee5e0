import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { access, lstat, mkdir, open, opendir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BlobNotFoundError, BlobStorageFullError } from './errors.ts';
import {
  assertBlobKey,
  assertBlobPrefix,
  errnoCode,
  isBlobKey,
  meteredSource,
  resolveRange,
} from './keys.ts';
import type { BlobListEntry, BlobRange, BlobSource, BlobStat, BlobStore, PutOptions } from './types.ts';

const TEMP_SUFFIX = '.tmp';

/**
 * Blobs as files under one directory: the key `a/b/c` is the file `ROOT/a/b/c`, so keys fan out
 * into subdirectories by their own segments (callers pick keys that spread, e.g. by id).
 *
 * A put writes `.NAME.RANDOM.tmp` beside the target, fsyncs it, renames it over the target and
 * fsyncs the directory (and any directory it had to create): after a crash a blob is there whole
 * or not at all. A crashed process can leave temp files; `removeStaleTempFiles` clears them.
 * Directories left empty by a delete are removed.
 */
export class FilesystemBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  #file(key: string): string {
    assertBlobKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, source: BlobSource, opts: PutOptions = {}): Promise<{ size: number }> {
    const file = this.#file(key);
    const metered = meteredSource(source, opts);
    opts.signal?.throwIfAborted();
    const dir = path.dirname(file);
    const { handle, temp, created } = await this.#createTemp(dir, path.basename(file));
    let unclosed: FileHandle | undefined = handle;
    try {
      await writeAll(handle, metered.chunks);
      await handle.sync();
      unclosed = undefined;
      await handle.close();
      // An abort that arrives once every byte is safely written still wins: nothing becomes visible.
      opts.signal?.throwIfAborted();
      await rename(temp, file);
    } catch (err) {
      await unclosed?.close().catch(() => undefined);
      await rm(temp, { force: true });
      throw storageError(err);
    }
    // The rename, and each directory created for it, are durable once their parents are synced.
    const dirs = [dir];
    if (created !== undefined) {
      for (let d = dir; d !== path.dirname(created);) {
        d = path.dirname(d);
        dirs.push(d);
      }
    }
    for (const d of dirs) await syncDir(d);
    return { size: metered.bytes() };
  }

  /** Creates the directory and an exclusive temp file in it, retrying when a concurrent delete prunes the directory. */
  async #createTemp(
    dir: string,
    name: string,
  ): Promise<{ handle: FileHandle; temp: string; created: string | undefined }> {
    let created: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const temp = path.join(dir, `.${name}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`);
      try {
        created = (await mkdir(dir, { recursive: true, mode: 0o700 })) ?? created;
        return { handle: await open(temp, 'wx', 0o600), temp, created };
      } catch (err) {
        if (errnoCode(err) === 'ENOENT' && attempt < 5) continue;
        throw storageError(err);
      }
    }
  }

  async get(key: string, range?: BlobRange): Promise<Readable> {
    const file = this.#file(key);
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      if (isMissing(err)) throw new BlobNotFoundError(key, { cause: err });
      throw err;
    }
    try {
      // The open descriptor keeps reading this version even if a put renames another over it.
      const info = await handle.stat();
      if (!info.isFile()) throw new BlobNotFoundError(key);
      const bounds = range === undefined ? undefined : resolveRange(key, range, info.size);
      return handle.createReadStream({ ...bounds, highWaterMark: 256 * 1024 });
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async stat(key: string): Promise<BlobStat | undefined> {
    const file = this.#file(key);
    try {
      const info = await stat(file);
      return info.isFile() ? { size: info.size, modifiedAt: info.mtime } : undefined;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.#file(key);
    try {
      await unlink(file);
    } catch (err) {
      // EISDIR/EPERM: the key names a directory of other keys, so there is no blob to delete.
      if (isMissing(err) || errnoCode(err) === 'EISDIR' || errnoCode(err) === 'EPERM') return;
      throw err;
    }
    for (let d = path.dirname(file); d !== this.root && d.startsWith(this.root); d = path.dirname(d)) {
      try {
        await rmdir(d);
      } catch {
        break; // not empty (or already gone): the directories above are not empty either
      }
    }
  }

  async *list(prefix: string): AsyncGenerator<BlobListEntry, void, undefined> {
    assertBlobPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const dirKey = prefix.slice(0, slash + 1); // '' or 'a/b/'
    const namePrefix = prefix.slice(slash + 1);
    yield* this.#walk(path.join(this.root, ...dirKey.split('/').filter((s) => s !== '')), dirKey, namePrefix);
  }

  async *#walk(
    dir: string,
    dirKey: string,
    namePrefix: string,
  ): AsyncGenerator<BlobListEntry, void, undefined> {
    const entries: { name: string; isDir: boolean; sortKey: string }[] = [];
    try {
      for await (const e of await opendir(dir)) {
        if (!e.name.startsWith(namePrefix) || !isBlobKey(e.name)) continue; // temp files start with '.'
        if (e.isDirectory()) entries.push({ name: e.name, isDir: true, sortKey: `${e.name}/` });
        else if (e.isFile()) entries.push({ name: e.name, isDir: false, sortKey: e.name });
      }
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    // Sorting `name/` for directories yields byte order of the full keys, as S3 lists them.
    entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const e of entries) {
      const key = `${dirKey}${e.name}`;
      if (e.isDir) {
        yield* this.#walk(path.join(dir, e.name), `${key}/`, '');
        continue;
      }
      try {
        const info = await lstat(path.join(dir, e.name));
        if (info.isFile()) yield { key, size: info.size, modifiedAt: info.mtime };
      } catch (err) {
        if (!isMissing(err)) throw err; // deleted while listing
      }
    }
  }

  /**
   * Removes temp files of puts that never finished (a crashed or killed process) last modified
   * before `olderThan`. Pick a cutoff well past the longest upload, e.g. a day.
   * @returns how many were removed.
   */
  async removeStaleTempFiles(olderThan: Date): Promise<number> {
    let removed = 0;
    const visit = async (dir: string): Promise<void> => {
      let handle;
      try {
        handle = await opendir(dir);
      } catch (err) {
        if (isMissing(err)) return;
        throw err;
      }
      for await (const e of handle) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) await visit(full);
        else if (e.isFile() && e.name.startsWith('.') && e.name.endsWith(TEMP_SUFFIX)) {
          const info = await lstat(full).catch(() => undefined);
          if (info !== undefined && info.mtime < olderThan) {
            await rm(full, { force: true });
            removed++;
          }
        }
      }
    };
    await visit(this.root);
    return removed;
  }

  async ping(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await access(this.root, constants.R_OK | constants.W_OK);
  }

  async close(): Promise<void> {
    // Nothing held open between calls.
  }
}

function isMissing(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function storageError(err: unknown): unknown {
  const code = errnoCode(err);
  return code === 'ENOSPC' || code === 'EDQUOT' ? new BlobStorageFullError({ cause: err }) : err;
}

/** Writes every chunk, gathered into writes of about 1 MiB. */
async function writeAll(handle: FileHandle, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  let batch: Uint8Array[] = [];
  let bytes = 0;
  const flush = async () => {
    let pending = batch;
    let left = bytes;
    batch = [];
    bytes = 0;
    while (left > 0) {
      const { bytesWritten } = await handle.writev(pending);
      left -= bytesWritten;
      if (left > 0) pending = [Buffer.concat(pending).subarray(bytesWritten)]; // a short write: rare
    }
  };
  for await (const chunk of chunks) {
    batch.push(chunk);
    bytes += chunk.byteLength;
    if (bytes >= 1024 * 1024) await flush();
  }
  await flush();
}

/** fsync a directory so a rename or new entry in it survives a crash (a no-op where the OS can't). */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = errnoCode(err);
    // ENOENT: a concurrent delete of this very key pruned the directory (pruning only removes
    // empty ones), so there is nothing left whose durability this sync could secure.
    if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF')
      throw err;
  } finally {
    await handle?.close();
  }
}
