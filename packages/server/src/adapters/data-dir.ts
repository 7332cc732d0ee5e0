import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { chmod, lstat, open, opendir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * DATA_DIR holds the embedded database, stored files, mails, the master key and sockets: only
 * the portal's own user may read any of it. Everything the portal creates there is made
 * 0700 (directories) or 0600 (files); this module tightens what is already there.
 */
export interface ModeChange {
  path: string;
  from: number;
  to: number;
}

export interface TightenReport {
  changed(change: ModeChange): void;
  failed(failure: { path: string; code: string }): void;
}

/** The mode without any group or other bits; the owner's bits stay as they are. */
export function privateMode(mode: number): number {
  return mode & 0o7777 & ~0o077;
}

const octal = (mode: number) => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

/**
 * Takes group and other permissions off `root` and everything below it. Symbolic links are
 * neither changed nor followed (their targets are not ours to change). A directory is tightened
 * before its entries are visited, so no one else can swap an entry for a link meanwhile; files are
 * changed through a descriptor opened without following links, for the same reason.
 * Entries that vanish during the walk (PGlite's temp files) are skipped.
 */
export async function tightenTree(root: string, report: TightenReport): Promise<void> {
  const rootInfo = await stat(root).catch(() => undefined);
  if (rootInfo === undefined) return;
  // DATA_DIR itself may be a link (to a volume); the directory it names is ours.
  await tightenPath(root, rootInfo, report, true);
  if (!rootInfo.isDirectory()) return;
  const stack = [root];
  for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
    try {
      for await (const entry of await opendir(dir)) {
        if (entry.isSymbolicLink()) continue;
        const p = path.join(dir, entry.name);
        const info = await lstat(p).catch(() => undefined);
        if (info === undefined || info.isSymbolicLink()) continue;
        await tightenPath(p, info, report, false);
        if (info.isDirectory()) stack.push(p);
      }
    } catch (err) {
      const code = errCode(err);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') report.failed({ path: dir, code });
    }
  }
}

async function tightenPath(
  p: string,
  info: Stats,
  report: TightenReport,
  followLink: boolean,
): Promise<void> {
  const to = privateMode(info.mode);
  if (to === (info.mode & 0o7777)) return;
  try {
    if (info.isFile() || info.isDirectory()) {
      // O_NONBLOCK: never hangs on a FIFO that was swapped in; O_NOFOLLOW: never leaves the tree.
      const flags = constants.O_RDONLY | constants.O_NONBLOCK | (followLink ? 0 : constants.O_NOFOLLOW);
      const fh = await open(p, flags).catch((err: unknown) => {
        // Unreadable even to its owner: by name then (its directory is private by now).
        if (errCode(err) === 'EACCES') return undefined;
        throw err;
      });
      if (fh === undefined) {
        await chmod(p, to);
        report.changed({ path: p, from: info.mode, to });
        return;
      }
      try {
        const now = await fh.stat();
        const target = privateMode(now.mode);
        if (target === (now.mode & 0o7777)) return;
        await fh.chmod(target);
        report.changed({ path: p, from: now.mode, to: target });
      } finally {
        await fh.close();
      }
      return;
    }
    // Sockets and FIFOs cannot be opened for this; their directory is already private.
    await chmod(p, to);
    report.changed({ path: p, from: info.mode, to });
  } catch (err) {
    const code = errCode(err);
    if (code !== 'ENOENT') report.failed({ path: p, code });
  }
}

function errCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
}

// An older install has about a thousand world-readable PGlite files: name the first ones, then
// say how many more, so the log stays readable and still says what happened.
const NAMED_PATHS = 20;

/**
 * At start-up: tightens DATA_DIR (when it exists) and logs one line for each path whose mode
 * was looser (the first NAMED_PATHS, then one line with the count of the rest), and one for each
 * path it could not change (the portal starts all the same). Never logs what a file holds.
 */
export async function secureDataDir(
  dataDir: string,
  logger: { warn(details: object, message: string): void },
): Promise<{ changed: number; failed: number }> {
  let changed = 0;
  let failed = 0;
  await tightenTree(dataDir, {
    changed(c) {
      changed++;
      if (changed > NAMED_PATHS) return;
      logger.warn(
        { path: c.path, from: octal(c.from), to: octal(c.to) },
        'DATA_DIR: took group and other permissions off a path that had them',
      );
    },
    failed(f) {
      failed++;
      logger.warn({ path: f.path, code: f.code }, 'DATA_DIR: could not make a path private');
    },
  });
  if (changed > NAMED_PATHS)
    logger.warn(
      { paths: changed - NAMED_PATHS },
      'DATA_DIR: took group and other permissions off further paths that had them',
    );
  return { changed, failed };
}

/** For PGlite's own files: it creates some world-readable (0666, 0644); they are made private. */
export async function tightenQuietly(root: string): Promise<void> {
  await tightenTree(root, { changed: () => undefined, failed: () => undefined });
}
